"""Support and objection: a delegation states where it stands on another delegation's
amendment, with an optional reason, changes it, or withdraws it. Distinct from co-sponsoring
(`cosponsoring`): a supporter does not put its name to the text. The chair's convergence view
counts them. Operations flush; the request commits."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from drafting.audit.operations import record_event
from drafting.auth.models import User
from drafting.auth.policy import authorize
from drafting.consultations.checks import check_plain
from drafting.consultations.models import AmendmentStance, Comment, StanceKind
from drafting.consultations.refusals import ConsultationError
from drafting.database import utcnow
from drafting.extensions import N_, db

MAX_REASON_CHARS = 1000


def stance_kind(kind: StanceKind | str) -> StanceKind:
    try:
        return StanceKind(kind)
    except ValueError:
        raise ConsultationError(_("Choose “support” or “objection”.")) from None


def clean_reason(reason: str | None) -> str:
    """The reason as stored: plain text, shown escaped; bounded, without invisible characters."""
    reason = (reason or "").strip()
    check_plain(N_("The reason"), reason)
    if len(reason) > MAX_REASON_CHARS:
        raise ConsultationError(
            _(
                "The reason is %(length)s characters long; at most %(limit)s are accepted. "
                "Shorten it: the delegation's full position belongs in a comment.",
                length=f"{len(reason):,}",
                limit=f"{MAX_REASON_CHARS:,}",
            )
        )
    return reason


def stance_of(comment: Comment, delegation_id: int | None) -> AmendmentStance | None:
    return db.session.scalar(
        db.select(AmendmentStance).where(
            AmendmentStance.comment_id == comment.id,
            AmendmentStance.delegation_id == delegation_id,
        )
    )


def state_stance(
    actor: User, comment: Comment, kind: StanceKind | str, reason: str = ""
) -> AmendmentStance:
    """State, or change, the actor's delegation's support for or objection to ``comment``."""
    authorize(actor, "comment.take_stance", comment)
    kind = stance_kind(kind)
    reason = clean_reason(reason)
    stance = stance_of(comment, actor.delegation_id)
    before = stance.kind.value if stance is not None else None
    if stance is not None and (stance.kind, stance.reason) == (kind, reason):
        return stance  # the same form sent twice: nothing changes, nothing to record
    if stance is None:
        stance = AmendmentStance(comment_id=comment.id, delegation_id=actor.delegation_id)
        try:
            with db.session.begin_nested():
                db.session.add(stance)
                _fill(stance, actor, kind, reason)
        except IntegrityError:
            # A colleague of the same delegation, at the same moment: the last one stands.
            stance = stance_of(comment, actor.delegation_id)
            before = stance.kind.value
    _fill(stance, actor, kind, reason)
    db.session.flush()
    record_event(
        actor,
        "amendment.stance",
        comment,
        delegation=actor.delegation.code,
        before=before,
        after=kind.value,
        reason=reason,
    )
    return stance


def _fill(stance: AmendmentStance, actor: User, kind: StanceKind, reason: str) -> None:
    stance.kind, stance.reason = kind, reason
    stance.stated_by_id, stance.stated_dt = actor.id, utcnow()


def withdraw_stance(actor: User, comment: Comment) -> bool:
    """Withdraw the actor's delegation's stance on ``comment``; whether there was one."""
    authorize(actor, "comment.take_stance", comment)
    stance = stance_of(comment, actor.delegation_id)
    if stance is None:
        return False
    before = stance.kind.value
    db.session.delete(stance)
    db.session.flush()
    record_event(
        actor,
        "amendment.stance_withdrawn",
        comment,
        delegation=actor.delegation.code,
        before=before,
    )
    return True


def stances_on(comment_ids: list[int]) -> dict[int, list[AmendmentStance]]:
    """The stances on these amendments, by amendment, objections first: one query."""
    if not comment_ids:
        return {}
    found: dict[int, list[AmendmentStance]] = {}
    rows = db.session.scalars(
        db.select(AmendmentStance)
        .where(AmendmentStance.comment_id.in_(comment_ids))
        .order_by(AmendmentStance.kind, AmendmentStance.stated_dt, AmendmentStance.id)
    )
    for row in rows:
        found.setdefault(row.comment_id, []).append(row)
    return found
