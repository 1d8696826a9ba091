"""The comment form as a page: labelled for its kind, with what the delegate typed, a preview,
a colleague's text saved meanwhile, or the reason it was refused; and what is said once saved."""

from __future__ import annotations

import re

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from drafting.auth.policy import can
from drafting.consultations import commenting
from drafting.consultations.comment_forms import CommentForm
from drafting.consultations.models import Comment, CommentKind, Consultation
from drafting.consultations.presenting import proposal_html
from drafting.consultations.refusals import ConsultationError, DeadlineRefused, StaleEdit
from drafting.documents.models import Paragraph
from drafting.extensions import db
from drafting.pages.comments.deadline import reader_deadline
from drafting.pages.comments.refusals import Refusal, why_not_now
from drafting.text.markup import render_markdown
from drafting.times import format_for

ACTIONS = ("preview", "save", "submit")

# A paragraph's stable identity, as the documents store it: checked before it reaches a query.
UID = re.compile(r"^[0-9a-f]{32}$")


def parse_kind(raw: str | None) -> CommentKind | None:
    try:
        return CommentKind(raw or "")
    except ValueError:
        return None


def find_paragraph(consultation: Consultation, uid: str | None) -> Paragraph | None:
    """The paragraph of the consulted version with this identity; None for any other value,
    which is not even asked of the database."""
    if not uid or not UID.match(uid):
        return None
    return db.session.scalar(
        select(Paragraph).where(
            Paragraph.version_id == consultation.version_id, Paragraph.uid == uid
        )
    )


def pressed() -> str:
    """The button the delegate pressed: preview, save or submit (save for anything else)."""
    action = request.form.get("action", "save")
    return action if action in ACTIONS else "save"


def preview(form: CommentForm, kind: CommentKind | None, paragraph: Paragraph | None) -> dict:
    """What the comment will look like: the amendment as a redline, the text as rendered."""
    return {
        "proposal": proposal_html(kind, paragraph, form.proposed_text.data or ""),
        "body": render_markdown(form.body.data or ""),
        "quote": render_markdown(form.quote.data or "", inline=True),
    }


def _label_fields(form: CommentForm, kind: CommentKind | None) -> None:
    if kind is not None and kind.is_amendment:
        form.body.label.text = _("Justification (optional)")
    if kind == CommentKind.INSERT:
        form.proposed_text.label.text = _("The new paragraph")
    elif kind == CommentKind.REPLACE:
        form.proposed_text.label.text = _("New wording of the paragraph")


def form_page(
    consultation: Consultation,
    form: CommentForm,
    *,
    kind: CommentKind | None,
    paragraph: Paragraph | None,
    comment: Comment | None = None,
    status: int = 200,
    error: str | None = None,
    preview: dict | None = None,
    theirs: Comment | None = None,
    already_sent: bool = False,
    refusal: Refusal | None = None,
):
    """The comment form, as typed. ``theirs`` is the text stored meanwhile (a colleague's
    save, or the first sending of this same form when ``already_sent``), shown beside it.
    After a ``refusal`` the form keeps the text but offers only what can still be done."""
    _label_fields(form, kind)
    if refusal is not None and refusal.offer_new:
        form.form_token.data = commenting.new_form_token()
    deadline = reader_deadline(consultation)
    if comment is not None:
        may_send = can(current_user, "comment.edit_now", comment)
    else:
        may_send = can(current_user, "comment.write_now", consultation)
    return render_template(
        "comments/form.html",
        consultation=consultation,
        version=consultation.version,
        document=consultation.version.document,
        form=form,
        kind=kind,
        paragraph=paragraph,
        comment=comment,
        error=error,
        preview=preview,
        theirs=theirs,
        theirs_proposal=(
            proposal_html(theirs.kind, theirs.paragraph, theirs.proposed_text) if theirs else None
        ),
        already_sent=already_sent,
        may_edit_theirs=theirs is not None and can(current_user, "comment.edit", theirs),
        refusal=refusal,
        new_url=url_for("comments.new", consultation_id=consultation.id),
        deadline=deadline,
        may_send=may_send,
        may_write_now=can(current_user, "comment.write_now", consultation),
        ends_at_deadline=not ((comment is None or comment.is_draft) and deadline.keeps_late_writes),
        closed_reason=None if may_send else why_not_now(consultation, comment),
        action_url=(
            url_for("comments.edit", comment_id=comment.id)
            if comment
            else url_for("comments.new", consultation_id=consultation.id)
        ),
    ), status


def refusal_status(exc: ConsultationError) -> int:
    return 409 if isinstance(exc, DeadlineRefused | StaleEdit) else 422


def saved_message(comment: Comment, submitted: bool) -> str:
    if submitted:
        when = format_for(comment.submitted_dt, comment.consultation.timezone, current_user)
        said = _("Submitted on %(when)s: the secretariat has received it.", when=when)
        if comment.is_late:
            said += " " + _("It came after the deadline and is marked late.")
        return said
    return _(
        "Saved as %(name)s's draft: your colleagues can read and edit it. "
        "Submit it before the deadline.",
        name=comment.delegation.name,
    )


def sent_again_message(comment: Comment) -> str:
    """What a delegate is told when the same form comes back with the same text."""
    if comment.is_submitted:
        first = _("This form had already been sent, so your comment was saved once.")
        return f"{first} {saved_message(comment, True)}"
    if comment.is_withdrawn:
        return _(
            "This form had already been sent, so your comment was saved once; it has since "
            "been withdrawn."
        )
    return _(
        "This form had already been sent, so your comment was saved once, as %(name)s's "
        "draft. Submit it before the deadline.",
        name=comment.delegation.name,
    )
