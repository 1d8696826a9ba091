"""Pages of the API's lists: ``page`` and ``per_page`` in the query, the list's usual envelope in
the body, and where the other pages are in the ``Link`` and ``X-Pagination`` headers.

A client written before the lists were paged keeps working: without the two arguments it gets
the first ``DEFAULT_PER_PAGE`` items under the same name as before, and learns from the headers
that there is more."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from flask import request
from marshmallow import Schema, fields
from marshmallow.validate import Range
from sqlalchemy import Select, func, select

from drafting.extensions import db
from drafting.text.numbers import whole_number
from drafting.web.problems import Problem

DEFAULT_PER_PAGE = 100
MAX_PER_PAGE = 500
MAX_PAGE = 1_000_000


class PageQuery(Schema):
    """The query of a list (read by ``requested_page``, described here)."""

    page = fields.Integer(
        validate=Range(min=1, max=MAX_PAGE),
        metadata={"description": "Which page of the list, from 1 (the default)."},
    )
    per_page = fields.Integer(
        validate=Range(min=1, max=MAX_PER_PAGE),
        metadata={
            "description": f"Items per page: {DEFAULT_PER_PAGE} unless given, at most "
            f"{MAX_PER_PAGE}."
        },
    )


PAGE_QUERY = [{"in": "query", "schema": PageQuery}]
HEADERS = {
    "X-Pagination": {
        "schema": {"type": "string"},
        "description": 'The list\'s size and this page, as JSON: {"total", "total_pages", '
        '"page", "per_page", "first_page", "last_page", "previous_page", "next_page"} (the '
        "last two only when there is such a page).",
    },
    "Link": {
        "schema": {"type": "string"},
        "description": 'The other pages (RFC 8288): rel="first", "last", "prev", "next".',
    },
}


@dataclass(frozen=True)
class PageRequest:
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def _argument(name: str, default: int, largest: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if (number := whole_number(raw, largest)) is None:
        raise Problem(400, f"“{name}” must be a whole number from 1 to {largest:,}.")
    return number


def requested_page() -> PageRequest:
    """The page the query asks for; a 400 problem when it is no usable page."""
    return PageRequest(
        _argument("page", 1, MAX_PAGE), _argument("per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)
    )


def headers(asked: PageRequest, total: int) -> dict[str, str]:
    """The X-Pagination and Link headers of one page of a list of ``total`` items."""
    last = max(1, math.ceil(total / asked.per_page))
    described = {
        "total": total,
        "total_pages": last,
        "page": asked.page,
        "per_page": asked.per_page,
        "first_page": 1,
        "last_page": last,
    }
    relations = {"first": 1, "last": last}
    if asked.page > 1:
        described["previous_page"] = relations["prev"] = min(asked.page - 1, last)
    if asked.page < last:
        described["next_page"] = relations["next"] = asked.page + 1
    links = []
    for relation, page in relations.items():
        args = request.args.to_dict() | {"page": str(page), "per_page": str(asked.per_page)}
        links.append(f'<{request.base_url}?{urlencode(args)}>; rel="{relation}"')
    return {"X-Pagination": json.dumps(described), "Link": ", ".join(links)}


def page_of_query(stmt: Select) -> tuple[list, dict[str, str]]:
    """One page of a query's rows (in the query's order), and the headers saying where the
    others are: two statements, a count and the page, however long the list."""
    asked = requested_page()
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    rows = db.session.scalars(stmt.limit(asked.per_page).offset(asked.offset)).unique().all()
    return list(rows), headers(asked, total or 0)


def page_of_list(items: Sequence) -> tuple[list, dict[str, str]]:
    """One page of a list already read (a short one, filtered by the policy in Python)."""
    asked = requested_page()
    return list(items[asked.offset : asked.offset + asked.per_page]), headers(asked, len(items))
