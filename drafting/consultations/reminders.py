"""Reminders before a deadline, to delegations that have not submitted anything yet.

`drafting remind` may run every few minutes from cron, from two machines at once: each
reminder is queued under a unique key (round, threshold, deadline, person), so the outbox
refuses it the second time, whoever tries. Only the latest threshold passed is sent: a first
run twelve hours before the deadline sends the one-day reminder, not both.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from drafting.auth.models import Role, User
from drafting.auth.operations import people_of
from drafting.consultations.models import Comment, CommentStatus, Consultation, Extension
from drafting.database import utcnow
from drafting.documents.models import Version
from drafting.extensions import db
from drafting.notifications.operations import absolute_url, notify
from drafting.times import countdown, format_instant, reader_zone

# (name, how long before the deadline), the nearest last: the first one reached wins.
THRESHOLDS = (("1d", timedelta(days=1)), ("7d", timedelta(days=7)))
THRESHOLD_WORDS = {"1d": "less than a day", "7d": "less than a week"}


def threshold_reached(now: datetime, deadline: datetime) -> str | None:
    """The latest threshold passed before ``deadline`` at ``now`` ("1d", "7d"), or None when
    the deadline is further than a week away or already past."""
    left = deadline - now
    if left <= timedelta(0):
        return None
    return next((name for name, before in THRESHOLDS if left <= before), None)


def dedupe_prefix(consultation: Consultation, threshold: str, deadline: datetime) -> str:
    """One key per round, threshold and deadline: an extension is a new deadline, and its
    reminders are new reminders; the round's own deadline keeps the plain key."""
    prefix = f"remind:{consultation.id}:{threshold}"
    if deadline != consultation.closes_dt:
        prefix += f":{int(deadline.timestamp())}"
    return prefix


def open_consultations(now: datetime) -> list[Consultation]:
    """Rounds open now for at least one delegation, with what a reminder needs loaded."""
    return list(
        db.session.scalars(
            select(Consultation)
            .where(
                Consultation.opens_dt <= now,
                Consultation.closed_early_dt.is_(None),
                or_(
                    Consultation.closes_dt > now,
                    Consultation.extensions.any(Extension.closes_dt > now),
                ),
            )
            .options(
                selectinload(Consultation.invited),
                selectinload(Consultation.extensions),
                selectinload(Consultation.version).selectinload(Version.document),
            )
            .order_by(Consultation.id)
        )
    )


def comment_counts(consultations: list[Consultation]) -> dict[tuple[int, int], dict]:
    """{(round id, delegation id): {status: how many comments}}, in one query."""
    counts: dict[tuple[int, int], dict] = defaultdict(dict)
    if not consultations:
        return counts
    rows = db.session.execute(
        select(Comment.consultation_id, Comment.delegation_id, Comment.status, func.count())
        .where(Comment.consultation_id.in_([c.id for c in consultations]))
        .group_by(Comment.consultation_id, Comment.delegation_id, Comment.status)
    )
    for consultation_id, delegation_id, status, n in rows:
        counts[(consultation_id, delegation_id)][CommentStatus(status)] = n
    return counts


def queue_reminders(now: datetime | None = None) -> int:
    """Queue the reminders due now; how many were queued (none already queued count)."""
    now = now or utcnow()
    consultations = open_consultations(now)
    counts = comment_counts(consultations)
    due: list[tuple[Consultation, int, str, datetime]] = []
    for consultation in consultations:
        for delegation in consultation.invited:
            if counts[(consultation.id, delegation.id)].get(CommentStatus.SUBMITTED):
                continue
            if not consultation.is_open_for(delegation.id, now):
                continue
            deadline = consultation.deadline_for(delegation.id)
            threshold = threshold_reached(now, deadline)
            if threshold:
                due.append((consultation, delegation.id, threshold, deadline))
    delegates: dict[int, list[User]] = defaultdict(list)
    for user in people_of({d for _, d, _, _ in due}, roles=[Role.DELEGATE]):
        delegates[user.delegation_id].append(user)
    queued = 0
    for consultation, delegation_id, threshold, deadline in due:
        drafts = counts[(consultation.id, delegation_id)].get(CommentStatus.DRAFT, 0)
        for user in delegates[delegation_id]:
            queued += notify(
                [user],
                subject=reminder_subject(consultation, threshold),
                body=reminder_body(consultation, user, deadline, threshold, drafts, now),
                kind="consultation.reminder",
                dedupe_prefix=dedupe_prefix(consultation, threshold, deadline),
            )
    return queued


def reminder_subject(consultation: Consultation, threshold: str) -> str:
    version = consultation.version
    return (
        f"Reminder: {THRESHOLD_WORDS[threshold]} left to comment on {version.label} "
        f"of {version.document.title}"
    )[:300]


def reminder_body(
    consultation: Consultation,
    user: User,
    deadline: datetime,
    threshold: str,
    drafts: int,
    now: datetime,
) -> str:
    version = consultation.version
    round_zone, own_zone = consultation.timezone, reader_zone(user)
    lines = [
        f"{consultation.title}",
        "",
        f"{user.delegation.name} has not submitted any comment yet on {version.label} of "
        f"“{version.document.title}”, and the deadline is in {THRESHOLD_WORDS[threshold]}.",
        "",
        f"Deadline:          {format_instant(deadline, round_zone)}",
    ]
    if own_zone != round_zone:
        lines.append(f"In your time zone: {format_instant(deadline, own_zone)}")
    if deadline != consultation.closes_dt:
        lines.append("(This is your delegation's extended deadline.)")
    lines.append(f"Time left when this reminder was written: {countdown(now, deadline)}.")
    lines.append("")
    if drafts:
        lines.append(
            f"Your delegation has {drafts} draft comment{'' if drafts == 1 else 's'} saved but "
            "not submitted. Drafts are not sent to the secretariat: submit them before the "
            "deadline."
        )
        lines.append("")
    lines.append(absolute_url("consultations.consultation", consultation_id=consultation.id))
    return "\n".join(lines) + "\n"
