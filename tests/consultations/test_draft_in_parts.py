"""A long draft with its comments is read in parts: the first part first, every other part by a
plain link, the filters and counts over the whole draft."""

from __future__ import annotations

import uuid

import pytest

from drafting.consultations.commenting import create_comment
from drafting.extensions import db
from tests.consultations.conftest import delegation, paragraph


def long_draft(paragraphs: int = 200, every: int = 25) -> str:
    blocks = ["# A Long Declaration"]
    for number in range(1, paragraphs + 1):
        if number % every == 1:
            blocks.append(f"## Part {number // every + 1}")
        blocks.append(f"{number}. We say thing number {number} of the declaration.")
    return "\n\n".join(blocks) + "\n"


@pytest.fixture
def long_round(create_document, people, open_round):
    """A published draft of 200 paragraphs in sections of 25, an open round, and AUT's
    comments on paragraphs 1. and 180. and on the whole text."""
    participants = [delegation(c) for c in ("AUT", "PAK", "TUR")]
    document = create_document(("Zero draft", long_draft(), True), participants=participants)
    version = document.versions[0]
    consultation = open_round(version=version, visibility="open")

    def send(kind, label, body):
        uid = paragraph(version, label).uid if label else None
        create_comment(
            people.aut,
            consultation,
            kind=kind,
            paragraph_uid=uid,
            body=body,
            form_token=uuid.uuid4().hex,
            submit=True,
        )

    send("paragraph", "1.", "Austria on the first paragraph.")
    send("paragraph", "180.", "Austria on paragraph one hundred and eighty.")
    send("general", None, "Austria on the whole text.")
    db.session.commit()
    return consultation


def page(client, consultation, query: str = "") -> str:
    response = client.get(f"/consultations/{consultation.id}/draft{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_long_draft_shows_its_first_part_and_links_the_next(client, auth, people, long_round):
    auth.login(people.pak)
    html = page(client, long_round)
    assert "thing number 1 of" in html and "Austria on the first paragraph." in html
    assert "thing number 180 of" not in html and "one hundred and eighty" not in html
    assert f'href="/consultations/{long_round.id}/draft?part=2"' in html


def test_every_part_is_reached_by_a_plain_link(client, auth, people, long_round):
    auth.login(people.pak)
    first = page(client, long_round)
    assert "?part=8" in first
    html = page(client, long_round, "?part=8")
    assert "thing number 180 of" in html and "one hundred and eighty" in html
    assert "thing number 1 of" not in html


def test_the_filter_counts_every_part(client, auth, people, long_round):
    auth.login(people.pak)
    html = page(client, long_round, "?delegation=AUT")
    assert "3 comments match the filter" in html
    assert "Austria on the first paragraph." in html


def test_only_commented_paragraphs_come_from_every_part(client, auth, people, long_round):
    auth.login(people.pak)
    html = page(client, long_round, "?only=commented")
    assert "on 2 of 209 paragraphs" in html
    assert "thing number 1 of" in html and "thing number 180 of" in html


def test_a_link_to_a_paragraph_opens_its_part(client, auth, people, long_round):
    auth.login(people.pak)
    anchor = paragraph(long_round.version, "180.").anchor
    html = page(client, long_round, f"?at={anchor}")
    assert f'id="{anchor}"' in html and "one hundred and eighty" in html


def test_the_general_comments_are_a_part_of_their_own(client, auth, people, long_round):
    auth.login(people.pak)
    assert "Austria on the whole text." not in page(client, long_round)
    html = page(client, long_round, "?part=general")
    assert "Austria on the whole text." in html and "thing number 1 of" not in html


def test_a_part_that_is_not_there_is_not_found(client, auth, people, long_round):
    auth.login(people.pak)
    assert client.get(f"/consultations/{long_round.id}/draft?part=99").status_code == 404
