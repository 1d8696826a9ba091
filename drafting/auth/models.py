"""Delegations, the people in them, their roles, and their login sessions."""

from __future__ import annotations

import enum
import hashlib
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from drafting.database import UTCDateTime, db_enum, utcnow
from drafting.extensions import db


class DelegationKind(enum.StrEnum):
    STATE = "state"
    ORGANISATION = "organisation"


class Role(enum.StrEnum):
    SECRETARIAT = "secretariat"
    CHAIR = "chair"
    DELEGATE = "delegate"
    OBSERVER = "observer"

    @property
    def title(self) -> str:
        return self.value.capitalize()


class Delegation(db.Model):
    """A state (ISO 3166 alpha-3 code) or an organisation (its acronym) taking part in talks."""

    __tablename__ = "delegations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    kind: Mapped[DelegationKind] = mapped_column(db_enum(DelegationKind))
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    users: Mapped[list[User]] = relationship(back_populates="delegation")

    def __repr__(self) -> str:
        return f"<Delegation {self.code}>"


class User(db.Model):
    """A person who logs in, always on behalf of one delegation, in one role."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(db_enum(Role))
    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegations.id"), index=True)
    is_active: Mapped[bool] = mapped_column(default=True)
    # Set by the secretariat's reset: the person must choose a new password before anything else.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Part of every private feed address this person was given: a new one voids them all.
    feed_secret: Mapped[str | None] = mapped_column(String(32))
    # The IANA zone in which this person reads deadlines, e.g. "Asia/Tbilisi".
    timezone: Mapped[str] = mapped_column(String(64), default="UTC", server_default="UTC")
    # The language of the interface this person chose under Settings ("en", "ru"); empty: the
    # browser's preference among the catalogues the service has.
    locale: Mapped[str] = mapped_column(String(16), default="", server_default="")
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    delegation: Mapped[Delegation] = relationship(back_populates="users", lazy="joined")

    # Flask-Login's interface; the id it keeps in the cookie is the login session's token.
    is_authenticated = True
    is_anonymous = False
    login_token = None

    def get_id(self) -> str | None:
        return self.login_token

    @property
    def is_secretariat(self) -> bool:
        return self.role == Role.SECRETARIAT

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class LoginSession(db.Model):
    """One login: a random token in the cookie, its hash here, so logout kills it everywhere."""

    __tablename__ = "login_sessions"
    __table_args__ = (UniqueConstraint("token_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(lazy="joined")

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()


class LoginAttempt(db.Model):
    """One attempt to log in, kept in the database so that every instance of the service sees
    the same count: logins are rate-limited per e-mail address and client address together,
    and per client address (see drafting.auth.throttle)."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    remote_addr: Mapped[str] = mapped_column(String(64), index=True)
    succeeded: Mapped[bool] = mapped_column(default=False)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
