"""Documents under negotiation, their versions (drafts) and the paragraphs of each version."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import (
    JSON,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
    inspect,
    text,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from drafting.auth.models import Delegation, User
from drafting.database import UTCDateTime, db_enum, has_member, utcnow
from drafting.extensions import N_, db
from drafting.text.draft_format import MAX_LABEL_LENGTH, Block, canonical_hash

# What the database triggers say when they refuse a change (installed by the first migration).
FROZEN_MESSAGE = "published version is frozen"


class FrozenVersionError(Exception):
    """A published version, or one of its paragraphs, was about to change."""


class VersionStatus(enum.StrEnum):
    WORKING = "working"
    PUBLISHED = "published"


class ParagraphKind(enum.StrEnum):
    TITLE = "title"
    HEADING = "heading"
    PARAGRAPH = "paragraph"


def new_uid() -> str:
    return uuid.uuid4().hex


document_participants = Table(
    "document_participants",
    db.metadata,
    Column("document_id", ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("delegation_id", ForeignKey("delegations.id", ondelete="CASCADE"), primary_key=True),
)


class Document(db.Model):
    """One text under negotiation, e.g. a ministerial declaration, and who takes part in it."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    # The original's language (ISO 639-1); translations of its versions are in others.
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    participants: Mapped[list[Delegation]] = relationship(
        secondary=document_participants, order_by=Delegation.name
    )
    versions: Mapped[list[Version]] = relationship(
        back_populates="document", order_by="Version.id", cascade="all, delete-orphan"
    )

    @property
    def published_versions(self) -> list[Version]:
        return [v for v in self.versions if v.is_published]

    @property
    def latest_published(self) -> Version | None:
        published = self.published_versions
        return published[-1] if published else None

    def has_participant(self, delegation_id: int | None) -> bool:
        """Whether the delegation takes part (see has_member: no loading of every participant
        when ``participants`` is not loaded)."""
        return has_member(self, "participants", document_participants, "document_id", delegation_id)

    def __repr__(self) -> str:
        return f"<Document {self.id} {self.title!r}>"


