"""A comparison of two versions as a Word file with native tracked changes (a redline).

Delegations negotiate in Word and accept or reject each change there, so every difference is a
real revision (``w:ins`` / ``w:del`` with author and date), and rejecting every change gives the
old version back word for word, accepting every change the new one.

redline_paragraphs decides what each paragraph says (kept, inserted, deleted, moved runs); this
module writes them as WordprocessingML revisions.
"""

from __future__ import annotations

import io
import itertools
import re
from datetime import UTC, datetime

from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement

from drafting.compare.model import Comparison
from drafting.exports.redline_paragraphs import (
    DELETED,
    INSERTED,
    KEPT,
    MOVED_FROM,
    MOVED_TO,
    RedlineParagraph,
    redline_paragraphs,
)
from drafting.exports.word import house_document
from drafting.text.inline import Piece, core_property, display_text, xml_safe
from drafting.times import iso_instant

__all__ = ["build_redline_docx"]


_REVISION_TAGS = {INSERTED: "ins", DELETED: "del", MOVED_TO: "moveTo", MOVED_FROM: "moveFrom"}
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_RUN_BREAKS = re.compile(r"(\n|\t)")
# The elements that follow w:trackRevisions in w:settings (schema order) and can occur in
# python-docx's template.
_AFTER_TRACK_REVISIONS = (
    "w:doNotTrackMoves",
    "w:doNotTrackFormatting",
    "w:documentProtection",
    "w:autoFormatOverride",
    "w:styleLockTheme",
    "w:styleLockQFSet",
    "w:defaultTabStop",
    "w:characterSpacingControl",
    "w:compat",
    "w:rsids",
)


def build_redline_docx(
    comparison: Comparison, *, author: str, date: datetime, title: str | None = None
) -> bytes:
    """Write the comparison as a .docx whose differences are tracked changes by ``author``.

    A naive ``date`` is taken as UTC. ``title`` goes into the page header and the document
    properties; by default the new version's title is used.
    """
    stamp = (date if date.tzinfo else date.replace(tzinfo=UTC)).astimezone(UTC)
    document = house_document()
    revisions = _Revisions(author=xml_safe(author), date=iso_instant(stamp, whole_seconds=True))

    paragraphs = list(redline_paragraphs(comparison))
    if paragraphs and paragraphs[-1].mark != KEPT:
        paragraphs.append(RedlineParagraph(style=None))
    for paragraph in paragraphs:
        _write_paragraph(document, paragraph, revisions)

    if title is None:
        title = next(
            (display_text(b.text) for b in comparison.new_blocks if b.kind == "title"), None
        )
    if title:
        document.sections[0].header.paragraphs[0].text = xml_safe(title)
    properties = document.core_properties
    properties.title = core_property(title or "")
    properties.author = properties.last_modified_by = core_property(revisions.author)
    properties.created = properties.modified = stamp.replace(tzinfo=None)
    properties.revision = 1
    _track_further_edits(document)

    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


class _Revisions:
    """Stamps revision elements with the author, the date and an id unique in the document."""

    def __init__(self, *, author: str, date: str) -> None:
        self.author = author
        self.date = date
        self.open_ranges: dict[str, str] = {}
        self._ids = itertools.count(1)

    def element(self, tag: str) -> BaseOxmlElement:
        return OxmlElement(
            tag,
            attrs={
                qn("w:id"): str(next(self._ids)),
                qn("w:author"): self.author,
                qn("w:date"): self.date,
            },
        )


def _write_paragraph(
    document: Document, paragraph: RedlineParagraph, revisions: _Revisions
) -> None:
    p = document.add_paragraph(style=paragraph.style)._p
    move_range = f"w:{_REVISION_TAGS.get(paragraph.mark)}Range"
    if paragraph.opens_move:
        start = revisions.element(f"{move_range}Start")
        start.set(qn("w:name"), paragraph.move)
        revisions.open_ranges[move_range] = start.get(qn("w:id"))
        p.append(start)
    for op, piece in paragraph.runs:
        text = xml_safe(piece.text)
        if not text:
            continue
        run = _run_element(text, piece, deleted=op == DELETED)
        if op == KEPT:
            p.append(run)
        else:
            wrapper = revisions.element(f"w:{_REVISION_TAGS[op]}")
            wrapper.append(run)
            p.append(wrapper)
    if paragraph.closes_move:
        range_id = revisions.open_ranges.pop(move_range)
        p.append(OxmlElement(f"{move_range}End", attrs={qn("w:id"): range_id}))
    if paragraph.mark != KEPT:
        mark = OxmlElement("w:rPr")
        mark.append(revisions.element(f"w:{_REVISION_TAGS[paragraph.mark]}"))
        p.get_or_add_pPr().append(mark)
    if paragraph.restyled:
        change = revisions.element("w:pPrChange")
        previous = OxmlElement("w:pPr")
        if paragraph.old_style is not None:
            style_id = document.styles[paragraph.old_style].style_id
            previous.append(OxmlElement("w:pStyle", attrs={qn("w:val"): style_id}))
        change.append(previous)
        p.get_or_add_pPr().append(change)


def _run_element(text: str, emphasis: Piece, *, deleted: bool) -> BaseOxmlElement:
    run = OxmlElement("w:r")
    if emphasis.bold or emphasis.italic:
        properties = OxmlElement("w:rPr")
        if emphasis.bold:
            properties.append(OxmlElement("w:b"))
        if emphasis.italic:
            properties.append(OxmlElement("w:i"))
        run.append(properties)
    for part in _RUN_BREAKS.split(text):
        if part == "\n":
            run.append(OxmlElement("w:br"))
        elif part == "\t":
            run.append(OxmlElement("w:tab"))
        elif part:
            element = OxmlElement("w:delText" if deleted else "w:t")
            element.set(_XML_SPACE, "preserve")
            element.text = part
            run.append(element)
    return run


def _track_further_edits(document: Document) -> None:
    """Switch on Track Changes, so that what a delegation edits next is a revision too."""
    document.settings.element.insert_element_before(
        OxmlElement("w:trackRevisions"), *_AFTER_TRACK_REVISIONS
    )
