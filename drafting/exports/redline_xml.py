"""The redline's paragraphs as WordprocessingML text: ``w:p`` elements with their runs and
revisions (``w:ins``, ``w:del``, ``w:moveFrom``, ``w:moveTo``, paragraph marks and style changes),
written as strings rather than as one python-docx object per run, element and attribute: at
5,000 changed paragraphs that took 12 s and most of the memory. What it writes is what the
objects serialised to, element for element and attribute for attribute.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator

from drafting.exports.redline_paragraphs import (
    DELETED,
    INSERTED,
    KEPT,
    MOVED_FROM,
    MOVED_TO,
    RedlineParagraph,
)
from drafting.exports.word_languages import lang_xml
from drafting.text.inline import Piece, xml_safe
from drafting.text.scripts import has_right_to_left, paragraph_languages

__all__ = ["RevisionStamps", "paragraphs_xml"]

REVISION_TAGS = {INSERTED: "ins", DELETED: "del", MOVED_TO: "moveTo", MOVED_FROM: "moveFrom"}
_RUN_BREAKS = re.compile(r"(\n|\t)")
_ATTRIBUTE = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\n": "&#10;",
        "\r": "&#13;",
        "\t": "&#9;",
    }
)


def escape_text(value: str) -> str:
    """A value escaped for element content (chained replaces: several times faster than a
    translation table on long texts)."""
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def attribute(value: str) -> str:
    """A value escaped for a double-quoted XML attribute."""
    return value.translate(_ATTRIBUTE)


class RevisionStamps:
    """Stamps revision elements with an id unique in the document, the author and the date."""

    def __init__(self, *, author: str, date: str) -> None:
        self.author = author
        self._stamp = f' w:author="{attribute(author)}" w:date="{attribute(date)}"'
        self._ids = itertools.count(1)
        self.open_ranges: dict[str, str] = {}

    def next_id(self) -> str:
        return str(next(self._ids))

    def open(self, tag: str, revision_id: str | None = None) -> str:
        """The start tag ``<w:tag w:id=… w:author=… w:date=…`` left open for more attributes
        or content."""
        return f'<w:{tag} w:id="{revision_id or self.next_id()}"{self._stamp}'


def paragraphs_xml(
    paragraphs: Iterable[RedlineParagraph],
    stamps: RevisionStamps,
    style_id: Callable[[str | None], str | None],
    old_style_id: Callable[[str], str],
    language: str = "en",
) -> Iterator[str]:
    """Each paragraph's ``w:p`` element. ``style_id`` gives the w:pStyle of a paragraph's style
    (none for the default one), ``old_style_id`` that of the style a restyled paragraph had;
    each paragraph is marked with its languages in a ``language`` document (word_languages)."""
    for paragraph in paragraphs:
        yield _paragraph(paragraph, stamps, style_id, old_style_id, language)


def _paragraph(
    paragraph: RedlineParagraph,
    stamps: RevisionStamps,
    style_id: Callable[[str | None], str | None],
    old_style_id: Callable[[str], str],
    language: str,
) -> str:
    languages = paragraph_languages("".join(piece.text for _, piece in paragraph.runs), language)
    lang = lang_xml(languages, language)
    # Revision ids are handed out in the order Word's own writer (and ours before) used: the
    # move range, the runs, the paragraph mark, the style change.
    content: list[str] = []
    move_range = f"{REVISION_TAGS.get(paragraph.mark)}Range"
    if paragraph.opens_move:
        range_id = stamps.next_id()
        stamps.open_ranges[move_range] = range_id
        name = attribute(paragraph.move or "")
        content.append(f'{stamps.open(move_range + "Start", range_id)} w:name="{name}"/>')
    for op, piece in paragraph.runs:
        text = xml_safe(piece.text)
        if not text:
            continue
        run = _run(text, piece, lang, deleted=op == DELETED)
        if op == KEPT:
            content.append(run)
        else:
            tag = REVISION_TAGS[op]
            content.append(f"{stamps.open(tag)}>{run}</w:{tag}>")
    if paragraph.closes_move:
        content.append(f'<w:{move_range}End w:id="{stamps.open_ranges.pop(move_range)}"/>')
    properties = _properties(paragraph, stamps, style_id, old_style_id, languages.right_to_left)
    if not properties and not content:
        return "<w:p/>"
    return f"<w:p>{properties}{''.join(content)}</w:p>"


def _properties(
    paragraph: RedlineParagraph,
    stamps: RevisionStamps,
    style_id: Callable[[str | None], str | None],
    old_style_id: Callable[[str], str],
    right_to_left: bool = False,
) -> str:
    parts = []
    if (style := style_id(paragraph.style)) is not None:
        parts.append(f'<w:pStyle w:val="{attribute(style)}"/>')
    if right_to_left:
        parts.append("<w:bidi/>")
    if paragraph.mark != KEPT:
        parts.append(f"<w:rPr>{stamps.open(REVISION_TAGS[paragraph.mark])}/></w:rPr>")
    if paragraph.restyled:
        previous = (
            f'<w:pPr><w:pStyle w:val="{attribute(old_style_id(paragraph.old_style))}"/></w:pPr>'
            if paragraph.old_style is not None
            else "<w:pPr/>"
        )
        parts.append(f"{stamps.open('pPrChange')}>{previous}</w:pPrChange>")
    return f"<w:pPr>{''.join(parts)}</w:pPr>" if parts else ""


_SUPERSCRIPT = '<w:vertAlign w:val="superscript"/>'  # a bracket's holders, after its "]"


def _run(text: str, emphasis: Piece, lang: str, *, deleted: bool) -> str:
    properties = (
        f"{'<w:b/>' if emphasis.bold else ''}{'<w:i/>' if emphasis.italic else ''}"
        f"{_SUPERSCRIPT if emphasis.superscript else ''}"
        f"{'<w:rtl/>' if lang and has_right_to_left(text) else ''}{lang}"
    )
    parts = [f"<w:r><w:rPr>{properties}</w:rPr>" if properties else "<w:r>"]
    tag = "w:delText" if deleted else "w:t"
    for part in _RUN_BREAKS.split(text):
        if part == "\n":
            parts.append("<w:br/>")
        elif part == "\t":
            parts.append("<w:tab/>")
        elif part:
            parts.append(f'<{tag} xml:space="preserve">{escape_text(part)}</{tag}>')
    parts.append("</w:r>")
    return "".join(parts)
