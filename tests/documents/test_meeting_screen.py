"""The meeting screen: the room's projector shows the text on the table, each paragraph's status
and brackets, and the change just made, fetched again when the room's revision moves on."""

from __future__ import annotations

import re

import pytest

from drafting.documents import editing
from drafting.documents.models import AgreementStatus
from drafting.documents.statuses import set_paragraph_status
from drafting.extensions import db
from tests.editing.conftest import amendments, open_round, paragraph, people, published, working

__all__ = ["amendments", "open_round", "people", "published", "working"]  # fixtures


def revision_of(response) -> int:
    return int(re.search(r'data-revision="(\d+)"', response.get_data(as_text=True)).group(1))


def edit(version, label: str, source: str):
    uid = paragraph(version, label).uid
    current = next(p for p in version.paragraphs if p.uid == uid)
    editing.edit_paragraph(None, version, uid, source=source, base_revision=current.revision)
    db.session.commit()
    return uid


def test_the_live_fragment_brings_a_paragraph_saved_in_the_editor(client, auth, people, working):
    auth.login(people.secretariat)
    since = revision_of(client.get(f"/documents/{working.document_id}/meeting"))
    live = f"/documents/{working.document_id}/meeting/live?since={since}"
    assert client.get(live).status_code == 204
    uid = paragraph(working, "2.").uid
    saved = client.post(
        f"/versions/{working.id}/edit/{uid}",
        data={"source": "2. We will cooperate on orderly pathways.", "revision": "1"},
    )
    assert saved.status_code == 302
    fragment = client.get(live)
    html = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and int(fragment.headers["X-Room-Revision"]) > since
    assert re.search(rf'class="[^"]*room-changed[^"]*" data-uid="{uid}"', html)
    assert "Paragraph 2. edited by Secretariat of MDS" in html
    assert re.search(r'<ins class="redline-ins">[^<]*orderly', html)


def test_a_screen_that_sends_its_etag_back_is_told_nothing_changed(client, auth, people, working):
    auth.login(people.chair)
    first = client.get(f"/documents/{working.document_id}/meeting/live")
    assert first.status_code == 200
    again = client.get(
        f"/documents/{working.document_id}/meeting/live",
        headers={"If-None-Match": first.headers["ETag"]},
    )
    assert again.status_code == 304


@pytest.mark.parametrize("who", ["aut", "observer", "chair"])
def test_everyone_taking_part_sees_the_working_draft_on_the_screen(
    client, auth, people, working, who
):
    edit(working, "1.", "1. We affirm the principle of shared responsibility, today.")
    auth.login(getattr(people, who))
    html = client.get(f"/documents/{working.document_id}/meeting").get_data(as_text=True)
    assert "Draft 1" in html and "working draft" in html and "responsibility, today." in html
    assert 'class="site-header' not in html  # no navigation chrome on a projector


def test_a_delegation_not_taking_part_is_not_told_the_screen_exists(
    client, auth, create_user, working
):
    auth.login(create_user("delegate", "JOR"))
    assert client.get(f"/documents/{working.document_id}/meeting").status_code == 404
    assert client.get(f"/documents/{working.document_id}/meeting/live").status_code == 404


def test_nobody_logged_in_is_sent_to_the_login_page(client, working):
    response = client.get(f"/documents/{working.document_id}/meeting/live?since=0")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert "X-Room-Revision" not in response.headers  # the screen's script says: log in again


def test_the_screen_shows_statuses_and_brackets(client, auth, people, working):
    uid = edit(working, "3.", "3. We [shall]{EU}[should]{RUS TUR} support the [new] platform.")
    set_paragraph_status(people.chair, working, paragraph(working, "1."), AgreementStatus.AGREED)
    db.session.commit()
    auth.login(people.pak)
    html = client.get(f"/documents/{working.document_id}/meeting").get_data(as_text=True)
    # The draft page's renderer: each bracket a span, its holders in superscript.
    assert '<span class="bracket">[shall]<sup class="bracket-holders"' in html
    assert "RUS, TUR</sup></span>" in html and "{EU}" not in html
    assert re.search(rf'data-uid="{uid}">.*?2 open points', html, re.S)
    assert '<span class="room-status status-agreed">Agreed</span>' in html
    assert "1 agreed" in html and "2 open points in brackets" in html


