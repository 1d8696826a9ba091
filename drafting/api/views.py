"""The JSON API under /api/v1, each route with what it reads and answers (drafting/api/
schemas.py), which is also its description (drafting/api/openapi.py).

A bearer token, never the login cookie, says who calls (drafting/api/edge.py). Every endpoint
asks the same policy as the pages (404 for what the caller may not know exists, 403 for what
they may see but not do) and writes through the same operations, so deadlines, sealing and
validation are the pages' own."""

from __future__ import annotations

import re

from flask import jsonify, request
from flask_smorest import current_api
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from drafting.api import schemas, silence_schemas
from drafting.api.bodies import read_body
from drafting.api.caller import caller
from drafting.api.edge import READS, WRITES, bp, commit_before_answer, refusal, refuses
from drafting.api.idempotency import create_comment_once
from drafting.api.language_fields import InLanguage
from drafting.api.loading import (
    already,
    load_comment,
    load_consultation,
    load_document,
    load_version,
    not_found,
    require_edit,
    require_write,
)
from drafting.api.paging import HEADERS as PAGE_HEADERS
from drafting.api.paging import PAGE_QUERY, page_of_list, page_of_query
from drafting.auth.policy import can, why_not
from drafting.consultations import commenting
from drafting.consultations.models import Comment, Consultation
from drafting.consultations.policy import visible_comments
from drafting.consultations.silence.operations import settle_quietly
from drafting.database import reads_first
from drafting.documents import statuses
from drafting.documents.comparison import (
    ComparisonError,
    compare_versions,
    default_pair,
    load_versions,
)
from drafting.documents.models import AgreementStatus, Document, Version
from drafting.documents.policy import visible_documents
from drafting.documents.translations import languages_of, paragraphs_in
from drafting.extensions import db
from drafting.web import query_id
from drafting.web.problems import Problem

JSON = "application/json"
IDEMPOTENCY_KEY = re.compile(schemas.IDEMPOTENCY_KEY_PATTERN)
IDEMPOTENCY_KEY_HEADER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "The same key again in the same round, with the same request, gives the "
    "same comment (200), never a second one; with another request it is refused (422). A key "
    "means nothing in another round.",
    "schema": {"type": "string", "pattern": schemas.IDEMPOTENCY_KEY_PATTERN},
}
LOCATION = {"Location": {"schema": {"type": "string"}, "description": "/api/v1/comments/{id}"}}


def body(schema: type) -> dict:
    """The description of a request body that ``read_body(schema())`` reads."""
    return {"requestBody": {"required": True, "content": {JSON: {"schema": schema}}}}


# ---------------------------------------------------------------------------------------------
# Reading


@bp.get("/openapi.json")
@bp.doc(
    operationId="openapi",
    security=[],
    responses={
        "200": {
            "description": "The OpenAPI document.",
            "content": {JSON: {"schema": {"type": "object"}}},
        },
        "400": {"$ref": f"#/components/responses/{refusal(400)}"},
    },
)
def openapi():
    """This description."""
    return jsonify(current_api.spec.to_dict())


@bp.get("/documents")
@bp.doc(operationId="listDocuments", parameters=PAGE_QUERY)
@bp.response(200, schemas.DocumentList, description="The documents.", headers=PAGE_HEADERS)
@refuses(*READS)
def documents():
    """The documents the caller takes part in, with the versions they may read."""
    stmt = (
        select(Document)
        .order_by(Document.id)
        .options(selectinload(Document.participants), selectinload(Document.versions))
    )
    found, headers = page_of_query(visible_documents(caller(), stmt))
    return {"documents": found}, headers


@bp.get("/documents/<id:document_id>")
@bp.doc(operationId="getDocument")
@bp.response(200, schemas.Document, description="The document.")
@refuses(*READS)
def document(document_id: int):
    """One document."""
    return load_document(document_id)


@bp.get("/versions/<id:version_id>")
@bp.doc(operationId="getVersion", parameters=[{"in": "query", "schema": InLanguage}])
@bp.response(200, silence_schemas.Version, description="The version.")
@refuses(*READS)
@reads_first  # an adoption that fell due is settled as the version is read
def version(version_id: int):
    """One version with its paragraphs, each with its stable identity, and where its silence
    procedure stands."""
    found = load_version(version_id)
    settle_quietly(version_id=found.id)
    language = _language(found)
    return VersionInLanguage(found, paragraphs_in(found, language)) if language else found


class VersionInLanguage:
    """A version as read in a language: its paragraphs translated, all else its own."""

    def __init__(self, version: Version, paragraphs: list):
        self.version, self.paragraphs = version, paragraphs

    def __getattr__(self, name: str):
        return getattr(self.version, name)


