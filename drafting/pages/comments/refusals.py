"""Asking the policy about comments, with a reason a person can read when it refuses.

A refusal is said at once, before the delegate writes their text, when the form is asked for;
when a form is sent anyway, the form comes back with the reason and the text as typed.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, current_app, render_template
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from drafting.auth.policy import can, why_not
from drafting.consultations.models import Comment, Consultation, Decision
from drafting.database import utcnow
from drafting.extensions import db
from drafting.pages.comments.blueprint import anchor_of, bp, draft_url
from drafting.times import format_for


@bp.errorhandler(413)
def _too_long(_exc):
    limit = current_app.config["MAX_COMMENT_CHARS"]
    return refused(
        _("Comment not saved"),
        _(
            "What was sent is far longer than a comment may be (at most %(limit)s characters), "
            "so nothing was read or saved. Shorten it, or send a long contribution to the "
            "secretariat as a document.",
            limit=f"{limit:,}",
        ),
        413,
    )


def why_not_write(consultation: Consultation) -> str:
    return why_not(current_user, "comment.write", consultation) or ""


def require_write(consultation: Consultation) -> None:
    if not can(current_user, "comment.write", consultation):
        abort(refused(_("Not allowed"), why_not_write(consultation), 403, consultation))


def why_not_now(consultation: Consultation, comment: Comment | None = None) -> str:
    """Why the round takes nothing (or not this comment's change) from the reader now."""
    if comment is not None:
        return why_not(current_user, "comment.edit_now", comment) or ""
    return why_not(current_user, "comment.write_now", consultation) or ""


def require_now(action: str, target, consultation: Consultation, anchor=None) -> None:
    """A form asked for when the round no longer (or not yet) takes it: say why at once rather
    than after the delegate has written their text."""
    if not can(current_user, action, target):
        title = _("Not open yet") if not consultation.has_opened(utcnow()) else _("Too late")
        reason = why_not(current_user, action, target)
        abort(refused(title, reason, 409, consultation, anchor))


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why the current user may not change a comment now: a title, the reason, the status."""

    title: str
    message: str
    status: int
    ours: bool  # the comment is the user's delegation's own (they may have its form open)
    offer_new: bool = False  # the typed text can still become a new comment

    @property
    def on_the_form(self) -> str:
        """The reason as said beside a form sent back with what the delegate typed."""
        kept = " " + _("Nothing of yours was saved: your text is kept below.")
        if self.offer_new:
            kept += " " + _("“Save as a new draft” keeps it as a new comment of your delegation.")
        return self.message + kept


def edit_refusal(comment: Comment) -> Refusal | None:
    """None when the current user may change ``comment`` (the deadline aside: the operations
    decide it), else why not: 409 when a colleague or the secretariat changed it meanwhile."""
    # The secretariat corrects a comment it recorded on a delegation's behalf.
    theirs = comment.delegation_id != current_user.delegation_id
    if theirs and not can(current_user, "comment.edit", comment):
        return Refusal(
            _("Not allowed"),
            _(
                "Only the delegates of %(name)s can change its comments.",
                name=comment.delegation.name,
            ),
            403,
            ours=False,
        )
    if comment.is_withdrawn:
        who = comment.updated_by.name if comment.updated_by else _("A colleague")
        when = format_for(comment.withdrawn_dt, comment.consultation.timezone, current_user)
        return Refusal(
            _("Withdrawn"),
            _(
                "%(who)s withdrew this comment on %(when)s, so it can no longer change: write a "
                "new one if your delegation still wants to say it.",
                who=who,
                when=when,
            ),
            409,
            ours=True,
            offer_new=True,
        )
    if not can(current_user, "comment.edit", comment):
        return Refusal(_("Not allowed"), why_not_write(comment.consultation), 403, ours=True)
    if _is_decided(comment):
        return Refusal(
            _("Already decided"),
            _(
                "The secretariat has already decided on this comment, so it can no longer "
                "change: write a new comment if your delegation's position has moved."
            ),
            409,
            ours=True,
            offer_new=True,
        )
    return None


def _is_decided(comment: Comment) -> bool:
    """Asked of the database rather than of ``comment.decision``: loading the relationship
    here would leave the operation, which checks it again under the lock, a stale answer."""
    found = db.session.scalar(select(Decision.id).where(Decision.comment_id == comment.id))
    return found is not None


def require_edit(comment: Comment) -> None:
    refusal = edit_refusal(comment)
    if refusal is not None:
        abort(
            refused(
                refusal.title,
                refusal.message,
                refusal.status,
                comment.consultation,
                anchor_of(comment),
            )
        )


def refused(title: str, message: str, status: int, consultation=None, anchor=None):
    """A refusal a person can read, with the way back to where they were."""
    back = None
    if consultation is not None and can(current_user, "consultation.view", consultation):
        back = draft_url(consultation.id, anchor)
    page = render_template("comments/refused.html", title=title, message=message, back=back)
    return current_app.make_response((page, status))
