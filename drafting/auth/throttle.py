"""Login rate limiting, counted in the database so that every instance of the service behind a
load balancer sees the same attempts and none keeps state of its own.

Failures are counted as OWASP's guidance on login throttling counts them: per e-mail address
*and* client address together, and per client address. A client that failed too often with one
address is refused for that address (LOGIN_MAX_FAILURES_PER_ACCOUNT, since the last success from
it), and a client that failed too often whatever the addresses it tried is refused for all
(LOGIN_MAX_FAILURES_PER_CLIENT). Nobody's failures ever lock the rightful person out: an
address that fails from many clients at once (LOGIN_MAX_FAILURES_PER_ADDRESS_ANYWHERE) only
takes the slower path, where each client that has failed with it in the window is refused,
so a spread-out attacker gets one guess per client address while a client that has not been
failing logs in at once. Unknown addresses are counted exactly like known ones, so the refusal
reveals nothing about which accounts exist.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, select

from drafting.auth.models import LoginAttempt
from drafting.database import utcnow
from drafting.extensions import db
from drafting.text.names import normal_email

# Attempts older than this are of no use to any window and are deleted as new ones come in.
KEEP_ATTEMPTS = timedelta(days=1)
_EMAIL_CHARS = LoginAttempt.email.type.length
_ADDR_CHARS = LoginAttempt.remote_addr.type.length


@dataclass(frozen=True)
class LoginRefusal:
    """Why logins are refused for now, and from when they are accepted again."""

    reason: str  # "account" or "client"
    retry_dt: datetime

    def retry_after_seconds(self, now: datetime | None = None) -> int:
        """The Retry-After header's value: whole seconds, at least one."""
        seconds = (self.retry_dt - (now or utcnow())).total_seconds()
        return max(1, math.ceil(seconds))

    def minutes(self, now: datetime | None = None) -> int:
        return max(1, math.ceil(self.retry_after_seconds(now) / 60))


def attempt_key(email: str | None) -> str:
    """The e-mail address as it is counted: as the login looks it up, and within the column."""
    return normal_email(email)[:_EMAIL_CHARS]


def client_key(remote_addr: str | None) -> str:
    return (remote_addr or "unknown")[:_ADDR_CHARS]


def _window() -> timedelta:
    return timedelta(minutes=current_app.config["LOGIN_WINDOW_MINUTES"])


def _nth_newest_failure(condition, since: datetime, n: int) -> datetime | None:
    """When the ``n``-th newest failure matching ``condition`` since ``since`` happened, or
    None when there were fewer than ``n``. The limit is reached exactly when it exists, and
    it leaves the window first among those that keep the count at the limit."""
    return db.session.scalar(
        select(LoginAttempt.created_dt)
        .where(condition, LoginAttempt.succeeded.is_(False), LoginAttempt.created_dt > since)
        .order_by(LoginAttempt.created_dt.desc(), LoginAttempt.id.desc())
        .offset(n - 1)
        .limit(1)
    )


def login_refusal(email: str | None, remote_addr: str | None) -> LoginRefusal | None:
    """Whether a login with ``email`` from ``remote_addr`` is refused now, and until when."""
    config = current_app.config
    window = _window()
    window_start = utcnow() - window
    email, remote_addr = attempt_key(email), client_key(remote_addr)
    pair = (LoginAttempt.email == email) & (LoginAttempt.remote_addr == remote_addr)

    last_success = db.session.scalar(
        select(func.max(LoginAttempt.created_dt)).where(pair, LoginAttempt.succeeded.is_(True))
    )
    since = max(window_start, last_success) if last_success else window_start
    limit = config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    if limit > 0 and (oldest := _nth_newest_failure(pair, since, limit)):
        return LoginRefusal("account", oldest + window)

    limit = config["LOGIN_MAX_FAILURES_PER_CLIENT"]
    if limit > 0 and (
        oldest := _nth_newest_failure(LoginAttempt.remote_addr == remote_addr, window_start, limit)
    ):
        return LoginRefusal("client", oldest + window)

    # Under attack from many clients: each client only while it has not failed with it.
    limit = config["LOGIN_MAX_FAILURES_PER_ADDRESS_ANYWHERE"]
    if (
        limit > 0
        and _nth_newest_failure(LoginAttempt.email == email, window_start, limit)
        and (oldest := _nth_newest_failure(pair, since, 1))
    ):
        return LoginRefusal("account", oldest + window)
    return None


def record_attempt(email: str | None, remote_addr: str | None, *, succeeded: bool) -> None:
    """Keep one attempt whose password was checked, and delete those too old to count.

    A refused (throttled) attempt is not kept: its password was never checked, and counting it
    would move the time the person was told to come back.
    """
    now = utcnow()
    db.session.execute(
        delete(LoginAttempt).where(LoginAttempt.created_dt < now - max(KEEP_ATTEMPTS, _window()))
    )
    db.session.add(
        LoginAttempt(
            email=attempt_key(email),
            remote_addr=client_key(remote_addr),
            succeeded=succeeded,
            created_dt=now,
        )
    )
    db.session.flush()
