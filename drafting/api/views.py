"""The JSON API under /api/v1 (see drafting/api/openapi.py for its description).

A bearer token, never the login cookie, says who calls. Every endpoint asks the same policy as
the pages (404 for what the caller may not know exists, 403 for what they may see but not do)
and writes through the same operations, so deadlines, sealing and validation are the pages' own.
"""

from __future__ import annotations

import io
import re

from flask import Blueprint, current_app, g, jsonify, request
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge, default_exceptions
from werkzeug.wsgi import get_content_length

from drafting.api import serializers
from drafting.api.bodies import Field, read_object
from drafting.api.idempotency import KeyReused, create_comment_once
from drafting.api.openapi import openapi_document
from drafting.api.operations import TokenExpired, authenticate_token, note_use
from drafting.auth.models import User
from drafting.auth.policy import NotAllowed, can, why_not
from drafting.consultations import operations
from drafting.consultations.models import Comment, Consultation
from drafting.consultations.operations import (
    AlreadySent,
    ConsultationError,
    DeadlineRefused,
    StaleEdit,
)
from drafting.consultations.policy import visible_comments
from drafting.consultations.queries import load_round, load_round_to_write
from drafting.database import reads_first
from drafting.documents.comparison import (
    ComparisonError,
    compare_versions,
    default_pair,
    load_versions,
)
from drafting.documents.models import Document, FrozenVersionError, Version
from drafting.documents.policy import visible_documents
from drafting.extensions import csrf, db
from drafting.web import query_id
from drafting.web.problems import Problem, http_problem, is_api_request, problem_response

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Bearer tokens, never the login cookie, authenticate the API: CSRF cannot apply.
csrf.exempt(bp)

# A comment's three texts at their longest, even written as JSON escapes, fit well within this.
DEFAULT_MAX_BODY_BYTES = 1024 * 1024
IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
NEW_COMMENT = {
    "kind": Field(str, required=True),
    "paragraph_uid": Field(str, nullable=True),
    "quote": Field(str),
    "body": Field(str),
    "proposed_text": Field(str),
    "submit": Field(bool),
}
COMMENT_CHANGE = {
    "base_revision": Field(int, required=True),
    "quote": Field(str),
    "body": Field(str),
    "proposed_text": Field(str),
}
BASE_REVISION = {"base_revision": Field(int, required=True)}


# ---------------------------------------------------------------------------------------------
# The edge: who calls, what may be sent, how refusals and the commit are answered


@bp.before_app_request
def _api_prelude():
    """For /api/ paths, before any other hook reads the body: the API's own body limit, and
    unknown paths and methods answered as problem details (the blueprint's own error handlers
    never see a request that matched none of its routes)."""
    if not is_api_request():
        return None
    limit = request.max_content_length = current_app.config.get(
        "API_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES
    )
    exc = request.routing_exception
    if isinstance(exc, HTTPException) and (exc.code or 0) >= 400:
        return http_problem(exc)
    if _bound_streamed_body(request.environ, limit):
        return http_problem(RequestEntityTooLarge())
    return None


def _bound_streamed_body(environ: dict, limit: int) -> bool:
    """A body sent without Content-Length (Transfer-Encoding: chunked, which the server has
    undone) is read here, at most ``limit`` + 1 bytes, and handed on as if its length had been
    given; werkzeug alone would cut it at the limit without a word. True when it is too large."""
    if get_content_length(environ) is not None or not environ.get("wsgi.input_terminated"):
        return False
    data = environ["wsgi.input"].read(limit + 1)
    if len(data) > limit:
        return True
    environ.pop("HTTP_TRANSFER_ENCODING", None)
    environ["wsgi.input"] = io.BytesIO(data)
    environ["CONTENT_LENGTH"] = str(len(data))
    return False


