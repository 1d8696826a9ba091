"""Editing a working draft in the page: each edit small, saved at once, never silently lost.

With htmx (static/vendor), a paragraph is edited in place: its form replaces it and the saved
paragraph comes back as a fragment. Without JavaScript the same forms post and redirect. A save
based on a revision that another editor has replaced is answered 409 with their text beside
the refused one, which stays in the form.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf.csrf import CSRFError
from markupsafe import Markup

from drafting.compare.html import diff_to_html
from drafting.compare.words import diff_words
from drafting.consultations import amending, following
from drafting.consultations.models import Comment, CommentKind
from drafting.consultations.presenting import full_stop, paragraph_name
from drafting.documents import editing
from drafting.documents.models import Paragraph, Version
from drafting.documents.numbering import renumber
from drafting.documents.policy import published_refusal
from drafting.extensions import csrf, db
from drafting.text.draft_format import Block
from drafting.text.inline import display_text
from drafting.web import require

bp = Blueprint("editing", __name__)

AMENDMENT_KINDS = (CommentKind.REPLACE, CommentKind.INSERT, CommentKind.DELETE)


def _is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def _load_working(version_id: int, *, published_ok: bool = False) -> Version:
    """The working draft, for the secretariat. A published version is refused with 409 (a link
    from before publication), unless the view says it handles that itself, keeping the text."""
    version = db.get_or_404(Version, version_id)
    require("version.view", version, hide=True)
    require("version.import", version.document)  # the secretariat: others get 403, not 409
    if version.is_published and not published_ok:
        abort(409, description=_published_message(version))
    return version


def _published_message(version: Version) -> str:
    return (
        f"{published_refusal(version)} Nothing was saved; your text is kept here to copy into it."
    )


def _refusal_keeping_text(version: Version) -> tuple[str, int] | None:
    """Why a form carrying typed text cannot be taken (an expired security token, a draft
    published meanwhile), with its status; the view shows the form again with the text."""
    if not _csrf_ok():
        return (
            "Your session's security token has expired, so nothing was saved. Your text is kept "
            "below: send it again.",
            400,
        )
    if version.is_published:
        return _published_message(version), 409
    return None


def _csrf_ok() -> bool:
    """The CSRF check, made in the view so that a refused save keeps the typed text."""
    try:
        csrf.protect()
    except CSRFError:
        return False
    return True


def _form_int(name: str) -> int | None:
    try:
        return int(request.form.get(name, ""))
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------------
# Starting the next draft


@bp.route("/versions/<id:version_id>/next-draft", methods=["GET", "POST"])
@login_required
def start(version_id: int):
    version = db.get_or_404(Version, version_id)
    require("version.view", version, hide=True)
    require("version.import", version.document)
    label = request.form.get("label", "") if request.method == "POST" else _next_label(version)
    error = None
    if request.method == "POST":
        try:
            draft = editing.open_working_draft(current_user, version, label=label)
        except editing.EditError as exc:
            error = str(exc)
        else:
            flash(
                f"{draft.label} is open for editing, made from {version.label}: every paragraph "
                "keeps its identity.",
                "success",
            )
            return redirect(url_for("editing.editor", version_id=draft.id))
    working = editing.working_draft_of(version.document)
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


@dataclass
class Row:
    """One paragraph of the working draft as the editor shows it."""

    paragraph: Paragraph
    number: str | None  # as it will be printed after renumbering
    status: str  # "unchanged", "changed", "new"
    redline: Markup | None
    comments: list  # FollowedComment, amendments first
    reflects: list[Comment]  # amendments applied to this paragraph
    next_revision: int | None = None  # the revision of the paragraph after it, for a merge


def _rows(version: Version) -> tuple[list[Row], list, following.Following]:
    paragraphs = version.paragraphs
    base = version.based_on
    base_by_uid = {p.uid: p for p in base.paragraphs} if base is not None else {}
    consultations = following.document_consultations(
        version.document_id, through_version_id=version.id, inclusive=False
    )
    followed = following.follow(
        current_user,
        consultations,
        [*paragraphs, *base_by_uid.values()],
        texts=paragraphs,
    )
    reflected: dict[str, list[Comment]] = {}
    for comments in followed.by_uid.values():
        for comment in comments:
            decision = comment.decision
            if decision is not None and decision.reflected_version_id == version.id:
                reflected.setdefault(decision.reflected_paragraph_uid or "", []).append(comment)
    numbers = _numbers(paragraphs)
    rows = []
    for paragraph, number in zip(paragraphs, numbers, strict=True):
        old = base_by_uid.get(paragraph.uid)
        if old is None:
            status, redline = "new", None
        elif old.block == paragraph.block:
            status, redline = "unchanged", None
        else:
            status = "changed"
            redline = diff_to_html(diff_words(_shown(old.block), _shown(paragraph.block)))
        rows.append(
            Row(
                paragraph=paragraph,
                number=number,
                status=status,
                redline=redline,
                comments=followed.beside([paragraph]),
                reflects=reflected.get(paragraph.uid, []),
            )
        )
    for row, following_row in zip(rows, rows[1:], strict=False):
        row.next_revision = following_row.paragraph.revision
    present = {p.uid for p in paragraphs}
    orphans = [
        item
        for uid, comments in followed.by_uid.items()
        if uid not in present
        for item in followed.beside([base_by_uid[uid]] if uid in base_by_uid else [])
    ]
    return rows, orphans, followed


def _shown(block: Block) -> str:
    label = f"{block.label} " if block.label else ""
    return label + display_text(block.text)


def _numbers(paragraphs: list[Paragraph]) -> list[str | None]:
    """The numbers the paragraphs will carry once published (numbering is recomputed then)."""
    return list(renumber([p.block for p in paragraphs]))


@bp.route("/versions/<id:version_id>/edit")
@login_required
def editor(version_id: int):
    version = _load_working(version_id)
    return _editor_page(version)


def _editor_page(version: Version, *, error: str | None = None, status: int = 200):
    rows, orphans, _followed = _rows(version)
    return render_template(
        "editing/editor.html",
        version=version,
        document=version.document,
        rows=rows,
        orphans=orphans,
        error=error,
        amendment_kinds=AMENDMENT_KINDS,
    ), status


def _row(version: Version, uid: str) -> Row:
    rows, _orphans, _followed = _rows(version)
    for row in rows:
        if row.paragraph.uid == uid:
            return row
    abort(404)


# ---------------------------------------------------------------------------------------------
# One paragraph: show, edit, save


@bp.route("/versions/<id:version_id>/edit/<uid>")
@login_required
def paragraph(version_id: int, uid: str):
    """The paragraph as the editor shows it (what "Cancel" brings back in place)."""
    version = _load_working(version_id)
    if _paragraph_or_none(version, uid) is None:
        return _gone(version, uid, "")
    row = _row(version, uid)
    if _is_htmx():
        return render_template("editing/_row.html", version=version, row=row)
    return redirect(url_for("editing.editor", version_id=version.id, _anchor=f"edit-{uid}"))


@bp.route("/versions/<id:version_id>/edit/<uid>/form")
@login_required
def edit_form(version_id: int, uid: str):
    version = _load_working(version_id)
    row = _row(version, uid)
    return _form(version, row.paragraph, source=_source(row.paragraph), revision=None)


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
@csrf.exempt  # checked below, after the draft is found, so that a refusal keeps the text
def save(version_id: int, uid: str):
    source = request.form.get("source", "")
    if not current_user.is_authenticated:
        # The login ended while typing: say so in place, with the text, instead of swapping
        # the login page into the paragraph.
        return render_template("editing/_logged_out.html", uid=uid, source=source), 401
    version = _load_working(version_id, published_ok=True)
    revision = _form_int("revision")
    current = _paragraph_or_none(version, uid)
    if current is None:
        return _gone(version, uid, source)
    if version.is_published:
        return _gone(version, uid, source, message=_published_message(version))
    if not _csrf_ok():
        return _form(
            version,
            current,
            source=source,
            revision=revision,
            error="Your session's security token has expired, so the text was not saved. It is "
            "kept below: save again.",
            status=400,
        )
    try:
        saved = editing.edit_paragraph(
            current_user, version, uid, source=source, base_revision=revision
        )
    except editing.StaleParagraph as exc:
        db.session.rollback()
        theirs = _paragraph_or_none(version, uid)
        if theirs is None:
            return _gone(version, uid, source)
        return _form(
            version,
            theirs,
            source=source,
            revision=theirs.revision,
            error=str(exc),
            conflict=theirs,
            status=409,
        )
    except editing.EditError as exc:
        return _form(version, current, source=source, revision=revision, error=str(exc), status=422)
    if _is_htmx():
        return render_template("editing/_row.html", version=version, row=_row(version, uid))
    flash(full_stop(f"Saved {_label(saved)}"), "success")
    return redirect(url_for("editing.editor", version_id=version.id, _anchor=f"edit-{uid}"))


def _label(paragraph: Paragraph) -> str:
    return paragraph_name(paragraph)


def _paragraph_or_none(version: Version, uid: str) -> Paragraph | None:
    return db.session.scalar(
        db.select(Paragraph)
        .where(Paragraph.version_id == version.id, Paragraph.uid == uid)
        .execution_options(populate_existing=True)
    )


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
    except editing.StaleParagraph as exc:
        db.session.rollback()
        return _editor_page(db.session.get(Version, version.id), error=str(exc), status=409)
    except editing.EditError as exc:
        db.session.rollback()
        return _editor_page(db.session.get(Version, version.id), error=str(exc), status=422)
    flash(success, "success")
    if anchor is None and isinstance(result, Paragraph):
        anchor = f"edit-{result.uid}"
    return redirect(url_for("editing.editor", version_id=version.id, _anchor=anchor))


@bp.route("/versions/<id:version_id>/edit/insert", methods=["GET", "POST"])
@csrf.exempt  # checked below, so that a refusal keeps the text
@login_required
def insert(version_id: int):
    version = _load_working(version_id, published_ok=request.method == "POST")
    after = request.values.get("after") or None
    source = request.form.get("source", "")
    if request.method == "GET":
        return render_template("editing/insert.html", version=version, after=after, source="")
    refusal = _refusal_keeping_text(version)
    if refusal:
        return render_template(
            "editing/insert.html", version=version, after=after, source=source, error=refusal[0]
        ), refusal[1]
    try:
        paragraph = editing.insert_paragraph(current_user, version, after_uid=after, source=source)
    except editing.EditError as exc:
        db.session.rollback()
        return render_template(
            "editing/insert.html", version=version, after=after, source=source, error=str(exc)
        ), (409 if isinstance(exc, editing.StaleParagraph) else 422)
    flash(full_stop(f"Inserted {_label(paragraph)}"), "success")
    return redirect(
        url_for("editing.editor", version_id=version.id, _anchor=f"edit-{paragraph.uid}")
    )


@bp.route("/versions/<id:version_id>/edit/<uid>/delete", methods=["POST"])
@login_required
def delete(version_id: int, uid: str):
    version = _load_working(version_id)
    revision = _form_int("revision")
    return _structural(
        version,
        lambda: editing.delete_paragraph(current_user, version, uid, base_revision=revision),
        success="Paragraph deleted. Its identity ends here; comments on it stay in the "
        "compilation.",
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
            success="Paragraph moved; it keeps its identity.",
        )
    after = request.form.get("after") or None
    return _structural(
        version,
        lambda: editing.move_paragraph(current_user, version, uid, after_uid=after),
        success="Paragraph moved; it keeps its identity.",
    )


@bp.route("/versions/<id:version_id>/edit/<uid>/split", methods=["GET", "POST"])
@csrf.exempt  # checked in the view, so that a refusal keeps the text
@login_required
def split(version_id: int, uid: str):
    version = _load_working(version_id, published_ok=request.method == "POST")
    current = _paragraph_or_none(version, uid)
    if current is None:
        return _gone(version, uid, request.form.get("source", ""))
    refusal = _refusal_keeping_text(version) if request.method == "POST" else None
    if refusal:
        return render_template(
            "editing/split.html",
            version=version,
            paragraph=current,
            source=request.form.get("source", ""),
            revision=_form_int("revision"),
            error=refusal[0],
        ), refusal[1]
    if request.method == "GET":
        return render_template(
            "editing/split.html",
            version=version,
            paragraph=current,
            source=_source(current),
            revision=current.revision,
        )
    source = request.form.get("source", "")
    revision = _form_int("revision")
    try:
        first, _second = editing.split_paragraph(
            current_user, version, uid, source=source, base_revision=revision
        )
    except editing.EditError as exc:
        db.session.rollback()
        theirs = _paragraph_or_none(version, uid)
        return render_template(
            "editing/split.html",
            version=version,
            paragraph=theirs or current,
            source=source,
            revision=revision,
            error=str(exc),
            conflict=theirs if isinstance(exc, editing.StaleParagraph) else None,
        ), (409 if isinstance(exc, editing.StaleParagraph) else 422)
    flash("Paragraph split in two; both parts record where they came from.", "success")
    return redirect(url_for("editing.editor", version_id=version.id, _anchor=f"edit-{first.uid}"))


@bp.route("/versions/<id:version_id>/edit/<uid>/merge", methods=["POST"])
@login_required
def merge(version_id: int, uid: str):
    version = _load_working(version_id)
    revision = _form_int("revision")
    next_revision = _form_int("next_revision")
    return _structural(
        version,
        lambda: editing.merge_with_next(
            current_user, version, uid, base_revision=revision, next_revision=next_revision
        ),
        success="Paragraphs merged; the merged paragraph records both.",
    )


# ---------------------------------------------------------------------------------------------
# Amendments


@bp.route("/versions/<id:version_id>/amendments/<id:comment_id>/apply", methods=["POST"])
@login_required
def apply(version_id: int, comment_id: int):
    version = _load_working(version_id, published_ok=True)
    comment = db.get_or_404(Comment, comment_id)
    require("comment.view", comment, hide=True)
    require("decision.record", comment)
    revision = _form_int("revision")
    justification = request.form.get("justification", "")
    replacing = _form_int("replacing")
    decided = comment.decision
    if version.is_published:
        if replacing is None:
            abort(409, description=_published_message(version))
        return _confirm_apply(
            version, comment, revision, justification, replacing, error=_published_message(version)
        )
    unapplied = decided is not None and decided.reflected_version_id != version.id
    if unapplied and decided.revision != replacing:
        return _confirm_apply(version, comment, revision, justification, replacing)
    who = comment.delegation.code
    if replacing is not None:
        # Confirmed on the page that asked: a refusal shows that page again, with the
        # justification typed there, rather than the editor without it.
        try:
            amending.apply_amendment(
                current_user,
                version,
                comment,
                base_revision=revision,
                justification=justification,
                replacing=replacing,
            )
        except editing.EditError as exc:
            db.session.rollback()
            version, comment = (
                db.session.get(Version, version.id),
                db.session.get(Comment, comment.id),
            )
            return _confirm_apply(
                version, comment, revision, justification, replacing, error=str(exc)
            )

    def action():
        return amending.apply_amendment(
            current_user,
            version,
            comment,
            base_revision=revision,
            justification=justification,
            replacing=replacing,
        )

    anchor = f"edit-{comment.paragraph_uid}" if comment.kind != CommentKind.DELETE else "draft"
    if replacing is not None:
        flash(
            f"{who}'s amendment applied; the decision is recorded as accepted and linked to "
            "the paragraph.",
            "success",
        )
        return redirect(url_for("editing.editor", version_id=version.id, _anchor=anchor))
    return _structural(
        version,
        action,
        success=f"{who}'s amendment applied; the decision is recorded as accepted and linked to "
        "the paragraph.",
        anchor=None if comment.kind == CommentKind.INSERT else anchor,
    )


def _confirm_apply(
    version: Version,
    comment: Comment,
    revision: int | None,
    justification: str,
    replacing,
    error: str | None = None,
):
    """The amendment already has a decision: show it (outcome, justification, shared or
    internal) and ask before replacing it. 409 when the one confirmed has changed since."""
    return render_template(
        "editing/confirm_apply.html",
        version=version,
        comment=comment,
        decision=comment.decision,
        revision=revision,
        justification=justification,
        changed_meanwhile=replacing is not None and error is None,
        error=error,
    ), (409 if replacing is not None else 200)
