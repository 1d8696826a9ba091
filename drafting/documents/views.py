"""Pages for documents and their versions: list, create, import, read, publish, export."""

from __future__ import annotations

from io import BytesIO

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
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from drafting.auth.models import Delegation
from drafting.auth.policy import can, visible_documents
from drafting.compare.word import build_redline_docx
from drafting.database import utcnow
from drafting.documents import operations
from drafting.documents.comparison import (
    ComparisonError,
    compare_versions,
    default_pair,
    load_versions,
)
from drafting.documents.draft_format import DraftFormatError, decode_draft
from drafting.documents.forms import DocumentForm, ImportForm, PublishForm
from drafting.documents.models import Document, Version
from drafting.exports.pdf import build_version_pdf
from drafting.exports.word import build_version_docx
from drafting.extensions import db
from drafting.web import require

bp = Blueprint("documents", __name__)
DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _visible_documents(query: str):
    stmt = (
        select(Document)
        .order_by(Document.created_dt.desc())
        .options(selectinload(Document.versions))
    )
    if query:
        stmt = stmt.where(Document.title.ilike(f"%{query}%"))
    return db.session.scalars(visible_documents(current_user, stmt)).all()


@bp.route("/")
@login_required
def index():
    query = request.args.get("q", "").strip()
    return render_template("documents/index.html", documents=_visible_documents(query), query=query)


def _document_form() -> DocumentForm:
    form = DocumentForm()
    form.participants.choices = [
        SelectChoice(d.id, f"{d.name} ({d.code})")
        for d in db.session.scalars(select(Delegation).order_by(Delegation.name))
    ]
    return form


@bp.route("/documents/new", methods=["GET", "POST"])
@login_required
def new_document():
    require("document.create")
    form = _document_form()
    if form.validate_on_submit():
        participants = db.session.scalars(
            select(Delegation).where(Delegation.id.in_(form.participants.data))
        ).all()
        try:
            document = operations.create_document(
                current_user, title=form.title.data, participants=participants
            )
        except operations.DocumentError as exc:
            form.title.errors = [str(exc)]
        else:
            flash("Document created. Import its first draft below.", "success")
            return redirect(url_for("documents.document", document_id=document.id))
    return render_template("documents/new.html", form=form), 422 if form.errors else 200


def _load_document(document_id: int) -> Document:
    document = db.get_or_404(Document, document_id)
    require("document.view", document, hide=True)
    return document


@bp.route("/documents/<int:document_id>")
@login_required
def document(document_id: int):
    doc = _load_document(document_id)
    versions = [v for v in doc.versions if current_user.is_secretariat or v.is_published]
    return render_template(
        "documents/document.html", document=doc, versions=versions, import_form=ImportForm()
    )


@bp.route("/documents/<int:document_id>/import", methods=["POST"])
@login_required
def import_draft(document_id: int):
    doc = _load_document(document_id)
    require("version.import", doc)
    form = ImportForm()
    if form.validate_on_submit():
        try:
            source = decode_draft(form.file.data.read(), current_app.config["MAX_DRAFT_BYTES"])
            version = operations.import_version(
                current_user, doc, source, label=form.label.data, publish=form.publish.data
            )
        except (DraftFormatError, operations.DocumentError) as exc:
            form.file.errors = [str(exc)]
        else:
            flash(f"{version.label} imported: {len(version.paragraphs)} blocks.", "success")
            return redirect(url_for("documents.version", version_id=version.id))
    versions = list(doc.versions)
    return render_template(
        "documents/document.html", document=doc, versions=versions, import_form=form
    ), 422


def _load_version(version_id: int) -> Version:
    version = db.get_or_404(Version, version_id)
    require("version.view", version, hide=True)
    return version


@bp.route("/versions/<int:version_id>")
@login_required
def version(version_id: int):
    ver = _load_version(version_id)
    return render_template(
        "documents/version.html", version=ver, document=ver.document, publish_form=PublishForm()
    )


