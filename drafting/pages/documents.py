"""Pages for documents and their versions: list, create, import, read, publish, history,
export."""

from __future__ import annotations

from io import BytesIO
from itertools import pairwise

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from drafting.auth.forms import delegation_choices
from drafting.auth.policy import can
from drafting.consultations import following
from drafting.consultations.forms import LATE_RULE_HELP, VISIBILITY_HELP, RoundOnPublicationForm
from drafting.consultations.models import Consultation
from drafting.database import reads_first, utcnow
from drafting.documents import operations
from drafting.documents.comparison import (
    ComparisonError,
    VersionComparison,
    compare_versions,
    default_pair,
    load_versions,
)
from drafting.documents.forms import (
    DocumentForm,
    ImportForm,
    ParticipantsForm,
    PublishForm,
)
from drafting.documents.models import Document, Version
from drafting.documents.open_points import open_points_total
from drafting.documents.policy import visible_documents
from drafting.documents.publishing import numbering_check
from drafting.documents.translations import paragraphs_in, reading_language
from drafting.exports.akn import AKN_MIMETYPE, version_akn
from drafting.exports.copies import version_copy
from drafting.exports.markup_copy import version_markup_docx
from drafting.exports.pdf import UncoveredCharacter, build_version_pdf
from drafting.exports.redline import build_redline_docx
from drafting.exports.word_languages import document_language
from drafting.extensions import db
from drafting.pages import publishing
from drafting.pages.reading_parts import InParts, comparison_in_parts, version_in_parts
from drafting.pages.silence import silence_context
from drafting.web import download_name, query_id, require
from drafting.web.edge import error_page
from drafting.web.loading import load

bp = Blueprint("documents", __name__)
DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@bp.route("/")
@login_required
def index():
    query = request.args.get("q", "").strip()
    stmt = (
        select(Document)
        .order_by(Document.created_dt.desc())
        .options(selectinload(Document.versions))
    )
    if query:
        stmt = stmt.where(Document.title.ilike(f"%{query}%"))
    documents = db.session.scalars(visible_documents(current_user, stmt)).all()
    return render_template("documents/index.html", documents=documents, query=query)


@bp.route("/documents/new", methods=["GET", "POST"])
@login_required
def new_document():
    require("document.create")
    form = DocumentForm()
    form.participants.choices = delegation_choices()
    if form.validate_on_submit():
        try:
            document = operations.create_document(
                current_user,
                title=form.title.data,
                participants=form.chosen_delegations(),
                language=form.language.data,
            )
        except operations.DocumentError as exc:
            form.title.errors = [str(exc)]
        else:
            flash(_("Document created. Import its first draft below."), "success")
            return redirect(url_for("documents.document", document_id=document.id))
    return render_template("documents/new.html", form=form), 422 if form.errors else 200


def _visible_versions(document: Document) -> list[Version]:
    return [v for v in document.versions if can(current_user, "version.view", v)]


def _rounds(document: Document) -> list[Consultation]:
    """The document's rounds of comments, latest first, with what their state needs loaded."""
    stmt = (
        select(Consultation)
        .join(Consultation.version)
        .where(Version.document_id == document.id)
        .order_by(Consultation.opens_dt.desc(), Consultation.id.desc())
        .options(selectinload(Consultation.extensions))
    )
    return [c for c in db.session.scalars(stmt) if can(current_user, "consultation.view", c)]


def _document_page(document: Document, import_form: ImportForm, status: int = 200):
    participants_form = ParticipantsForm(participants=[d.id for d in document.participants])
    participants_form.participants.choices = delegation_choices()
    versions = _visible_versions(document)
    return render_template(
        "documents/document.html",
        document=document,
        versions=versions,
        latest_open_points=open_points_total(versions[-1]) if versions else None,
        consultations=_rounds(document),
        now=utcnow(),
        import_form=import_form,
        participants_form=participants_form,
        **silence_context(document),
    ), status


@bp.route("/documents/<id:document_id>")
@login_required
@reads_first  # an adoption that fell due is settled as the page is read
def document(document_id: int):
    return _document_page(load(Document, document_id, action="document.view"), ImportForm())


@bp.route("/documents/<id:document_id>/participants", methods=["POST"])
@login_required
def participants(document_id: int):
    doc = load(Document, document_id, action="document.view")
    require("document.manage", doc)
    form = ParticipantsForm()
    form.participants.choices = delegation_choices()
    if not form.validate_on_submit():
        flash(_("Not saved: choose the delegations from the list."), "error")
        return _document_page(doc, ImportForm(), 422)
    operations.set_participants(current_user, doc, form.chosen_delegations())
    flash(_("The delegations taking part are saved."), "success")
    return redirect(url_for("documents.document", document_id=doc.id))


