"""The one-button actions on comments: submit the delegation's drafts, submit or withdraw one,
join or leave an amendment as a co-sponsor. Each goes back to the comment on the draft page."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from flask import abort, current_app, flash, redirect, render_template
from flask_login import current_user, login_required

from drafting.auth.policy import why_not
from drafting.consultations import commenting, cosponsoring
from drafting.consultations.comment_forms import ActionForm, SubmitForm, WithdrawForm
from drafting.consultations.models import Comment
from drafting.consultations.presenting import proposal_html
from drafting.consultations.refusals import ConsultationError, DeadlineRefused, StaleEdit
from drafting.database import utcnow
from drafting.extensions import db
from drafting.pages.comments.blueprint import anchor_of, bp, draft_url
from drafting.pages.comments.checks import base_revision, check_action_form
from drafting.pages.comments.form_page import refusal_status, saved_message
from drafting.pages.comments.refusals import (
    refused,
    require_edit,
    require_write,
)
from drafting.pages.consultations import load_comment, load_consultation
from drafting.times import format_for


def _done(comment: Comment, message: str, category: str = "success"):
    flash(message, category)
    return redirect(draft_url(comment.consultation_id, anchor_of(comment)), 303)


def _action_refused(comment: Comment, exc: ConsultationError):
    title = "Too late" if isinstance(exc, DeadlineRefused) else "Not done"
    return refused(title, str(exc), refusal_status(exc), comment.consultation, anchor_of(comment))


def _drafts_submitted(consultation, count: int):
    noun = "draft comment was" if count == 1 else "draft comments were"
    when = format_for(utcnow(), consultation.timezone, current_user)
    flash(f"{count} {noun} submitted on {when}: the secretariat has received them.", "success")
    return redirect(draft_url(consultation.id, "drafts"), 303)


@bp.route("/consultations/<id:consultation_id>/comments/submit", methods=["POST"])
@login_required
def submit_drafts(consultation_id: int):
    consultation = load_consultation(consultation_id)
    check_action_form(ActionForm())
    require_write(consultation)
    try:
        count = commenting.submit_drafts(current_user, consultation)
    except ConsultationError as exc:
        title = "Too late" if isinstance(exc, DeadlineRefused) else "Not submitted"
        return refused(title, str(exc), refusal_status(exc), consultation, "drafts")
    return _drafts_submitted(consultation, count)


def _changed_meanwhile(comment: Comment, what: str):
    """A one-button Submit or Withdraw pressed on a text a colleague has changed since: nothing
    done; the text as it now stands, and the buttons again, with its revision."""
    who = comment.updated_by.name if comment.updated_by else "A colleague"
    when = format_for(comment.updated_dt, comment.consultation.timezone, current_user)
    done = "submitted" if what == "submit" else "withdrawn"
    page = render_template(
        "comments/changed.html",
        comment=comment,
        consultation=comment.consultation,
        what=what,
        message=(
            f"{who} changed this comment on {when}, after you opened the page, so nothing was "
            f"{done}. Read the text as it now stands, then decide again."
        ),
        proposal=(
            proposal_html(comment.kind, comment.paragraph, comment.proposed_text)
            if comment.is_amendment
            else None
        ),
        anchor=anchor_of(comment),
        submit_form=SubmitForm(formdata=None, data={"base_revision": str(comment.revision)}),
        withdraw_form=WithdrawForm(formdata=None, data={"base_revision": str(comment.revision)}),
    )
    return current_app.make_response((page, 409))


def _ours(comment: Comment) -> bool:
    return comment.delegation_id == current_user.delegation_id


def _one_button(comment: Comment, what: str, operation: Callable[[], object]):
    """Submit or withdraw ``comment`` at the revision the delegate read: on a text a colleague
    changed since, nothing is done and the text is shown again; a refusal says why."""
    try:
        changed = operation()
    except StaleEdit as exc:
        return _changed_meanwhile(exc.comment, what)
    except ConsultationError as exc:
        return _action_refused(comment, exc)
    if what == "withdraw":
        return _done(comment, "The comment is withdrawn. Its history is kept.")
    if not changed:
        return _done(comment, "This comment had already been submitted.", "info")
    return _done(comment, saved_message(comment, True))


@bp.route("/comments/<id:comment_id>/submit", methods=["POST"])
@login_required
def submit(comment_id: int):
    comment = load_comment(comment_id)
    form = SubmitForm()
    check_action_form(form)
    if comment.is_submitted and _ours(comment):
        return _done(comment, "This comment had already been submitted.", "info")
    require_edit(comment)
    revision = base_revision(form)
    return _one_button(
        comment,
        "submit",
        partial(commenting.submit_comment, current_user, comment, base_revision=revision),
    )


def _unconfirmed(comment: Comment):
    return refused(
        "Not withdrawn",
        "Tick the box to confirm the withdrawal; nothing was changed.",
        422,
        comment.consultation,
        anchor_of(comment),
    )


@bp.route("/comments/<id:comment_id>/withdraw", methods=["POST"])
@login_required
def withdraw(comment_id: int):
    comment = load_comment(comment_id)
    form = WithdrawForm()
    if comment.is_withdrawn and _ours(comment):
        return _done(comment, "This comment had already been withdrawn.", "info")
    require_edit(comment)
    revision = base_revision(form)
    if not form.validate_on_submit():
        return _unconfirmed(comment)
    withdrawing = partial(
        commenting.withdraw_comment, current_user, comment, base_revision=revision
    )
    return _one_button(comment, "withdraw", withdrawing)


def _require_support(comment: Comment) -> None:
    if reason := why_not(current_user, "comment.support", comment):
        abort(refused("Not allowed", reason, 403, comment.consultation, anchor_of(comment)))


def _support_refused(comment: Comment, exc: ConsultationError, *, joining: bool):
    """Co-sponsoring refused (the delegation's deadline has passed, the round closed early or
    not yet opened): nothing changed; the reason, back where the delegate was."""
    db.session.rollback()
    message = str(exc)
    if isinstance(exc, DeadlineRefused) and exc.deadline is not None:
        consultation = comment.consultation
        closed = consultation.closed_early_dt
        if closed is None or exc.now < closed:
            what = "co-sponsor amendments" if joining else "stop co-sponsoring amendments"
            deadline = format_for(exc.deadline, consultation.timezone, current_user)
            message = (
                f"{current_user.delegation.name}'s deadline passed on {deadline}: it can no longer "
                f"{what} in this round. Nothing was changed."
            )
    return _done(comment, message, "error")


def _co_sponsor(comment_id: int, *, joining: bool):
    """Join or leave an amendment as a co-sponsor: the two buttons differ only in the
    operation and what is said afterwards."""
    comment = load_comment(comment_id)
    check_action_form(ActionForm())
    _require_support(comment)
    change = cosponsoring.support_comment if joining else cosponsoring.withdraw_support
    try:
        change(current_user, comment)
    except ConsultationError as exc:
        return _support_refused(comment, exc, joining=joining)
    now = "now co-sponsors" if joining else "no longer co-sponsors"
    return _done(
        comment, f"{current_user.delegation.name} {now} {comment.delegation.code}'s amendment."
    )


@bp.route("/comments/<id:comment_id>/support", methods=["POST"])
@login_required
def support(comment_id: int):
    return _co_sponsor(comment_id, joining=True)


@bp.route("/comments/<id:comment_id>/unsupport", methods=["POST"])
@login_required
def unsupport(comment_id: int):
    return _co_sponsor(comment_id, joining=False)
