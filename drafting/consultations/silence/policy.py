"""Who may put a version under silence and who may break it, and why not: the policy's rules
on the silence procedure. Only the delegations taking part break silence, through their
delegates; the secretariat runs the procedure; observers and the chair follow it. When silence
can still be broken is the deadline's business: "silence.break_now" adds it, by the server's
clock, and the operation decides again under the procedure's lock."""

from __future__ import annotations

from flask_babel import gettext as _

from drafting.auth.models import Role
from drafting.auth.policy import ROLE_REFUSAL, is_secretariat, rules
from drafting.consultations.silence.models import Adoption, SilenceState
from drafting.consultations.silence.queries import adoption_of, running_silence
from drafting.database import utcnow
from drafting.documents.policy import takes_part
from drafting.times import format_instant

_UNREAD = object()  # the adoption was not read by the caller: why_not_start reads it


def why_not_start(version, adopted: Adoption | None | object = _UNREAD) -> str | None:
    """Why no silence procedure can start on ``version`` now: the state of the document, which
    the start page shows and the operation asks again under the document's lock (the policy
    says only who may start one, and on what kind of version). ``adopted``: the document's
    adoption when the caller has just read it."""
    document = version.document
    if adopted is _UNREAD:
        adopted = adoption_of(document.id)
    if isinstance(adopted, Adoption):
        return _(
            "%(version)s was adopted on %(when)s: the declaration is adopted and no other "
            "silence procedure can start.",
            version=adopted.version.label,
            when=format_instant(adopted.adopted_dt, adopted.silence.timezone),
        )
    if (running := running_silence(document.id)) is not None:
        return _(
            "%(version)s is already under silence until %(when)s: one silence procedure at a time.",
            version=running.version.label,
            when=format_instant(running.deadline_dt, running.timezone),
        )
    latest = document.latest_published
    if latest is not None and latest.id != version.id:
        return _(
            "Only the latest published draft, %(latest)s, can be put under silence: "
            "%(version)s has been followed by it.",
            latest=latest.label,
            version=version.label,
        )
    return None


def _why_not_start(user, version) -> str | None:
    if not is_secretariat(user):
        return ROLE_REFUSAL
    if not version.is_published:
        return _(
            "%(version)s is a working draft: only a published version, whose text can no "
            "longer change, can be put under silence.",
            version=version.label,
        )
    return None


def why_not_break(user, silence) -> str | None:
    """Who may break silence: a delegate of a delegation taking part, once per delegation,
    while the procedure has not ended in adoption."""
    role = getattr(user, "role", None)
    if role == Role.SECRETARIAT:
        return _(
            "The secretariat runs the silence procedure; silence is broken by the delegates of "
            "the delegations taking part."
        )
    if role == Role.CHAIR:
        return _(
            "The chair does not break silence; the delegates of the delegations taking part do."
        )
    if role == Role.OBSERVER:
        return _(
            "Observers follow the silence procedure; only the delegates of the delegations "
            "taking part can break silence."
        )
    if role != Role.DELEGATE or not takes_part(user, silence.version.document):
        return _("Only the delegates of the delegations taking part can break silence.")
    if silence.state == SilenceState.ADOPTED:
        return _(
            "%(version)s was adopted by this silence procedure: silence can no longer be broken.",
            version=silence.version.label,
        )
    if (earlier := silence.broken_by(user.delegation_id)) is not None:
        return _(
            "%(name)s broke this silence on %(when)s; its statement is on record.",
            name=user.delegation.name,
            when=format_instant(earlier.broken_dt, silence.timezone),
        )
    return None


def why_past_deadline(silence, now) -> str | None:
    """Why silence can no longer be broken at ``now``: the deadline rule of comments, whose
    deadline is the first instant that is too late."""
    if not silence.has_passed(now):
        return None
    return _(
        "The silence procedure ended on %(when)s: silence can no longer be broken.",
        when=format_instant(silence.deadline_dt, silence.timezone),
    )


def _why_not_break_now(user, silence) -> str | None:
    return why_not_break(user, silence) or why_past_deadline(silence, utcnow())


def _can_view(user, silence) -> str | None:
    if takes_part(user, silence.version.document):
        return None
    return _("This document is not shared with your delegation.")


rules(
    {
        "silence.start": _why_not_start,
        "silence.view": _can_view,
        "silence.break": why_not_break,
        "silence.break_now": _why_not_break_now,
    }
)