@bp.before_request
def _authenticate():
    if request.endpoint == "api.openapi":
        return
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    token = None
    if scheme.lower() == "bearer":
        try:
            token = authenticate_token(secret.strip())
        except TokenExpired as exc:
            raise Problem(
                401,
                f"This API token ({exc.token.prefix}…) expired on "
                f"{exc.token.expires_dt:%Y-%m-%d at %H:%M} UTC. Create a new one under "
                "Settings → API tokens.",
                title="Token expired",
                headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
            ) from None
    if token is None:
        raise Problem(
            401,
            "Send a valid API token: “Authorization: Bearer <token>”. Tokens are created, and "
            "revoked, under Settings → API tokens.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    g.api_token = token
    g.api_token_use = (token.id, token.last_used_dt)


@bp.teardown_request
def _note_token_use(_exc):
    if "api_token_use" not in g:
        return
    try:
        note_use(*g.pop("api_token_use"))
    except DBAPIError as exc:  # a busy database: the next request notes it
        current_app.logger.warning("token use not noted: %s", exc.orig)


@bp.after_request
def _commit(response):
    """One commit per request, at the edge, as for the pages (whose hook then finds nothing
    left to commit); a commit the database refuses is answered in problem details too."""
    if response.status_code >= 400:
        db.session.rollback()
        return response
    try:
        db.session.commit()
    except DBAPIError as exc:
        db.session.rollback()
        current_app.logger.warning("commit refused: %s", exc.orig)
        return _database_problem(exc)
    return response


def _user() -> User:
    return g.api_token.user


@bp.errorhandler(Problem)
def _problem(exc: Problem):
    return problem_response(exc)


for _code in default_exceptions:
    # By status code: the app's own handlers for 404, 413… would otherwise answer in HTML.
    bp.register_error_handler(_code, http_problem)


@bp.errorhandler(NotAllowed)
def _not_allowed(exc: NotAllowed):
    return problem_response(Problem(403, exc.reason))


@bp.errorhandler(ConsultationError)
def _refused(exc: ConsultationError):
    """An operation's refusal, with its own message, as the page says it."""
    problem = Problem(422, str(exc))
    if isinstance(exc, DeadlineRefused):
        problem = Problem(409, str(exc), title="Outside the round's deadline")
    elif isinstance(exc, StaleEdit):
        problem = Problem(
            409, str(exc), title="Changed meanwhile", extra={"revision": exc.comment.revision}
        )
    elif isinstance(exc, AlreadySent):
        problem = Problem(
            409,
            str(exc),
            title="Already sent with other text",
            extra={"comment_id": exc.comment.id},
        )
    return problem_response(problem)


@bp.errorhandler(KeyReused)
def _key_reused(exc: KeyReused):
    return problem_response(
        Problem(
            422,
            str(exc),
            title="Idempotency-Key reused with a different request",
            extra={"comment_id": exc.comment.id},
        )
    )


@bp.errorhandler(FrozenVersionError)
def _frozen(exc):
    return problem_response(Problem(409, str(exc)))


@bp.errorhandler(DBAPIError)
def _database_refused(exc: DBAPIError):
    db.session.rollback()
    if isinstance(exc, IntegrityError | OperationalError):
        current_app.logger.warning("database refused: %s", exc.orig)
        return _database_problem(exc)
    raise exc


def _database_problem(exc: DBAPIError):
    if isinstance(exc, OperationalError):
        return problem_response(
            Problem(
                503,
                "The database is busy; nothing was saved. Send the request again in a moment.",
                headers={"Retry-After": "1"},
            )
        )
    return problem_response(
        Problem(
            409,
            "Someone else changed the same thing at the same moment, so nothing was saved. "
            "Read it again and retry.",
        )
    )


# ---------------------------------------------------------------------------------------------
# Loading what a request names, for a caller who may know it exists (else 404)


def _not_found(what: str, object_id: int) -> Problem:
    return Problem(404, f"There is no {what} {object_id}, or it is not shared with you.")


def _load_document(document_id: int) -> Document:
    document = db.session.scalar(
        select(Document)
        .where(Document.id == document_id)
        .options(selectinload(Document.participants), selectinload(Document.versions))
    )
    if document is None or not can(_user(), "document.view", document):
        raise _not_found("document", document_id)
    return document


def _load_version(version_id: int) -> Version:
    version = db.session.scalar(
        select(Version)
        .where(Version.id == version_id)
        .options(selectinload(Version.paragraphs), selectinload(Version.document))
    )
    if version is None or not can(_user(), "version.view", version):
        raise _not_found("version", version_id)
    return version


def _load_consultation(consultation_id: int, *, to_write: bool = False) -> Consultation:
    if to_write:
        consultation = load_round_to_write(consultation_id, _user().delegation_id)
    else:
        consultation = load_round(consultation_id)
    if consultation is None or not can(_user(), "consultation.view", consultation):
        raise _not_found("round of comments", consultation_id)
    return consultation


def _load_comment(comment_id: int) -> Comment:
    comment = db.session.get(Comment, comment_id)
    if comment is not None:
        load_round(comment.consultation_id)  # what the policy reads, into the identity map
    if comment is None or not can(_user(), "comment.view", comment):
        raise _not_found("comment", comment_id)
    return comment


# ---------------------------------------------------------------------------------------------
# Reading


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())


