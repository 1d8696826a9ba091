"""The compilation of a round for the secretariat and the chair: decisions, figures, exports."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from drafting.auth.policy import can
from drafting.consultations import decisions, refusals
from drafting.consultations.compilation import (
    DECISION_FILTERS,
    KIND_FILTERS,
    Compilation,
    CompilationFilters,
    compile_round,
    paragraph_reference,
)
from drafting.consultations.compilation_pages import CompilationPage, compile_page, part_of
from drafting.consultations.decision_forms import DecisionForm
from drafting.consultations.models import Comment, Consultation, Outcome
from drafting.database import utcnow
from drafting.exports.compilation import build_compilation_docx, build_compiled_text_docx
from drafting.exports.spreadsheet import build_compilation_csv
from drafting.extensions import db
from drafting.pages.consultations import load_comment, load_consultation
from drafting.pages.documents import DOCX_MIMETYPE, _download
from drafting.text.numbers import whole_number
from drafting.web import MAX_ID, download_name, require

bp = Blueprint("compilation", __name__)


def _load(consultation_id: int) -> Consultation:
    """The round, for someone who may see its compilation: 404 to whoever may not know the
    round exists, 403 to a participant who may not see the compilation (yet)."""
    consultation = load_consultation(consultation_id)
    require("compilation.view", consultation)
    return consultation


def _compile(consultation: Consultation) -> Compilation:
    return compile_round(current_user, consultation, CompilationFilters.from_args(request.args))


def _part_asked(consultation: Consultation, filters: CompilationFilters) -> int:
    """The page asked for: ``page=N``, or ``comment=ID`` for the page that shows that comment."""
    if (comment_id := whole_number(request.args.get("comment"), MAX_ID)) is not None:
        comment = db.session.get(Comment, comment_id)
        if comment is not None and comment.consultation_id == consultation.id:
            return part_of(current_user, consultation, filters, comment)
    return whole_number(request.args.get("page"), 999_999) or 1


def _compile_page(consultation: Consultation, comment: Comment | None = None) -> CompilationPage:
    filters = CompilationFilters.from_args(request.args)
    if comment is not None:
        number = part_of(current_user, consultation, filters, comment)
    else:
        number = _part_asked(consultation, filters)
    return compile_page(current_user, consultation, filters, number)


def _page(
    compilation: CompilationPage,
    *,
    failed: tuple[int, DecisionForm] | None = None,
    status: int = 200,
):
    consultation = compilation.consultation
    # htmx asks for the next page to put it in place: only that page's part, no frame.
    template = "_part" if request.headers.get("HX-Request") else "compilation"
    return (
        render_template(
            f"compilation/{template}.html",
            compilation=compilation,
            consultation=consultation,
            version=compilation.version,
            document=compilation.document,
            filters=compilation.filters,
            filter_args=compilation.filters.query_args(),
            kind_filters=KIND_FILTERS,
            decision_filters=DECISION_FILTERS,
            outcomes=list(Outcome),
            may_decide=can(current_user, "decision.record", consultation),
            sees_withdrawn=can(current_user, "comment.view_withdrawn", consultation),
            failed_id=failed[0] if failed else None,
            failed_form=failed[1] if failed else None,
            paragraph_reference=paragraph_reference,
            reflecting_versions=decisions.reflecting_versions(consultation),
            state=consultation.state(utcnow()),
        ),
        status,
        {"Vary": "HX-Request"},
    )


@bp.route("/consultations/<id:consultation_id>/compilation")
@login_required
def compilation(consultation_id: int):
    return _page(_compile_page(_load(consultation_id)))


def _load_decidable(comment_id: int) -> Comment:
    # A sealed submission and a draft of another delegation are both simply not found.
    comment = load_comment(comment_id)
    consultation = comment.consultation
    if comment.submitted_dt is None:
        abort(404)  # a draft, or one withdrawn unsent, was never the secretariat's business
    require("decision.record", comment)
    require("compilation.view", consultation)
    return comment


def _record(comment: Comment, form: DecisionForm) -> bool:
    """The sent form taken in one step: whether the decision is recorded; if not, the reason
    is among the form's errors."""
    if not form.validate_on_submit():
        return False
    try:
        decisions.record_decision(
            current_user,
            comment,
            outcome=form.outcome.data or "",
            justification=form.justification.data or "",
            is_shared=form.is_shared.data,
            reflected_in=form.reflected_in.data or "",
            **_reflecting(comment.consultation, comment, form),
        )
    except refusals.ConsultationError as exc:
        form.form_errors.append(str(exc))
        return False
    return True


