"""The audit page: every event, for the secretariat, filtered, paged and exported."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, render_template, request, url_for
from flask_login import current_user, login_required

from drafting.audit.models import AuditEvent
from drafting.auth.policy import can
from drafting.database import utcnow
from drafting.pages import audit_trail as queries
from drafting.pages.documents import _download
from drafting.web import require

bp = Blueprint("audit", __name__)

# The page each kind of object has, and the name of its id in that page's address.
_OBJECT_PAGES = {
    "document": ("documents.document", "document_id"),
    "version": ("documents.version", "version_id"),
    "consultation": ("consultations.consultation", "consultation_id"),
    "comment": ("comments.history", "comment_id"),
}


def _filters() -> tuple[queries.AuditFilters, list[str]]:
    require("audit.view")
    return queries.AuditFilters.from_args(request.args, current_user.timezone or "UTC")


@bp.route("/audit")
@login_required
def events():
    filters, errors = _filters()
    page = None
    if not errors:
        try:
            page = queries.find_events(filters, queries.page_number(request.args.get("page")))
        except queries.FilterError as exc:
            errors.append(str(exc))
    return render_template(
        "audit/events.html",
        page=page,
        errors=errors,
        filters=filters,
        typed=request.args,
        filter_args=filters.query_args(),
        choices=queries.filter_choices(),
        system=queries.SYSTEM,
        object_url=_object_urls(page.events if page else []),
        detail_items=detail_items,
    ), (400 if errors else 200)


@bp.route("/audit.csv")
@login_required
def export_csv():
    rows = queries.export_rows(_valid_filters())
    return _download(queries.build_csv(rows), "text/csv; charset=utf-8", _filename("csv"))


@bp.route("/audit.json")
@login_required
def export_json():
    filters = _valid_filters()
    data = queries.build_json(queries.export_rows(filters), filters)
    return _download(data, "application/json", _filename("json"))


def _valid_filters() -> queries.AuditFilters:
    filters, errors = _filters()
    if errors:
        abort(400, description=" ".join(errors))
    return filters


def _filename(suffix: str) -> str:
    return f"audit-events-{utcnow():%Y%m%d-%H%M}Z.{suffix}"


def _object_urls(events: list[AuditEvent]) -> Callable[[AuditEvent], str | None]:
    """A function giving the page of an event's object, where it exists and the reader may
    see it; None otherwise (a person, a delegation, a comment still a delegation's draft)."""
    existing = queries.existing_objects(events)

    def url(event: AuditEvent) -> str | None:
        target = existing.get(event.object_type, {}).get(event.object_id)
        if target is None:
            return None
        if event.object_type == "comment" and not can(current_user, "comment.view", target):
            return None
        endpoint, argument = _OBJECT_PAGES[event.object_type]
        return url_for(endpoint, **{argument: event.object_id})

    return url


def detail_items(details: Any) -> list[tuple[str, str]]:
    """An event's details as short key-value pairs for the page (escaped by the template)."""
    if not isinstance(details, dict):
        return [("", _detail_text(details))] if details not in (None, "") else []
    return [(str(key), _detail_text(value)) for key, value in sorted(details.items())]


def _detail_text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return ", ".join(str(v) for v in value) or "—"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)
