"""Support and objection beside another delegation's amendment on the draft page: state,
change or withdraw the delegation's stance (drafting/consultations/stances.py)."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template
from flask_babel import gettext as _
from flask_login import current_user, login_required

from drafting.auth.policy import why_not
from drafting.consultations import stances
from drafting.consultations.comment_forms import ActionForm, StanceForm
from drafting.consultations.models import Comment, StanceKind
from drafting.consultations.presenting import proposal_html
from drafting.consultations.refusals import ConsultationError
from drafting.extensions import db
from drafting.pages.comments.blueprint import anchor_of, bp, draft_url
from drafting.pages.comments.checks import check_action_form
from drafting.pages.comments.refusals import refused
from drafting.pages.consultations import load_comment


def _load(comment_id: int) -> Comment:
    comment = load_comment(comment_id)
    if reason := why_not(current_user, "comment.take_stance", comment):
        abort(refused(_("Not allowed"), reason, 403, comment.consultation, anchor_of(comment)))
    return comment


def _back(comment: Comment, message: str):
    flash(message, "success")
    return redirect(draft_url(comment.consultation_id, anchor_of(comment)), 303)


def _form_again(comment: Comment, form: StanceForm, error: str):
    """Nothing stored: the amendment, the reason and the form again, as the delegate typed it."""
    db.session.rollback()
    page = render_template(
        "comments/stance.html",
        comment=comment,
        consultation=comment.consultation,
        proposal=proposal_html(comment.kind, comment.paragraph, comment.proposed_text),
        form=form,
        error=error,
        anchor=anchor_of(comment),
    )
    return current_app.make_response((page, 422))


def _stated(comment: Comment, kind: str) -> str:
    name, code = current_user.delegation.name, comment.delegation.code
    if kind == StanceKind.SUPPORT:
        return _("%(name)s supports %(code)s's amendment.", name=name, code=code)
    return _("%(name)s objects to %(code)s's amendment.", name=name, code=code)


@bp.route("/comments/<id:comment_id>/stance", methods=["POST"])
@login_required
def state_stance(comment_id: int):
    comment = _load(comment_id)
    form = StanceForm()
    check_action_form(form)
    try:
        stances.state_stance(current_user, comment, form.kind.data or "", form.reason.data or "")
    except ConsultationError as exc:
        return _form_again(comment, form, str(exc))
    return _back(comment, _stated(comment, form.kind.data))


@bp.route("/comments/<id:comment_id>/stance/withdraw", methods=["POST"])
@login_required
def withdraw_stance(comment_id: int):
    comment = _load(comment_id)
    check_action_form(ActionForm())
    stances.withdraw_stance(current_user, comment)
    name = current_user.delegation.name
    return _back(
        comment,
        _(
            "%(name)s no longer states a stance on %(code)s's amendment.",
            name=name,
            code=comment.delegation.code,
        ),
    )
