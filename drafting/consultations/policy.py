"""Who may see and write comments, compilations and decisions in a round, and why not: the
policy's rules on this domain. When a round takes writes is the deadline rule's (`deadlines`);
the "…_now" actions add it to who may write, so that a page never offers what would be refused
and says why in the words the operation would use."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, false, or_

from drafting.auth.models import Role, User
from drafting.auth.policy import ROLE_REFUSAL, is_delegate_of, is_secretariat, rules, when
from drafting.consultations.deadlines import why_closed
from drafting.consultations.models import Comment, CommentStatus, Visibility
from drafting.database import utcnow
from drafting.documents.policy import takes_part

NOT_SHARED = _l("This is not shared with you.")


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


def _sees_withdrawn(user, _consultation) -> bool:
    """Who keeps withdrawn comments (once submitted) on record: the secretariat."""
    return is_secretariat(user)


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
        return _sees_withdrawn(user, consultation) and comment.submitted_dt is not None
    return _sees_everything_submitted(user, consultation, utcnow())


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


def _why_not_write(user, consultation) -> str | None:
    if _can_write_comments(user, consultation):
        return None
    role = getattr(user, "role", None)
    if role == Role.OBSERVER:
        return _(
            "Observers read the draft and the comments shared with them; comments are written "
            "by the delegates of the invited delegations."
        )
    if role == Role.CHAIR:
        return _(
            "The chair does not write comments in a round of comments; the delegates of the "
            "invited delegations do, and the chair reads them in the compilation."
        )
    if role == Role.SECRETARIAT:
        return _(
            "The secretariat receives the comments; they are written by the delegates of the "
            "invited delegations."
        )
    if role == Role.DELEGATE and not consultation.is_invited(user.delegation_id):
        return _(
            "%(name)s is not invited to comment in this round. Ask the "
            "secretariat if you think it should be.",
            name=user.delegation.name,
        )
    return _("You may not write comments in this round.")


def _why_not_edit(user, comment) -> str | None:
    if comment.recorded_by_id is not None and _can_record(user, comment.consultation):
        # The secretariat corrects what it recorded on a delegation's behalf.
        if comment.is_withdrawn:
            return "This comment was withdrawn, so it can no longer change: write a new one."
        return None
    if getattr(user, "delegation_id", None) != comment.delegation_id:
        return _(
            "Only the delegates of %(name)s can change its comments.", name=comment.delegation.name
        )
    if comment.is_withdrawn:
        return _("This comment was withdrawn, so it can no longer change: write a new one.")
    return _why_not_write(user, comment.consultation)


def _can_record(user, consultation) -> bool:
    """Who records a comment on a delegation's behalf (an oral statement, an e-mail, a
    letter): the secretariat, in a round it takes part in."""
    return is_secretariat(user) and _can_view_consultation(user, consultation)


def _why_not_support(user, comment) -> str | None:
    """Co-sponsoring: a delegate of another invited delegation, on a submitted amendment it
    can see."""
    if _can_support(user, comment):
        return None
    if getattr(user, "delegation_id", None) == comment.delegation_id:
        return _("Your delegation wrote this amendment: it cannot also co-sponsor it.")
    if not (comment.is_submitted and comment.is_amendment):
        return _("Only a submitted amendment can be co-sponsored.")
    reason = _why_not_write(user, comment.consultation)
    only = _("Only the delegates of another invited delegation can co-sponsor an amendment.")
    return f"{only} {reason or ''}"


def _why_not_take_stance(user, comment) -> str | None:
    """Support or objection: a delegate of another delegation taking part, on a submitted
    amendment it can see (a sealed one once revealed). No deadline: the room converges after
    the round, which is when sealed amendments are revealed."""
    if not is_delegate_of(user, getattr(user, "delegation_id", None)):
        return _("Support and objection are stated by the delegates of a delegation.")
    if not _can_view_comment(user, comment):
        return NOT_SHARED
    if user.delegation_id == comment.delegation_id:
        return _(
            "Your delegation proposed this amendment: it cannot support or object to it. "
            "Other delegations join it as co-sponsors."
        )
    if not comment.is_amendment:
        return _("Only an amendment can be supported or objected to.")
    if not comment.is_submitted:
        return _("This amendment was withdrawn: there is nothing left to support or object to.")
    return None


def _why_closed_now(user, consultation, *, late_ok: bool) -> str | None:
    """Why the round takes no write from the user's delegation at this instant, by the deadline
    rule (`deadlines`), which the operations apply again under the round's lock. Pages ask the
    "…_now" actions, so that they never offer what would be refused."""
    return why_closed(consultation, user.delegation_id, utcnow(), late_ok=late_ok)


def _why_not_write_now(user, consultation) -> str | None:
    return _why_not_write(user, consultation) or _why_closed_now(user, consultation, late_ok=True)


def _why_not_edit_now(user, comment) -> str | None:
    """Edit, submit or withdraw now: a draft may still be completed late where the round
    accepts late comments; a submitted comment changes only before the deadline; a comment the
    secretariat has decided on no longer changes."""
    if reason := _why_not_edit(user, comment):
        return reason
    if comment.decision is not None:
        return _(
            "The secretariat has already decided on this comment, so it can no longer "
            "change: write a new comment if your delegation's position has moved."
        )
    return why_closed(
        comment.consultation, comment.delegation_id, utcnow(), late_ok=comment.is_draft
    )


def _why_not_support_now(user, comment) -> str | None:
    return _why_not_support(user, comment) or _why_closed_now(
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


def _can_view_convergence(user, version) -> bool:
    """The chair's convergence view of a draft: the secretariat's too; the chair's once the
    draft is published. Which comments it counts is the reading rule's (visible_comments)."""
    if is_secretariat(user):
        return True
    if getattr(user, "role", None) != Role.CHAIR or not version.is_published:
        return False
    return takes_part(user, version.document)


