"""Writing a comment and changing it: the two forms are taken by one flow.

A sent form is taken in one step, ``take_form``, that returns an outcome: ``Saved``, with what to
tell the delegate, or ``FormAgain``, with the reason, a preview or a colleague's text; each view
maps the outcome to its page. The deadline is the operations' business: they read the server's
clock inside the writing transaction. A refusal brings the form back with the reason and with
every field as typed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from flask import abort, flash, redirect, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from drafting.consultations import commenting
from drafting.consultations.comment_forms import CommentForm
from drafting.consultations.models import Comment, CommentKind, Consultation
from drafting.consultations.refusals import AlreadySent, ConsultationError, StaleEdit
from drafting.documents.models import Paragraph, ParagraphKind
from drafting.extensions import csrf
from drafting.pages.comments.blueprint import anchor_of, bp, draft_url
from drafting.pages.comments.checks import (
    base_revision,
    check_action_form,
    check_delegation,
)
from drafting.pages.comments.form_page import (
    UID,
    find_paragraph,
    form_page,
    parse_kind,
    pressed,
    preview,
    refusal_status,
    saved_message,
    sent_again_message,
)
from drafting.pages.comments.refusals import (
    Refusal,
    edit_refusal,
    require_edit,
    require_now,
    require_write,
)
from drafting.pages.consultations import load_comment, load_consultation
from drafting.web.csrf import FORM_EXPIRED, form_token_refused


@dataclass(frozen=True, slots=True)
class Saved:
    """The comment is stored: say so, and take the delegate back to it on the draft page."""

    comment: Comment
    message: str
    category: str = "success"


@dataclass(frozen=True, slots=True)
class FormAgain:
    """Nothing is stored: the form comes back as typed, with why (``status``, ``error``), a
    ``preview``, or ``theirs``, the text stored meanwhile."""

    status: int = 200
    error: str | None = None
    preview: dict | None = None
    theirs: Comment | None = None
    already_sent: bool = False  # ``theirs`` is this same form, sent before
    refusal: Refusal | None = None


Outcome = Saved | FormAgain


def take_form(
    form: CommentForm,
    kind: CommentKind | None,
    paragraph: Paragraph | None,
    save: Callable[[bool], Outcome],
    *,
    refusal: Refusal | None = None,
) -> Outcome:
    """The one way a comment form is taken: this session's token, then what forbids the change
    (``refusal``), then the form itself; then a preview, or ``save(submit)``."""
    if form_token_refused():
        return FormAgain(400, _(FORM_EXPIRED))
    if refusal is not None:
        # Withdrawn or decided meanwhile, or no longer the delegate's to change: the reason,
        # and the text as typed.
        return FormAgain(refusal.status, refusal.on_the_form, refusal=refusal)
    check_delegation(form)
    check_action_form(form)
    action = pressed()
    if action == "preview":
        return FormAgain(preview=preview(form, kind, paragraph))
    return save(action == "submit")


def answer(
    outcome: Outcome,
    consultation: Consultation,
    form: CommentForm,
    *,
    kind: CommentKind | None,
    paragraph: Paragraph | None,
    comment: Comment | None = None,
):
    """The page for an outcome: back to the comment on the draft page once saved, else the form
    as typed."""
    if isinstance(outcome, Saved):
        flash(outcome.message, outcome.category)
        return redirect(draft_url(consultation.id, anchor_of(outcome.comment)), 303)
    return form_page(
        consultation,
        form,
        kind=kind,
        paragraph=paragraph,
        comment=comment,
        status=outcome.status,
        error=outcome.error,
        preview=outcome.preview,
        theirs=outcome.theirs,
        already_sent=outcome.already_sent,
        refusal=outcome.refusal,
    )


# ---------------------------------------------------------------------------------------------
# A new comment


def _asked_place(consultation: Consultation) -> tuple[CommentKind, Paragraph | None]:
    """The kind of comment and the paragraph a link to the form asks for, or 400 saying why
    they cannot be."""
    uid = request.args.get("paragraph", "").strip()
    if uid and not UID.match(uid):
        abort(
            400,
            description=(
                "“paragraph” is not the identity of a paragraph (32 digits and letters a "
                "to f, as in the links of the draft page). Choose a paragraph on the draft "
                "page."
            ),
        )
    raw_kind = request.args.get("kind") or ("paragraph" if uid else "general")
    kind = parse_kind(raw_kind)
    if kind is None:
        abort(400, description=_("“%(kind)s” is not a kind of comment.", kind=raw_kind[:20]))
    paragraph = find_paragraph(consultation, uid) if kind.needs_paragraph else None
    if kind.needs_paragraph and paragraph is None:
        abort(
            400,
            description=(
                _(
                    "That paragraph is not part of %(version)s, the version this round is "
                    "about. Choose a paragraph on the draft page.",
                    version=consultation.version.label,
                )
            ),
        )
    if kind == CommentKind.SECTION and paragraph.kind != ParagraphKind.HEADING:
        abort(400, description=_("A comment on a section is made on its heading."))
    if kind in (CommentKind.REPLACE, CommentKind.DELETE) and (
        paragraph.kind == ParagraphKind.TITLE
    ):
        abort(400, description=_("Propose a change to the title as a general comment."))
    return kind, paragraph


def _blank_form(kind: CommentKind, paragraph: Paragraph | None) -> CommentForm:
    return CommentForm(
        formdata=None,
        data={
            "kind": kind.value,
            "paragraph": paragraph.uid if paragraph else "",
            "form_token": commenting.new_form_token(),
            "delegation_id": str(current_user.delegation_id),
            "proposed_text": paragraph.text if kind == CommentKind.REPLACE else "",
            "quote_language": request.args.get("language", "")[:8],
        },
    )


def _sent_place(
    consultation: Consultation, form: CommentForm
) -> tuple[CommentKind | None, Paragraph | None]:
    kind = parse_kind(form.kind.data)
    paragraph = find_paragraph(consultation, form.paragraph.data)
    if kind is not None and not kind.needs_paragraph:
        paragraph = None
    return kind, paragraph


def _create(consultation: Consultation, form: CommentForm, submit: bool) -> Outcome:
    try:
        comment, created = commenting.create_comment(
            current_user,
            consultation,
            kind=form.kind.data or "",
            paragraph_uid=form.paragraph.data or None,
            quote=form.quote.data or "",
            quote_language=form.quote_language.data or "",
            body=form.body.data or "",
            proposed_text=form.proposed_text.data or "",
            form_token=form.form_token.data or None,
            submit=submit,
        )
    except AlreadySent as exc:
        # Sent again with other text: both are shown, neither is lost.
        return FormAgain(409, str(exc), theirs=exc.comment, already_sent=True)
    except ConsultationError as exc:
        return FormAgain(refusal_status(exc), str(exc))
    if created:
        return Saved(comment, saved_message(comment, comment.is_submitted))
    return Saved(comment, sent_again_message(comment), "info")


@bp.route("/consultations/<id:consultation_id>/comments/new", methods=["GET", "POST"])
@csrf.exempt  # checked in the view, after the round and the right to write: see form_token_refused
@login_required
def new(consultation_id: int):
    consultation = load_consultation(consultation_id)
    require_write(consultation)
    if request.method == "GET":
        kind, paragraph = _asked_place(consultation)
        require_now("comment.write_now", consultation, consultation)
        return form_page(consultation, _blank_form(kind, paragraph), kind=kind, paragraph=paragraph)
    form = CommentForm()
    kind, paragraph = _sent_place(consultation, form)
    outcome = take_form(form, kind, paragraph, partial(_create, consultation, form))
    return answer(outcome, consultation, form, kind=kind, paragraph=paragraph)


# ---------------------------------------------------------------------------------------------
# Changing a comment


def _form_of(comment: Comment) -> CommentForm:
    return CommentForm(
        formdata=None,
        data={
            "kind": comment.kind.value,
            "paragraph": comment.paragraph_uid or "",
            "delegation_id": str(current_user.delegation_id),
            "base_revision": str(comment.revision),
            "quote": comment.quote,
            "quote_language": comment.quote_language,
            "body": comment.body,
            "proposed_text": comment.proposed_text,
        },
    )


def _change(comment: Comment, form: CommentForm, submit: bool) -> Outcome:
    was_draft, before = comment.is_draft, base_revision(form)
    try:
        commenting.edit_comment(
            current_user,
            comment,
            base_revision=before,
            quote=form.quote.data or "",
            quote_language=form.quote_language.data or "",
            body=form.body.data or "",
            proposed_text=form.proposed_text.data or "",
            submit=submit,
        )
    except StaleEdit as exc:
        form.base_revision.data = str(exc.comment.revision)  # the next save merges over theirs
        return FormAgain(409, str(exc), theirs=exc.comment)
    except ConsultationError as exc:
        # Withdrawn or decided in the instant between the check before and the lock: the
        # operation saw it; say so as take_form does.
        refusal = edit_refusal(comment)
        if refusal is None:
            return FormAgain(refusal_status(exc), str(exc))
        return FormAgain(refusal.status, refusal.on_the_form, refusal=refusal)
    if comment.revision == before:
        return Saved(comment, _("Nothing had changed, so nothing was saved."), "info")
    if was_draft and comment.is_submitted:
        return Saved(comment, saved_message(comment, True))
    return Saved(
        comment, _("Your changes are saved; the earlier text is kept in the comment's history.")
    )


@bp.route("/comments/<id:comment_id>/edit", methods=["GET", "POST"])
@csrf.exempt  # checked in the view, after the comment is found and visible: see form_token_refused
@login_required
def edit(comment_id: int):
    comment = load_comment(comment_id)
    consultation, kind, paragraph = comment.consultation, comment.kind, comment.paragraph
    if request.method == "GET":
        require_edit(comment)
        require_now("comment.edit_now", comment, consultation, anchor_of(comment))
        return form_page(
            consultation, _form_of(comment), kind=kind, paragraph=paragraph, comment=comment
        )
    form = CommentForm()
    refusal = edit_refusal(comment)
    if refusal is not None and not refusal.ours:
        require_edit(comment)  # another delegation's comment: it never had this form
    outcome = take_form(form, kind, paragraph, partial(_change, comment, form), refusal=refusal)
    return answer(outcome, consultation, form, kind=kind, paragraph=paragraph, comment=comment)
