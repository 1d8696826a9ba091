"""The one-button actions on comments: submit the delegation's drafts, submit or withdraw one,
join or leave an amendment as a co-sponsor. Each goes back to the comment on the draft page."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from flask import abort, current_app, flash, redirect, render_template
from flask_babel import gettext as _
from flask_babel import ngettext
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
    title = _("Too late") if isinstance(exc, DeadlineRefused) else _("Not done")
    return refused(title, str(exc), refusal_status(exc), comment.consultation, anchor_of(comment))


def _drafts_submitted(consultation, count: int):
    when = format_for(utcnow(), consultation.timezone, current_user)
    said = ngettext(
        "%(num)d draft comment was submitted on %(when)s: the secretariat has received them.",
        "%(num)d draft comments were submitted on %(when)s: the secretariat has received them.",
        count,
        when=when,
    )
    flash(said, "success")
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
        title = _("Too late") if isinstance(exc, DeadlineRefused) else _("Not submitted")
        return refused(title, str(exc), refusal_status(exc), consultation, "drafts")
    return _drafts_submitted(consultation, count)


def _changed_meanwhile(comment: Comment, what: str):
    """A one-button Submit or Withdraw pressed on a text a colleague has changed since: nothing
    done; the text as it now stands, and the buttons again, with its revision."""
    who = comment.updated_by.name if comment.updated_by else _("A colleague")
    when = format_for(comment.updated_dt, comment.consultation.timezone, current_user)
    said = (
        _(
            "%(who)s changed this comment on %(when)s, after you opened the page, so nothing "
            "was submitted. Read the text as it now stands, then decide again.",
            who=who,
            when=when,
        )
        if what == "submit"
        else _(
            "%(who)s changed this comment on %(when)s, after you opened the page, so nothing "
            "was withdrawn. Read the text as it now stands, then decide again.",
            who=who,
            when=when,
        )
    )
    page = render_template(
        "comments/changed.html",
        comment=comment,
        consultation=comment.consultation,
        what=what,
        message=said,
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
        return _done(comment, _("The comment is withdrawn. Its history is kept."))
    if not changed:
        return _done(comment, _("This comment had already been submitted."), "info")
    return _done(comment, saved_message(comment, True))


@bp.route("/comments/<id:comment_id>/submit", methods=["POST"])
@login_required
def submit(comment_id: int):
    comment = load_comment(comment_id)
    form = SubmitForm()
    check_action_form(form)
    if comment.is_submitted and _ours(comment):
        return _done(comment, _("This comment had already been submitted."), "info")
    require_edit(comment)
    revision = base_revision(form)
    return _one_button(
        comment,
        "submit",
        partial(commenting.submit_comment, current_user, comment, base_revision=revision),
    )


def _unconfirmed(comment: Comment):
    return refused(
        _("Not withdrawn"),
        _("Tick the box to confirm the withdrawal; nothing was changed."),
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
        return _done(comment, _("This comment had already been withdrawn."), "info")
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
        abort(refused(_("Not allowed"), reason, 403, comment.consultation, anchor_of(comment)))


def _support_refused(comment: Comment, exc: ConsultationError, *, joining: bool):
    """Co-sponsoring refused (the delegation's deadline has passed, the round closed early or
    not yet opened): nothing changed; the reason, back where the delegate was."""
    db.session.rollback()
    message = str(exc)
    if isinstance(exc, DeadlineRefused) and exc.deadline is not None:
        consultation = comment.consultation
        closed = consultation.closed_early_dt
        if closed is None or exc.now < closed:
            deadline = format_for(exc.deadline, consultation.timezone, current_user)
            name = current_user.delegation.name
            message = (
                _(
                    "%(name)s's deadline passed on %(when)s: it can no longer co-sponsor "
                    "amendments in this round. Nothing was changed.",
                    name=name,
                    when=deadline,
                )
                if joining
                else _(
                    "%(name)s's deadline passed on %(when)s: it can no longer stop co-sponsoring "
                    "amendments in this round. Nothing was changed.",
                    name=name,
                    when=deadline,
                )
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
    said = (
        _(
            "%(name)s now co-sponsors %(code)s's amendment.",
            name=current_user.delegation.name,
            code=comment.delegation.code,
        )
        if joining
        else _(
            "%(name)s no longer co-sponsors %(code)s's amendment.",
            name=current_user.delegation.name,
            code=comment.delegation.code,
        )
    )
    return _done(comment, said)


@bp.route("/comments/<id:comment_id>/support", methods=["POST"])
@login_required
def support(comment_id: int):
    return _co_sponsor(comment_id, joining=True)


@bp.route("/comments/<id:comment_id>/unsupport", methods=["POST"])
@login_required
def unsupport(comment_id: int):
    return _co_sponsor(comment_id, joining=False)
