"""Importing a draft from a file into a document, as a new version."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from drafting.documents import operations
from drafting.documents.draft_format import DraftFormatError, decode_draft
from drafting.documents.forms import ImportForm
from drafting.documents.views import _load_document
from drafting.web import require

bp = Blueprint("importing", __name__)


@bp.route("/documents/<id:document_id>/import", methods=["GET", "POST"])
@login_required
def upload(document_id: int):
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
    status = 422 if form.errors else 200
    return render_template("documents/import.html", document=doc, form=form), status
