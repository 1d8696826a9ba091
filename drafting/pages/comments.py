"""Pages where a delegation writes, previews, submits, edits, withdraws and co-sponsors comments.

The draft page shows the consulted version paragraph by paragraph with, beside each, the
comments the reader may see: one query for all of them, narrowed by the policy in SQL, so that
the page costs the same number of queries for ten comments or five thousand.

The deadline is the operations' business: they read the server's clock inside the writing
transaction. A refusal brings the form back with the reason and with every field as typed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from flask_wtf.csrf import CSRFError
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from drafting.auth.models import Delegation
from drafting.auth.policy import can, why_not
from drafting.compare.html import diff_to_html
from drafting.compare.words import diff_words
from drafting.consultations import operations
from drafting.consultations.comment_forms import (
    ActionForm,
    CommentForm,
    SubmitForm,
    WithdrawForm,
)
from drafting.consultations.deadlines import Window
from drafting.consultations.models import (
    Comment,
    CommentKind,
    CommentStatus,
    Consultation,
    Decision,
    Support,
)
from drafting.consultations.operations import (
    AlreadySent,
    ConsultationError,
    DeadlineRefused,
    StaleEdit,
)
from drafting.consultations.policy import visible_comments
from drafting.consultations.presenting import (
    full_stop,
    paragraph_name,
    proposal_html,
    reflected_place,
)
from drafting.consultations.queries import load_paragraphs
from drafting.database import utcnow
from drafting.documents.models import Paragraph, ParagraphKind
from drafting.extensions import csrf, db
from drafting.pages.consultations import load_consultation
from drafting.text.markup import render_markdown
from drafting.times import countdown, format_for, iso_instant
from drafting.web import require

bp = Blueprint("comments", __name__)
bp.add_app_template_global(paragraph_name)
bp.add_app_template_filter(full_stop)
bp.add_app_template_global(reflected_place)

ACTIONS = ("preview", "save", "submit")

# A paragraph's stable identity, as the documents store it: checked before it reaches a query.
_UID = re.compile(r"^[0-9a-f]{32}$")

SESSION_EXPIRED = (
    "Your session expired or the form is too old; your text is kept: send it again. "
    "Nothing was saved."
)


@bp.errorhandler(413)
def _too_long(_exc):
    limit = current_app.config["MAX_COMMENT_CHARS"]
    return _refused(
        "Comment not saved",
        f"What was sent is far longer than a comment may be (at most {limit:,} characters), "
        "so nothing was read or saved. Shorten it, or send a long contribution to the "
        "secretariat as a document.",
        413,
    )


# ---------------------------------------------------------------------------------------------
# Loading and asking the policy


def _load_comment(comment_id: int) -> Comment:
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        abort(404)
    load_consultation(comment.consultation_id)  # the round, eagerly, into the identity map
    require("comment.view", comment, hide=True)
    return comment


def _why_not_write(consultation: Consultation) -> str:
    return why_not(current_user, "comment.write", consultation) or ""


def _require_write(consultation: Consultation) -> None:
    if not can(current_user, "comment.write", consultation):
        abort(_refused("Not allowed", _why_not_write(consultation), 403, consultation))


def _why_not_now(consultation: Consultation, comment: Comment | None = None) -> str:
    """Why the round takes nothing (or not this comment's change) from the reader now."""
    if comment is not None:
        return why_not(current_user, "comment.edit_now", comment) or ""
    return why_not(current_user, "comment.write_now", consultation) or ""


def _require_now(action: str, target, consultation: Consultation, anchor=None) -> None:
    """A form asked for when the round no longer (or not yet) takes it: say why at once rather
    than after the delegate has written their text."""
    if not can(current_user, action, target):
        title = "Not open yet" if not consultation.has_opened(utcnow()) else "Too late"
        reason = why_not(current_user, action, target)
        abort(_refused(title, reason, 409, consultation, anchor))


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
        kept = " Nothing of yours was saved: your text is kept below."
        if self.offer_new:
            kept += " “Save as a new draft” keeps it as a new comment of your delegation."
        return self.message + kept


def _edit_refusal(comment: Comment) -> Refusal | None:
    """None when the current user may change ``comment`` (the deadline aside: the operations
    decide it), else why not: 409 when a colleague or the secretariat changed it meanwhile."""
    if comment.delegation_id != current_user.delegation_id:
        return Refusal(
            "Not allowed",
            f"Only the delegates of {comment.delegation.name} can change its comments.",
            403,
            ours=False,
        )
    if comment.is_withdrawn:
        who = comment.updated_by.name if comment.updated_by else "A colleague"
        when = format_for(comment.withdrawn_dt, comment.consultation.timezone, current_user)
        return Refusal(
            "Withdrawn",
            f"{who} withdrew this comment on {when}, so it can no longer change: write a new "
            "one if your delegation still wants to say it.",
            409,
            ours=True,
            offer_new=True,
        )
    if not can(current_user, "comment.edit", comment):
        return Refusal("Not allowed", _why_not_write(comment.consultation), 403, ours=True)
    if _is_decided(comment):
        return Refusal(
            "Already decided",
            "The secretariat has already decided on this comment, so it can no longer change: "
            "write a new comment if your delegation's position has moved.",
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


def _require_edit(comment: Comment) -> None:
    refusal = _edit_refusal(comment)
    if refusal is not None:
        abort(
            _refused(
                refusal.title,
                refusal.message,
                refusal.status,
                comment.consultation,
                _anchor_of(comment),
            )
        )


def _csrf_ok() -> bool:
    """Whether the form carries this session's CSRF token. The comment forms check it here
    rather than before the view, so that a refused token gives the text back instead of
    losing it; nothing is stored without it."""
    if not current_app.config["WTF_CSRF_ENABLED"]:
        return True
    try:
        csrf.protect()
    except CSRFError:
        return False
    return True


_REVISION = re.compile(r"^[0-9]{1,9}$")


def _base_revision(form) -> int:
    """The revision of the comment the delegate was reading when they pressed the button."""
    raw = (form.base_revision.data or "").strip()
    if not _REVISION.match(raw):
        abort(
            400,
            description=(
                "This form does not say which revision of the comment you were reading, so "
                "nothing was done. Reload the page and try again."
            ),
        )
    return int(raw)


def _check_delegation(form: CommentForm) -> None:
    """The delegation is always the writer's own: a form naming another one was tampered with."""
    sent = (form.delegation_id.data or "").strip()
    if sent and sent != str(current_user.delegation_id):
        abort(
            400,
            description=(
                "This form names another delegation than yours, so nothing was saved. Comments "
                f"are always written on behalf of your own delegation, "
                f"{current_user.delegation.name}."
            ),
        )


def _check_action_form(form) -> None:
    if not form.validate_on_submit():
        abort(400, description="This form was not sent from a page of this service.")


def _refused(title: str, message: str, status: int, consultation=None, anchor=None):
    """A refusal a person can read, with the way back to where they were."""
    back = None
    if consultation is not None and can(current_user, "consultation.view", consultation):
        back = url_for("comments.draft", consultation_id=consultation.id, _anchor=anchor)
    page = render_template("comments/refused.html", title=title, message=message, back=back)
    return current_app.make_response((page, status))


# ---------------------------------------------------------------------------------------------
# What the pages show


def accepts_writes(consultation: Consultation, delegation_id: int | None, now: datetime) -> bool:
    """Whether the round would take this delegation's new comment now, to decide which buttons
    to show (the operations apply the same rule again when a form is sent)."""
    return consultation.window_for(delegation_id, now, late_ok=True).takes_writes


def _anchor_of(comment: Comment) -> str:
    if comment.paragraph_uid:
        return f"p-{comment.paragraph_uid[:12]}"
    return "general"


def _draft_url(consultation_id: int, anchor: str | None) -> str:
    return url_for("comments.draft", consultation_id=consultation_id, _anchor=anchor)


@dataclass
class Deadline:
    """The reader's deadline, and whether the round takes writes from their delegation now."""

    consultation: Consultation
    now: datetime
    delegation_id: int | None
    at: datetime = field(init=False)
    writable: bool = field(init=False)

    def __post_init__(self) -> None:
        self.at = self.consultation.deadline_for(self.delegation_id)
        self.writable = accepts_writes(self.consultation, self.delegation_id, self.now)

    @property
    def state(self) -> str:
        if not self.consultation.has_opened(self.now):
            return "upcoming"
        if self.now < self.at:
            return "open"
        return "late" if self.writable else "closed"

    @property
    def left(self) -> str:
        return countdown(self.now, self.at, precise=True)

    @property
    def at_iso(self) -> str:
        return iso_instant(self.at)

    @property
    def now_iso(self) -> str:
        return iso_instant(self.now)

    @property
    def keeps_late_writes(self) -> bool:
        """Whether, once the deadline has come, the round still takes new comments and drafts
        from this delegation (marked late): the actions the countdown leaves in the page."""
        window = self.consultation.window_for(self.delegation_id, self.at, late_ok=True)
        return window == Window.LATE_ACCEPTED

    @property
    def extension(self):
        return self.consultation.extension_for(self.delegation_id)

    @property
    def closed_early(self) -> bool:
        closed = self.consultation.closed_early_dt
        return closed is not None and self.now >= closed


def _deadline(consultation: Consultation) -> Deadline:
    return Deadline(consultation, utcnow(), current_user.delegation_id)


# ---------------------------------------------------------------------------------------------
# The draft with its comments


@dataclass(slots=True)
class Shown:
    """A comment as the reader sees it on the draft page, with what the reader may do with it:
    asked of the policy once here rather than from the template, for thousands of comments."""

    comment: Comment
    proposal: Markup | None
    own: bool
    may_edit: bool
    may_support: bool
    supporting: bool
    decision: Decision | None
    ends_at_deadline: bool  # the countdown takes its Edit, Submit, Withdraw away at zero


def _shown(comments, paragraph_by_uid: dict, deadline: Deadline) -> list[Shown]:
    user = current_user._get_current_object()
    mine = user.delegation_id
    shown = []
    for c in comments:
        own = c.delegation_id == mine
        others_amendment = not own and c.is_submitted and c.is_amendment
        proposal = None
        if c.is_amendment:
            proposal = proposal_html(c.kind, paragraph_by_uid.get(c.paragraph_uid), c.proposed_text)
        shown.append(
            Shown(
                comment=c,
                proposal=proposal,
                own=own,
                may_edit=own and can(user, "comment.edit_now", c),
                may_support=others_amendment and can(user, "comment.support_now", c),
                supporting=any(s.delegation_id == mine for s in c.supports),
                decision=c.decision if c.decision and can(user, "decision.view", c) else None,
                ends_at_deadline=not (c.is_draft and deadline.keeps_late_writes),
            )
        )
    return shown


def _filters(consultation: Consultation) -> tuple[Delegation | None, CommentKind | None, bool]:
    code = request.args.get("delegation", "").strip()
    chosen = None
    if code:
        chosen = next((d for d in consultation.invited if d.code == code), None)
        if chosen is None:
            abort(400, description=f"“{code[:20]}” is not a delegation invited to this round.")
    raw_kind = request.args.get("kind", "").strip()
    kind = None
    if raw_kind:
        try:
            kind = CommentKind(raw_kind)
        except ValueError:
            abort(400, description=f"“{raw_kind[:20]}” is not a kind of comment.")
    return chosen, kind, request.args.get("only") == "commented"


@bp.route("/consultations/<id:consultation_id>/draft")
@login_required
def draft(consultation_id: int):
    consultation = load_consultation(consultation_id)
    chosen, kind, only_commented = _filters(consultation)
    paragraphs = load_paragraphs(consultation)
    stmt = (
        select(Comment)
        .where(Comment.consultation_id == consultation.id)
        .options(
            # Joined, not "selectin": a select-in load asks again for every 500 comments, and
            # not at all when there are none, so the count of queries would vary.
            joinedload(Comment.supports).joinedload(Support.delegation),
            joinedload(Comment.decision),
            joinedload(Comment.updated_by),
        )
        .order_by(Comment.created_dt, Comment.id)
    )
    if chosen is not None:
        stmt = stmt.where(Comment.delegation_id == chosen.id)
    if kind is not None:
        stmt = stmt.where(Comment.kind == kind)
    comments = (
        db.session.scalars(visible_comments(current_user, stmt, [consultation])).unique().all()
    )

    paragraph_by_uid = {p.uid: p for p in paragraphs}
    deadline = _deadline(consultation)
    by_uid: dict[str | None, list[Shown]] = defaultdict(list)
    for shown_comment in _shown(comments, paragraph_by_uid, deadline):
        by_uid[shown_comment.comment.paragraph_uid].append(shown_comment)
    may_write = can(current_user, "comment.write", consultation)
    drafts = []
    if may_write:
        drafts = db.session.scalars(
            select(Comment)
            .where(
                Comment.consultation_id == consultation.id,
                Comment.delegation_id == current_user.delegation_id,
                Comment.status == CommentStatus.DRAFT,
            )
            # The decision too: the list asks the policy whether each draft may still change.
            .options(joinedload(Comment.updated_by), joinedload(Comment.decision))
            .order_by(Comment.created_dt, Comment.id)
        ).all()
    listed = paragraphs
    if only_commented:
        listed = [p for p in paragraphs if by_uid.get(p.uid)]
    return render_template(
        "comments/draft.html",
        consultation=consultation,
        version=consultation.version,
        document=consultation.version.document,
        paragraphs=listed,
        paragraph_count=len(paragraphs),
        paragraph_by_uid=paragraph_by_uid,
        general=by_uid.get(None, []),
        by_uid=by_uid,
        comment_count=len(comments),
        deadline=deadline,
        may_write=may_write,
        may_write_now=can(current_user, "comment.write_now", consultation),
        drafts=drafts,
        chosen=chosen,
        kind=kind,
        kinds=list(CommentKind),
        only_commented=only_commented,
        filtered=bool(chosen or kind or only_commented),
        action_form=ActionForm(formdata=None),
        withdraw_form=WithdrawForm(formdata=None),
    )


# ---------------------------------------------------------------------------------------------
# Writing a comment


def _parse_kind(raw: str | None) -> CommentKind | None:
    try:
        return CommentKind(raw or "")
    except ValueError:
        return None


def _find_paragraph(consultation: Consultation, uid: str | None) -> Paragraph | None:
    """The paragraph of the consulted version with this identity; None for any other value,
    which is not even asked of the database."""
    if not uid or not _UID.match(uid):
        return None
    return db.session.scalar(
        select(Paragraph).where(
            Paragraph.version_id == consultation.version_id, Paragraph.uid == uid
        )
    )


def _action() -> str:
    action = request.form.get("action", "save")
    return action if action in ACTIONS else "save"


def _preview(form: CommentForm, kind: CommentKind | None, paragraph: Paragraph | None) -> dict:
    """What the comment will look like: the amendment as a redline, the text as rendered."""
    return {
        "proposal": proposal_html(kind, paragraph, form.proposed_text.data or ""),
        "body": render_markdown(form.body.data or ""),
        "quote": render_markdown(form.quote.data or "", inline=True),
    }


def _label_fields(form: CommentForm, kind: CommentKind | None) -> None:
    if kind is not None and kind.is_amendment:
        form.body.label.text = "Justification (optional)"
    if kind == CommentKind.INSERT:
        form.proposed_text.label.text = "The new paragraph"
    elif kind == CommentKind.REPLACE:
        form.proposed_text.label.text = "New wording of the paragraph"


def _form_page(
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
        form.form_token.data = operations.new_form_token()
    deadline = _deadline(consultation)
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
        closed_reason=None if may_send else _why_not_now(consultation, comment),
        action_url=(
            url_for("comments.edit", comment_id=comment.id)
            if comment
            else url_for("comments.new", consultation_id=consultation.id)
        ),
    ), status


def _refusal_status(exc: ConsultationError) -> int:
    return 409 if isinstance(exc, DeadlineRefused | StaleEdit) else 422


def _saved_message(comment: Comment, submitted: bool) -> str:
    if submitted:
        when = format_for(comment.submitted_dt, comment.consultation.timezone, current_user)
        late = " It came after the deadline and is marked late." if comment.is_late else ""
        return f"Submitted on {when}: the secretariat has received it.{late}"
    return (
        f"Saved as {comment.delegation.name}'s draft: your colleagues can read and edit it. "
        "Submit it before the deadline."
    )


def _sent_again_message(comment: Comment) -> str:
    """What a delegate is told when the same form comes back with the same text."""
    first = "This form had already been sent, so your comment was saved once"
    if comment.is_submitted:
        return f"{first}. {_saved_message(comment, True)}"
    if comment.is_withdrawn:
        return f"{first}; it has since been withdrawn."
    return f"{first}, as {comment.delegation.name}'s draft. Submit it before the deadline."


@bp.route("/consultations/<id:consultation_id>/comments/new", methods=["GET", "POST"])
@csrf.exempt  # checked in the view, after the round and the right to write: see _csrf_ok
@login_required
def new(consultation_id: int):
    consultation = load_consultation(consultation_id)
    _require_write(consultation)
    if request.method == "GET":
        uid = request.args.get("paragraph", "").strip()
        if uid and not _UID.match(uid):
            abort(
                400,
                description=(
                    "“paragraph” is not the identity of a paragraph (32 digits and letters a "
                    "to f, as in the links of the draft page). Choose a paragraph on the draft "
                    "page."
                ),
            )
        raw_kind = request.args.get("kind") or ("paragraph" if uid else "general")
        kind = _parse_kind(raw_kind)
        if kind is None:
            abort(400, description=f"“{raw_kind[:20]}” is not a kind of comment.")
        paragraph = _find_paragraph(consultation, uid) if kind.needs_paragraph else None
        if kind.needs_paragraph and paragraph is None:
            abort(
                400,
                description=(
                    f"That paragraph is not part of {consultation.version.label}, the version "
                    "this round is about. Choose a paragraph on the draft page."
                ),
            )
        if kind == CommentKind.SECTION and paragraph.kind != ParagraphKind.HEADING:
            abort(400, description="A comment on a section is made on its heading.")
        if kind in (CommentKind.REPLACE, CommentKind.DELETE) and (
            paragraph.kind == ParagraphKind.TITLE
        ):
            abort(400, description="Propose a change to the title as a general comment.")
        _require_now("comment.write_now", consultation, consultation)
        form = CommentForm(
            formdata=None,
            data={
                "kind": kind.value,
                "paragraph": paragraph.uid if paragraph else "",
                "form_token": operations.new_form_token(),
                "delegation_id": str(current_user.delegation_id),
                "proposed_text": paragraph.text if kind == CommentKind.REPLACE else "",
            },
        )
        return _form_page(consultation, form, kind=kind, paragraph=paragraph)

    form = CommentForm()
    kind = _parse_kind(form.kind.data)
    paragraph = _find_paragraph(consultation, form.paragraph.data)
    if kind is not None and not kind.needs_paragraph:
        paragraph = None
    if not _csrf_ok():
        return _form_page(
            consultation, form, kind=kind, paragraph=paragraph, status=400, error=SESSION_EXPIRED
        )
    _check_delegation(form)
    _check_action_form(form)
    action = _action()
    if action == "preview":
        return _form_page(
            consultation,
            form,
            kind=kind,
            paragraph=paragraph,
            preview=_preview(form, kind, paragraph),
        )
    try:
        comment, created = operations.create_comment(
            current_user,
            consultation,
            kind=form.kind.data or "",
            paragraph_uid=form.paragraph.data or None,
            quote=form.quote.data or "",
            body=form.body.data or "",
            proposed_text=form.proposed_text.data or "",
            form_token=form.form_token.data or None,
            submit=action == "submit",
        )
    except AlreadySent as exc:
        # Sent again with other text: both are shown, neither is lost.
        return _form_page(
            consultation,
            form,
            kind=kind,
            paragraph=paragraph,
            status=409,
            error=str(exc),
            theirs=exc.comment,
            already_sent=True,
        )
    except ConsultationError as exc:
        return _form_page(
            consultation,
            form,
            kind=kind,
            paragraph=paragraph,
            status=_refusal_status(exc),
            error=str(exc),
        )
    if created:
        flash(_saved_message(comment, comment.is_submitted), "success")
    else:
        flash(_sent_again_message(comment), "info")
    return redirect(_draft_url(consultation.id, _anchor_of(comment)), 303)


@bp.route("/comments/<id:comment_id>/edit", methods=["GET", "POST"])
@csrf.exempt  # checked in the view, after the comment is found and visible: see _csrf_ok
@login_required
def edit(comment_id: int):
    comment = _load_comment(comment_id)
    consultation = comment.consultation
    paragraph = comment.paragraph
    if request.method == "GET":
        _require_edit(comment)
        _require_now("comment.edit_now", comment, consultation, _anchor_of(comment))
        form = CommentForm(
            formdata=None,
            data={
                "kind": comment.kind.value,
                "paragraph": comment.paragraph_uid or "",
                "delegation_id": str(current_user.delegation_id),
                "base_revision": str(comment.revision),
                "quote": comment.quote,
                "body": comment.body,
                "proposed_text": comment.proposed_text,
            },
        )
        return _form_page(
            consultation, form, kind=comment.kind, paragraph=paragraph, comment=comment
        )

    form = CommentForm()
    refusal = _edit_refusal(comment)
    if refusal is not None and not refusal.ours:
        _require_edit(comment)  # another delegation's comment: it never had this form
    if not _csrf_ok():
        return _form_page(
            consultation,
            form,
            kind=comment.kind,
            paragraph=paragraph,
            comment=comment,
            status=400,
            error=SESSION_EXPIRED,
        )
    if refusal is not None:
        # Withdrawn or decided meanwhile, or no longer the delegate's to change: the reason,
        # and the text as typed.
        return _form_page(
            consultation,
            form,
            kind=comment.kind,
            paragraph=paragraph,
            comment=comment,
            status=refusal.status,
            error=refusal.on_the_form,
            refusal=refusal,
        )
    _check_delegation(form)
    _check_action_form(form)
    action = _action()
    if action == "preview":
        return _form_page(
            consultation,
            form,
            kind=comment.kind,
            paragraph=paragraph,
            comment=comment,
            preview=_preview(form, comment.kind, paragraph),
        )
    was_draft, before = comment.is_draft, _base_revision(form)
    try:
        operations.edit_comment(
            current_user,
            comment,
            base_revision=before,
            quote=form.quote.data or "",
            body=form.body.data or "",
            proposed_text=form.proposed_text.data or "",
            submit=action == "submit",
        )
    except StaleEdit as exc:
        form.base_revision.data = str(exc.comment.revision)  # the next save merges over theirs
        return _form_page(
            consultation,
            form,
            kind=comment.kind,
            paragraph=paragraph,
            comment=comment,
            status=409,
            error=str(exc),
            theirs=exc.comment,
        )
    except ConsultationError as exc:
        # Withdrawn or decided in the instant between the check above and the lock: the
        # operation saw it; say so as above.
        refusal = _edit_refusal(comment)
        return _form_page(
            consultation,
            form,
            kind=comment.kind,
            paragraph=paragraph,
            comment=comment,
            status=refusal.status if refusal else _refusal_status(exc),
            error=refusal.on_the_form if refusal else str(exc),
            refusal=refusal,
        )
    if comment.revision == before:
        flash("Nothing had changed, so nothing was saved.", "info")
    elif was_draft and comment.is_submitted:
        flash(_saved_message(comment, True), "success")
    else:
        flash(
            "Your changes are saved; the earlier text is kept in the comment's history.", "success"
        )
    return redirect(_draft_url(consultation.id, _anchor_of(comment)), 303)


# ---------------------------------------------------------------------------------------------
# One-button actions


def _done(comment: Comment, message: str, category: str = "success"):
    flash(message, category)
    return redirect(_draft_url(comment.consultation_id, _anchor_of(comment)), 303)


def _action_refused(comment: Comment, exc: ConsultationError):
    title = "Too late" if isinstance(exc, DeadlineRefused) else "Not done"
    return _refused(
        title, str(exc), _refusal_status(exc), comment.consultation, _anchor_of(comment)
    )


@bp.route("/consultations/<id:consultation_id>/comments/submit", methods=["POST"])
@login_required
def submit_drafts(consultation_id: int):
    consultation = load_consultation(consultation_id)
    _check_action_form(ActionForm())
    _require_write(consultation)
    try:
        count = operations.submit_drafts(current_user, consultation)
    except ConsultationError as exc:
        title = "Too late" if isinstance(exc, DeadlineRefused) else "Not submitted"
        return _refused(title, str(exc), _refusal_status(exc), consultation, "drafts")
    noun = "draft comment was" if count == 1 else "draft comments were"
    when = format_for(utcnow(), consultation.timezone, current_user)
    flash(f"{count} {noun} submitted on {when}: the secretariat has received them.", "success")
    return redirect(_draft_url(consultation.id, "drafts"), 303)


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
        anchor=_anchor_of(comment),
        submit_form=SubmitForm(formdata=None, data={"base_revision": str(comment.revision)}),
        withdraw_form=WithdrawForm(formdata=None, data={"base_revision": str(comment.revision)}),
    )
    return current_app.make_response((page, 409))


def _ours(comment: Comment) -> bool:
    return comment.delegation_id == current_user.delegation_id


@bp.route("/comments/<id:comment_id>/submit", methods=["POST"])
@login_required
def submit(comment_id: int):
    comment = _load_comment(comment_id)
    form = SubmitForm()
    _check_action_form(form)
    if comment.is_submitted and _ours(comment):
        return _done(comment, "This comment had already been submitted.", "info")
    _require_edit(comment)
    base_revision = _base_revision(form)
    try:
        changed = operations.submit_comment(current_user, comment, base_revision=base_revision)
    except StaleEdit as exc:
        return _changed_meanwhile(exc.comment, "submit")
    except ConsultationError as exc:
        return _action_refused(comment, exc)
    if not changed:
        return _done(comment, "This comment had already been submitted.", "info")
    return _done(comment, _saved_message(comment, True))


@bp.route("/comments/<id:comment_id>/withdraw", methods=["POST"])
@login_required
def withdraw(comment_id: int):
    comment = _load_comment(comment_id)
    form = WithdrawForm()
    if comment.is_withdrawn and _ours(comment):
        return _done(comment, "This comment had already been withdrawn.", "info")
    _require_edit(comment)
    base_revision = _base_revision(form)
    if not form.validate_on_submit():
        return _refused(
            "Not withdrawn",
            "Tick the box to confirm the withdrawal; nothing was changed.",
            422,
            comment.consultation,
            _anchor_of(comment),
        )
    try:
        operations.withdraw_comment(current_user, comment, base_revision=base_revision)
    except StaleEdit as exc:
        return _changed_meanwhile(exc.comment, "withdraw")
    except ConsultationError as exc:
        return _action_refused(comment, exc)
    return _done(comment, "The comment is withdrawn. Its history is kept.")


def _require_support(comment: Comment) -> None:
    if reason := why_not(current_user, "comment.support", comment):
        abort(_refused("Not allowed", reason, 403, comment.consultation, _anchor_of(comment)))


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
    comment = _load_comment(comment_id)
    _check_action_form(ActionForm())
    _require_support(comment)
    change = operations.support_comment if joining else operations.withdraw_support
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


# ---------------------------------------------------------------------------------------------
# History


@dataclass
class Step:
    """One revision of a comment as the reader may see it, with what changed since the one
    shown before it."""

    revision: object
    changes: dict[str, Markup | None]  # field → word diff, None when unchanged
    first: bool
    number: int  # the revision's number, or for readers outside the delegation its place
    saved_by: str  # who saved it: a delegate's name, or outside the delegation its code


def _fields(comment: Comment) -> tuple[tuple[str, str], ...]:
    body = "Justification" if comment.is_amendment else "Comment"
    return (("quote", "Quoted passage"), ("body", body), ("proposed_text", "Proposed text"))


def _shown_revisions(comment: Comment, insider: bool) -> list:
    """The revisions the reader may see. The delegation's own people see every save; anyone
    else (the secretariat too) only what the delegation sent: from its first submission on,
    never a draft, since drafts are the delegation's private work."""
    revisions = list(comment.revisions)
    if insider:
        return revisions
    first = next((r.revision for r in revisions if r.status == CommentStatus.SUBMITTED), None)
    if first is None:
        return []
    return [r for r in revisions if r.status != CommentStatus.DRAFT and r.revision >= first]


def _steps(revisions, fields, *, insider: bool, code: str) -> list[Step]:
    """Each revision shown, with a word diff against the one shown before it (never against
    one the reader may not see)."""
    steps, previous = [], None
    for place, revision in enumerate(revisions, start=1):
        changes: dict[str, Markup | None] = {}
        for name, _title in fields:
            now = getattr(revision, name) or ""
            before = (getattr(previous, name) or "") if previous is not None else ""
            if previous is None or now == before:
                changes[name] = None
            else:
                changes[name] = diff_to_html(diff_words(before, now))
        steps.append(
            Step(
                revision,
                changes,
                previous is None,
                number=revision.revision if insider else place,
                saved_by=(revision.saved_by.name if revision.saved_by else code)
                if insider
                else code,
            )
        )
        previous = revision
    return steps


@bp.route("/comments/<id:comment_id>/history")
@login_required
def history(comment_id: int):
    comment = _load_comment(comment_id)
    consultation = comment.consultation
    paragraph = comment.paragraph
    insider = comment.delegation_id == current_user.delegation_id
    steps = _steps(
        _shown_revisions(comment, insider),
        _fields(comment),
        insider=insider,
        code=comment.delegation.code,
    )
    return render_template(
        "comments/history.html",
        comment=comment,
        consultation=consultation,
        version=consultation.version,
        document=consultation.version.document,
        paragraph=paragraph,
        steps=steps,
        insider=insider,
        fields=_fields(comment),
        proposal=proposal_html(comment.kind, paragraph, comment.proposed_text),
        anchor=_anchor_of(comment),
    )
