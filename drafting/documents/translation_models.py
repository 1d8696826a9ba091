"""Language versions: a translation of a version, aligned on the original's paragraph identities.

Each translated paragraph records ``source_hash``, the SHA-256 of the original paragraph's text it
translates. A hash rather than the paragraph's ``revision``: revisions count saves inside one
working draft and start again in the next, while the text is what the translator read, so a
paragraph carried unchanged into the next draft (or only renumbered) keeps a valid translation,
and one whose text changed is out of date until updated, whatever route the change took.
"""

from __future__ import annotations

import enum
import hashlib
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, event, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from drafting.auth.models import User
from drafting.database import UTCDateTime, db_enum, utcnow
from drafting.documents.models import FrozenVersionError, Version
from drafting.extensions import db


def source_hash(text: str) -> str:
    """What a translated paragraph remembers of the original text it translates."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class TranslationStatus(enum.StrEnum):
    WORKING = "working"
    PUBLISHED = "published"


class Translation(db.Model):
    """One version in one other language: working until published, then frozen."""

    __tablename__ = "translations"
    __table_args__ = (UniqueConstraint("version_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id"), index=True)
    language: Mapped[str] = mapped_column(String(8))
    status: Mapped[TranslationStatus] = mapped_column(
        db_enum(TranslationStatus), default=TranslationStatus.WORKING
    )
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    version: Mapped[Version] = relationship()
    published_by: Mapped[User | None] = relationship(foreign_keys=[published_by_id])
    paragraphs: Mapped[list[TranslatedParagraph]] = relationship(
        back_populates="translation",
        order_by="TranslatedParagraph.id",
        cascade="all, delete-orphan",
    )

    @property
    def is_published(self) -> bool:
        return self.status == TranslationStatus.PUBLISHED

    def by_uid(self) -> dict[str, TranslatedParagraph]:
        return {p.paragraph_uid: p for p in self.paragraphs}

    def __repr__(self) -> str:
        return f"<Translation {self.version_id} {self.language} {self.status}>"


class TranslatedParagraph(db.Model):
    """The translation of one original paragraph (by its stable ``uid``)."""

    __tablename__ = "translated_paragraphs"
    __table_args__ = (UniqueConstraint("translation_id", "paragraph_uid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    translation_id: Mapped[int] = mapped_column(ForeignKey("translations.id", ondelete="CASCADE"))
    paragraph_uid: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    source_hash: Mapped[str] = mapped_column(String(64))
    edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    edited_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    translation: Mapped[Translation] = relationship(back_populates="paragraphs")

    def translates(self, original_text: str) -> bool:
        """Whether this is a translation of that very text (else it is out of date)."""
        return self.source_hash == source_hash(original_text)


def _was_published(translation: Translation | None) -> bool:
    if translation is None or inspect(translation).pending:
        return False
    history = inspect(translation).attrs.status.history
    original = history.deleted[0] if history.deleted else translation.status
    return original == TranslationStatus.PUBLISHED


@event.listens_for(Session, "before_flush")
def _refuse_changes_to_published_translations(session: Session, _context, _instances) -> None:
    """A published translation is frozen like a published version."""
    for obj in [*session.dirty, *session.deleted, *session.new]:
        if obj in session.dirty and not session.is_modified(obj):
            continue
        if isinstance(obj, Translation) and _was_published(obj):
            raise FrozenVersionError(f"The {obj.language} translation is published.")
        if isinstance(obj, TranslatedParagraph) and _was_published(obj.translation):
            raise FrozenVersionError("A published translation cannot change.")