def _recorded(comment: Comment, filters: CompilationFilters):
    flash(
        _(
            "Decision recorded on %(code)s's comment on %(where)s: %(outcome)s.",
            code=comment.delegation.code,
            where=_where(comment),
            outcome=_(comment.decision.outcome.title).lower(),
        ),
        "success",
    )
    page = part_of(current_user, comment.consultation, filters, comment)
    return redirect(
        url_for(
            "compilation.compilation",
            consultation_id=comment.consultation_id,
            _anchor=f"c-{comment.id}",
            **filters.query_args(),
            **({"page": page} if page > 1 else {}),
        )
    )


@bp.route("/comments/<id:comment_id>/decision", methods=["POST"])
@login_required
def decide(comment_id: int):
    comment = _load_decidable(comment_id)
    form = DecisionForm()
    filters = CompilationFilters.from_args(request.args)
    if _record(comment, form):
        return _recorded(comment, filters)
    # The operation refuses before it changes anything: the page shows what is stored, and
    # beside this comment the form as the secretariat typed it, with what is wrong.
    compiled = _compile_page(comment.consultation, comment)
    return _page(compiled, failed=(comment.id, form), status=422)


def _reflecting(consultation: Consultation, comment: Comment, form: DecisionForm) -> dict:
    """The paragraph the form names, by its identity; none when the number is left empty (a
    deletion applied in a draft keeps its draft, having no paragraph)."""
    label = (form.reflected_paragraph.data or "").strip()
    if label:
        raw = (form.reflected_version.data or "").strip()
        version_id = whole_number(raw, MAX_ID)
        found = decisions.reflecting_paragraph(consultation, version_id, label)
        return {"reflected_paragraph_uid": found.uid, "reflected_version_id": found.version_id}
    decision = comment.decision
    if decision is not None and not decision.is_linked:
        return {}
    return {"reflected_paragraph_uid": None, "reflected_version_id": None}


def _where(comment: Comment) -> str:
    paragraph = comment.paragraph
    if paragraph is None:
        return _("the whole text")
    if paragraph.label:
        return _("paragraph %(label)s", label=paragraph.label)
    return f"“{paragraph_reference(paragraph)}”"


def _filename(compilation: Compilation, what: str, suffix: str) -> str:
    return download_name(compilation.document.title, compilation.version.label, what, suffix=suffix)


# The Word layouts: how each is built, and what its file is called.
_LAYOUTS = {
    "table": (build_compilation_docx, "compilation"),
    "text": (build_compiled_text_docx, "compiled text"),
}


@bp.route("/consultations/<id:consultation_id>/compilation.docx")
@login_required
def export_docx(consultation_id: int):
    compiled = _compile(_load(consultation_id))
    layout = request.args.get("layout", "table")
    if layout not in _LAYOUTS:
        abort(400, description="“layout” must be “table” or “text”.")
    build, what = _LAYOUTS[layout]
    data = build(compiled, dated=utcnow())
    return _download(data, DOCX_MIMETYPE, _filename(compiled, what, "docx"))


@bp.route("/consultations/<id:consultation_id>/compilation.csv")
@login_required
def export_csv(consultation_id: int):
    compiled = _compile(_load(consultation_id))
    data = build_compilation_csv(compiled)
    return _download(data, "text/csv; charset=utf-8", _filename(compiled, "compilation", "csv"))
