"""Rounds of written comments: open one on a published version (or publish and open in one step),
grant a delegation an extension, close a round early; and admit_write, the round's answer to
a delegation's write at this moment (on time, late, or refused with DeadlineRefused).

Extending and closing take the round's row lock alone (lock_round), so that no comment, whose
writers share that lock, slips past the change; every write that the deadline governs takes it
shared and only then reads the server's clock, in UTC, inside the transaction that writes: what
is decided is what is stored. Operations flush; the request commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from drafting.audit.operations import record_event
from drafting.auth.models import Delegation, User
from drafting.auth.operations import people_of
from drafting.auth.policy import authorize
from drafting.consultations.checks import check_text
from drafting.consultations.deadlines import Window, why_closed
from drafting.consultations.models import Consultation, Extension, LateRule, Visibility
from drafting.consultations.refusals import ConsultationError, DeadlineRefused
from drafting.database import lock_row, utcnow
from drafting.documents.models import Version
from drafting.documents.publishing import publish_version
from drafting.extensions import N_, db
from drafting.notifications.operations import absolute_url, notify
from drafting.text.names import name_problem
from drafting.times import format_for, format_instant, zone

MAX_TITLE_LENGTH = 200


def open_consultation(
    actor: User | None,
    version: Version,
    *,
    title: str,
    opens_dt: datetime,
    closes_dt: datetime,
    timezone: str,
    invited: Sequence[Delegation],
    visibility: Visibility = Visibility.SEALED,
    late_rule: LateRule = LateRule.REFUSE,
    instructions: str = "",
) -> Consultation:
    """Open a round of written comments on a published version; tell the invited delegations."""
    authorize(actor, "consultation.create", version)
    if not version.is_published:
        raise ConsultationError("Comments can only be asked on a published version.")
    if problem := name_problem(title):
        raise ConsultationError(f"The title {problem}.")
    title = " ".join((title or "").split()) or f"Comments on {version.label}"
    if len(title) > MAX_TITLE_LENGTH:
        raise ConsultationError(f"The title may have at most {MAX_TITLE_LENGTH} characters.")
    zone(timezone)
    for instant in (opens_dt, closes_dt):
        if instant.tzinfo is None:
            raise ConsultationError("Times must say their time zone.")
    if closes_dt <= opens_dt:
        raise ConsultationError("The deadline must come after the opening.")
    if closes_dt <= utcnow():
        raise ConsultationError("The deadline is already past: choose a later one.")
    if not invited:
        raise ConsultationError("Invite at least one delegation.")
    check_text(N_("The instructions"), instructions)
    consultation = Consultation(
        version=version,
        title=title,
        instructions=instructions or "",
        opens_dt=opens_dt,
        closes_dt=closes_dt,
        timezone=timezone,
        invited=sorted(invited, key=lambda d: d.name),
        visibility=Visibility(visibility),
        late_rule=LateRule(late_rule),
        created_by_id=getattr(actor, "id", None),
    )
    db.session.add(consultation)
    record_event(
        actor,
        "consultation.opened",
        consultation,
        version=version.label,
        opens=opens_dt.isoformat(),
        closes=closes_dt.isoformat(),
        timezone=timezone,
        invited=[d.code for d in consultation.invited],
        visibility=consultation.visibility.value,
        late_rule=consultation.late_rule.value,
    )
    notify(
        people_of(d.id for d in consultation.invited),
        subject=f"Comments invited on {version.label}: {version.document.title}"[:300],
        body=lambda reader: (
            f"{title}\n\nThe secretariat invites your delegation's written comments on "
            f"{version.label} of “{version.document.title}”.\n\n"
            f"Opens:    {format_for(opens_dt, timezone, reader)}\n"
            f"Deadline: {format_for(closes_dt, timezone, reader)}\n\n"
            f"{absolute_url('consultations.consultation', consultation_id=consultation.id)}\n"
        ),
        kind="consultation.opened",
    )
    return consultation


def grant_extension(
    actor: User | None,
    consultation: Consultation,
    delegation: Delegation,
    closes_dt: datetime,
    reason: str = "",
) -> Extension:
    """Give one delegation a later deadline (or change the one it has)."""
    authorize(actor, "consultation.manage", consultation)
    lock_round(consultation, exclusive=True)
    if not consultation.is_invited(delegation.id):
        raise ConsultationError(f"{delegation.name} is not invited to this round.")
    if consultation.closed_early_dt is not None:
        raise ConsultationError("This round was closed early; it takes no more comments.")
    if consultation.visibility == Visibility.SEALED and consultation.has_closed(utcnow()):
        raise ConsultationError(
            "This sealed round has closed and every participant can now read the comments: an "
            f"extension now would let {delegation.name} read them before writing its own."
        )
    if closes_dt <= consultation.closes_dt:
        raise ConsultationError(
            "An extension must end after the round's deadline, "
            f"{format_instant(consultation.closes_dt, consultation.timezone)}."
        )
    check_text(N_("The reason"), reason)
    extension = consultation.extension_for(delegation.id)
    if extension is None:
        extension = Extension(consultation=consultation, delegation=delegation, closes_dt=closes_dt)
        db.session.add(extension)
    extension.closes_dt = closes_dt
    extension.reason = reason or ""
    extension.granted_dt = utcnow()
    extension.granted_by_id = getattr(actor, "id", None)
    record_event(
        actor,
        "consultation.extension_granted",
        consultation,
        delegation=delegation.code,
        closes=closes_dt.isoformat(),
        reason=reason,
    )
    notify(
        people_of([delegation.id]),
        subject=f"Extension granted: {consultation.title}",
        body=lambda reader: (
            f"The secretariat has extended {delegation.name}'s deadline for “{consultation.title}” "
            f"to {format_for(closes_dt, consultation.timezone, reader)}.\n\n"
            f"{absolute_url('consultations.consultation', consultation_id=consultation.id)}\n"
        ),
        kind="consultation.extension",
    )
    return extension


def close_early(actor: User | None, consultation: Consultation) -> None:
    """Close the round now for everyone, extensions included."""
    authorize(actor, "consultation.manage", consultation)
    lock_round(consultation, exclusive=True)
    now = utcnow()
    if consultation.has_closed(now):
        raise ConsultationError("This round has already closed.")
    consultation.closed_early_dt = now
    record_event(actor, "consultation.closed_early", consultation, at=now.isoformat())
    notify(
        people_of(d.id for d in consultation.invited),
        subject=f"Closed: {consultation.title}",
        body=lambda reader: (
            f"The secretariat closed “{consultation.title}” at "
            f"{format_for(now, consultation.timezone, reader)}. No more comments are accepted.\n"
        ),
        kind="consultation.closed",
    )


def publish_and_open_round(
    actor: User | None,
    version: Version,
    *,
    label: str | None = None,
    note: str | None = "",
    renumber: bool | None = None,
    accept_numbering: bool = False,
    round_of_comments: dict[str, Any],
) -> Consultation:
    """Publish ``version`` and open a round of comments on it in one step: both or neither.

    ``round_of_comments`` holds open_consultation's keyword arguments. If the round is refused,
    the publication is undone too (a savepoint) and the refusal raised.
    """
    with db.session.begin_nested():
        publish_version(
            actor,
            version,
            label=label,
            note=note,
            renumber=renumber,
            accept_numbering=accept_numbering,
        )
        return open_consultation(actor, version, **round_of_comments)


def lock_round(consultation: Consultation, *, exclusive: bool = False) -> None:
    """Serialise against changes to the round's window. Writers of comments share the lock;
    extending or closing the round takes it alone, so no comment slips past an early close.
    The round and its extensions are read afresh, as another transaction may have changed them."""
    lock_row(consultation, shared=not exclusive, reload=("extensions",))


def admit_write(consultation: Consultation, delegation_id: int, *, late_ok: bool):
    """Whether the round takes this delegation's write now, by the server's clock read after
    the lock: (now, late) or DeadlineRefused, in the deadline rule's words. ``late_ok`` says
    whether this write may be late where the round accepts late comments (a new comment may;
    rewriting a submitted one not)."""
    lock_round(consultation)
    now = utcnow()
    window = consultation.window_for(delegation_id, now, late_ok=late_ok)
    if window.takes_writes:
        return now, window == Window.LATE_ACCEPTED
    why = why_closed(consultation, delegation_id, now, late_ok=late_ok)
    opened = window != Window.NOT_OPEN
    raise DeadlineRefused(
        f"{why} Nothing was saved (server time {format_instant(now, 'UTC')})." if opened else why,
        now=now,
        deadline=consultation.deadline_for(delegation_id) if opened else None,
    )
