"""Who may see and write comments, compilations and decisions in a round: the policy's rules on
this domain."""

from __future__ import annotations

from sqlalchemy import Select, and_, false, or_

from drafting.auth.models import Role, User
from drafting.auth.policy import is_delegate_of, is_secretariat, rules
from drafting.consultations.models import Comment, CommentStatus, Visibility
from drafting.database import utcnow
from drafting.documents.policy import takes_part


def _can_view_consultation(user, consultation) -> bool:
    return takes_part(user, consultation.version.document)


def _can_write_comments(user, consultation) -> bool:
    """Who may write for a delegation: its delegates, if the delegation is invited. When they
    may (the deadline) is the operations' business, decided inside the writing transaction."""
    return (
        is_delegate_of(user, getattr(user, "delegation_id", None))
        and consultation.is_invited(user.delegation_id)
        and _can_view_consultation(user, consultation)
    )


def _sees_everything_submitted(user, consultation, now) -> bool:
    """Whether ``user`` sees every delegation's submitted comments in this round, by its
    visibility rule: the secretariat always; under "open" every participant at once; under
    "sealed" every participant once the round has closed for all; under "secretariat only" the
    chair once the round has closed, and no delegation ever."""
    if is_secretariat(user):
        return True
    if not _can_view_consultation(user, consultation):
        return False
    rule = consultation.visibility
    if rule == Visibility.OPEN:
        return True
    closed = consultation.has_closed(now)
    if rule == Visibility.SEALED:
        return closed
    return closed and user.role == Role.CHAIR


def _can_view_comment(user, comment) -> bool:
    if user is None or not user.is_authenticated:
        return False
    consultation = comment.consultation
    if not _can_view_consultation(user, consultation):
        return False
    if user.delegation_id == comment.delegation_id:
        return True  # a delegation always sees its own, drafts included
    if comment.is_draft:
        return False  # a draft is the delegation's private work, even from the secretariat
    if comment.is_withdrawn:
        # Once submitted, the secretariat keeps it on record; a draft withdrawn unsent stays
        # the delegation's private work.
        return is_secretariat(user) and comment.submitted_dt is not None
    return _sees_everything_submitted(user, consultation, utcnow())


def _can_edit_comment(user, comment) -> bool:
    return (
        is_delegate_of(user, comment.delegation_id)
        and not comment.is_withdrawn
        and _can_write_comments(user, comment.consultation)
    )


def _can_support(user, comment) -> bool:
    """Co-sponsoring: a delegate of another invited delegation, on a submitted amendment it
    can see."""
    return (
        comment.is_submitted
        and comment.is_amendment
        and user is not None
        and user.is_authenticated
        and user.delegation_id != comment.delegation_id
        and _can_write_comments(user, comment.consultation)
        and _can_view_comment(user, comment)
    )


def _takes_writes_now(user, consultation, *, late_ok: bool) -> bool:
    """Whether the round takes a write from the user's delegation at this instant, by the
    deadline's one rule (Consultation.window_for), which the operations apply again under the
    round's lock. Pages ask the "…_now" actions, so that they never offer what would be refused."""
    window = consultation.window_for(user.delegation_id, utcnow(), late_ok=late_ok)
    return window in ("on time", "late")


def _can_write_comments_now(user, consultation) -> bool:
    return _can_write_comments(user, consultation) and _takes_writes_now(
        user, consultation, late_ok=True
    )


def _can_edit_comment_now(user, comment) -> bool:
    """Edit, submit or withdraw now: a draft may still be completed late where the round
    accepts late comments; a submitted comment changes only before the deadline; a comment the
    secretariat has decided on no longer changes."""
    return (
        _can_edit_comment(user, comment)
        and comment.decision is None
        and _takes_writes_now(user, comment.consultation, late_ok=comment.is_draft)
    )


def _can_support_now(user, comment) -> bool:
    return _can_support(user, comment) and _takes_writes_now(
        user, comment.consultation, late_ok=False
    )


def _can_view_compilation(user, consultation) -> bool:
    if is_secretariat(user):
        return True
    if user is None or not user.is_authenticated or user.role != Role.CHAIR:
        return False
    if not _can_view_consultation(user, consultation):
        return False
    return consultation.visibility == Visibility.OPEN or consultation.has_closed(utcnow())


def _can_view_decision(user, comment) -> bool:
    decision = comment.decision
    if decision is None:
        return False
    if is_secretariat(user) or (user is not None and getattr(user, "role", None) == Role.CHAIR):
        return _can_view_consultation(user, comment.consultation)
    return decision.is_shared and _can_view_comment(user, comment)


rules(
    {
        "consultation.create": lambda user, version: is_secretariat(user) and version.is_published,
        "consultation.view": _can_view_consultation,
        "consultation.manage": lambda user, _t: is_secretariat(user),
        "comment.write": _can_write_comments,
        "comment.view": _can_view_comment,
        "comment.edit": _can_edit_comment,
        "comment.support": _can_support,
        "comment.write_now": _can_write_comments_now,
        "comment.edit_now": _can_edit_comment_now,
        "comment.support_now": _can_support_now,
        "compilation.view": _can_view_compilation,
        "decision.record": lambda user, _t: is_secretariat(user),
        "decision.view": _can_view_decision,
    }
)


def visible_comments(user: User, stmt: Select, consultations) -> Select:
    """Narrow a query of comments on ``consultations`` (already loaded, with their extensions)
    to those ``user`` may see: the same rule as "comment.view", as one SQL condition, so that a
    page of 5,000 comments needs no query per comment."""
    if user is None or not user.is_authenticated:
        return stmt.where(false())
    now = utcnow()
    readable = [c.id for c in consultations if _can_view_consultation(user, c)]
    everything = [c.id for c in consultations if _sees_everything_submitted(user, c, now)]
    own = and_(Comment.consultation_id.in_(readable), Comment.delegation_id == user.delegation_id)
    shown = Comment.status == CommentStatus.SUBMITTED
    if is_secretariat(user):
        shown = or_(
            shown,
            and_(Comment.status == CommentStatus.WITHDRAWN, Comment.submitted_dt.is_not(None)),
        )
    others = and_(Comment.consultation_id.in_(everything), shown)
    return stmt.where(or_(own, others))
