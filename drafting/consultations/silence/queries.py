"""What is known of a document's or a version's silence procedures, in one query each."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from drafting.consultations.silence.models import (
    Adoption,
    SilenceBreak,
    SilenceProcedure,
    SilenceState,
)
from drafting.database import utcnow
from drafting.documents.models import Version
from drafting.extensions import db


def silences_of_document(document_id: int) -> list[SilenceProcedure]:
    """Every silence procedure on the document's versions, latest first, with its statements."""
    return list(
        db.session.scalars(
            select(SilenceProcedure)
            .join(SilenceProcedure.version)
            .where(Version.document_id == document_id)
            .options(selectinload(SilenceProcedure.breaks).joinedload(SilenceBreak.user))
            .order_by(SilenceProcedure.id.desc())
        )
    )


def silences_of_version(version_id: int) -> list[SilenceProcedure]:
    return list(
        db.session.scalars(
            select(SilenceProcedure)
            .where(SilenceProcedure.version_id == version_id)
            .options(selectinload(SilenceProcedure.breaks).joinedload(SilenceBreak.user))
            .order_by(SilenceProcedure.id.desc())
        )
    )


def running_silence(document_id: int) -> SilenceProcedure | None:
    """The silence procedure running on one of the document's versions, if any (one at most)."""
    return db.session.scalar(
        select(SilenceProcedure)
        .join(SilenceProcedure.version)
        .where(Version.document_id == document_id, SilenceProcedure.state == SilenceState.RUNNING)
        .order_by(SilenceProcedure.id.desc())
        .limit(1)
    )


def adoption_of(document_id: int) -> Adoption | None:
    """The document's adopted version, if one was adopted."""
    return db.session.scalar(
        select(Adoption).join(Adoption.version).where(Version.document_id == document_id)
    )


def adoption_of_version(version_id: int) -> Adoption | None:
    return db.session.scalar(select(Adoption).where(Adoption.version_id == version_id))


def due_silences(document_id: int | None = None, version_id: int | None = None) -> list[int]:
    """The ids of running silence procedures whose deadline has passed by the server's clock
    (read without a lock: settling each locks it and decides again)."""
    stmt = (
        select(SilenceProcedure.id)
        .join(SilenceProcedure.version)
        .where(SilenceProcedure.state == SilenceState.RUNNING)
        .where(SilenceProcedure.deadline_dt <= utcnow())
        .order_by(SilenceProcedure.id)
    )
    if document_id is not None:
        stmt = stmt.where(Version.document_id == document_id)
    if version_id is not None:
        stmt = stmt.where(SilenceProcedure.version_id == version_id)
    return list(db.session.scalars(stmt))
