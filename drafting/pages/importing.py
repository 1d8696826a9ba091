"""Importing a draft from a file into a document, as a new version.

A Word file, and a Markdown file that continues an earlier version, are first read and shown for
review (the blocks, which earlier paragraph each continues, what a Word file still carries of
tracked changes and comments) and nothing is stored until the secretariat confirms. A Markdown
file that is the document's first version has no identities to review and is stored at once.
The review page carries the draft it read as Markdown in its confirmation form, so no
half-imported state is kept anywhere between the two requests; the confirmation stores it
through the ordinary import.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from itsdangerous import Signer
from wtforms import HiddenField, SubmitField, TextAreaField
from wtforms.validators import DataRequired

from drafting.audit.operations import record_event
from drafting.compare import align_paragraphs
from drafting.documents import importing, operations
from drafting.documents.docx_import import Revisions, is_word_file, read_docx
from drafting.documents.forms import ImportForm
from drafting.documents.models import Document, Paragraph, Version
from drafting.text.draft_format import (
    Block,
    DraftFormatError,
    decode_draft,
    describe_contents,
    parse_draft,
)
from drafting.text.footnotes import gather_notes
from drafting.web import require
from drafting.web.loading import load

bp = Blueprint("importing", __name__)
bp.add_app_template_global(describe_contents)


class UploadForm(ImportForm):
    """The import page's form: the document page's, which takes Word and Markdown files."""


class ConfirmImportForm(FlaskForm):
    """The review's answer: store the draft read from the Word file, or stop."""

    label = ImportForm.label
    publish = ImportForm.publish
    draft = TextAreaField(validators=[DataRequired(message="The draft to import is missing.")])
    revisions = HiddenField()
    filename = HiddenField()
    based_on = HiddenField()  # the version the review compared with; "" for none
    seal = HiddenField()  # the signature of seal_review's message
    accept = SubmitField("Import this draft")
    stop = SubmitField("Stop: import nothing")


@dataclass(frozen=True)
class Upload:
    """What an uploaded file came to: a ``version`` stored at once (a document's first draft
    in Markdown), a ``review`` to show before anything is stored (the confirmation form, with
    the tracked changes read), or neither: the reason is then at the file's field."""

    version: Version | None = None
    review: ConfirmImportForm | None = None
    revisions: Revisions = field(default_factory=Revisions)


def read_upload(doc: Document, form: UploadForm) -> Upload:
    """Read the file sent: a Word file, or a Markdown next draft, for review; a Markdown first
    draft stored at once."""
    data, name = form.file.data.read(), form.file.data.filename or ""
    try:
        if is_word_file(data, name):
            return _review_word_file(form, data, name)
        if doc.versions:
            return _review_markdown_file(doc, form, data, name)
        return Upload(version=_import_markdown(doc, form, data))
    except (DraftFormatError, operations.DocumentError) as exc:
        form.file.errors = [str(exc)]
        return Upload()


@bp.route("/documents/<id:document_id>/import", methods=["GET", "POST"])
@login_required
def upload(document_id: int):
    doc = load(Document, document_id, action="document.view")
    require("version.import", doc)
    form = UploadForm()
    read = read_upload(doc, form) if form.validate_on_submit() else Upload()
    if read.review is not None:
        return _render_review(doc, read.review, read.revisions)
    if read.version is not None:
        return _imported(read.version)
    status = 422 if form.errors else 200
    return render_template("documents/import.html", document=doc, form=form), status


def _imported(version: Version):
    said = _(
        "%(version)s imported: %(contents)s.",
        version=version.label,
        contents=describe_contents(version.paragraphs),
    )
    flash(said, "success")
    return redirect(url_for("documents.version", version_id=version.id))


@bp.route("/documents/<id:document_id>/import/confirm", methods=["POST"])
@login_required
def confirm(document_id: int):
    doc = load(Document, document_id, action="document.view")
    require("version.import", doc)
    form = ConfirmImportForm()
    if form.stop.data:
        flash(_("Nothing was imported."), "info")
        return redirect(url_for("documents.document", document_id=doc.id))
    if form.is_submitted() and not _sealer().verify_signature(
        seal_review(doc, form), (form.seal.data or "").encode("ascii", "replace")
    ):
        return _review_lost(doc, form)
    if form.validate_on_submit():
        try:
            version = import_reviewed_draft(current_user, doc, form)
        except StaleReview as exc:
            form.based_on.errors = [str(exc)]
        except operations.DocumentError as exc:
            form.label.errors = [str(exc)]
        else:
            return _imported(version)
    status = 409 if form.based_on.errors else 422
    return _render_review(doc, form, _revisions_from(form.revisions.data), status=status)


def _sealer() -> Signer:
    return Signer(current_app.secret_key, salt="import review")


def seal_review(document: Document, form: ConfirmImportForm) -> bytes:
    """What the review page carries for the confirmation (the draft read from the file, its
    tracked changes, the file's name and the version it was compared with), as one message
    that the app's key signs, as it signs the feed addresses: the confirmation stores exactly
    what was read and shown, not a text sent in its place."""
    carried = [
        document.id,
        form.draft.data or "",
        form.revisions.data or "",
        form.filename.data or "",
        form.based_on.data or "",
    ]
    return json.dumps(carried, ensure_ascii=False).encode("utf-8")


def _review_lost(doc: Document, confirm_form: ConfirmImportForm):
    """A confirmation whose carried draft is not the one the review showed (changed on its way,
    or the secret key changed since): nothing is stored; the file is asked for again, with the
    label and the choice to publish kept."""
    form = UploadForm(
        formdata=None, label=confirm_form.label.data, publish=confirm_form.publish.data
    )
    form.file.errors = [
        "The draft sent back for confirmation is not the one read from the file and shown for "
        "review, so nothing was stored. Upload the file again to review it afresh."
    ]
    return render_template("documents/import.html", document=doc, form=form), 422