def _language(version: Version) -> str | None:
    """The ``language`` asked for: None for the original's, a 404 for one it has not."""
    asked = request.args.get("language", "")
    if not asked or asked == version.document.language:
        return None
    if asked not in languages_of(version):
        raise Problem(404, f"{version.label} has no translation into “{asked[:8]}”.")
    return asked


@bp.put("/versions/<id:version_id>/paragraphs/<uid>/status")
@bp.doc(operationId="setParagraphStatus", **body(schemas.StatusChange))
@bp.response(200, schemas.Paragraph, description="The paragraph with its status.")
@refuses(*WRITES)
def set_paragraph_status(version_id: int, uid: str):
    """Mark a paragraph pending, agreed ad referendum or agreed (the chair and the secretariat;
    a published version too: the status is about the version, not part of its text)."""
    version = load_version(version_id)
    if reason := why_not(caller(), "paragraph.mark", version):
        raise Problem(403, reason)
    paragraph = next((p for p in version.paragraphs if p.uid == uid), None)
    if paragraph is None:
        raise Problem(404, f"{version.label} has no paragraph {uid}.")
    data = read_body(schemas.StatusChange())
    try:
        status = AgreementStatus(data["status"])
    except ValueError:
        message = "“status” must be one of pending, ad_referendum, agreed."
        raise Problem(422, message, errors=[{"field": "status", "message": message}]) from None
    try:
        statuses.set_paragraph_status(caller(), version, paragraph, status, data.get("note", ""))
    except statuses.StatusError as exc:
        raise Problem(422, str(exc)) from None
    return paragraph


@bp.get("/documents/<id:document_id>/comparison")
@bp.doc(operationId="compareVersions", parameters=[{"in": "query", "schema": schemas.VersionPair}])
@bp.response(200, schemas.Comparison, description="The comparison.")
@refuses(*READS)
def comparison(document_id: int):
    """Two versions of the document compared paragraph by paragraph and word by word.

    As `drafting compare --format json`; by default the previous and the latest published."""
    document = load_document(document_id)
    old_id, new_id = query_id("old"), query_id("new")
    if old_id is None and new_id is None:
        pair = _default_pair(document)
        return compare_versions(*pair, language=_language(pair[1]))
    if old_id is None or new_id is None:
        raise Problem(400, "Give both versions to compare: “old” and “new”.")
    loaded = load_versions(old_id, new_id)
    for version_id in (old_id, new_id):
        found = loaded.get(version_id)
        if found is None or found.document_id != document.id:
            raise not_found("version of this document numbered", version_id)
        if not can(caller(), "version.view", found):
            raise not_found("version of this document numbered", version_id)
    try:
        return compare_versions(loaded[old_id], loaded[new_id], language=_language(loaded[new_id]))
    except ComparisonError as exc:
        raise Problem(400, str(exc)) from None


def _default_pair(document: Document) -> tuple[Version, Version]:
    visible = [v for v in document.versions if can(caller(), "version.view", v)]
    published = [v for v in visible if v.is_published]
    pair = default_pair(published if len(published) >= 2 else visible)
    if pair is None:
        raise Problem(404, "This document has fewer than two versions you may compare.")
    return pair


@bp.get("/documents/<id:document_id>/consultations")
@bp.doc(operationId="listConsultations", parameters=PAGE_QUERY)
@bp.response(200, schemas.ConsultationList, description="The rounds.", headers=PAGE_HEADERS)
@refuses(*READS)
def document_consultations(document_id: int):
    """The document's rounds of comments, latest first."""
    document = load_document(document_id)
    stmt = (
        select(Consultation)
        .join(Consultation.version)
        .where(Version.document_id == document.id)
        .order_by(Consultation.opens_dt.desc(), Consultation.id.desc())
        .options(selectinload(Consultation.extensions), selectinload(Consultation.invited))
    )
    user = caller()
    found, headers = page_of_list(
        [c for c in db.session.scalars(stmt) if can(user, "consultation.view", c)]
    )
    return {"consultations": found}, headers


@bp.get("/consultations/<id:consultation_id>")
@bp.doc(operationId="getConsultation")
@bp.response(200, schemas.Consultation, description="The round.")
@refuses(*READS)
def consultation(consultation_id: int):
    """One round of comments."""
    return load_consultation(consultation_id)


