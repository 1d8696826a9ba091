"""Paragraph status in the pages: the chair marks from the draft page (one paragraph or several
ticked), a delegate sees the status but no form, refusals keep what was typed, and the editor,
the comparison and the document page show the statuses."""

from __future__ import annotations

from drafting.documents.models import AgreementStatus
from drafting.documents.statuses import marks_of, set_paragraph_status
from drafting.extensions import db
from tests.editing.conftest import paragraph


def test_the_chair_marks_a_paragraph_from_the_draft_page(client, auth, people, published):
    auth.login(people.chair)
    uid = paragraph(published, "3.").uid
    page = client.get(f"/versions/{published.id}").get_data(as_text=True)
    assert f'action="/versions/{published.id}/paragraphs/{uid}/status"' in page
    response = client.post(
        f"/versions/{published.id}/paragraphs/{uid}/status",
        data={"status": "ad_referendum", "note": "subject to capitals"},
    )
    assert response.status_code == 302
    page = client.get(f"/versions/{published.id}").get_data(as_text=True)
    assert "agreed ad ref." in page and "subject to capitals" in page


def test_a_delegate_sees_the_status_but_cannot_mark(client, auth, people, published):
    set_paragraph_status(
        people.chair, published, paragraph(published, "1."), AgreementStatus.AGREED
    )
    auth.login(people.aut)
    page = client.get(f"/versions/{published.id}").get_data(as_text=True)
    assert 'data-status="agreed"' in page and "Mark several paragraphs" not in page
    uid = paragraph(published, "2.").uid
    refused = client.post(
        f"/versions/{published.id}/paragraphs/{uid}/status", data={"status": "agreed"}
    )
    assert refused.status_code == 403 and "Only the chair" in refused.get_data(as_text=True)


def test_a_refused_note_is_kept_in_the_form(client, auth, people, published):
    auth.login(people.chair)
    uid = paragraph(published, "1.").uid
    note = "*" * 40 + "[" * 600
    response = client.post(
        f"/versions/{published.id}/paragraphs/{uid}/status", data={"status": "agreed", "note": note}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "at most 500" in html and "[[[[[[[[" in html
    assert marks_of(published) == {}


def test_the_secretariat_marks_several_paragraphs_and_the_document_page_counts_them(
    client, auth, people, published
):
    auth.login(people.secretariat)
    uids = [paragraph(published, label).uid for label in ("1.", "2.", "4.")]
    response = client.post(
        f"/versions/{published.id}/statuses", data={"status": "agreed", "uid": uids}
    )
    assert response.status_code == 302
    page = client.get(f"/documents/{published.document_id}").get_data(as_text=True)
    assert "3 of 5 paragraphs agreed (0 ad ref.)" in page


def test_marking_several_with_nothing_ticked_says_so(client, auth, people, published):
    auth.login(people.secretariat)
    response = client.post(f"/versions/{published.id}/statuses", data={"status": "agreed"})
    assert response.status_code == 422
    assert "tick the paragraphs" in response.get_data(as_text=True)


def test_an_edit_in_the_editor_shows_the_reset_and_publication_keeps_it(
    client, auth, people, published
):
    for label in ("1.", "2."):
        set_paragraph_status(
            people.chair, published, paragraph(published, label), AgreementStatus.AD_REFERENDUM
        )
    auth.login(people.secretariat)
    client.post(f"/versions/{published.id}/next-draft", data={"label": "Draft 1"})
    draft = published.document.versions[-1]
    uid = paragraph(draft, "2.").uid
    client.post(
        f"/versions/{draft.id}/edit/{uid}", data={"source": "2. New words.", "revision": "1"}
    )
    editor = client.get(f"/versions/{draft.id}/edit").get_data(as_text=True)
    assert "was agreed ad ref. in Zero draft; text changed" in editor
    client.post(f"/versions/{draft.id}/publish", data={"label": "Draft 1", "confirm": "y"})
    db.session.expire_all()
    marks = marks_of(draft)
    assert draft.is_published and marks[uid].reset_from is AgreementStatus.AD_REFERENDUM
    assert marks[paragraph(draft, "1.").uid].status is AgreementStatus.AD_REFERENDUM
    assert paragraph(draft, "3.").uid not in marks


def test_the_comparison_shows_the_newer_drafts_status(client, auth, people, published):
    set_paragraph_status(
        people.chair, published, paragraph(published, "4."), AgreementStatus.AGREED
    )
    auth.login(people.secretariat)
    client.post(f"/versions/{published.id}/next-draft", data={"label": "Draft 1"})
    draft = published.document.versions[-1]
    page = client.get(
        f"/documents/{published.document_id}/compare?old={published.id}&new={draft.id}"
    ).get_data(as_text=True)
    assert 'data-status="agreed"' in page and "since Zero draft" in page


def test_the_compilation_shows_each_paragraphs_status(client, auth, people, published, open_round):
    consultation = open_round()
    set_paragraph_status(
        people.chair, published, paragraph(published, "3."), AgreementStatus.AD_REFERENDUM
    )
    auth.login(people.secretariat)
    page = client.get(f"/consultations/{consultation.id}/compilation").get_data(as_text=True)
    assert 'data-status="ad_referendum"' in page


def test_a_paragraph_marked_on_the_working_draft_then_edited_is_reset(
    client, auth, people, working
):
    uid = paragraph(working, "1.").uid
    set_paragraph_status(people.chair, working, paragraph(working, "1."), AgreementStatus.AGREED)
    auth.login(people.secretariat)
    client.post(f"/versions/{working.id}/edit/{uid}", data={"source": "1. Other.", "revision": "1"})
    db.session.expire_all()
    mark = marks_of(working)[uid]
    assert mark.status is AgreementStatus.PENDING and mark.reset_reason.startswith("was agreed")
