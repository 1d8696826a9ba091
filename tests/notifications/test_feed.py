"""The Atom feed of a document: its published drafts and rounds of comments, for its readers."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
import time_machine

from drafting.consultations import rounds
from drafting.documents.importing import import_version
from drafting.documents.publishing import publish_version
from drafting.extensions import db
from drafting.pages.feeds import feed_token, feed_url
from tests.consultations.conftest import DRAFT, delegation

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def process(people, published, open_round):
    """Zero draft published, then a round of comments on it, then Draft 1 published a day
    later: three announcements, in that order."""
    consultation = open_round()
    with time_machine.travel(datetime.now(UTC) + timedelta(days=1), tick=False):
        draft = import_version(
            None, published.document, DRAFT.replace("next year", "in 2031"), label="Draft 1"
        )
        publish_version(people.secretariat, draft)
        db.session.commit()
    return published.document, consultation, draft


def feed_path(user, document) -> str:
    url = urlsplit(feed_url(user, document))
    return f"{url.path}?{url.query}"


def parse(response) -> ET.Element:
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    return ET.fromstring(response.data)  # noqa: S314 -- our own output, parsed to check it


def entries(feed: ET.Element) -> list[dict]:
    return [
        {
            "id": e.findtext(f"{ATOM}id"),
            "title": e.findtext(f"{ATOM}title"),
            "updated": e.findtext(f"{ATOM}updated"),
            "link": e.find(f"{ATOM}link[@rel='alternate']").get("href"),
            "summary": e.findtext(f"{ATOM}summary"),
        }
        for e in feed.findall(f"{ATOM}entry")
    ]


def test_a_participant_reads_drafts_and_rounds_newest_first_as_valid_atom(
    client, auth, people, process
):
    document, consultation, draft = process
    auth.login(people.aut)

    feed = parse(client.get(f"/documents/{document.id}/feed.atom"))

    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}id").startswith("tag:127.0.0.1,")
    assert document.title in feed.findtext(f"{ATOM}title")
    assert feed.find(f"{ATOM}author/{ATOM}name").text
    items = entries(feed)
    assert [i["title"] for i in items] == [
        "Draft 1 published",
        f"Round of comments on Zero draft: {consultation.title}",
        "Zero draft published",
    ]
    assert feed.findtext(f"{ATOM}updated") == items[0]["updated"]
    for item in items:
        assert item["id"] and item["summary"]
        datetime.fromisoformat(item["updated"].replace("Z", "+00:00"))
    assert len({i["id"] for i in items}) == 3
    assert items[0]["link"] == f"http://127.0.0.1:5000/versions/{draft.id}"
    assert items[1]["link"] == f"http://127.0.0.1:5000/consultations/{consultation.id}"
    assert "deadline" in items[1]["summary"] and "Europe/Vienna" in items[1]["summary"]


def test_a_new_draft_links_to_what_changed_and_the_concordance(client, auth, people, process):
    document, _, draft = process
    auth.login(people.aut)
    feed = parse(client.get(f"/documents/{document.id}/feed.atom"))
    newest = feed.find(f"{ATOM}entry")
    related = [link.get("href") for link in newest.findall(f"{ATOM}link[@rel='related']")]
    compare = (
        f"http://127.0.0.1:5000/documents/{document.id}/compare"
        f"?old={draft.based_on_id}&new={draft.id}"
    )
    assert related == [compare, compare + "#concordance"]


def test_a_feed_reader_with_the_private_address_gets_the_feed_without_logging_in(
    client, people, process
):
    document, _, _ = process
    feed = parse(client.get(feed_path(people.pak, document)))
    assert len(entries(feed)) == 3


def test_the_feed_address_is_on_the_configured_site_and_names_the_document(people, process):
    document, _, _ = process
    url = urlsplit(feed_url(people.aut, document))
    assert f"{url.scheme}://{url.netloc}" == "http://127.0.0.1:5000"
    assert url.path == f"/documents/{document.id}/feed.atom"
    assert url.query.startswith("token=")


@pytest.mark.parametrize(
    "token",
    ["", "nonsense", "WzEsIDFd.forged", "eyJ1c2VyIjogMX0"],
    ids=["empty", "nonsense", "forged", "unsigned"],
)
def test_a_bad_token_gets_no_feed(client, people, process, token):
    document, _, _ = process
    assert client.get(f"/documents/{document.id}/feed.atom?token={token}").status_code == 404


def test_a_token_signed_with_another_key_gets_no_feed(app, client, people, process):
    document, _, _ = process
    genuine = feed_token(people.aut, document)
    app.secret_key = "another key altogether"
    assert client.get(f"/documents/{document.id}/feed.atom?token={genuine}").status_code == 404


def test_a_token_for_one_document_opens_no_other(client, people, process, create_document):
    document, _, _ = process
    other = create_document(
        ("Zero draft", DRAFT, True), title="Another process", participants=[delegation("AUT")]
    )
    token = feed_token(people.aut, document)
    assert client.get(f"/documents/{other.id}/feed.atom?token={token}").status_code == 404
    assert client.get(feed_path(people.aut, other)).status_code == 200


def test_without_a_login_or_a_token_there_is_no_feed(client, process):
    document, _, _ = process
    assert client.get(f"/documents/{document.id}/feed.atom").status_code == 404


def test_readers_of_other_documents_get_no_feed(client, auth, create_user, process):
    document, _, _ = process
    outsider = create_user("delegate", "FRA")
    assert client.get(feed_path(outsider, document)).status_code == 404
    auth.login(outsider)
    assert client.get(f"/documents/{document.id}/feed.atom").status_code == 404
    assert client.get("/documents/999999/feed.atom").status_code == 404


def test_a_deactivated_persons_feed_address_stops_working(client, people, process):
    document, _, _ = process
    path = feed_path(people.tur, document)
    assert client.get(path).status_code == 200
    people.tur.is_active = False
    db.session.commit()
    assert client.get(path).status_code == 404


def test_a_delegation_that_no_longer_takes_part_loses_the_feed(client, people, process):
    document, _, _ = process
    path = feed_path(people.tur, document)
    document.participants = [d for d in document.participants if d.code != "TUR"]
    db.session.commit()
    assert client.get(path).status_code == 404


def test_a_working_draft_is_not_announced(client, people, process):
    document, _, _ = process
    import_version(None, document, DRAFT.replace("again", "once more"), label="Draft 2")
    db.session.commit()
    feed = parse(client.get(feed_path(people.aut, document)))
    assert "Draft 2" not in response_text(feed)
    # Not even to the secretariat, who can read the working draft.
    feed = parse(client.get(feed_path(people.secretariat, document)))
    assert "Draft 2" not in response_text(feed)


def response_text(feed: ET.Element) -> str:
    return ET.tostring(feed, encoding="unicode")


def test_titles_with_markup_and_ampersands_are_escaped(client, people, create_document, open_round):
    title = 'Declaration <script>alert("x")</script> & Annex'
    document = create_document(
        ("Zero draft", DRAFT, True), title=title, participants=[delegation("AUT")]
    )
    round_title = "Round <b>one</b> & only"
    now = datetime.now(UTC)
    rounds.open_consultation(
        None,
        document.versions[0],
        title=round_title,
        opens_dt=now,
        closes_dt=now + timedelta(days=3),
        timezone="UTC",
        invited=[delegation("AUT")],
    )
    db.session.commit()

    response = client.get(feed_path(people.aut, document))
    raw = response.get_data(as_text=True)
    assert "<script>" not in raw and "<b>" not in raw
    feed = parse(response)  # well-formed despite the & and <
    assert feed.findtext(f"{ATOM}title").startswith(title)
    assert entries(feed)[0]["title"] == f"Round of comments on Zero draft: {round_title}"


def test_an_unchanged_feed_answers_not_modified(client, people, process):
    document, _, _ = process
    path = feed_path(people.aut, document)
    first = client.get(path)
    assert first.headers["ETag"]
    again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_the_document_page_offers_each_reader_their_own_feed_address(client, auth, people, process):
    document, _, _ = process
    document_id = document.id
    auth.login(people.pak)
    html = client.get(f"/documents/{document_id}").get_data(as_text=True)
    link = re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]*href="([^"]+)"', html)
    assert link, "no feed link in the page's head"
    address = urlsplit(link.group(1).replace("&amp;", "&"))
    client.post("/logout", data={})
    feed = parse(client.get(f"{address.path}?{address.query}"))
    assert len(entries(feed)) == 3


# ---------------------------------------------------------------------------------------------
# Private feed addresses expire after a year, and a person can void all of theirs at once


def test_a_private_feed_address_stops_working_after_a_year(client, people, process):
    document, _, _ = process
    path = feed_path(people.pak, document)
    with time_machine.travel(datetime.now(UTC) + timedelta(days=364)):
        assert client.get(path).status_code == 200
    with time_machine.travel(datetime.now(UTC) + timedelta(days=366)):
        assert client.get(path).status_code == 404


def test_an_address_in_the_old_undated_form_opens_nothing(app, client, people, process):
    from itsdangerous import URLSafeSerializer

    document, _, _ = process
    undated = URLSafeSerializer(app.secret_key, salt="feed").dumps([people.pak.id, document.id])
    assert client.get(f"/documents/{document.id}/feed.atom?token={undated}").status_code == 404


def test_new_feed_addresses_from_settings_void_the_old_ones(client, auth, people, process):
    document, _, _ = process
    old = feed_path(people.pak, document)
    auth.login(people.pak)
    response = client.post("/settings/feeds", data={})
    assert response.status_code == 303
    auth.logout()
    db.session.expire_all()
    assert client.get(old).status_code == 404
    assert client.get(feed_path(people.pak, document)).status_code == 200


def test_a_deactivation_voids_the_feed_addresses_for_good(client, people, process):
    from drafting.auth.operations import deactivate_user, reactivate_user

    document, _, _ = process
    old = feed_path(people.pak, document)
    deactivate_user(people.secretariat, people.pak)
    db.session.commit()
    assert client.get(old).status_code == 404
    reactivate_user(people.secretariat, people.pak)
    db.session.commit()
    assert client.get(old).status_code == 404


def test_a_password_reset_voids_the_feed_addresses_too(client, people, process):
    from drafting.auth.operations import reset_password

    document, _, _ = process
    old = feed_path(people.pak, document)
    reset_password(people.secretariat, people.pak)
    db.session.commit()
    assert client.get(old).status_code == 404
