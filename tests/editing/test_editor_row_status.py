"""The editor's one row shows its paragraph's agreement status as the whole editor does, from
that paragraph's status alone: fetching a row reads as many statements and paragraphs in a
long draft as in a short one."""

from __future__ import annotations

from sqlalchemy import event

from drafting.documents.editing import open_working_draft
from drafting.documents.models import AgreementStatus, Paragraph
from drafting.documents.statuses import set_paragraph_status
from drafting.extensions import db
from tests.consultations.test_compilation import count_queries
from tests.editing.conftest import paragraph

HTMX = {"HX-Request": "true"}


def _row(client, draft, label: str) -> str:
    uid = paragraph(draft, label).uid
    response = client.get(f"/versions/{draft.id}/edit/{uid}", headers=HTMX)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_fetched_row_shows_the_status_carried_and_the_status_reset(
    client, auth, people, published
):
    for label in ("1.", "2."):
        set_paragraph_status(
            people.chair, published, paragraph(published, label), AgreementStatus.AD_REFERENDUM
        )
    draft = open_working_draft(people.secretariat, published, label="Draft 1")
    db.session.commit()
    auth.login(people.secretariat)
    uid = paragraph(draft, "2.").uid
    client.post(
        f"/versions/{draft.id}/edit/{uid}", data={"source": "2. New words.", "revision": "1"}
    )
    assert 'data-status="ad_referendum"' in _row(client, draft, "1.")
    edited = _row(client, draft, "2.")
    assert 'data-status="pending"' in edited
    assert "was agreed ad ref. in Zero draft; text changed" in edited
    assert 'data-status="pending"' in _row(client, draft, "3.")


def test_fetching_a_row_reads_as_much_in_a_long_draft_as_in_a_short_one(
    client, auth, people, published, create_document
):
    from tests.consultations.test_draft_in_parts import long_draft

    long_published = create_document(("Zero draft", long_draft(), True)).versions[0]
    drafts = [
        open_working_draft(people.secretariat, version, label="Draft 1")
        for version in (published, long_published)
    ]
    db.session.commit()
    auth.login(people.secretariat)
    rows = []
    for draft in drafts:
        url = f"/versions/{draft.id}/edit/{paragraph(draft, '2.').uid}"
        db.session.expire_all()
        loaded: list[int] = []

        def note(target, _context, loaded=loaded):
            loaded.append(target.id)

        event.listen(Paragraph, "load", note)
        try:
            with count_queries() as statements:
                html = client.get(url, headers=HTMX).get_data(as_text=True)
        finally:
            event.remove(Paragraph, "load", note)
        rows.append((len(statements), len(loaded), html.count('<li id="edit-')))
    assert rows[0] == rows[1] and rows[0][2] == 1, rows
