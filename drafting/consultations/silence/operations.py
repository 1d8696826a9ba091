"""What people do with a silence procedure: the secretariat starts one on a published version,
a delegation breaks it with a statement, and the deadline passing unbroken adopts the version
(settled by whoever reads the document next, or by `drafting silence settle`).

Each operation takes a row lock and then reads the server's clock inside the transaction that
writes, as comments do: a statement sent one second before the deadline breaks the silence, one
sent at the deadline is refused, and a settling that waited for the lock sees what the other
transaction decided. Operations flush; the request (or the command) commits.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from drafting.audit.operations import record_event
from drafting.auth.models import Role, User
from drafting.auth.operations import people_of
from drafting.auth.policy import NotAllowed, authorize
from drafting.consultations.checks import check_text
from drafting.consultations.refusals import ConsultationError, DeadlineRefused
from drafting.consultations.silence.models import (
    Adoption,
    SilenceBreak,
    SilenceProcedure,
    SilenceState,
)
from drafting.consultations.silence.policy import why_not_break, why_not_start, why_past_deadline
from drafting.consultations.silence.queries import due_silences
from drafting.database import lock_row, utcnow
from drafting.documents.models import Version
from drafting.extensions import N_, db
from drafting.notifications.operations import absolute_url, notify
from drafting.times import format_for, format_instant, zone

DEFAULT_HOURS = 72
MAX_NOTE_CHARS = 2000
MAX_STATEMENT_CHARS = 10000


class AdoptionRefused(ConsultationError):
    """A version whose text no longer has its published hash: it is not adopted."""


def _everyone(version: Version) -> list[User]:
    """Whom the news of a silence procedure goes to: every reader of the delegations taking
    part, and the secretariat."""
    readers = people_of(d.id for d in version.document.participants)
    secretariat = db.session.scalars(
        select(User).where(User.role == Role.SECRETARIAT, User.is_active).order_by(User.id)
    )
    seen = {user.id for user in readers}
    return readers + [user for user in secretariat if user.id not in seen]


def _link(version: Version) -> str:
    return absolute_url("documents.document", document_id=version.document_id)


def start_silence(
    actor: User | None,
    version: Version,
    *,
    deadline_dt: datetime,
    timezone: str,
    note: str = "",
) -> SilenceProcedure:
    """Put a published version under silence until ``deadline_dt``; tell every participant."""
    authorize(actor, "silence.start", version)
    if not version.is_published:
        raise ConsultationError(_("Only a published version can be put under silence."))
    zone(timezone)
    if deadline_dt.tzinfo is None:
        raise ConsultationError(_("The deadline must say its time zone."))
    note = (note or "").strip()
    check_text(N_("The note"), note)
    if len(note) > MAX_NOTE_CHARS:
        raise ConsultationError(
            _("The note may have at most %(limit)s characters.", limit=f"{MAX_NOTE_CHARS:,}")
        )
    # The document's lock serialises two starts: one silence procedure at a time.
    lock_row(version.document)
    if (reason := why_not_start(version)) is not None:
        raise ConsultationError(reason)
    now = utcnow()
    if deadline_dt <= now:
        raise ConsultationError(_("The deadline is already past: choose a later one."))
    silence = SilenceProcedure(
        version=version,
        deadline_dt=deadline_dt,
        timezone=timezone,
        note=note,
        started_dt=now,
        started_by_id=getattr(actor, "id", None),
    )
    db.session.add(silence)
    db.session.flush()
    record_event(
        actor,
        "silence.started",
        version,
        silence_id=silence.id,
        deadline=deadline_dt.isoformat(),
        timezone=timezone,
    )
    document = version.document
    notify(
        _everyone(version),
        subject=f"Silence procedure on {version.label}: {document.title}"[:300],
        body=lambda reader: (
            f"The secretariat has put {version.label} of “{document.title}” under silence "
            f"procedure.\n\nDeadline: {format_for(deadline_dt, timezone, reader)}\n\n"
            "If no delegation breaks silence by then, the text is adopted. A delegation that "
            "cannot accept it breaks silence with a written statement before the deadline.\n\n"
            + (f"A note from the secretariat:\n\n{note}\n\n" if note else "")
            + f"{_link(version)}\n"
        ),
        kind="silence.started",
    )
    return silence


def break_silence(actor: User, silence: SilenceProcedure, statement: str) -> SilenceBreak:
    """Break the silence for the actor's delegation with a written statement, before the
    deadline by the server's clock read under the procedure's lock; tell everyone."""
    statement = (statement or "").strip()
    if not statement:
        raise ConsultationError(
            _("Write your delegation's statement: silence is broken in writing.")
        )
    check_text(N_("The statement"), statement)
    if len(statement) > MAX_STATEMENT_CHARS:
        raise ConsultationError(
            _(
                "The statement may have at most %(limit)s characters; it has %(length)s.",
                limit=f"{MAX_STATEMENT_CHARS:,}",
                length=f"{len(statement):,}",
            )
        )
    lock_row(silence, reload=("breaks",))
    now = utcnow()
    reason, late = why_not_break(actor, silence), why_past_deadline(silence, now)
    # Past the deadline, a delegate hears of the deadline, even when a settling came first.
    if reason is not None and not (late and silence.state == SilenceState.ADOPTED):
        raise NotAllowed(reason, "silence.break")
    if late is not None:
        raise DeadlineRefused(
            late
            + " "
            + _("Nothing was saved (server time %(when)s).", when=format_instant(now, "UTC")),
            now=now,
            deadline=silence.deadline_dt,
        )
    delegation = actor.delegation
    broken = SilenceBreak(
        silence=silence,
        delegation_id=delegation.id,
        user_id=actor.id,
        statement=statement,
        broken_dt=now,
    )
    db.session.add(broken)
    if silence.state == SilenceState.RUNNING:
        silence.state = SilenceState.BROKEN
        silence.ended_dt = now
    db.session.flush()
    version = silence.version
    record_event(
        actor,
        "silence.broken",
        version,
        silence_id=silence.id,
        delegation=delegation.code,
        at=now.isoformat(),
    )
    notify(
        _everyone(version),
        subject=f"Silence broken by {delegation.name}: {version.label}"[:300],
        body=lambda reader: (
            f"{delegation.name} broke the silence on {version.label} of "
            f"“{version.document.title}” at {format_for(now, silence.timezone, reader)}. The "
            "text is not adopted: it returns to negotiation.\n\n"
            f"The statement of {delegation.name}:\n\n{statement}\n\n{_link(version)}\n"
        ),
        kind="silence.broken",
    )
    return broken


def settle(silence: SilenceProcedure) -> Adoption | None:
    """Adopt the version if its silence ran to the deadline unbroken; None when there is
    nothing (more) to settle. Idempotent: the procedure's lock is taken and its state read
    afresh, so of two settlings at once the second finds it adopted."""
    lock_row(silence)
    now = utcnow()
    if silence.state != SilenceState.RUNNING or not silence.has_passed(now):
        return None
    version = silence.version
    text_hash = version.compute_hash()
    if not version.is_published or text_hash != version.text_hash:
        raise AdoptionRefused(
            f"{version.label} no longer has the text it was published with (its hash differs): "
            "it is not adopted. Run `drafting verify`."
        )
    adoption = Adoption(
        version_id=version.id,
        silence_id=silence.id,
        text_hash=text_hash,
        adopted_dt=silence.deadline_dt,
        recorded_dt=now,
    )
    db.session.add(adoption)
    silence.state = SilenceState.ADOPTED
    silence.ended_dt = silence.deadline_dt
    db.session.flush()
    record_event(
        None,
        "version.adopted",
        version,
        silence_id=silence.id,
        text_hash=text_hash,
        adopted=silence.deadline_dt.isoformat(),
    )
    notify(
        _everyone(version),
        subject=f"Adopted: {version.label} of {version.document.title}"[:300],
        body=lambda reader: (
            f"No delegation broke the silence on {version.label} of “{version.document.title}”"
            f" by its deadline, {format_for(silence.deadline_dt, silence.timezone, reader)}. "
            f"{version.label} is adopted.\n\nSHA-256 of the adopted text: {text_hash}\n\n"
            f"{_link(version)}\n"
        ),
        kind="version.adopted",
        dedupe_prefix=f"adopted:{silence.id}",
    )
    return adoption


def settle_due(
    *, document_id: int | None = None, version_id: int | None = None, only: int | None = None
) -> list[Adoption]:
    """Settle every silence procedure whose deadline has passed (of one document or version,
    or the one ``only`` names, or all): what a read after the deadline and the command for cron
    both do."""
    adopted = []
    due = [only] if only is not None else due_silences(document_id, version_id)
    for silence_id in due:
        silence = db.session.get(SilenceProcedure, silence_id)
        if silence is not None and (adoption := settle(silence)) is not None:
            adopted.append(adoption)
    return adopted


def settle_quietly(*, document_id: int | None = None, version_id: int | None = None) -> None:
    """settle_due for a page being read: an adoption refused is logged (the command and
    `drafting verify` say it aloud), not shown as an error to the reader."""
    try:
        settle_due(document_id=document_id, version_id=version_id)
    except AdoptionRefused as exc:
        current_app.logger.error("silence not settled: %s", exc)
