"""Paragraph status, end to end: the chair or the secretariat marks, a delegate is refused, the
status is carried into the next draft while a paragraph's text is the same and reset (visibly)
when it changes."""

from __future__ import annotations

import pytest

from drafting.audit.models import AuditEvent
from drafting.auth.policy import NotAllowed
from drafting.documents.editing import edit_paragraph, open_working_draft
from drafting.documents.models import AgreementStatus, Version
from drafting.documents.publishing import publish_version
from drafting.documents.statuses import (
    StatusError,
    count_line,
    marks_of,
    set_paragraph_status,
    set_paragraph_statuses,
    statuses_of,
)
from drafting.extensions import db
from tests.editing.conftest import paragraph

AD_REF, AGREED, PENDING = (
    AgreementStatus.AD_REFERENDUM,
    AgreementStatus.AGREED,
    AgreementStatus.PENDING,
)


def test_the_chair_marks_a_paragraph_and_the_document_counts_it(people, published):
    set_paragraph_status(people.chair, published, paragraph(published, "1."), AD_REF, "capitals")
    set_paragraph_status(people.secretariat, published, paragraph(published, "2."), AGREED)
    db.session.commit()
    assert count_line(published) == "2 of 5 paragraphs agreed (1 ad ref.)"
    assert marks_of(published)[paragraph(published, "1.").uid].note == "capitals"


def test_a_delegate_cannot_mark_a_paragraph(people, published):
    with pytest.raises(NotAllowed, match="Only the chair and the secretariat"):
        set_paragraph_status(people.aut, published, paragraph(published, "1."), AGREED)
    assert statuses_of(published) == {}


def test_a_heading_and_a_note_with_control_characters_are_refused(people, published):
    heading = next(p for p in published.paragraphs if p.kind.value == "heading")
    with pytest.raises(StatusError, match="heading"):
        set_paragraph_status(people.chair, published, heading, AGREED)
    with pytest.raises(StatusError, match="control character"):
        set_paragraph_status(people.chair, published, paragraph(published, "1."), AGREED, "a\x07")
    with pytest.raises(StatusError, match="at most"):
        set_paragraph_status(people.chair, published, paragraph(published, "1."), AGREED, "[" * 600)


def test_marking_several_paragraphs_at_once_is_all_or_nothing(people, published):
    uids = [paragraph(published, label).uid for label in ("1.", "3.")]
    with pytest.raises(StatusError, match="not a paragraph"):
        set_paragraph_statuses(people.chair, published, [*uids, "nonsense"], AGREED)
    set_paragraph_statuses(people.chair, published, uids, AGREED)
    db.session.commit()
    assert count_line(published) == "2 of 5 paragraphs agreed (0 ad ref.)"


def test_the_next_draft_carries_every_status(people, published):
    set_paragraph_status(people.chair, published, paragraph(published, "1."), AD_REF)
    draft = open_working_draft(people.secretariat, published, label="Draft 1")
    db.session.commit()
    row = statuses_of(draft)[paragraph(draft, "1.").uid]
    assert row.status is AD_REF and row.carried_from_version_id == published.id
    assert marks_of(draft)[row.paragraph_uid].carried_from == "Zero draft"


def test_a_changed_paragraph_is_reset_at_publication_and_an_unchanged_one_carried(
    people, published
):
    for label in ("1.", "2."):
        set_paragraph_status(people.chair, published, paragraph(published, label), AGREED)
    draft = open_working_draft(people.secretariat, published, label="Draft 1")
    paragraph(draft, "2.").text = "We will cooperate on orderly pathways."
    publish_version(people.secretariat, draft)
    db.session.commit()
    marks = marks_of(draft)
    assert marks[paragraph(draft, "1.").uid].status is AGREED
    changed = marks[paragraph(draft, "2.").uid]
    assert changed.status is PENDING and changed.reset_from is AGREED
    assert changed.reset_reason == "was agreed in Zero draft; text changed"
    event = db.session.scalar(
        db.select(AuditEvent)
        .where(AuditEvent.action == "paragraph.statuses_carried")
        .order_by(AuditEvent.id.desc())
    )
    assert event.details["reset"] == ["2."] and event.details["carried"] == []


def test_a_status_marked_on_a_published_draft_leaves_its_hash_alone(people, published):
    before = published.text_hash
    set_paragraph_status(people.chair, published, paragraph(published, "4."), AGREED)
    db.session.commit()
    assert db.session.get(Version, published.id).compute_hash() == before


def test_a_paragraph_marked_again_after_its_edit_keeps_the_new_marking(people, working):
    uid = paragraph(working, "1.").uid
    set_paragraph_status(people.chair, working, paragraph(working, "1."), AGREED)
    edit_paragraph(people.secretariat, working, uid, source="1. New words.", base_revision=1)
    assert marks_of(working)[uid].reset_from is AGREED
    set_paragraph_status(people.chair, working, paragraph(working, "1."), AD_REF)
    assert marks_of(working)[uid].status is AD_REF