@bp.get("/documents")
def documents():
    user = _user()
    stmt = (
        select(Document)
        .order_by(Document.id)
        .options(selectinload(Document.participants), selectinload(Document.versions))
    )
    found = db.session.scalars(visible_documents(user, stmt)).all()
    return jsonify({"documents": [serializers.document(user, d) for d in found]})


@bp.get("/documents/<id:document_id>")
def document(document_id: int):
    return jsonify(serializers.document(_user(), _load_document(document_id)))


@bp.get("/versions/<id:version_id>")
def version(version_id: int):
    return jsonify(serializers.version(_load_version(version_id)))


@bp.get("/documents/<id:document_id>/comparison")
def comparison(document_id: int):
    """Two versions compared, by default the previous and the latest published."""
    user = _user()
    document = _load_document(document_id)
    old_id, new_id = query_id("old"), query_id("new")
    if old_id is None and new_id is None:
        visible = [v for v in document.versions if can(user, "version.view", v)]
        published = [v for v in visible if v.is_published]
        pair = default_pair(published if len(published) >= 2 else visible)
        if pair is None:
            raise Problem(404, "This document has fewer than two versions you may compare.")
        return jsonify(serializers.comparison(compare_versions(*pair)))
    if old_id is None or new_id is None:
        raise Problem(400, "Give both versions to compare: “old” and “new”.")
    loaded = load_versions(old_id, new_id)
    old, new = loaded.get(old_id), loaded.get(new_id)
    for version_id, found in ((old_id, old), (new_id, new)):
        if found is None or found.document_id != document.id:
            raise _not_found("version of this document numbered", version_id)
        if not can(user, "version.view", found):
            raise _not_found("version of this document numbered", version_id)
    try:
        return jsonify(serializers.comparison(compare_versions(old, new)))
    except ComparisonError as exc:
        raise Problem(400, str(exc)) from None


@bp.get("/documents/<id:document_id>/consultations")
def document_consultations(document_id: int):
    user = _user()
    document = _load_document(document_id)
    stmt = (
        select(Consultation)
        .join(Consultation.version)
        .where(Version.document_id == document.id)
        .order_by(Consultation.opens_dt.desc(), Consultation.id.desc())
        .options(selectinload(Consultation.extensions), selectinload(Consultation.invited))
    )
    rounds = [c for c in db.session.scalars(stmt) if can(user, "consultation.view", c)]
    return jsonify({"consultations": [serializers.consultation(user, c) for c in rounds]})


@bp.get("/consultations/<id:consultation_id>")
def consultation(consultation_id: int):
    return jsonify(serializers.consultation(_user(), _load_consultation(consultation_id)))


@bp.get("/consultations/<id:consultation_id>/comments")
def comments(consultation_id: int):
    """The comments of the round that the caller may see: its delegation's own, drafts
    included, and the others' as the round's visibility rule allows."""
    consultation = _load_consultation(consultation_id)
    stmt = select(Comment).where(Comment.consultation_id == consultation.id).order_by(Comment.id)
    found = db.session.scalars(visible_comments(_user(), stmt, [consultation])).all()
    return jsonify({"comments": [serializers.comment(c) for c in found]})


