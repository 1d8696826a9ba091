"""Personal API tokens: created and revoked by each person in the page, stored hashed; and the
Idempotency-Keys with which delegations' programs created comments."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from drafting.auth.models import User
from drafting.consultations.models import Comment
from drafting.database import UTCDateTime, utcnow
from drafting.extensions import db

# The lifetimes a person chooses from when creating a token, in days; the first is the default.
LIFETIMES_DAYS = (90, 30, 365)
DEFAULT_LIFETIME_DAYS = LIFETIMES_DAYS[0]


class ApiToken(db.Model):
    """A bearer token for the API. Only its SHA-256 is stored; ``prefix`` (its first characters)
    lets its owner tell tokens apart on the page."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_dt: Mapped[datetime] = mapped_column(
        UTCDateTime, default=lambda: utcnow() + timedelta(days=DEFAULT_LIFETIME_DAYS)
    )

    user: Mapped[User] = relationship(lazy="joined")

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode("utf-8")).hexdigest()

    @property
    def is_active(self) -> bool:
        """Not revoked (an expired token is still listed, so that its owner sees it expired)."""
        return self.revoked_dt is None

    def has_expired(self, now: datetime) -> bool:
        return self.expires_dt <= now

    def __repr__(self) -> str:
        return f"<ApiToken {self.prefix}… of user {self.user_id}>"


class IdempotencyKey(db.Model):
    """An Idempotency-Key with which a delegation created a comment in one round, and the
    SHA-256 of the request it came with. The key means something only in its round, for its
    delegation (the unique constraint); sent again with the same request it gives that comment
    back, with another request it is refused."""

    __tablename__ = "api_idempotency_keys"
    __table_args__ = (UniqueConstraint("delegation_id", "consultation_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegations.id"))
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"))
    key: Mapped[str] = mapped_column(String(64))
    fingerprint: Mapped[str] = mapped_column(String(64))  # SHA-256 of the canonical request
    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    comment: Mapped[Comment] = relationship()

    def __repr__(self) -> str:
        return f"<IdempotencyKey {self.key!r} of delegation {self.delegation_id}>"
