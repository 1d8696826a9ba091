"""Errors of the API as problem details (RFC 9457): every refusal a client can cause is a JSON
body with a title, the status and a sentence that says what to do, never an HTML page."""

from __future__ import annotations

from flask import Response, current_app, json, request
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

PROBLEM_MIMETYPE = "application/problem+json"
API_PREFIX = "/api/"


class Problem(Exception):
    """A refusal that a view raises and the blueprint answers as problem details. ``errors``
    names the fields at fault: [{"field": ..., "message": ...}]."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        title: str | None = None,
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
        extra: dict | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.title = title or HTTP_STATUS_CODES.get(status, "Error")
        self.errors = errors
        self.headers = headers or {}
        self.extra = extra or {}  # extension members (RFC 9457, 3.2), e.g. the current revision


def field_problem(field: str, message: str, status: int = 422) -> Problem:
    """A request refused because of one field, named so that a program can show it there."""
    return Problem(status, message, errors=[{"field": field, "message": message}])


def problem_response(problem: Problem) -> Response:
    body = {
        "type": "about:blank",
        "title": problem.title,
        "status": problem.status,
        "detail": problem.detail,
    }
    if problem.errors is not None:
        body["errors"] = problem.errors
    body.update(problem.extra)
    response = current_app.response_class(
        json.dumps(body, ensure_ascii=False), status=problem.status, mimetype=PROBLEM_MIMETYPE
    )
    response.headers.update(problem.headers)
    return response


# What the service says for the errors werkzeug raises (routing, body size, abort()).
_DETAILS = {
    400: "The request is not understood.",
    401: "Send a valid API token: “Authorization: Bearer <token>”.",
    403: "Your role does not allow this action.",
    404: "There is no such resource, or it is not shared with you.",
    405: "This method is not allowed here.",
    413: "The request body is too large.",
    415: "Send the body as JSON, with “Content-Type: application/json”.",
    500: "Something went wrong on the server; nothing was saved. Try again later.",
}


def http_problem(exc: HTTPException) -> Response:
    """A werkzeug error (an unknown path, a method not allowed, a body too large, an abort())
    as problem details, keeping the description a view gave to abort()."""
    status = exc.code or 500
    detail = _DETAILS.get(status, HTTP_STATUS_CODES.get(status, "Error") + ".")
    described = exc.description and exc.description != type(exc).description
    if described and status < 500:
        detail = exc.description
    if status == 413:
        limit = request.max_content_length or current_app.config["MAX_CONTENT_LENGTH"]
        detail = f"The request body is larger than {limit:,} bytes; nothing was read or saved."
    headers = {}
    if status == 405 and getattr(exc, "valid_methods", None):
        headers["Allow"] = ", ".join(sorted(exc.valid_methods))
    return problem_response(Problem(status, detail, headers=headers))


def database_problem(exc: DBAPIError) -> Response:
    """A write the database refused (a busy database, or someone else's at the same moment)."""
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


def is_api_request() -> bool:
    return request.path.startswith(API_PREFIX)
