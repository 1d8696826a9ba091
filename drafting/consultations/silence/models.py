"""A silence procedure on a published version, the statements that break it, and the adoption
that ends it when no one has broken it by its deadline."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from drafting.auth.models import Delegation, User
from drafting.database import UTCDateTime, db_enum, utcnow
from drafting.documents.models import Version
from drafting.extensions import N_, db

# What the database triggers say when something tries to change or remove an adoption.
ADOPTION_FINAL = "an adoption cannot be undone"


class SilenceState(enum.StrEnum):
    RUNNING = "running"  # until its deadline, unless a delegation breaks it
    BROKEN = "broken"  # a delegation broke it: the text is back in negotiation
    ADOPTED = "adopted"  # its deadline passed unbroken: the version is adopted

    @property
    def title(self) -> str:
        return {
            "running": N_("Under silence"),
            "broken": N_("Silence broken"),
            "adopted": N_("Adopted"),
        }[self.value]


class SilenceProcedure(db.Model):
    """A published version under silence until ``deadline_dt`` (UTC), announced in ``timezone``.

    The secretariat starts it; a delegation breaks it with a statement before the deadline
    (`SilenceBreak`); unbroken at the deadline, it ends in an `Adoption`."""

    __tablename__ = "silence_procedures"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id"), index=True)
    state: Mapped[SilenceState] = mapped_column(db_enum(SilenceState), default=SilenceState.RUNNING)
    deadline_dt: Mapped[datetime] = mapped_column(UTCDateTime)
    timezone: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    started_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    ended_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)

    version: Mapped[Version] = relationship(lazy="joined")
    started_by: Mapped[User | None] = relationship(foreign_keys=[started_by_id])
    breaks: Mapped[list[SilenceBreak]] = relationship(
        back_populates="silence", order_by="SilenceBreak.id", cascade="all, delete-orphan"
    )

    @property
    def is_running(self) -> bool:
        return self.state == SilenceState.RUNNING

    def has_passed(self, now: datetime) -> bool:
        """Whether the deadline has come: from that instant silence can no longer be broken."""
        return now >= self.deadline_dt

    def broken_by(self, delegation_id: int | None) -> SilenceBreak | None:
        return next((b for b in self.breaks if b.delegation_id == delegation_id), None)

    def __repr__(self) -> str:
        return f"<SilenceProcedure {self.id} on version {self.version_id} {self.state}>"


class SilenceBreak(db.Model):
    """A delegation's written statement breaking the silence, once per delegation."""

    __tablename__ = "silence_breaks"
    __table_args__ = (UniqueConstraint("silence_id", "delegation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    silence_id: Mapped[int] = mapped_column(ForeignKey("silence_procedures.id"), index=True)
    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegations.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    statement: Mapped[str] = mapped_column(Text)
    broken_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    silence: Mapped[SilenceProcedure] = relationship(back_populates="breaks")
    delegation: Mapped[Delegation] = relationship(lazy="joined")
    user: Mapped[User | None] = relationship()


class Adoption(db.Model):
    """A version adopted by silence procedure, with the hash its text had, checked equal to the
    published one when it was recorded. One per version, and for good: the database refuses to
    change or delete it (see migration 0011_silence)."""

    __tablename__ = "adoptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id"), unique=True)
    silence_id: Mapped[int] = mapped_column(ForeignKey("silence_procedures.id"), unique=True)
    text_hash: Mapped[str] = mapped_column(String(64))
    adopted_dt: Mapped[datetime] = mapped_column(UTCDateTime)  # the silence's deadline
    recorded_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    version: Mapped[Version] = relationship(lazy="joined")
    silence: Mapped[SilenceProcedure] = relationship()

    def __repr__(self) -> str:
        return f"<Adoption of version {self.version_id} {self.text_hash[:12]}>"
