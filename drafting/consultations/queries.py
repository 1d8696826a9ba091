"""Loading a round and its text for the pages, in a fixed number of queries."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from drafting.consultations.models import Consultation
from drafting.documents.models import Document, Paragraph, Version
from drafting.extensions import db


def load_round(consultation_id: int, *, with_versions: bool = False) -> Consultation | None:
    """The round with what the policy reads of it (its version, document and participants,
    extensions and invitations), and the document's versions too when the page lists them."""
    document = joinedload(Consultation.version).joinedload(Version.document)
    options = [
        document.selectinload(Document.participants),
        selectinload(Consultation.extensions),
        selectinload(Consultation.invited),
    ]
    if with_versions:
        options.append(document.selectinload(Document.versions))
    return db.session.scalar(
        select(Consultation).where(Consultation.id == consultation_id).options(*options)
    )


def load_paragraphs(consultation: Consultation) -> list[Paragraph]:
    """The consulted version's paragraphs, in order."""
    return list(
        db.session.scalars(
            select(Paragraph)
            .where(Paragraph.version_id == consultation.version_id)
            .order_by(Paragraph.position)
        )
    )
