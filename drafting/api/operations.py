"""Personal API tokens: each person creates and revokes their own; the API finds the person by
the token's hash, since the token itself is shown once and never stored."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import func, select, update

from drafting.api.models import DEFAULT_LIFETIME_DAYS, LIFETIMES_DAYS, ApiToken
from drafting.audit.operations import record_event
from drafting.auth.models import User
from drafting.auth.operations import credentials_revoked
from drafting.auth.policy import NotAllowed
from drafting.database import utcnow
from drafting.extensions import db
from drafting.text.names import name_problem

TOKEN_PREFIX = "dft_"  # noqa: S105 - a marker, not a secret
# "dft_" and secrets.token_urlsafe(32): 43 characters of the URL-safe alphabet.
TOKEN_PATTERN = re.compile(r"^dft_[A-Za-z0-9_-]{43}$")
MAX_NAME_LENGTH = 100
MAX_ACTIVE_TOKENS = 20
# A token's "last used" is written at most this often, so a busy client does not turn every
# read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenError(ValueError):
    """A token that cannot be created as asked; the message says why."""


class TokenExpired(Exception):
    """A genuine token past its end: the API says so, rather than "not a valid token"."""

    def __init__(self, token: ApiToken):
        super().__init__(f"token {token.prefix}… expired at {token.expires_dt.isoformat()}")
        self.token = token


def active_tokens(user: User) -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_dt.is_(None))
            .order_by(ApiToken.created_dt.desc(), ApiToken.id.desc())
        )
    )


def create_token(actor: User, name: str, days: int = DEFAULT_LIFETIME_DAYS) -> tuple[ApiToken, str]:
    """A new token for ``actor`` itself, valid for ``days``; returns it with the secret, which
    only this call knows."""
    if days not in LIFETIMES_DAYS:
        choices = ", ".join(str(d) for d in sorted(LIFETIMES_DAYS))
        raise TokenError(f"A token lasts {choices} days; choose one of these.")
    if problem := name_problem(name):
        raise TokenError(f"The name {problem}.")
    name = " ".join((name or "").split())
    if not name:
        raise TokenError("Give the token a name, e.g. the program that will use it.")
    if len(name) > MAX_NAME_LENGTH:
        raise TokenError(f"The name may have at most {MAX_NAME_LENGTH} characters.")
    now = utcnow()
    count = db.session.scalar(
        select(func.count(ApiToken.id)).where(
            ApiToken.user_id == actor.id,
            ApiToken.revoked_dt.is_(None),
            ApiToken.expires_dt > now,  # an expired token takes no place
        )
    )
    if count >= MAX_ACTIVE_TOKENS:
        raise TokenError(
            f"You have {MAX_ACTIVE_TOKENS} tokens already: revoke one you no longer use first."
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=actor.id,
        name=name,
        token_hash=ApiToken.hash_token(secret),
        prefix=secret[:12],
        created_dt=now,
        expires_dt=now + timedelta(days=days),
    )
    db.session.add(token)
    record_event(
        actor,
        "token.created",
        token,
        name=name,
        prefix=token.prefix,
        expires=token.expires_dt.isoformat(),
    )
    return token, secret


def revoke_token(actor: User, token: ApiToken) -> None:
    """Revoke one of ``actor``'s own tokens; the API refuses it from the next request on."""
    if token.user_id != actor.id:
        raise NotAllowed(f"{actor.email} may not revoke another person's token.")
    if token.revoked_dt is not None:
        return
    token.revoked_dt = utcnow()
    record_event(actor, "token.revoked", token, name=token.name, prefix=token.prefix)


@credentials_revoked.connect
def revoke_every_token(user: User, *, actor: User | None, reason: str) -> int:
    """Revoke every live token of ``user`` at once (a password reset, a deactivation), each
    with its audit event; how many."""
    tokens = db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_dt.is_(None))
    ).all()
    now = utcnow()
    for token in tokens:
        token.revoked_dt = now
        record_event(
            actor, "token.revoked", token, name=token.name, prefix=token.prefix, reason=reason
        )
    return len(tokens)


def authenticate_token(
    secret: str | None, load: Callable[[str], ApiToken | None] | None = None
) -> ApiToken | None:
    """The live token with this secret, of a person still active, or None. A genuine token
    past its end raises TokenExpired, so that its program is told to get a new one. ``load``
    may find the token by its hash along with what the request needs next, in one query;
    when it finds nothing, the token is looked for alone."""
    if not secret or not TOKEN_PATTERN.match(secret):
        return None
    token_hash = ApiToken.hash_token(secret)
    token = load(token_hash) if load is not None else None
    if token is None:
        token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash))
    if token is None or not token.is_active or not token.user.is_active:
        return None
    if token.has_expired(utcnow()):
        raise TokenExpired(token)
    return token


def note_use(token_id: int, last_used_dt: datetime | None) -> None:
    """Write when a token was last used, at most once a minute. The time of use is no part of
    what a request changes: it is written after the request, in its own short transaction, so
    that it holds no lock while the request works (a busy client's requests would queue on the
    token's row) and cannot make a read fail at its commit."""
    now = utcnow()
    if last_used_dt is not None and now - last_used_dt < LAST_USED_RESOLUTION:
        return
    with db.engine.begin() as connection:
        connection.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_dt=now))
