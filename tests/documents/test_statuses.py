"""Paragraph status recorded per version and paragraph, audited, pending by default."""

from drafting.audit.models import AuditEvent
from drafting.documents.models import AgreementStatus
from drafting.documents.statuses import set_paragraph_status, status_counts, status_of, statuses_of
from drafting.extensions import db


def test_a_paragraph_is_pending_until_marked_and_marking_is_audited(
    create_document, create_user, sample_source
):
    chair = create_user("chair", code="CHR")
    version = create_document(("Zero draft", sample_source, True)).versions[0]
    paragraph = next(p for p in version.paragraphs if p.label == "1.")
    assert status_of(statuses_of(version), paragraph.uid) is AgreementStatus.PENDING
    set_paragraph_status(chair, version, paragraph, AgreementStatus.AD_REFERENDUM)
    db.session.commit()
    assert status_of(statuses_of(version), paragraph.uid) is AgreementStatus.AD_REFERENDUM
    assert status_counts(version)[AgreementStatus.AD_REFERENDUM] == 1
    assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "paragraph.status"))
