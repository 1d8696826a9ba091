"""Every title the forms accept downloads in every format; invisible characters (control
characters, direction overrides) are refused in every name and title with a clear message."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from drafting.api.operations import TokenError, create_token
from drafting.auth.operations import PeopleError, create_delegation, create_user
from drafting.consultations import commenting, rounds
from drafting.consultations.refusals import ConsultationError
from drafting.documents.editing import open_working_draft
from drafting.documents.importing import import_version
from drafting.documents.operations import DocumentError, create_document
from drafting.extensions import db
from drafting.text.inline import core_property
from tests.consultations import conftest as round_fixtures
from tests.consultations.conftest import DRAFT, delegation, paragraph

# The fixtures of tests/consultations: people of each role, a published zero draft.
people, published = round_fixtures.people, round_fixtures.published

WORDS = " ".join(["Ministerial"] * 27)[:299]  # 299 characters, as a person would write them
TITLES = {
    "299 characters of words": WORDS,
    "300 characters of one word": "M" * 300,
    "quotes and separators": "The \"Vienna\"; filename=evil.exe / \\ % 100% ; 'quoted'",
    "other scripts": "إعلان فيينا — 维也纳宣言 — Déclaration de Vienne 🕊",
}


def _download_routes(published, consultation, later) -> list[str]:
    document = published.document
    return [
        f"/versions/{published.id}.docx",
        f"/versions/{published.id}.pdf",
        f"/versions/{published.id}.md",
        f"/documents/{document.id}/compare.docx?old={published.id}&new={later.id}",
        f"/consultations/{consultation.id}/compilation.docx?layout=table",
        f"/consultations/{consultation.id}/compilation.docx?layout=text",
        f"/consultations/{consultation.id}/compilation.csv",
    ]


@pytest.mark.parametrize("title", TITLES.values(), ids=TITLES.keys())
def test_every_accepted_title_downloads_in_every_format(client, auth, people, published, title):
    published.document.title = title
    consultation = _round(published, title[:200])
    commenting.create_comment(
        people.aut,
        consultation,
        kind="paragraph",
        body="Fine.",
        submit=True,
        paragraph_uid=paragraph(published, "1.").uid,
    )
    later = import_version(
        None, published.document, f"# {title}\n\n{DRAFT}", label="Draft 1", publish=True
    )
    db.session.commit()
    auth.login(people.secretariat)
    for url in _download_routes(published, consultation, later):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Content-Disposition"].startswith("attachment"), url


def _round(version, title):
    now = datetime.now(UTC)
    return rounds.open_consultation(
        None,
        version,
        title=title,
        opens_dt=now - timedelta(hours=1),
        closes_dt=now + timedelta(days=1),
        timezone="UTC",
        invited=[delegation("AUT")],
        visibility="open",
        late_rule="refuse",
    )


def test_word_properties_are_cut_at_a_word_boundary():
    cut = core_property(WORDS)
    assert len(cut) <= 255 and cut.endswith("Ministerial\u2026")
    assert core_property("M" * 300) == "M" * 254 + "\u2026"


INVISIBLE = ["\x07", "\x1b[31m", "\r\nSet-Cookie: x=1", "\x85", "\u202e", "\u2066"]


@pytest.mark.parametrize("bad", INVISIBLE, ids=repr)
def test_every_name_and_title_refuses_invisible_characters(app, people, published, bad):
    name = f"Vienna{bad}Declaration"
    refusals = [
        (DocumentError, lambda: create_document(None, title=name, participants=[])),
        (DocumentError, lambda: import_version(None, published.document, DRAFT, label=name)),
        (DocumentError, lambda: open_working_draft(None, published, label=name)),
        (PeopleError, lambda: create_delegation(None, name=name, code="JOR", kind="state")),
        (
            PeopleError,
            lambda: create_delegation(None, name="Jordan", code=f"J{bad}R", kind="state"),
        ),
        (
            PeopleError,
            lambda: create_user(
                None,
                email="n@example.org",
                name=name,
                role="delegate",
                delegation=delegation("AUT"),
                password="a long enough password",
            ),
        ),
        (TokenError, lambda: create_token(people.aut, name)),
        (ConsultationError, lambda: _round(published, name)),
    ]
    for error, attempt in refusals:
        with pytest.raises(error, match="invisible control character"):
            attempt()


def test_the_new_document_form_refuses_a_control_character_and_keeps_the_title(
    client, auth, people
):
    auth.login(people.secretariat)
    response = client.post("/documents/new", data={"title": "Vienna\x07Declaration"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "invisible control character (U+0007)" in page
    assert 'value="Vienna' in page


def _name_forms(published) -> list[tuple[str, dict]]:
    bad = "Vienna\x07Declaration"
    return [
        ("/documents/new", {"title": bad}),
        (f"/documents/{published.document.id}/import", {"label": bad}),
        (f"/versions/{published.id}/next-draft", {"label": bad}),
        ("/people/delegations", {"name": bad, "code": "JOR", "kind": "state"}),
        ("/people/users", {"name": bad, "email": "n@example.org", "role": "observer"}),
        ("/settings/tokens", {"name": bad}),
    ]


def test_every_name_form_explains_a_control_character_and_keeps_what_was_typed(
    client, auth, people, published
):
    auth.login(people.secretariat)
    for url, fields in _name_forms(published):
        response = client.post(url, data=fields)
        assert response.status_code == 422, url
        page = response.get_data(as_text=True)
        assert "invisible control character (U+0007)" in page, url
        assert 'value="Vienna' in page, url