def _version_page(
    version: Version,
    status: int = 200,
    publish_form: PublishForm | None = None,
    round_form: RoundOnPublicationForm | None = None,
    publish_errors: list[str] | None = None,
    refused_marking=None,
):
    if publish_form is None and can(current_user, "version.publish", version):
        publish_form = PublishForm(formdata=None, label=version.label)
        round_form = publishing.round_form(version, fill=True)
    return render_template(
        "documents/version.html",
        version=version,
        document=version.document,
        publish_form=publish_form,
        round_form=round_form,
        publish_errors=publish_errors or [],
        numbering=numbering_check(version) if publish_form else None,
        visibility_help=VISIBILITY_HELP,
        late_rule_help=LATE_RULE_HELP,
        refused_marking=refused_marking,
        open_points=open_points_total(version),
        **_earlier_comments(version),
        **silence_context(version.document, version),
    ), status


version_page = _version_page  # also the page a refused marking shows (pages.statuses)


def _earlier_comments(version: Version) -> dict:
    """Comments follow the paragraph: the submitted comments of rounds on earlier versions
    beside each paragraph of the part of this one shown, and for a delegate whose delegation
    commented, the versions it commented on (for "what changed since"). A constant number of
    queries. With ``?language=`` the paragraphs are read in one of the version's languages."""
    language, languages = reading_language(version, request.args.get("language"))
    reading = version_in_parts(paragraphs_in(version, language))
    consultations = following.document_consultations(
        version.document_id, through_version_id=version.id, inclusive=False
    )
    commented_on = []
    if can(current_user, "comment.follow_own", version):
        commented_on = following.versions_commented_by(current_user.delegation_id, consultations)
    return {
        "following": following.follow(current_user, consultations, reading.shown),
        "commented_on": commented_on,
        "reading": reading,
        "language": language,
        "languages": languages,
    }


@bp.route("/versions/<id:version_id>")
@login_required
@reads_first  # an adoption that fell due is settled as the page is read
def version(version_id: int):
    return _version_page(load(Version, version_id, action="version.view"))


@bp.route("/versions/<id:version_id>/publish", methods=["POST"])
@login_required
def publish(version_id: int):
    ver = load(Version, version_id, action="version.view")
    if already := publishing.already_published(ver):
        # A double click, or a colleague was quicker: say what happened, not "not allowed".
        flash(already, "error")
        return _version_page(ver, 409)
    require("version.publish", ver)
    outcome = publishing.publish(ver)
    if outcome.message is None:
        return _version_page(ver, outcome.status, outcome.form, outcome.round_form, outcome.errors)
    flash(outcome.message, "success")
    return redirect(url_for("documents.version", version_id=ver.id))


@bp.route("/documents/<id:document_id>/history")
@login_required
def history(document_id: int):
    doc = load(Document, document_id, action="document.view")
    versions = list(reversed(_visible_versions(doc)))
    return render_template(
        "documents/history.html",
        document=doc,
        versions=versions,
        earlier={newer.id: older for newer, older in pairwise(versions)},
        paragraph_counts=operations.paragraph_counts(versions),
    )


def _download(data: bytes, mimetype: str, name: str):
    """A file to save. werkzeug adds "; charset=utf-8" to text types itself: a charset given
    here as well would be sent twice ("charset=utf-8; charset=utf-8")."""
    mimetype = mimetype.split(";", 1)[0].strip()
    return send_file(BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name)


def _filename(version: Version, suffix: str) -> str:
    return download_name(version.document.title, version.label, suffix=suffix)


@bp.route("/versions/<id:version_id>.md")
@login_required
def export_markdown(version_id: int):
    ver = load(Version, version_id, action="version.view")
    text = operations.export_markdown(ver, _reading_language(ver)).encode("utf-8")
    return _download(text, "text/markdown; charset=utf-8", _filename(ver, "md"))


def _reading_language(version: Version) -> str | None:
    """The ``?language=`` of a download or comparison, one the version has (else None: the
    original's)."""
    asked = request.args.get("language")
    return (reading_language(version, asked)[0] or None) if asked else None


