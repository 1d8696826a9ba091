"""Queueing mail: rows in the outbox, in the transaction of the event that causes them.

Nothing here talks to a mail server. If the transaction rolls back, the mail was never queued;
if it commits, `drafting send-mail` will send it, however long the mail server is away.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from drafting.extensions import db
from drafting.notifications.models import OutboxMessage


class Recipient(Protocol):
    """Whom mail goes to: a person of `drafting.auth`, which sits above this package."""

    id: int
    email: str
    is_active: bool


def queue_mail(
    user: Recipient, *, subject: str, body: str, kind: str, dedupe_key: str | None = None
) -> OutboxMessage | None:
    """Queue one message to ``user``. With a ``dedupe_key``, a message already queued under the
    same key (by this or any other process) is not queued again, and None is returned. A
    deactivated person gets nothing (None), whichever path the message took."""
    if not user.is_active:
        return None
    message = OutboxMessage(
        user_id=user.id,
        to_address=user.email,
        subject=subject[:300],
        body=body,
        kind=kind,
        dedupe_key=dedupe_key,
    )
    if dedupe_key is None:
        db.session.add(message)
        return message
    if db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)):
        return None
    try:
        with db.session.begin_nested():
            db.session.add(message)
    except IntegrityError:
        return None  # another process queued it between our check and our insert
    return message


def notify(
    users: Iterable[Recipient],
    *,
    subject: str,
    body: str | Callable[[Recipient], str],
    kind: str,
    dedupe_prefix: str | None = None,
) -> int:
    """Queue the same message to each of ``users`` once; how many were queued. A ``body`` that
    is a function is written for each reader (to give times in their own zone too)."""
    queued = 0
    for user in users:
        key = f"{dedupe_prefix}:{user.id}" if dedupe_prefix else None
        text = body(user) if callable(body) else body
        if queue_mail(user, subject=subject, body=text, kind=kind, dedupe_key=key) is not None:
            queued += 1
    return queued


def absolute_url(endpoint: str, **values) -> str:
    """A link for a mail, on the configured BASE_URL: mail is also written by commands, where
    there is no request to take the host from."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)
