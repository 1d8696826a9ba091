"""Editing a working draft in the page: each edit small, saved at once, never silently lost.

With htmx (static/vendor), a paragraph is edited in place: its form replaces it and the saved
paragraph comes back as a fragment. Without JavaScript the same forms post and redirect. A save
based on a revision that another editor has replaced is answered 409 with their text beside
the refused one, which stays in the form. The forms are handled in `editing_steps`, the rows
built in `editing_rows`; the views here turn what they come to into pages.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from drafting.consultations.models import Comment, CommentKind
from drafting.documents import editing, working_draft
from drafting.documents.models import Paragraph, Version
from drafting.extensions import csrf, db
from drafting.pages import editing_steps as steps
from drafting.pages.editing_rows import editor_row, editor_rows
from drafting.web import require
from drafting.web.edge import commit_before_rendering
from drafting.web.loading import load

bp = Blueprint("editing", __name__)

AMENDMENT_KINDS = (CommentKind.REPLACE, CommentKind.INSERT, CommentKind.DELETE)


def _is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def _load_working(version_id: int, *, published_ok: bool = False) -> Version:
    """The working draft, for the secretariat. A published version is refused with 409 (a link
    from before publication), unless the view says it handles that itself, keeping the text."""
    version = load(Version, version_id, action="version.view")
    require("version.import", version.document)  # the secretariat: others get 403, not 409
    if version.is_published and not published_ok:
        abort(409, description=steps.published_message(version))
    return version


def _to_editor(version: Version, anchor: str | None):
    """Back to the editor at ``anchor``, in the part of a long draft that holds it."""
    at = anchor if anchor and anchor.startswith("edit-") else None
    return redirect(url_for("editing.editor", version_id=version.id, at=at, _anchor=anchor))


# ---------------------------------------------------------------------------------------------
# Starting the next draft


@bp.route("/versions/<id:version_id>/next-draft", methods=["GET", "POST"])
@login_required
def start(version_id: int):
    version = load(Version, version_id, action="version.view")
    require("version.import", version.document)
    label = request.form.get("label", "") if request.method == "POST" else _next_label(version)
    error = None
    if request.method == "POST":
        try:
            draft = editing.open_working_draft(current_user, version, label=label)
        except working_draft.EditError as exc:
            error = str(exc)
        else:
            said = _(
                "%(draft)s is open for editing, made from %(version)s: every paragraph "
                "keeps its identity.",
                draft=draft.label,
                version=version.label,
            )
            flash(said, "success")
            return redirect(url_for("editing.editor", version_id=draft.id))
    working = working_draft.working_draft_of(version.document)
    return render_template(
        "editing/start.html", version=version, label=label, error=error, working=working
    ), (422 if error else 200)


def _next_label(version: Version) -> str:
    """A suggestion: "Draft 2" after "Draft 1", "Draft 1" after a zero draft."""
    words = version.label.rsplit(" ", 1)
    if len(words) == 2 and words[1].isdigit():
        return f"{words[0]} {int(words[1]) + 1}"
    count = sum(1 for v in version.document.versions if v.is_published)
    return f"Draft {count}"


# ---------------------------------------------------------------------------------------------
# The editor


@bp.route("/versions/<id:version_id>/edit")
@login_required
def editor(version_id: int):
    version = _load_working(version_id)
    return _editor_page(version)


def _editor_page(version: Version, *, error: str | None = None, status: int = 200):
    shown = editor_rows(version)
    return render_template(
        "editing/editor.html",
        version=version,
        document=version.document,
        rows=shown.rows,
        orphans=shown.orphans,
        editor=shown,
        error=error,
        amendment_kinds=AMENDMENT_KINDS,
    ), status


# ---------------------------------------------------------------------------------------------
# One paragraph: show, edit, save


@bp.route("/versions/<id:version_id>/edit/<uid>")
@login_required
def paragraph(version_id: int, uid: str):
    """The paragraph as the editor shows it (what "Cancel" brings back in place)."""
    version = _load_working(version_id)
    if steps.paragraph_or_none(version, uid) is None:
        return _gone(version, uid, "")
    row = editor_row(version, uid)
    if _is_htmx():
        return render_template("editing/_row.html", version=version, row=row)
    return _to_editor(version, f"edit-{uid}")


@bp.route("/versions/<id:version_id>/edit/<uid>/form")
@login_required
def edit_form(version_id: int, uid: str):
    version = _load_working(version_id)
    current = steps.paragraph_or_none(version, uid) or abort(404)
    return _form(version, current, source=_source(current), revision=None)


def _source(paragraph: Paragraph) -> str:
    return paragraph.block.to_markdown()


def _form(
    version: Version,
    paragraph: Paragraph,
    *,
    source: str,
    revision: int | None,
    error: str | None = None,
    conflict: Paragraph | None = None,
    status: int = 200,
):
    context = {
        "version": version,
        "paragraph": paragraph,
        "source": source,
        "revision": paragraph.revision if revision is None else revision,
        "error": error,
        "conflict": conflict,
    }
    template = "editing/_edit_form.html" if _is_htmx() else "editing/edit_page.html"
    return render_template(template, **context), status


@bp.route("/versions/<id:version_id>/edit/<uid>", methods=["POST"])
@csrf.exempt  # checked in the step, after the draft is found, so that a refusal keeps the text
def save(version_id: int, uid: str):
    source = request.form.get("source", "")
    if not current_user.is_authenticated:
        # The login ended while typing: say so in place, with the text, instead of swapping
        # the login page into the paragraph.
        return render_template("editing/_logged_out.html", uid=uid, source=source), 401
    version = _load_working(version_id, published_ok=True)
    edit = steps.save(version, uid, source, steps.form_int("revision"))
    if edit.gone:
        return _gone(version, uid, source, message=edit.error)
    if edit.error:
        return _form(
            version,
            edit.paragraph,
            source=source,
            revision=edit.revision,
            error=edit.error,
            conflict=edit.conflict,
            status=edit.status,
        )
    flash_now = not _is_htmx() and steps.saved_message(edit.paragraph)
    # Committed before anything is rendered: the draft's lock is held for the save alone.
    if refused := commit_before_rendering():
        return refused
    if flash_now:
        flash(flash_now, "success")
        return _to_editor(version, f"edit-{uid}")
    return render_template("editing/_row.html", version=version, row=editor_row(version, uid))


def _gone(version: Version, uid: str, source: str, *, message: str | None = None):
    """The paragraph was deleted or merged by someone else, or the draft published: show the
    text that was not saved."""
    return render_template(
        "editing/gone.html" if not _is_htmx() else "editing/_gone.html",
        version=version,
        uid=uid,
        source=source,
        message=message,
    ), 409


# ---------------------------------------------------------------------------------------------
# Structure: insert, delete, move, split, merge


def _structural(version: Version, action, *, success: str, anchor: str | None = None):
    """Run one structural edit; on refusal show the editor with the message (nothing changed)."""
    try:
        result = action()
    except working_draft.StaleParagraph as exc:
        db.session.rollback()
        return _editor_page(db.session.get(Version, version.id), error=str(exc), status=409)
    except working_draft.EditError as exc:
        db.session.rollback()
        return _editor_page(db.session.get(Version, version.id), error=str(exc), status=422)
    flash(success, "success")
    if anchor is None and isinstance(result, Paragraph):
        anchor = f"edit-{result.uid}"
    return _to_editor(version, anchor)


@bp.route("/versions/<id:version_id>/edit/insert", methods=["GET", "POST"])
@csrf.exempt  # checked in the step, so that a refusal keeps the text
@login_required
def insert(version_id: int):
    version = _load_working(version_id, published_ok=request.method == "POST")
    after = request.values.get("after") or None
    if request.method == "GET":
        label = editing.label_for_new(version, after)
        return render_template(
            "editing/insert.html", version=version, after=after, source="", label=label
        )
    source = request.form.get("source", "")
    edit = steps.insert(version, after, source)
    if edit.error:
        return render_template(
            "editing/insert.html", version=version, after=after, source=source, error=edit.error
        ), edit.status
    flash(steps.saved_message(edit.paragraph, inserted=True), "success")
    return _to_editor(version, f"edit-{edit.paragraph.uid}")


@bp.route("/versions/<id:version_id>/edit/<uid>/delete", methods=["POST"])
@login_required
def delete(version_id: int, uid: str):
    version = _load_working(version_id)
    revision = steps.form_int("revision")
    return _structural(
        version,
        lambda: editing.delete_paragraph(current_user, version, uid, base_revision=revision),
        success=_(
            "Paragraph deleted. Its identity ends here; comments on it stay in the compilation."
        ),
        anchor="draft",
    )


@bp.route("/versions/<id:version_id>/edit/<uid>/move", methods=["POST"])
@login_required
def move(version_id: int, uid: str):
    version = _load_working(version_id)
    direction = request.form.get("direction")
    if direction in ("up", "down"):
        step = -1 if direction == "up" else 1
        return _structural(
            version,
            lambda: editing.move_by(current_user, version, uid, step=step),
            success=_("Paragraph moved; it keeps its identity."),
        )
    after = request.form.get("after") or None
    return _structural(
        version,
        lambda: editing.move_paragraph(current_user, version, uid, after_uid=after),
        success=_("Paragraph moved; it keeps its identity."),
    )


@bp.route("/versions/<id:version_id>/edit/<uid>/split", methods=["GET", "POST"])
@csrf.exempt  # checked in the step, so that a refusal keeps the text
@login_required
def split(version_id: int, uid: str):
    version = _load_working(version_id, published_ok=request.method == "POST")
    if request.method == "GET":
        return _split_form(version, uid)
    source = request.form.get("source", "")
    edit = steps.split(version, uid, source, steps.form_int("revision"))
    if edit.gone:
        return _gone(version, uid, source)
    if edit.error:
        return render_template(
            "editing/split.html",
            version=version,
            paragraph=edit.paragraph,
            source=source,
            revision=edit.revision,
            error=edit.error,
            conflict=edit.conflict,
        ), edit.status
    flash(_("Paragraph split in two; both parts record where they came from."), "success")
    return _to_editor(version, f"edit-{edit.paragraph.uid}")


def _split_form(version: Version, uid: str):
    current = steps.paragraph_or_none(version, uid)
    if current is None:
        return _gone(version, uid, "")
    return render_template(
        "editing/split.html",
        version=version,
        paragraph=current,
        source=_source(current),
        revision=current.revision,
    )


@bp.route("/versions/<id:version_id>/edit/<uid>/merge", methods=["POST"])
@login_required
def merge(version_id: int, uid: str):
    version = _load_working(version_id)
    revision = steps.form_int("revision")
    next_revision = steps.form_int("next_revision")
    return _structural(
        version,
        lambda: editing.merge_with_next(
            current_user, version, uid, base_revision=revision, next_revision=next_revision
        ),
        success=_("Paragraphs merged; the merged paragraph records both."),
    )


# ---------------------------------------------------------------------------------------------
# Amendments


@bp.route("/versions/<id:version_id>/amendments/<id:comment_id>/apply", methods=["POST"])
@login_required
def apply(version_id: int, comment_id: int):
    version = _load_working(version_id, published_ok=True)
    comment = load(Comment, comment_id, action="comment.view")
    require("decision.record", comment)
    asked = steps.Application.from_form()
    applied = steps.apply_amendment(version, comment, asked)
    if applied.confirm:
        return _confirm_apply(applied.version, applied.comment, asked, error=applied.error)
    if applied.error:
        return _editor_page(applied.version, error=applied.error, status=applied.status)
    flash(applied.message, "success")
    return _to_editor(version, applied.anchor)


def _confirm_apply(
    version: Version, comment: Comment, asked: steps.Application, error: str | None = None
):
    """The amendment already has a decision: show it (outcome, justification, shared or
    internal) and ask before replacing it. 409 when the one confirmed has changed since."""
    return render_template(
        "editing/confirm_apply.html",
        version=version,
        comment=comment,
        decision=comment.decision,
        revision=asked.revision,
        justification=asked.justification,
        changed_meanwhile=asked.replacing is not None and error is None,
        error=error,
    ), (409 if asked.replacing is not None else 200)