@bp.route("/versions/<id:version_id>.docx")
@login_required
def export_docx(version_id: int):
    ver = load(Version, version_id, action="version.view")
    # The paragraphs' identities ride along as hidden bookmarks: the copy is made for marking up.
    return _download(
        version_markup_docx(ver, _reading_language(ver)), DOCX_MIMETYPE, _filename(ver, "docx")
    )


@bp.route("/versions/<id:version_id>.pdf")
@login_required
def export_pdf(version_id: int):
    ver = load(Version, version_id, action="version.view")
    try:
        data = version_copy(ver, build_version_pdf, _reading_language(ver))
    except UncoveredCharacter as refusal:
        return error_page(422, _("The PDF cannot be made"), _pdf_refusal(refusal))
    return _download(data, "application/pdf", _filename(ver, "pdf"))


def _pdf_refusal(refusal: UncoveredCharacter) -> str:
    where = (
        _("in paragraph %(number)s", number=refusal.paragraph)
        if refusal.paragraph
        else _("in the title")
    )
    return _(
        "The PDF cannot print %(character)s %(where)s: none of its fonts (%(fonts)s) has "
        "that character. Replace it in the text, or download the Word copy instead.",
        character=refusal.name,
        where=where,
        fonts=refusal.fonts,
    )


@bp.route("/versions/<id:version_id>.xml")
@login_required
def export_akn(version_id: int):
    ver = load(Version, version_id, action="version.view")
    return _download(version_akn(ver), AKN_MIMETYPE, _filename(ver, "akn.xml"))


def _compared(document: Document) -> VersionComparison | None:
    """The comparison the query string asks for, by default the previous and latest published
    versions; None when the document has fewer than two versions the user may see."""
    old_id, new_id = query_id("old"), query_id("new")
    if old_id is None and new_id is None:
        visible = _visible_versions(document)
        published = [v for v in visible if v.is_published]
        pair = default_pair(published if len(published) >= 2 else visible)
        return compare_versions(*pair, language=_reading_language(pair[1])) if pair else None
    if old_id is None or new_id is None:
        abort(400, description="Choose both versions to compare: “from” and “to”.")
    loaded = load_versions(old_id, new_id)
    old, new = loaded.get(old_id), loaded.get(new_id)
    if old is None or new is None or document.id not in (old.document_id, new.document_id):
        abort(404)
    for version in (old, new):
        require("version.view", version, hide=True)
    try:
        return compare_versions(old, new, language=_reading_language(new))
    except ComparisonError as exc:
        abort(400, description=str(exc))


@bp.route("/documents/<id:document_id>/compare")
@login_required
def compare(document_id: int):
    doc = load(Document, document_id, action="document.view")
    result = _compared(doc)
    mine, changes_only = request.args.get("mine") == "1", request.args.get("changes") == "only"
    reading = comparison_in_parts(result, changes_only=changes_only) if result else None
    return render_template(
        "documents/compare.html",
        document=doc,
        result=result,
        versions=_visible_versions(doc),
        view="side" if request.args.get("view") == "side" else "inline",
        changes_only=changes_only,
        mine=mine,
        reading=reading,
        following=_comments_beside_rows(result, reading, mine=mine) if result else None,
    )


def _comments_beside_rows(
    result: VersionComparison, reading: InParts, *, mine: bool
) -> following.Following:
    """The submitted comments on the compared paragraphs of the rows shown (by uid) from the
    rounds on every version up to the later of the two, as the reader may see them; with
    ``mine`` only the reader's own delegation's. "Changed since" is judged against the newer
    text."""
    consultations = following.document_consultations(
        result.new.document_id, through_version_id=max(result.old.id, result.new.id)
    )
    return following.follow(
        current_user,
        consultations,
        [p for row in reading.shown for p in (*row.old, *row.new)],
        texts=result.new.paragraphs,
        delegation_id=current_user.delegation_id if mine else None,
    )


@bp.route("/documents/<id:document_id>/compare.docx")
@login_required
def compare_docx(document_id: int):
    doc = load(Document, document_id, action="document.view")
    result = _compared(doc) or abort(404)
    data = build_redline_docx(
        result.comparison,
        author=current_app.config["SITE_NAME"],
        date=result.new.published_dt or utcnow(),
        title=doc.title,
        language=document_language(doc),
    )
    changes = f"{result.old.label} to {result.new.label} (tracked changes)"
    name = download_name(doc.title, changes, suffix="docx")
    return _download(data, DOCX_MIMETYPE, name)
