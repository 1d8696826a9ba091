"""Sending the outbox: each pending message in its own transaction, oldest first, once.

Two `drafting send-mail` processes may run at the same time (cron overlapping a slow run): on
PostgreSQL each claims its row with ``SELECT ... FOR UPDATE SKIP LOCKED`` and holds the lock
while it sends, so the other passes over it; on SQLite the command's transaction begins
IMMEDIATE and holds the database's write lock while it sends, so the other waits its turn.
A row is marked sent in the transaction that claimed it: a crash between the server taking the
message and the commit sends it again, with the same Message-ID.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from drafting.database import utcnow
from drafting.extensions import db
from drafting.notifications.mailer import MailServerUnavailable
from drafting.notifications.models import OutboxMessage

MAX_ATTEMPTS = 10


@dataclass
class SendReport:
    sent: int = 0
    failed: list[tuple[int, str]] = field(default_factory=list)  # (outbox id, error)
    stopped: str | None = None  # why the run stopped early: the mail server was unavailable
    given_up: list[OutboxMessage] = field(default_factory=list)

    @property
    def tried(self) -> int:
        return self.sent + len(self.failed)

    def summary(self, max_attempts: int) -> str:
        parts = [f"Sent {self.sent} message{'' if self.sent == 1 else 's'}"]
        if self.failed:
            parts.append(f"{len(self.failed)} failed and will be tried again")
        if self.stopped:
            parts.append(f"stopped: {self.stopped}; the rest waits for the next run")
        if self.given_up:
            parts.append(
                f"{len(self.given_up)} given up after {max_attempts} failed attempts (listed above)"
            )
        return ", ".join(parts) + "."


def pending(max_attempts: int = MAX_ATTEMPTS):
    """Messages still to send, oldest first, without those given up."""
    return (
        select(OutboxMessage)
        .where(OutboxMessage.sent_dt.is_(None), OutboxMessage.attempts < max_attempts)
        .order_by(OutboxMessage.id)
    )


def given_up(max_attempts: int = MAX_ATTEMPTS) -> list[OutboxMessage]:
    """Messages that failed ``max_attempts`` times: nobody will send them without help."""
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.sent_dt.is_(None), OutboxMessage.attempts >= max_attempts)
            .order_by(OutboxMessage.id)
        )
    )


def count_pending(max_attempts: int = MAX_ATTEMPTS) -> int:
    return db.session.scalar(select(func.count()).select_from(pending(max_attempts).subquery()))


def send_pending(
    backend, *, limit: int | None = None, max_attempts: int = MAX_ATTEMPTS
) -> SendReport:
    """Send pending messages through ``backend``, committing after each one.

    A message the server refuses gets one more attempt counted and its error stored, and stays
    pending. When the server cannot be reached at all, the run stops without counting an
    attempt against anyone: an outage of the mail server must not use up the messages' tries.
    """
    report = SendReport()
    db.session.commit()  # begin each claim on a fresh transaction
    last_id = 0
    while limit is None or report.tried < limit:
        message = db.session.scalar(
            pending(max_attempts)
            .where(OutboxMessage.id > last_id)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        if message is None:
            db.session.commit()
            break
        last_id = message.id
        try:
            backend.send(message)
        except MailServerUnavailable as exc:
            message.last_error = f"{utcnow():%Y-%m-%d %H:%M:%S} UTC: {exc}"
            db.session.commit()
            report.stopped = str(exc)
            break
        except Exception as exc:  # the server refused it, or it cannot be built: count it
            error = str(exc) or type(exc).__name__
            message.attempts += 1
            message.last_error = f"{utcnow():%Y-%m-%d %H:%M:%S} UTC: {error}"
            db.session.commit()
            report.failed.append((last_id, error))
            continue
        message.attempts += 1
        message.sent_dt = utcnow()
        db.session.commit()
        report.sent += 1
    report.given_up = given_up(max_attempts)
    db.session.commit()
    return report
