"""The edge of every request, pages and API alike: one commit when the request succeeded, a
rollback when it did not (status 400 or above), and one answer when the database refuses the
commit: a page for a person, problem details (RFC 9457) for a program."""

from __future__ import annotations

from flask import Response, current_app, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import DBAPIError, OperationalError

from drafting.documents.models import FROZEN_MESSAGE
from drafting.extensions import db
from drafting.web.problems import Problem, is_api_request, problem_response

CHANGED_MEANWHILE = _l(
    "Someone else changed the same thing at the same moment, so nothing was saved."
)


def error_page(status: int, title: str, message: str, **context) -> tuple[str, int]:
    """The one page that says why a request was refused."""
    page = render_template("error.html", title=title, message=message, status=status, **context)
    return page, status


def database_problem(exc: DBAPIError) -> Problem:
    """Why the database refused a request, for a program: busy (503, send again) or changed
    meanwhile by another request (409)."""
    if isinstance(exc, OperationalError):
        return Problem(
            503,
            "The database is busy; nothing was saved. Send the request again in a moment.",
            headers={"Retry-After": "1"},
        )
    return Problem(409, f"{CHANGED_MEANWHILE} Read it again and retry.")


def conflict_page(exc: DBAPIError) -> tuple[str, int]:
    """Why the database refused a request, for a person."""
    if FROZEN_MESSAGE in str(exc.orig):
        return error_page(409, _("Published drafts cannot change"), _("This draft is published."))
    said = _("Go back, reload the page and try again.")
    return error_page(409, _("Not saved"), f"{CHANGED_MEANWHILE} {said}")


def database_refusal(exc: DBAPIError) -> Response:
    """The answer to a request whose writing the database refused, in the face it came by."""
    if is_api_request():
        return problem_response(database_problem(exc))
    return current_app.make_response(conflict_page(exc))


def commit_at_the_edge(response: Response) -> Response:
    """Operations only flush; the request commits once, and only when it succeeded."""
    if response.status_code >= 400:
        db.session.rollback()
        return response
    try:
        db.session.commit()
    except DBAPIError as exc:
        db.session.rollback()
        current_app.logger.warning("commit refused: %s", exc.orig)
        return database_refusal(exc)
    return response


def commit_before_rendering() -> Response | None:
    """Commit now, before the answer is rendered, so that a write lock is held for the writing
    alone (the edge's commit then finds nothing left to do); the refusal to send instead when
    the database refuses the commit."""
    try:
        db.session.commit()
    except DBAPIError as exc:
        db.session.rollback()
        current_app.logger.warning("commit refused: %s", exc.orig)
        return database_refusal(exc)
    return None