def _secretariat(user, _target) -> bool:
    return is_secretariat(user)


def _can_open_round(user, version) -> bool:
    return is_secretariat(user) and version.is_published


def _follows_own_comments(user, version) -> bool:
    """Whether the reader is offered "what changed since the draft we commented on": a
    delegate, on a published draft."""
    return version.is_published and getattr(user, "role", None) == Role.DELEGATE


rules(
    {
        "consultation.create": when(
            _can_open_round,
            lambda user, version: (
                ROLE_REFUSAL
                if not is_secretariat(user)
                else _("Comments can only be asked on a published version.")
            ),
        ),
        "consultation.view": when(_can_view_consultation, NOT_SHARED),
        "consultation.manage": when(_secretariat),
        # Who learns of the extensions granted to other delegations, and so of the round's
        # state for everyone: a delegation sees the round close at its own deadline.
        "consultation.view_extensions": when(_secretariat),
        "comment.write": _why_not_write,
        "comment.view": when(_can_view_comment, NOT_SHARED),
        "comment.view_withdrawn": when(
            _sees_withdrawn, _l("A withdrawn comment stays on record for the secretariat only.")
        ),
        "comment.edit": _why_not_edit,
        "comment.record": when(
            _can_record,
            "The secretariat records comments on a delegation's behalf; delegates write their own.",
        ),
        "comment.support": _why_not_support,
        "comment.write_now": _why_not_write_now,
        "comment.edit_now": _why_not_edit_now,
        "comment.support_now": _why_not_support_now,
        "comment.take_stance": _why_not_take_stance,
        "comment.follow_own": when(_follows_own_comments),
        "compilation.view": when(
            _can_view_compilation,
            _l(
                "The compilation is read by the secretariat, and by the chair once the round's "
                "comments are revealed."
            ),
        ),
        "decision.record": when(_secretariat),
        "convergence.view": when(
            _can_view_convergence,
            _l(
                "The convergence view is the chair's and the secretariat's; delegations read the "
                "comments and decisions shared with them beside the draft."
            ),
        ),
        "decision.view": when(_can_view_decision, NOT_SHARED),
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
    if is_secretariat(user):  # the rule of "comment.view_withdrawn", in SQL
        shown = or_(
            shown,
            and_(Comment.status == CommentStatus.WITHDRAWN, Comment.submitted_dt.is_not(None)),
        )
    others = and_(Comment.consultation_id.in_(everything), shown)
    return stmt.where(or_(own, others))
