"""The editor's forms, each handled in one step that returns what it came to.

A step takes the working draft and what was typed, checks the security token where the view
left it to the step (so that a refusal keeps the text), asks the editing operations, and rolls
back what a refused edit flushed. The views in `pages.editing` turn the outcome into a page.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, request
from flask_babel import gettext as _
from flask_login import current_user

from drafting.consultations import amending
from drafting.consultations.models import Comment, CommentKind
from drafting.consultations.presenting import full_stop, said_paragraph_name
from drafting.documents import editing, working_draft
from drafting.documents.models import Paragraph, Version
from drafting.documents.policy import published_refusal
from drafting.extensions import db
from drafting.web.csrf import FORM_EXPIRED, form_token_refused


@dataclass(frozen=True)
class Edit:
    """What a form carrying typed text came to: ``paragraph`` stored, or refused with the
    reason (``error``) and its status, the text to be shown again. ``gone``: the paragraph
    was deleted or merged meanwhile, or (with ``error``) the draft published."""

    paragraph: Paragraph | None = None
    error: str | None = None
    status: int = 200
    revision: int | None = None  # the revision the form shows again
    conflict: Paragraph | None = None  # the other editor's text, when theirs came first
    gone: bool = False


@dataclass(frozen=True)
class Application:
    """An amendment to apply, as the form asked. ``replacing`` is the revision of the decision
    that the confirmation page showed; None when applied from the editor."""

    revision: int | None
    justification: str
    replacing: int | None

    @classmethod
    def from_form(cls) -> Application:
        return cls(
            form_int("revision"), request.form.get("justification", ""), form_int("replacing")
        )


@dataclass(frozen=True)
class Applied:
    """What applying an amendment came to: applied (``message`` to flash, ``anchor`` to go
    to), or a question or refusal for the confirmation page (``confirm``) or for the editor
    (``error``, ``status``). ``version`` and ``comment`` as they stand afterwards."""

    version: Version
    comment: Comment
    confirm: bool = False
    error: str | None = None
    status: int = 200
    message: str = ""
    anchor: str | None = None


def form_int(name: str) -> int | None:
    try:
        return int(request.form.get(name, ""))
    except ValueError:
        return None


def published_message(version: Version) -> str:
    return f"{published_refusal(version)} " + _(
        "Nothing was saved; your text is kept here to copy into it."
    )


def refusal_keeping_text(version: Version) -> tuple[str, int] | None:
    """Why a form carrying typed text cannot be taken (an expired security token, a draft
    published meanwhile), with its status; the view shows the form again with the text."""
    if form_token_refused():
        return _(FORM_EXPIRED), 400
    if version.is_published:
        return published_message(version), 409
    return None


def paragraph_or_none(version: Version, uid: str) -> Paragraph | None:
    return db.session.scalar(
        db.select(Paragraph)
        .where(Paragraph.version_id == version.id, Paragraph.uid == uid)
        .execution_options(populate_existing=True)
    )


def saved_message(paragraph: Paragraph, *, inserted: bool = False) -> str:
    name = said_paragraph_name(paragraph)
    if inserted:
        return full_stop(_("Inserted %(name)s", name=name))
    return full_stop(_("Saved %(name)s", name=name))


def save(version: Version, uid: str, source: str, revision: int | None) -> Edit:
    """Save the paragraph's new text, based on the revision the editor started from."""
    current = paragraph_or_none(version, uid)
    if current is None:
        return Edit(gone=True, status=409)
    if version.is_published:
        return Edit(gone=True, error=published_message(version), status=409)
    if form_token_refused():
        return Edit(current, _(FORM_EXPIRED), 400, revision)
    try:
        saved = editing.edit_paragraph(
            current_user, version, uid, source=source, base_revision=revision
        )
    except working_draft.StaleParagraph as exc:
        db.session.rollback()
        theirs = paragraph_or_none(version, uid)
        if theirs is None:
            return Edit(gone=True, status=409)
        return Edit(theirs, str(exc), 409, theirs.revision, conflict=theirs)
    except working_draft.EditError as exc:
        return Edit(current, str(exc), 422, revision)
    return Edit(saved)


def insert(version: Version, after: str | None, source: str) -> Edit:
    """Insert a paragraph after ``after`` (at the start when None)."""
    refusal = refusal_keeping_text(version)
    if refusal:
        return Edit(error=refusal[0], status=refusal[1])
    try:
        paragraph = editing.insert_paragraph(current_user, version, after_uid=after, source=source)
    except working_draft.EditError as exc:
        db.session.rollback()
        return Edit(error=str(exc), status=_status_of(exc))
    return Edit(paragraph)


def split(version: Version, uid: str, source: str, revision: int | None) -> Edit:
    """Split the paragraph in two where the text typed has a blank line; ``paragraph`` is the
    first part."""
    current = paragraph_or_none(version, uid)
    if current is None:
        return Edit(gone=True, status=409)
    refusal = refusal_keeping_text(version)
    if refusal:
        return Edit(current, refusal[0], refusal[1], revision)
    try:
        first, _second = editing.split_paragraph(
            current_user, version, uid, source=source, base_revision=revision
        )
    except working_draft.EditError as exc:
        db.session.rollback()
        theirs = paragraph_or_none(version, uid)
        stale = isinstance(exc, working_draft.StaleParagraph)
        return Edit(
            theirs or current, str(exc), _status_of(exc), revision, theirs if stale else None
        )
    return Edit(first)


def apply_amendment(version: Version, comment: Comment, asked: Application) -> Applied:
    """Apply an amendment to the working draft, recording the decision as accepted. An
    amendment already decided otherwise is applied only once the page that showed its decision
    is confirmed (a published draft is then answered on that page, keeping the justification).
    """
    if version.is_published:
        if asked.replacing is None:
            abort(409, description=published_message(version))
        return Applied(version, comment, confirm=True, error=published_message(version))
    decided = comment.decision
    unapplied = decided is not None and decided.reflected_version_id != version.id
    if unapplied and decided.revision != asked.replacing:
        return Applied(version, comment, confirm=True)
    message = _(
        "%(code)s's amendment applied; the decision is recorded as accepted "
        "and linked to the paragraph.",
        code=comment.delegation.code,
    )
    anchor = f"edit-{comment.paragraph_uid}" if comment.kind != CommentKind.DELETE else "draft"
    try:
        result = amending.apply_amendment(
            current_user,
            version,
            comment,
            base_revision=asked.revision,
            justification=asked.justification,
            replacing=asked.replacing,
        )
    except working_draft.EditError as exc:
        db.session.rollback()
        version, comment = db.session.get(Version, version.id), db.session.get(Comment, comment.id)
        confirm = asked.replacing is not None
        return Applied(version, comment, confirm, str(exc), _status_of(exc))
    if asked.replacing is None and comment.kind == CommentKind.INSERT:
        anchor = f"edit-{result.uid}" if isinstance(result, Paragraph) else None
    return Applied(version, comment, message=message, anchor=anchor)


def _status_of(exc: working_draft.EditError) -> int:
    """409 when another editor's change came first, 422 when the edit itself is refused."""
    return 409 if isinstance(exc, working_draft.StaleParagraph) else 422
