"""Queueing mail: rows in the outbox, in the transaction of the event that causes them.

Nothing here talks to a mail server. If the transaction rolls back, the mail was never queued;
if it commits, `drafting send-mail` will send it, however long the mail server is away.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from drafting.auth.models import Role, User
from drafting.extensions import db
from drafting.notifications.models import OutboxMessage

# Who hears about a round of comments or a new draft: everyone in a delegation who reads.
READERS = (Role.DELEGATE, Role.OBSERVER, Role.CHAIR)


def queue_mail(
    user: User, *, subject: str, body: str, kind: str, dedupe_key: str | None = None
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


def people_of(delegation_ids: Iterable[int], roles: Iterable[Role] = READERS) -> list[User]:
    """The active people of these delegations in these roles, in one query."""
    ids = list(delegation_ids)
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(User)
            .where(User.delegation_id.in_(ids), User.role.in_(list(roles)), User.is_active)
            .order_by(User.id)
        )
    )


def notify(
    users: Iterable[User],
    *,
    subject: str,
    body: str | Callable[[User], str],
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
    from urllib.parse import urlsplit

    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)


def announce_version(version) -> int:
    """Tell everyone who reads for a participating delegation that ``version`` is published,
    with the secretariat's note, a link to its clean text and, when another draft was published
    before it, links to the redline (page and Word) and the concordance of paragraph numbers.
    How many were queued."""
    document = version.document
    previous = previous_published(version)
    lines = [f"{version.label} of “{document.title}” has been published.", ""]
    if version.note:
        lines += ["A note from the secretariat:", "", version.note.strip(), ""]
    lines.append(f"Clean text: {absolute_url('documents.version', version_id=version.id)}")
    if previous is not None:
        pair = {"document_id": document.id, "old": previous.id, "new": version.id}
        compare = absolute_url("documents.compare", **pair)
        lines += [
            "",
            f"What changed since {previous.label}:",
            f"  Redline:          {compare}",
            f"  Redline in Word:  {absolute_url('documents.compare_docx', **pair)}",
            f"  Concordance of paragraph numbers: {compare}#concordance",
        ]
    lines += ["", f"Every draft: {absolute_url('documents.history', document_id=document.id)}"]
    return notify(
        people_of(d.id for d in document.participants),
        subject=f"{version.label} published: {document.title}",
        body="\n".join(lines) + "\n",
        kind="version.published",
    )


def previous_published(version):
    """The published draft that readers compare ``version`` with: the one published last
    before it (a working draft would be a 404 for them, so it is never chosen)."""
    others = [v for v in version.document.versions if v.is_published and v is not version]
    if version.published_dt is not None:
        others = [v for v in others if v.published_dt <= version.published_dt]
    return max(others, key=lambda v: (v.published_dt, v.id), default=None)
