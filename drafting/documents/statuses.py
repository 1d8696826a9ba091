"""Paragraph status: pending, agreed ad referendum or agreed, marked by the chair or the
secretariat on a version's paragraphs (see ParagraphStatus)."""

from __future__ import annotations

from collections import Counter

from drafting.audit.operations import record_event
from drafting.auth.models import User
from drafting.documents.models import AgreementStatus, Paragraph, ParagraphStatus, Version
from drafting.extensions import db


def statuses_of(version: Version) -> dict[str, ParagraphStatus]:
    """The recorded status of each paragraph uid of the version (a uid absent is pending)."""
    rows = db.session.scalars(
        db.select(ParagraphStatus).where(ParagraphStatus.version_id == version.id)
    )
    return {row.paragraph_uid: row for row in rows}


def status_of(statuses: dict[str, ParagraphStatus], uid: str) -> AgreementStatus:
    row = statuses.get(uid)
    return row.status if row is not None else AgreementStatus.PENDING


def status_counts(version: Version) -> Counter[AgreementStatus]:
    """How many of the version's numbered paragraphs (not headings) have each status."""
    statuses = statuses_of(version)
    return Counter(status_of(statuses, p.uid) for p in version.paragraphs if not p.is_heading)


def set_paragraph_status(
    actor: User, version: Version, paragraph: Paragraph, status: AgreementStatus, note: str = ""
) -> ParagraphStatus:
    """Mark a paragraph of the version; flushes, the request commits."""
    row = db.session.scalar(
        db.select(ParagraphStatus).where(
            ParagraphStatus.version_id == version.id,
            ParagraphStatus.paragraph_uid == paragraph.uid,
        )
    )
    before = row.status if row is not None else AgreementStatus.PENDING
    if row is None:
        row = ParagraphStatus(version_id=version.id, paragraph_uid=paragraph.uid, status=status)
        db.session.add(row)
    row.status, row.note, row.set_by_id = status, note, actor.id
    row.carried_from_version_id = None
    row.reset_from = None
    db.session.flush()
    record_event(
        actor,
        "paragraph.status",
        version,
        paragraph_uid=paragraph.uid,
        label=paragraph.label,
        before=before.value,
        after=status.value,
    )
    return row