class Version(db.Model):
    """One draft of a document: working until published, then frozen for good."""

    __tablename__ = "versions"
    __table_args__ = (
        UniqueConstraint("document_id", "label"),
        Index("uq_versions_document_id_label_ci", "document_id", text("lower(label)"), unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    label: Mapped[str] = mapped_column(String(100))
    status: Mapped[VersionStatus] = mapped_column(
        db_enum(VersionStatus), default=VersionStatus.WORKING
    )
    based_on_id: Mapped[int | None] = mapped_column(ForeignKey("versions.id"))
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    text_hash: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="", server_default="")  # to the delegations

    document: Mapped[Document] = relationship(back_populates="versions")
    based_on: Mapped[Version | None] = relationship(remote_side=[id])
    published_by: Mapped[User | None] = relationship(foreign_keys=[published_by_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    paragraphs: Mapped[list[Paragraph]] = relationship(
        back_populates="version", order_by="Paragraph.position", cascade="all, delete-orphan"
    )

    @property
    def is_published(self) -> bool:
        return self.status == VersionStatus.PUBLISHED

    @property
    def blocks(self) -> list[Block]:
        return [p.block for p in self.paragraphs]

    @property
    def title(self) -> str:
        return self.document.title

    def compute_hash(self) -> str:
        return canonical_hash(self.blocks)

    def __repr__(self) -> str:
        return f"<Version {self.id} {self.label!r} {self.status}>"


class Paragraph(db.Model):
    """A block of a version. ``uid`` is its stable identity from one version to the next."""

    __tablename__ = "paragraphs"
    __table_args__ = (
        UniqueConstraint("version_id", "position"),
        UniqueConstraint("version_id", "uid"),
        Index("ix_paragraphs_uid", "uid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id"))
    uid: Mapped[str] = mapped_column(String(32), default=new_uid)
    position: Mapped[int]
    kind: Mapped[ParagraphKind] = mapped_column(db_enum(ParagraphKind))
    level: Mapped[int] = mapped_column(default=0)
    label: Mapped[str | None] = mapped_column(String(MAX_LABEL_LENGTH))
    label_bold: Mapped[bool] = mapped_column(default=False)
    text: Mapped[str] = mapped_column(Text)
    # Each save in a working draft says which revision it was based on; see documents.editing.
    revision: Mapped[int] = mapped_column(default=1, server_default="1")
    # The identities a split part or a merged paragraph came from (None: it continues its uid).
    derived_from: Mapped[list[str] | None] = mapped_column(JSON)
    edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    edited_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)

    version: Mapped[Version] = relationship(back_populates="paragraphs")
    edited_by: Mapped[User | None] = relationship(foreign_keys=[edited_by_id])

    @property
    def block(self) -> Block:
        return Block(
            kind=self.kind.value,
            text=self.text,
            level=self.level,
            label=self.label,
            label_bold=self.label_bold,
        )

    @property
    def anchor(self) -> str:
        return f"p-{self.uid[:12]}"

    @property
    def is_heading(self) -> bool:
        return self.kind != ParagraphKind.PARAGRAPH

    @classmethod
    def from_block(cls, block: Block, position: int, uid: str | None = None) -> Paragraph:
        return cls(
            uid=uid or new_uid(),
            position=position,
            kind=ParagraphKind(block.kind),
            level=block.level,
            label=block.label,
            label_bold=block.label_bold,
            text=block.text,
        )


def _was_published(version: Version) -> bool:
    """Whether the version was published in the database before this flush."""
    state = inspect(version)
    if state.pending:
        return False
    history = state.attrs.status.history
    original = history.deleted[0] if history.deleted else version.status
    return original == VersionStatus.PUBLISHED


def _is_frozen(version: Version | None) -> bool:
    """A stored version that is published, or is being published in this very flush."""
    if version is None or inspect(version).pending:
        return False
    return version.is_published or _was_published(version)


def _versions_of(session: Session, paragraph: Paragraph) -> list[Version | None]:
    """The version a paragraph belongs to now and, if it is being moved, the one it left."""
    versions = [paragraph.version]
    for attribute in ("version_id", "version"):
        for old in inspect(paragraph).attrs[attribute].history.deleted:
            versions.append(old if isinstance(old, Version) else session.get(Version, old))
    return versions


@event.listens_for(Session, "before_flush")
def _refuse_changes_to_published(session: Session, _context, _instances) -> None:
    """The model-layer guard; database triggers are the second one (see the first migration)."""
    for obj in [*session.dirty, *session.deleted]:
        if obj not in session.deleted and not session.is_modified(obj):
            continue
        if isinstance(obj, Version) and _was_published(obj):
            raise FrozenVersionError(f"{obj.label} is published and cannot change.")
        if isinstance(obj, Paragraph):
            for version in _versions_of(session, obj):
                if _is_frozen(version):
                    raise FrozenVersionError(
                        f"{version.label} is published: its paragraphs cannot change."
                    )
    for obj in session.new:
        if isinstance(obj, Paragraph) and _is_frozen(obj.version):
            raise FrozenVersionError(
                f"{obj.version.label} is published: no paragraph can be added."
            )


class AgreementStatus(enum.StrEnum):
    """How far the room has agreed a paragraph, as negotiators mark it in the margin."""

    PENDING = "pending"
    AD_REFERENDUM = "ad_referendum"  # agreed subject to capitals' confirmation
    AGREED = "agreed"

    @property
    def title(self) -> str:
        return {
            "pending": N_("Pending"),
            "ad_referendum": N_("Agreed ad ref."),
            "agreed": N_("Agreed"),
        }[self.value]


class ParagraphStatus(db.Model):
    """The agreement status of one paragraph in one version (absent: pending).

    A record about a version, not part of its text: it may be set on a published version (the
    draft on the table) without changing that version's frozen paragraphs or hash.
    ``carried_from_version_id`` says the status came over from an earlier draft whose text of
    this paragraph was the same; ``reset_from`` keeps the status a changed paragraph had before.
    """

    __tablename__ = "paragraph_statuses"
    __table_args__ = (UniqueConstraint("version_id", "paragraph_uid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id", ondelete="CASCADE"))
    paragraph_uid: Mapped[str] = mapped_column(String(32))
    status: Mapped[AgreementStatus] = mapped_column(db_enum(AgreementStatus))
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    carried_from_version_id: Mapped[int | None] = mapped_column(ForeignKey("versions.id"))
    reset_from: Mapped[AgreementStatus | None] = mapped_column(db_enum(AgreementStatus))
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    set_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    version: Mapped[Version] = relationship(foreign_keys=[version_id])
    set_by: Mapped[User | None] = relationship(foreign_keys=[set_by_id])

    def __repr__(self) -> str:
        return f"<ParagraphStatus {self.version_id}/{self.paragraph_uid[:8]} {self.status}>"
