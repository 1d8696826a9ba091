"""The edge of the JSON API under /api/v1: who calls, what may be sent, and how refusals are
answered (problem details, never a page). The request's one commit is the one every request
gets (drafting/web/__init__.py), which answers a refused commit in problem details here too."""

from __future__ import annotations

import io
from http import HTTPStatus

from flask import current_app, g, request
from flask_smorest import Blueprint
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge, default_exceptions
from werkzeug.wsgi import get_content_length

from drafting.api.idempotency import KeyReused
from drafting.api.loading import comment_loader
from drafting.api.operations import TokenExpired, authenticate_token, note_use
from drafting.auth.policy import NotAllowed
from drafting.consultations.refusals import (
    AlreadySent,
    ConsultationError,
    DeadlineRefused,
    StaleEdit,
)
from drafting.documents.models import FrozenVersionError
from drafting.extensions import csrf, db
from drafting.web.edge import database_refusal
from drafting.web.problems import (
    Problem,
    http_problem,
    is_api_request,
    problem_response,
)

bp = Blueprint(
    "api",
    __name__,
    url_prefix="/api/v1",
    description="Documents, versions, comparisons, rounds of comments and comments.",
)
# Bearer tokens, never the login cookie, authenticate the API: CSRF cannot apply.
csrf.exempt(bp)

PROBLEM = "application/problem+json"
RETRY_AFTER = {"Retry-After": {"schema": {"type": "string"}, "description": "Seconds."}}
WWW_AUTHENTICATE = {"WWW-Authenticate": {"schema": {"type": "string"}, "description": "Bearer"}}
REFUSALS = {
    400: ("Not understood: a malformed query or JSON body.", None),
    401: ("No valid token: missing, unknown, revoked, or its owner deactivated.", WWW_AUTHENTICATE),
    403: ("The caller may see this but not do it.", None),
    404: ("No such object, or the caller may not know it exists.", None),
    409: (
        "Refused by the state of things: the deadline has passed, the comment changed since "
        "base_revision, or it was withdrawn.",
        None,
    ),
    413: ("The body is larger than the API accepts.", None),
    415: ("The body is not JSON (Content-Type: application/json).", None),
    422: (
        "Refused as written: a field unknown, of the wrong type, or not acceptable; or an "
        "Idempotency-Key reused with a different request.",
        None,
    ),
    503: ("The database is busy; nothing was saved: retry.", RETRY_AFTER),
}
READS = (400, 401, 404, 503)
WRITES = (400, 401, 403, 404, 409, 413, 415, 422, 503)


def refusal(status: int) -> str:
    """The name of a refusal's description in the document's components."""
    return HTTPStatus(status).name


def refuses(*statuses: int):
    """Document that a view may answer these refusals, as problem details."""

    def decorate(view):
        for status in statuses:
            view = bp.alt_response(status, response=refusal(status))(view)
        return view

    return decorate


# A comment's three texts at their longest, even written as JSON escapes, fit well within this.
DEFAULT_MAX_BODY_BYTES = 1024 * 1024


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
            token = authenticate_token(secret.strip(), _loader())
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


def commit_before_answer() -> None:
    """Commit what the view wrote before its answer is serialised, so that no lock (SQLite's
    write lock, PostgreSQL's audit chain lock) is held while the answer is made; what was
    written stays loaded for it. The request's own commit at the edge then has nothing left to
    do. A refused commit is answered as at the edge (_database_refused)."""
    session = db.session()
    expire, session.expire_on_commit = session.expire_on_commit, False
    try:
        db.session.commit()
    finally:
        session.expire_on_commit = expire


def _loader():
    """What the token is read with: for a new comment, the round and paragraph it is about."""
    if request.endpoint == "api.create_comment":
        return comment_loader(request.view_args["consultation_id"])
    return None


@bp.teardown_request
def _note_token_use(_exc):
    """Not the request's commit: when the token was last used, in its own short transaction
    after the answer (see operations.note_use)."""
    if "api_token_use" not in g:
        return
    try:
        note_use(*g.pop("api_token_use"))
    except DBAPIError as exc:  # a busy database: the next request notes it
        current_app.logger.warning("token use not noted: %s", exc.orig)


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
        return database_refusal(exc)
    raise exc
