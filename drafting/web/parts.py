"""Links between the parts of a page read in parts (documents.sections): the same page, the same
filters, another part; plain links, so that every part is reachable without JavaScript."""

from __future__ import annotations

from collections.abc import Callable

from flask import request, url_for


def part_url_maker(**fixed) -> Callable[..., str]:
    """A function giving the current page's address with its query string kept, the part
    replaced, and an optional anchor: ``part_url(3)``, ``part_url(3, anchor="change-41")``."""
    kept = {key: value for key, value in request.args.items() if key not in ("part", "at")}
    endpoint, view_args = request.endpoint, dict(request.view_args or {})

    def part_url(number: int | str, anchor: str | None = None) -> str:
        values = {**view_args, **kept, **fixed, "part": number}
        return url_for(endpoint, **values, _anchor=anchor)

    return part_url
