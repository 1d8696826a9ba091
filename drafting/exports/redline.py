"""A comparison of two versions as a Word file with native tracked changes (a redline).

Delegations negotiate in Word and accept or reject each change there, so every difference is a
real revision (``w:ins`` / ``w:del`` with author and date), and rejecting every change gives the
old version back word for word, accepting every change the new one.

redline_paragraphs decides what each paragraph says (kept, inserted, deleted, moved runs),
redline_xml writes them as WordprocessingML revisions, and this module puts them in the house
document.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement

from drafting.compare.model import Comparison
from drafting.exports.docx_body import PLACEHOLDER, with_body
from drafting.exports.redline_paragraphs import KEPT, RedlineParagraph, redline_paragraphs
from drafting.exports.redline_xml import RevisionStamps, paragraphs_xml
from drafting.exports.word import house_document
from drafting.exports.word_languages import mark_document_language
from drafting.text.inline import core_property, display_text, xml_safe
from drafting.times import iso_instant

__all__ = ["build_redline_docx"]

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
    comparison: Comparison,
    *,
    author: str,
    date: datetime,
    title: str | None = None,
    language: str = "en",
) -> bytes:
    """Write the comparison as a .docx whose differences are tracked changes by ``author``.

        A naive ``date`` is taken as UTC. ``title`` goes into the page header and the document
        properties; by default the new version's title is used. Paragraphs are marked with their
    languages in a ``language`` document, and right to left where they run so (word_languages).

        The house document (styles, header, properties, settings) is python-docx's; the paragraphs
        are written as text into its body (redline_xml), which is many times faster and lighter.
    """
    stamp = (date if date.tzinfo else date.replace(tzinfo=UTC)).astimezone(UTC)
    document = house_document()
    mark_document_language(document, language)
    stamps = RevisionStamps(author=xml_safe(author), date=iso_instant(stamp, whole_seconds=True))

    paragraphs = list(redline_paragraphs(comparison))
    if paragraphs and paragraphs[-1].mark != KEPT:
        paragraphs.append(RedlineParagraph(style=None))
    body = "".join(
        paragraphs_xml(paragraphs, stamps, _style_ids(document), _old_style_ids(document), language)
    )
    document.add_paragraph(PLACEHOLDER)

    if title is None:
        title = next(
            (display_text(b.text) for b in comparison.new_blocks if b.kind == "title"), None
        )
    if title:
        document.sections[0].header.paragraphs[0].text = xml_safe(title)
    properties = document.core_properties
    properties.title = core_property(title or "")
    properties.author = properties.last_modified_by = core_property(stamps.author)
    properties.created = properties.modified = stamp.replace(tzinfo=None)
    properties.revision = 1
    _track_further_edits(document)

    output = io.BytesIO()
    document.save(output)
    return with_body(output.getvalue(), body.encode())


def _style_ids(document: Document) -> Callable[[str | None], str | None]:
    """The w:pStyle of a new paragraph in a style, as python-docx's add_paragraph writes it:
    none for no style or the default one."""

    @cache
    def style_id(name: str | None) -> str | None:
        if name is None:
            return None
        return document.part.get_style_id(name, WD_STYLE_TYPE.PARAGRAPH)

    return style_id


def _old_style_ids(document: Document) -> Callable[[str], str]:
    @cache
    def style_id(name: str) -> str:
        return document.styles[name].style_id

    return style_id


def _track_further_edits(document: Document) -> None:
    """Switch on Track Changes, so that what a delegation edits next is a revision too."""
    document.settings.element.insert_element_before(
        OxmlElement("w:trackRevisions"), *_AFTER_TRACK_REVISIONS
    )