@bp.route("/versions/<int:version_id>/publish", methods=["POST"])
@login_required
def publish(version_id: int):
    ver = _load_version(version_id)
    require("version.publish", ver)
    if PublishForm().validate_on_submit():
        try:
            operations.publish_version(current_user, ver)
        except operations.DocumentError as exc:
            flash(str(exc), "error")
            return render_template(
                "documents/version.html",
                version=ver,
                document=ver.document,
                publish_form=PublishForm(),
            ), 409
        flash(f"{ver.label} is published. Delegations can now read it.", "success")
    return redirect(url_for("documents.version", version_id=ver.id))


@bp.route("/versions/<int:version_id>.md")
@login_required
def export_markdown(version_id: int):
    ver = _load_version(version_id)
    data = BytesIO(operations.export_markdown(ver).encode("utf-8"))
    return send_file(
        data,
        mimetype="text/markdown; charset=utf-8",
        as_attachment=True,
        download_name=f"{ver.document.title[:60]} - {ver.label}.md",
    )


def _visible_versions(document: Document) -> list[Version]:
    return [v for v in document.versions if can(current_user, "version.view", v)]


def _pick_pair(document: Document) -> tuple[Version, Version] | None:
    """The versions named in the query string, or by default the previous and latest published."""
    visible = {v.id: v for v in _visible_versions(document)}
    old_id, new_id = request.args.get("old", type=int), request.args.get("new", type=int)
    if old_id is None and new_id is None:
        return default_pair(
            [v for v in visible.values() if v.is_published] or list(visible.values())
        )
    loaded = load_versions(*(i for i in (old_id, new_id) if i is not None))
    old, new = loaded.get(old_id), loaded.get(new_id)
    if old is None or new is None:
        abort(404)
    for version in (old, new):
        require("version.view", version, hide=True)
    return old, new


@bp.route("/documents/<int:document_id>/compare")
@login_required
def compare(document_id: int):
    doc = _load_document(document_id)
    pair = _pick_pair(doc)
    if pair is None:
        return render_template(
            "documents/compare.html",
            document=doc,
            result=None,
            versions=_visible_versions(doc),
            view="inline",
            changes_only=False,
        )
    try:
        result = compare_versions(*pair)
    except ComparisonError as exc:
        abort(400, description=str(exc))
    view = "side" if request.args.get("view") == "side" else "inline"
    return render_template(
        "documents/compare.html",
        document=doc,
        result=result,
        view=view,
        versions=_visible_versions(doc),
        changes_only=request.args.get("changes") == "only",
    )


@bp.route("/documents/<int:document_id>/compare.docx")
@login_required
def compare_docx(document_id: int):
    doc = _load_document(document_id)
    pair = _pick_pair(doc) or abort(404)
    try:
        result = compare_versions(*pair)
    except ComparisonError as exc:
        abort(400, description=str(exc))
    old, new = pair
    data = build_redline_docx(
        result.comparison,
        author=current_app.config["SITE_NAME"],
        date=new.published_dt or utcnow(),
        title=doc.title,
    )
    return send_file(
        BytesIO(data),
        mimetype=DOCX_MIMETYPE,
        as_attachment=True,
        download_name=f"{doc.title[:60]} - {old.label} to {new.label} (tracked changes).docx",
    )


def _dated(version: Version):
    return (version.published_dt or version.created_dt).date()


@bp.route("/versions/<int:version_id>.docx")
@login_required
def export_docx(version_id: int):
    ver = _load_version(version_id)
    data = build_version_docx(
        ver.blocks,
        title=ver.document.title,
        version_label=ver.label,
        text_hash=ver.text_hash,
        dated=_dated(ver),
    )
    return send_file(
        BytesIO(data),
        mimetype=DOCX_MIMETYPE,
        as_attachment=True,
        download_name=f"{ver.document.title[:60]} - {ver.label}.docx",
    )


@bp.route("/versions/<int:version_id>.pdf")
@login_required
def export_pdf(version_id: int):
    ver = _load_version(version_id)
    data = build_version_pdf(
        ver.blocks,
        title=ver.document.title,
        version_label=ver.label,
        text_hash=ver.text_hash,
        dated=_dated(ver),
    )
    return send_file(
        BytesIO(data),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"{ver.document.title[:60]} - {ver.label}.pdf",
    )
