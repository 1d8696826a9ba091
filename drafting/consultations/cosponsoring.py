"""Co-sponsoring: a delegation joins another's submitted amendment, or leaves it, before its own
deadline (co-sponsoring is never late). Operations flush; the request commits.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from drafting.audit.operations import record_event
from drafting.auth.models import User
from drafting.auth.policy import authorize
from drafting.consultations.models import Comment, Support
from drafting.consultations.rounds import admit_write
from drafting.database import utcnow
from drafting.extensions import db


def support_comment(actor: User, comment: Comment) -> Support:
    """Join a submitted amendment as a co-sponsor, on behalf of the actor's delegation, before
    the supporting delegation's deadline (co-sponsoring is never late)."""
    authorize(actor, "comment.support", comment)
    admit_write(comment.consultation, actor.delegation_id, late_ok=False)
    existing = next((s for s in comment.supports if s.delegation_id == actor.delegation_id), None)
    if existing is not None:
        return existing
    try:
        with db.session.begin_nested():
            support = Support(
                comment_id=comment.id,
                delegation_id=actor.delegation_id,
                user_id=actor.id,
                created_dt=utcnow(),
            )
            db.session.add(support)
    except IntegrityError:
        # The same delegation, at the same moment, from another request: one support stands.
        db.session.expire(comment, ["supports"])
        return next(s for s in comment.supports if s.delegation_id == actor.delegation_id)
    db.session.expire(comment, ["supports"])
    record_event(actor, "comment.supported", comment, delegation=actor.delegation.code)
    return support


def withdraw_support(actor: User, comment: Comment) -> None:
    authorize(actor, "comment.support", comment)
    admit_write(comment.consultation, actor.delegation_id, late_ok=False)
    support = next((s for s in comment.supports if s.delegation_id == actor.delegation_id), None)
    if support is None:
        return
    comment.supports.remove(support)
    record_event(actor, "comment.support_withdrawn", comment, delegation=actor.delegation.code)
