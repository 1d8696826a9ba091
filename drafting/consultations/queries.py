"""Loading a round and its text for the pages, in a fixed number of queries."""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import joinedload, selectinload

from drafting.consultations.models import Consultation, consultation_invitations
from drafting.database import known_members
from drafting.documents.models import Document, Paragraph, Version, document_participants
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


def load_round_to_write(consultation_id: int, delegation_id: int | None) -> Consultation | None:
    """The round with its version and document only, in one query, for a request that writes
    one delegation's comment. The same query asks whether that delegation takes part in the
    document and is invited to the round, and notes the answers where the policy reads them
    (Document.has_participant, Consultation.is_invited), instead of loading every participant
    and invitation; the operation reads the extensions under the round's lock."""
    takes_part, invited = writer_memberships(delegation_id)
    row = db.session.execute(
        select(Consultation, takes_part, invited)
        .where(Consultation.id == consultation_id)
        .options(joinedload(Consultation.version).joinedload(Version.document))
    ).first()
    if row is None:
        return None
    consultation = row.Consultation
    note_memberships(consultation, delegation_id, row.takes_part, row.invited)
    return consultation


def writer_memberships(delegation_id) -> tuple:
    """Whether the delegation ``delegation_id`` (a value or a column of the outer query) takes
    part in the round's document and is invited to the round: two EXISTS to select beside a
    Consultation, labelled takes_part and invited."""
    document_id = (
        select(Version.document_id)
        .where(Version.id == Consultation.version_id)
        .correlate(Consultation)  # the round of the outer query, two levels up
    )
    takes_part = exists().where(
        document_participants.c.document_id == document_id.scalar_subquery(),
        document_participants.c.delegation_id == delegation_id,
    )
    invited = exists().where(
        consultation_invitations.c.consultation_id == Consultation.id,
        consultation_invitations.c.delegation_id == delegation_id,
    )
    return takes_part.label("takes_part"), invited.label("invited")


def note_memberships(consultation: Consultation, delegation_id, takes_part, invited) -> None:
    """Note what writer_memberships answered where the policy reads it
    (Document.has_participant, Consultation.is_invited)."""
    if delegation_id is not None:
        participants = known_members(consultation.version.document, "participants")
        participants[delegation_id] = bool(takes_part)
        known_members(consultation, "invited")[delegation_id] = bool(invited)


def load_paragraphs(consultation: Consultation) -> list[Paragraph]:
    """The consulted version's paragraphs, in order."""
    return list(
        db.session.scalars(
            select(Paragraph)
            .where(Paragraph.version_id == consultation.version_id)
            .order_by(Paragraph.position)
        )
    )