def test_marking_a_status_moves_the_room_on_and_highlights_that_paragraph(
    client, auth, people, working
):
    auth.login(people.observer)
    since = revision_of(client.get(f"/documents/{working.document_id}/meeting"))
    marked = paragraph(working, "4.")
    set_paragraph_status(people.chair, working, marked, AgreementStatus.AD_REFERENDUM)
    db.session.commit()
    html = client.get(f"/documents/{working.document_id}/meeting/live?since={since}").get_data(
        as_text=True
    )
    assert re.search(rf'room-changed" data-uid="{marked.uid}"', html)
    assert "Paragraph 4. marked by Chair of GEO" in html and "Agreed ad ref." in html


def test_without_a_working_draft_the_latest_published_version_is_on_the_table(
    client, auth, people, published
):
    auth.login(people.tur)
    html = client.get(f"/documents/{published.document_id}/meeting").get_data(as_text=True)
    assert "Zero draft" in html and "published" in html and "shared responsibility" in html


def test_sealed_comments_are_never_on_the_screen(client, auth, people, working, amendments):
    auth.login(people.pak)
    html = client.get(f"/documents/{working.document_id}/meeting").get_data(as_text=True)
    assert "shared and fair responsibility" not in html and "Reason." not in html


@pytest.mark.parametrize(
    "typed",
    [
        "<script>alert(1)</script> [<img src=x onerror=alert(1)>]{EU}",
        "[" * 20_000 + "x" + "]" * 20_000,
        "*" * 20_000 + "_" * 20_000,
        "[a]{" + "EU," * 5_000 + "}" + "{" * 10_000,
        "[x](javascript:alert(1)) [y]{EU}" * 2_000,
    ],
)
def test_adversarial_paragraph_text_is_shown_as_text(client, auth, people, working, typed):
    # Stored as it is, past the editor's checks: the screen must be safe whatever the text holds.
    paragraph(working, "2.").text = typed
    db.session.commit()
    auth.login(people.aut)
    response = client.get(f"/documents/{working.document_id}/meeting/live")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<script>alert" not in html and "<img" not in html and "javascript:" not in html


def test_the_clock_shows_the_zone_of_the_meeting(client, auth, people, working, open_round):
    open_round(timezone="Asia/Tbilisi")
    auth.login(people.chair)
    html = client.get(f"/documents/{working.document_id}/meeting").get_data(as_text=True)
    assert 'data-zone="Asia/Tbilisi"' in html
    chosen = client.get(f"/documents/{working.document_id}/meeting?zone=Europe/Vienna")
    assert 'data-zone="Europe/Vienna"' in chosen.get_data(as_text=True)
    nonsense = client.get(f"/documents/{working.document_id}/meeting?zone=Mars/Olympus_Mons%22%3E")
    assert 'data-zone="Asia/Tbilisi"' in nonsense.get_data(as_text=True)


def test_the_paragraph_the_secretariat_opens_in_the_editor_is_highlighted_before_it_is_saved(
    client, auth, people, working
):
    auth.login(people.secretariat)
    uid = paragraph(working, "3.").uid
    assert client.post(f"/versions/{working.id}/edit/{uid}/opened", data={}).status_code == 204
    html = client.get(f"/documents/{working.document_id}/meeting/live").get_data(as_text=True)
    assert re.search(rf'room-changed" data-uid="{uid}"', html)
    assert "Paragraph 3. being edited by Secretariat of MDS" in html


def test_only_the_secretariat_tells_the_room_what_is_being_edited(client, auth, people, working):
    auth.login(people.aut)
    uid = paragraph(working, "3.").uid
    assert client.post(f"/versions/{working.id}/edit/{uid}/opened", data={}).status_code == 404
    auth.login(people.secretariat)
    gone = client.post(f"/versions/{working.id}/edit/{'0' * 32}/opened", data={})
    assert gone.status_code == 404


def test_once_the_draft_is_published_the_screen_moves_on_to_it(client, auth, people, working):
    from drafting.documents.publishing import publish_version

    auth.login(people.chair)
    since = revision_of(client.get(f"/documents/{working.document_id}/meeting"))
    publish_version(people.secretariat, working)
    db.session.commit()
    html = client.get(f"/documents/{working.document_id}/meeting/live?since={since}").get_data(
        as_text=True
    )
    assert 'data-bar-version=" · Draft 1"' in html and "· published" in html
