"""The Outbox page: the secretariat sees each message as it was written, and whether it is
still queued, sent, or given up, filtered by recipient and status and paged."""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil

from flask import Blueprint, current_app, render_template, request
from flask_login import login_required
from sqlalchemy import func, select

from drafting.extensions import db
from drafting.notifications.models import OutboxMessage
from drafting.notifications.sending import MAX_ATTEMPTS
from drafting.text.numbers import whole_number
from drafting.web import require

bp = Blueprint("outbox", __name__)

PAGE_SIZE = 50
STATUSES = {"queued": "queued", "sent": "sent", "given-up": "given up"}
MAX_RECIPIENT = 254
# A reminder tells a delegation how many drafts it has saved but not submitted; the secretariat
# never learns of a delegation's private drafts, so it sees such a message's subject only.
PRIVATE_KINDS = frozenset({"consultation.reminder"})


def shows_body(message: OutboxMessage) -> bool:
    return message.kind not in PRIVATE_KINDS


@dataclass(frozen=True)
class OutboxPage:
    messages: list[OutboxMessage]
    total: int
    number: int
    size: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.size))


def status_of(message: OutboxMessage, max_attempts: int) -> str:
    """ "sent", "queued" (waiting for the mail worker, perhaps after a refusal) or "given-up"."""
    if message.sent_dt is not None:
        return "sent"
    return "given-up" if message.attempts >= max_attempts else "queued"


def find_messages(
    recipient: str, status: str, number: int, max_attempts: int, size: int | None = None
) -> OutboxPage:
    """One page of the messages, newest first, to addresses containing ``recipient``."""
    size = size or PAGE_SIZE
    where = []
    if recipient:
        where.append(
            func.lower(OutboxMessage.to_address).contains(recipient.lower(), autoescape=True)
        )
    if status == "sent":
        where.append(OutboxMessage.sent_dt.is_not(None))
    elif status == "queued":
        where += [OutboxMessage.sent_dt.is_(None), OutboxMessage.attempts < max_attempts]
    elif status == "given-up":
        where += [OutboxMessage.sent_dt.is_(None), OutboxMessage.attempts >= max_attempts]
    total = db.session.scalar(select(func.count(OutboxMessage.id)).where(*where)) or 0
    number = min(number, max(1, ceil(total / size)))
    messages = db.session.scalars(
        select(OutboxMessage)
        .where(*where)
        .order_by(OutboxMessage.id.desc())
        .offset((number - 1) * size)
        .limit(size)
    )
    return OutboxPage(list(messages), total, number, size)


def _page_number(raw: str | None) -> int:
    return whole_number(raw, 999_999) or 1


@bp.route("/outbox")
@login_required
def messages():
    require("outbox.view")
    recipient = request.args.get("to", "").strip()[:MAX_RECIPIENT]
    status = request.args.get("status", "")
    status = status if status in STATUSES else ""
    max_attempts = int(current_app.config.get("MAIL_MAX_ATTEMPTS", MAX_ATTEMPTS))
    page = find_messages(recipient, status, _page_number(request.args.get("page")), max_attempts)
    return render_template(
        "notifications/outbox.html",
        page=page,
        recipient=recipient,
        status=status,
        statuses=STATUSES,
        status_of=lambda m: status_of(m, max_attempts),
        shows_body=shows_body,
        filter_args={k: v for k, v in (("to", recipient), ("status", status)) if v},
    )
