"""Which part of a long version or comparison a page shows (documents.sections), and the links
that lead from it to the others: the documents pages load, render and link only that part."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import abort, request

from drafting.documents.comparison import Row, VersionComparison
from drafting.documents.models import Paragraph
from drafting.documents.sections import Part, paragraph_parts, paragraph_title, parts_of
from drafting.documents.sections import part_numbered as numbered
from drafting.web.parts import part_url_maker


@dataclass
class InParts:
    """The part shown of ``everything`` (paragraphs, or a comparison's rows), and the way to
    every other part: ``part_url(number, anchor=None)`` keeps the page's query string."""

    parts: list[Part]
    part: Part | None
    shown: list
    part_url: Callable[..., str]
    part_of_anchor: dict[str, int] = field(default_factory=dict)  # when there are several

    def href(self, anchor: str) -> str:
        """A link to ``anchor``: in this page when it is in the part shown, else to its part."""
        number = self.part_of_anchor.get(anchor)
        if number is None or self.part is None or number == self.part.number:
            return f"#{anchor}"
        return self.part_url(number, anchor)


def _chosen(parts: list[Part], everything: list, anchors: Callable[[object], list[str]]) -> InParts:
    """The part the query string names, or the one holding the anchor ``at`` names (where a
    change saved sends the reader back to), or the first."""
    raw = request.args.get("part")
    part = numbered(parts, raw)
    if part is None and parts:
        abort(404)
    found = {}
    if len(parts) > 1:
        found = {a: p.number for p in parts for item in p.items(everything) for a in anchors(item)}
        if raw is None and request.args.get("at") in found:
            part = parts[found[request.args["at"]] - 1]
    shown = part.items(everything) if part else []
    return InParts(parts, part, list(shown), part_url_maker(), found)


def version_in_parts(paragraphs: list[Paragraph], *, in_editor: bool = False) -> InParts:
    """The part of a version that the page (or the editor) shows."""
    if in_editor:
        return _chosen(paragraph_parts(paragraphs), paragraphs, lambda p: [f"edit-{p.uid}"])
    return _chosen(paragraph_parts(paragraphs), paragraphs, lambda p: [p.anchor])


def _row_title(row: Row) -> str:
    return paragraph_title((row.new or row.old)[0])


def _row_anchors(row: Row) -> list[str]:
    return [f"change-{row.change_index}"] if row.change_index else []


def comparison_in_parts(result: VersionComparison, *, changes_only: bool) -> InParts:
    """The part of a comparison's rows (only its changes, when asked) that the page shows."""
    rows = [row for row in result.rows if row.change_index or not changes_only]
    parts = parts_of(rows, is_heading=lambda row: row.is_heading, title_of=_row_title)
    return _chosen(parts, rows, _row_anchors)
