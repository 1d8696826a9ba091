"""The audit trail: one append-only event for every state change."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from drafting.database import UTCDateTime, utcnow
from drafting.extensions import db


class AuditEvent(db.Model):
    """Who did what to which object, and when. Rows are never updated or deleted."""

    __tablename__ = "audit_events"
    # Unique indexes, as migrations 0004 and 0005 made them: no two events share a hash, and no
    # two follow the same one.
    __table_args__ = (
        Index("uq_audit_events_hash", "hash", unique=True),
        Index("uq_audit_events_prev_hash", "prev_hash", unique=True),
        # The events on one object, latest first: the meeting screen's "anything since?" asks
        # it every two seconds per screen (migration 0012_meeting).
        Index("ix_audit_events_object", "object_type", "object_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[int | None]
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    # The hash chain (see audit.chain): this event's SHA-256 over the previous event's hash and
    # its own canonical fields, so that `drafting verify` finds the first rewritten event.
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    actor = relationship("User", lazy="joined")

    def __repr__(self) -> str:
        return f"<AuditEvent {self.action} {self.object_type}#{self.object_id}>"