class StaleReview(operations.DocumentError):
    """The document gained a version after the review was shown: its identities may differ."""


def import_reviewed_draft(actor, document: Document, form: ConfirmImportForm) -> Version:
    """Store a reviewed draft as a new version; for a Word file, record which file it came from
    and what tracked changes and comments were accepted with it, so the audit trail shows who
    chose to.

    The identities stored are those the review showed: if another version was added meanwhile,
    nothing is stored and the review is shown again against it.
    """
    latest = document.versions[-1] if document.versions else None
    if form.based_on.data != (str(latest.id) if latest else ""):
        raise StaleReview(
            f"Since this review was shown, {latest.label if latest else 'a version'} was added to "
            "the document. The table now compares the file with it: check it and confirm again."
        )

    version = importing.import_version(
        actor, document, form.draft.data, label=form.label.data, publish=form.publish.data
    )
    if not form.revisions.data:  # a Markdown file: nothing was converted or accepted
        return version
    revisions = _revisions_from(form.revisions.data)
    record_event(
        actor,
        "version.imported_from_word",
        version,
        filename=form.filename.data or "",
        changes_accepted=revisions.to_json(),
    )
    return version


def _import_markdown(doc: Document, form: UploadForm, data: bytes):
    config = current_app.config
    source = decode_draft(data, config["MAX_DRAFT_BYTES"], config["MAX_DRAFT_PARAGRAPHS"])
    return importing.import_version(
        current_user, doc, source, label=form.label.data, publish=form.publish.data
    )


def _review_word_file(upload_form: UploadForm, data: bytes, name: str) -> Upload:
    config = current_app.config
    draft = read_docx(
        data,
        max_bytes=config["MAX_DRAFT_BYTES"],
        max_xml=config["MAX_WORD_XML_BYTES"],
        max_blocks=config["MAX_DRAFT_PARAGRAPHS"],
    )
    form = ConfirmImportForm(
        formdata=None,
        label=upload_form.label.data,
        publish=upload_form.publish.data,
        draft=draft.markdown,
        revisions=json.dumps(draft.revisions.to_json()),
        filename=name[:200],
    )
    return Upload(review=form, revisions=draft.revisions)


def _review_markdown_file(doc: Document, upload_form: UploadForm, data: bytes, name: str) -> Upload:
    """A Markdown next draft, refused at once for what the import would refuse, else shown for
    review like a Word file (without tracked changes: ``revisions`` stays empty)."""
    source = decode_draft(
        data, current_app.config["MAX_DRAFT_BYTES"], current_app.config["MAX_DRAFT_PARAGRAPHS"]
    )
    importing.check_importable(doc, source, label=upload_form.label.data)
    form = ConfirmImportForm(
        formdata=None,
        label=upload_form.label.data,
        publish=upload_form.publish.data,
        # Sealed as the confirmation will carry it back: form values arrive with LF only.
        draft=source.replace("\r\n", "\n").replace("\r", "\n"),
        revisions="",
        filename=name[:200],
    )
    return Upload(review=form)


def _render_review(doc: Document, form: ConfirmImportForm, revisions: Revisions, status=200):
    try:
        blocks = gather_notes(parse_draft(form.draft.data or ""))
    except DraftFormatError as exc:
        form.draft.errors = [str(exc)]
        blocks = []
    previous = doc.versions[-1] if doc.versions else None
    form.based_on.data = str(previous.id) if previous else ""
    form.seal.data = _sealer().get_signature(seal_review(doc, form)).decode("ascii")
    review = review_identities(previous.paragraphs if previous else [], blocks)
    page = render_template(
        "documents/import_review.html",
        document=doc,
        form=form,
        previous=previous,
        review=review,
        revisions=revisions,
    )
    return page, status


def _revisions_from(raw: str | None) -> Revisions:
    """The counts the review page carried along; shown again only, so a bad value is dropped."""
    try:
        return Revisions.from_json(json.loads(raw or "{}"))
    except (ValueError, TypeError):
        return Revisions()


@dataclass(frozen=True, slots=True)
class ReviewRow:
    """One block read from the file and where it comes from in the previous version."""

    block: Block
    kind: str  # unchanged, changed, split, merged or added, as the comparison says
    moved: bool
    old: tuple[Paragraph, ...]
    keeps_identity: bool


@dataclass(frozen=True, slots=True)
class IdentityReview:
    rows: list[ReviewRow]
    dropped: list[Paragraph]

    def figures(self) -> dict[str, int]:
        counts = {"unchanged": 0, "changed": 0, "moved": 0, "split": 0, "merged": 0, "added": 0}
        for row in self.rows:
            counts[row.kind] += 1
            counts["moved"] += row.moved
        counts["dropped"] = len(self.dropped)
        return counts


def review_identities(previous: Sequence[Paragraph], blocks: list[Block]) -> IdentityReview:
    """For each new block, the earlier paragraph it continues, as the import will record it.

    The alignment is the comparison's; which block keeps an identity is decided by
    importing.inherit_identities, the function the import itself calls.
    """
    uids = importing.inherit_identities(previous, blocks)
    comparison = align_paragraphs([p.block for p in previous], blocks)
    rows: list[ReviewRow | None] = [None] * len(blocks)
    dropped: list[Paragraph] = []
    for entry in comparison.entries:
        old = tuple(previous[i] for i in entry.old)
        if not entry.new:
            dropped.extend(old)
        for i in entry.new:
            rows[i] = ReviewRow(blocks[i], entry.kind, entry.moved, old, uids[i] is not None)
    return IdentityReview([row for row in rows if row is not None], dropped)