@bp.get("/comments/<id:comment_id>")
def comment(comment_id: int):
    return jsonify(serializers.comment(_load_comment(comment_id)))


# ---------------------------------------------------------------------------------------------
# Writing: the pages' operations, the pages' refusals


def _why_not_write(user: User, consultation: Consultation) -> str:
    return why_not(user, "comment.write", consultation) or ""


def _writes_for(user: User, comment: Comment) -> bool:
    """Whether ``user`` writes for the comment's delegation in its round."""
    return comment.delegation_id == user.delegation_id and can(
        user, "comment.write", comment.consultation
    )


def _require_edit(user: User, comment: Comment) -> None:
    if comment.delegation_id != user.delegation_id:
        raise Problem(403, why_not(user, "comment.edit", comment))
    if comment.is_withdrawn:
        raise Problem(
            409, "This comment was withdrawn, so it can no longer change: write a new one."
        )
    if reason := why_not(user, "comment.edit", comment):
        raise Problem(403, reason)


def _idempotency_key() -> str | None:
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    if not IDEMPOTENCY_KEY.match(key):
        message = "“Idempotency-Key” must be 16 to 64 letters, digits, “-” or “_”."
        raise Problem(422, message, errors=[{"field": "Idempotency-Key", "message": message}])
    return key


@bp.post("/consultations/<id:consultation_id>/comments")
@reads_first
def create_comment(consultation_id: int):
    """A new comment of the caller's delegation, submitted unless "submit" is false. The same
    Idempotency-Key again in this round, with the same request, gives the same comment back
    (200), never a second one; with another request it is refused (422)."""
    user = _user()
    consultation = _load_consultation(consultation_id, to_write=True)
    if not can(user, "comment.write", consultation):
        raise Problem(403, _why_not_write(user, consultation))
    data = read_object(NEW_COMMENT)
    wanted = {
        "kind": data["kind"],
        "paragraph_uid": data.get("paragraph_uid"),
        "quote": data.get("quote", ""),
        "body": data.get("body", ""),
        "proposed_text": data.get("proposed_text", ""),
        "submit": data.get("submit", True),
    }
    created_comment, created = create_comment_once(user, consultation, _idempotency_key(), wanted)
    response = jsonify(serializers.comment(created_comment))
    if created:
        response.status_code = 201
        response.headers["Location"] = f"{bp.url_prefix}/comments/{created_comment.id}"
    return response


@bp.patch("/comments/<id:comment_id>")
def edit_comment(comment_id: int):
    """Change a comment's texts from the revision the client last read (409 if stale)."""
    user = _user()
    comment = _load_comment(comment_id)
    _require_edit(user, comment)
    data = read_object(COMMENT_CHANGE)
    operations.edit_comment(
        user,
        comment,
        base_revision=data["base_revision"],
        quote=data.get("quote", comment.quote),
        body=data.get("body", comment.body),
        proposed_text=data.get("proposed_text", comment.proposed_text),
    )
    return jsonify(serializers.comment(comment))


@bp.post("/comments/<id:comment_id>/submit")
def submit_comment(comment_id: int):
    user = _user()
    comment = _load_comment(comment_id)
    ours_already = comment.is_submitted and _writes_for(user, comment)
    if not ours_already:
        _require_edit(user, comment)
    data = read_object(BASE_REVISION)
    if not ours_already:
        operations.submit_comment(user, comment, base_revision=data["base_revision"])
    return jsonify(serializers.comment(comment))


@bp.post("/comments/<id:comment_id>/withdraw")
def withdraw_comment(comment_id: int):
    user = _user()
    comment = _load_comment(comment_id)
    ours_already = comment.is_withdrawn and _writes_for(user, comment)
    if not ours_already:
        _require_edit(user, comment)
    data = read_object(BASE_REVISION)
    if not ours_already:
        operations.withdraw_comment(user, comment, base_revision=data["base_revision"])
    return jsonify(serializers.comment(comment))
