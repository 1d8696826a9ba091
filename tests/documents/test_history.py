"""The history page: every version the reader may see, newest first, who published it and
when, its hash and note, and links to each comparison."""

from __future__ import annotations

import re

import pytest

from drafting.documents.importing import import_version
from drafting.documents.publishing import publish_version
from drafting.extensions import db
from tests.consultations.conftest import DRAFT, people, published

__all__ = ["people", "published"]


@pytest.fixture
def drafts(people, published):
    """Zero draft and Draft 1 published (Draft 1 with a note), Draft 2 still working."""
    document = published.document
    draft_1 = import_version(None, document, DRAFT.replace("next year", "in 2031"), label="D1")
    publish_version(
        people.secretariat, draft_1, label="Draft 1", note="Paragraph 4 now has a *date*."
    )
    draft_2 = import_version(None, document, DRAFT.replace("next year", "soon"), label="Draft 2")
    db.session.commit()
    return published, draft_1, draft_2


def history(client, document_id: int) -> str:
    response = client.get(f"/documents/{document_id}/history")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def rows(page: str) -> list[str]:
    return re.findall(r'<tr id="version-(\d+)">', page)


def test_the_secretariat_sees_every_version_newest_first(client, auth, people, drafts):
    zero, draft_1, draft_2 = drafts
    auth.login(people.secretariat)
    page = history(client, zero.document_id)
    assert rows(page) == [str(draft_2.id), str(draft_1.id), str(zero.id)]
    assert "working draft" in page and "not yet" in page


def test_a_delegate_sees_published_versions_only(client, auth, people, drafts):
    zero, draft_1, draft_2 = drafts
    auth.login(people.aut)
    page = history(client, zero.document_id)
    assert rows(page) == [str(draft_1.id), str(zero.id)]
    assert "Draft 2" not in page


def test_who_published_when_the_hash_and_the_paragraph_count(client, auth, people, drafts):
    zero, draft_1, _ = drafts
    auth.login(people.aut)
    page = history(client, zero.document_id)
    assert f"by {people.secretariat.name}" in page
    assert '<time datetime="' in page
    assert f'<code title="{draft_1.text_hash}">{draft_1.text_hash[:12]}</code>' in page
    row = page[page.index(f'id="version-{draft_1.id}"') :]
    assert "<td>5</td>" in row  # four numbered and one unnumbered; no heading[: row.index("</tr>")]


def test_published_times_are_in_the_readers_zone(client, auth, people, drafts):
    people.aut.timezone = "Asia/Tokyo"
    db.session.commit()
    auth.login(people.aut)
    assert "(Asia/Tokyo)" in history(client, drafts[0].document_id)


def test_each_version_links_to_its_comparison_with_the_one_before(client, auth, people, drafts):
    zero, draft_1, draft_2 = drafts
    auth.login(people.secretariat)
    page = history(client, zero.document_id)
    doc = zero.document_id
    assert f"/documents/{doc}/compare?old={draft_1.id}&amp;new={draft_2.id}" in page
    assert f"/documents/{doc}/compare?old={zero.id}&amp;new={draft_1.id}" in page


def test_a_delegate_gets_comparisons_between_published_versions_only(client, auth, people, drafts):
    zero, draft_1, draft_2 = drafts
    auth.login(people.aut)
    page = history(client, zero.document_id)
    assert f"old={zero.id}&amp;new={draft_1.id}" in page
    assert f"new={draft_2.id}" not in page


def test_the_form_compares_any_two_versions(client, auth, people, drafts):
    zero, draft_1, draft_2 = drafts
    auth.login(people.secretariat)
    page = history(client, zero.document_id)
    assert f'action="/documents/{zero.document_id}/compare"' in page
    assert 'name="old"' in page and 'name="new"' in page
    response = client.get(
        f"/documents/{zero.document_id}/compare", query_string={"old": zero.id, "new": draft_2.id}
    )
    assert response.status_code == 200


def test_the_note_is_rendered_as_markdown(client, auth, people, drafts):
    auth.login(people.aut)
    assert "Paragraph 4 now has a <em>date</em>." in history(client, drafts[0].document_id)


def test_the_document_page_links_to_the_history(client, auth, people, drafts):
    auth.login(people.aut)
    document_id = drafts[0].document_id
    page = client.get(f"/documents/{document_id}").get_data(as_text=True)
    assert f'href="/documents/{document_id}/history"' in page


def test_someone_not_taking_part_gets_no_history(client, auth, create_user, drafts):
    outsider = create_user("delegate", "BRA")
    auth.login(outsider)
    assert client.get(f"/documents/{drafts[0].document_id}/history").status_code == 404


def test_a_note_that_got_past_the_checks_is_still_shown_harmlessly(client, auth, people, drafts):
    """Notes are refused with raw HTML or script links at publication; a note stored by other
    means (here on a working draft) still goes through the one sanitising renderer."""
    draft_2 = drafts[2]
    draft_2.note = "<script>alert(1)</script> [x](javascript:alert(2))"
    db.session.commit()
    auth.login(people.secretariat)
    page = history(client, draft_2.document_id)
    assert "<script>alert(1)" not in page and "javascript:" not in page
    assert "&lt;script&gt;" in page