@bp.get("/consultations/<id:consultation_id>/comments")
@bp.doc(operationId="listComments", parameters=PAGE_QUERY)
@bp.response(200, schemas.CommentList, description="The comments.", headers=PAGE_HEADERS)
@refuses(*READS)
def comments(consultation_id: int):
    """The round's comments the caller may see.

    Its delegation's own, drafts included, and the others' as the round's visibility allows
    (sealed: after the deadline)."""
    consultation = load_consultation(consultation_id)
    stmt = (
        select(Comment)
        .where(Comment.consultation_id == consultation.id)
        .options(joinedload(Comment.recorded_by))
        .order_by(Comment.id)
    )
    found, headers = page_of_query(visible_comments(caller(), stmt, [consultation]))
    return {"comments": found}, headers


@bp.get("/comments/<id:comment_id>")
@bp.doc(operationId="getComment")
@bp.response(200, schemas.Comment, description="The comment.")
@refuses(*READS)
def comment(comment_id: int):
    """One comment."""
    return load_comment(comment_id)


# ---------------------------------------------------------------------------------------------
# Writing: the pages' operations, the pages' refusals


def _idempotency_key() -> str | None:
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    if not IDEMPOTENCY_KEY.match(key):
        message = "“Idempotency-Key” must be 16 to 64 letters, digits, “-” or “_”."
        raise Problem(422, message, errors=[{"field": "Idempotency-Key", "message": message}])
    return key


@bp.post("/consultations/<id:consultation_id>/comments")
@bp.doc(
    operationId="createComment", parameters=[IDEMPOTENCY_KEY_HEADER], **body(schemas.NewComment)
)
@bp.response(201, schemas.Comment, description="Created.", headers=LOCATION)
@bp.alt_response(
    200,
    schema=schemas.Comment,
    description="Already created with this Idempotency-Key.",
    success=True,
)
@refuses(*WRITES)
@reads_first
def create_comment(consultation_id: int):
    """A new comment of the caller's delegation, submitted unless submit is false.

    The deadline and validation are the web page's. The same Idempotency-Key again in this
    round, with the same request, gives the same comment back (200), never a second one."""
    consultation = load_consultation(consultation_id, to_write=True)
    require_write(consultation)
    data = read_body(schemas.NewComment())
    wanted = {
        "kind": data["kind"],
        "paragraph_uid": data.get("paragraph_uid"),
        "quote": data.get("quote", ""),
        "body": data.get("body", ""),
        "proposed_text": data.get("proposed_text", ""),
        "submit": data.get("submit", True),
    }
    made, created = create_comment_once(caller(), consultation, _idempotency_key(), wanted)
    commit_before_answer()
    if not created:
        return made, 200
    return made, 201, {"Location": f"{bp.url_prefix}/comments/{made.id}"}


@bp.patch("/comments/<id:comment_id>")
@bp.doc(operationId="editComment", **body(schemas.CommentChange))
@bp.response(200, schemas.Comment, description="The comment as it now stands.")
@refuses(*WRITES)
def edit_comment(comment_id: int):
    """Change a comment's texts; fields left out keep their value.

    From the revision the client last read: refused (409) if it changed since."""
    comment = load_comment(comment_id)
    require_edit(comment)
    data = read_body(schemas.CommentChange())
    commenting.edit_comment(
        caller(),
        comment,
        base_revision=data["base_revision"],
        quote=data.get("quote", comment.quote),
        body=data.get("body", comment.body),
        proposed_text=data.get("proposed_text", comment.proposed_text),
    )
    return comment


@bp.post("/comments/<id:comment_id>/submit")
@bp.doc(operationId="submitComment", **body(schemas.BaseRevision))
@bp.response(200, schemas.Comment, description="The comment as it now stands.")
@refuses(*WRITES)
def submit_comment(comment_id: int):
    """Submit a draft (a comment already submitted stays as it is)."""
    comment = load_comment(comment_id)
    done = already(comment, comment.is_submitted)
    if not done:
        require_edit(comment)
    data = read_body(schemas.BaseRevision())
    if not done:
        commenting.submit_comment(caller(), comment, base_revision=data["base_revision"])
    return comment


@bp.post("/comments/<id:comment_id>/withdraw")
@bp.doc(operationId="withdrawComment", **body(schemas.BaseRevision))
@bp.response(200, schemas.Comment, description="The comment as it now stands.")
@refuses(*WRITES)
def withdraw_comment(comment_id: int):
    """Withdraw a comment until the deadline; its history is kept."""
    comment = load_comment(comment_id)
    done = already(comment, comment.is_withdrawn)
    if not done:
        require_edit(comment)
    data = read_body(schemas.BaseRevision())
    if not done:
        commenting.withdraw_comment(caller(), comment, base_revision=data["base_revision"])
    return comment
