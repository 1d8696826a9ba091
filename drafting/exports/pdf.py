"""A clean copy of one version as a PDF, for circulation and the record.

Built with ReportLab alone and the Bitstream Vera fonts it ships, so that the server needs no
system fonts and German, French or English text (umlauts, accents, curly quotes) prints the same
everywhere. The footer carries the SHA-256 of the canonical text, as in the Word copy.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate

from drafting.exports.word import hanging_indent_cm
from drafting.text.draft_format import Block
from drafting.text.footnotes import display_with_notes, has_footnotes
from drafting.text.inline import Piece, display_pieces, display_text, xml_safe
from drafting.times import format_date

__all__ = ["build_version_pdf"]

_FONT = "Vera"
_FONT_FILES = {
    "Vera": "Vera.ttf",
    "Vera-Bold": "VeraBd.ttf",
    "Vera-Italic": "VeraIt.ttf",
    "Vera-BoldItalic": "VeraBI.ttf",
}
_MARGIN = 2.5 * cm


def build_version_pdf(
    blocks: Sequence[Block],
    *,
    title: str,
    version_label: str,
    text_hash: str | None = None,
    dated: date | None = None,
    tags: Sequence[str | None] | None = None,
) -> bytes:
    """Write one version as a PDF laid out like the Word copy, with an outline of its headings
    for the reader's navigation pane; ``tags`` as in the Word copy (build_version_docx)."""
    _register_fonts()
    styles = _styles(hanging_indent_cm(blocks) * cm)
    plain_title = xml_safe(display_text(title))
    version_line = " \u2014 ".join(
        part for part in (version_label, format_date(dated) if dated else "") if part
    )

    story: list[Flowable] = []
    starts_with_title = bool(blocks) and blocks[0].kind == "title"
    if not starts_with_title:
        story.append(_heading(_markup(display_pieces(title)), styles["title"], 0))
        story.append(Paragraph(_escape(version_line), styles["version"]))
    for index, block in enumerate(blocks):
        if tags and tags[index]:
            story.append(Paragraph(_escape(tags[index]), styles["status"]))
        story.extend(_flowables(block, styles))
        if index == 0 and starts_with_title:
            story.append(Paragraph(_escape(version_line), styles["version"]))

    def decorate(canvas, document) -> None:
        canvas.saveState()
        width, height = A4
        canvas.setFont(f"{_FONT}-Italic", 8)
        canvas.drawRightString(
            width - _MARGIN, height - _MARGIN + 0.8 * cm, f"{plain_title} \u2014 {version_label}"
        )
        canvas.setFont(_FONT, 9)
        canvas.drawCentredString(width / 2, _MARGIN - 1.0 * cm, str(document.page))
        if text_hash:
            canvas.setFont(_FONT, 7)
            canvas.drawCentredString(width / 2, _MARGIN - 1.5 * cm, f"SHA-256 {text_hash}")
        canvas.restoreState()

    output = io.BytesIO()
    document = _OutlinedDocument(
        output,
        pagesize=A4,
        leftMargin=_MARGIN,
        rightMargin=_MARGIN,
        topMargin=_MARGIN,
        bottomMargin=_MARGIN,
        title=plain_title,
        subject=xml_safe(version_label),
        keywords=f"SHA-256 {text_hash}" if text_hash else "",
        creator="drafting",
        invariant=True,
    )
    document.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return output.getvalue()


@cache
def _register_fonts() -> None:
    fonts = Path(reportlab.__file__).parent / "fonts"
    for name, file_name in _FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(fonts / file_name)))
    pdfmetrics.registerFontFamily(
        _FONT,
        normal=_FONT,
        bold=f"{_FONT}-Bold",
        italic=f"{_FONT}-Italic",
        boldItalic=f"{_FONT}-BoldItalic",
    )


def _styles(indent: float) -> dict[str, ParagraphStyle]:
    body = ParagraphStyle(
        "body", fontName=_FONT, fontSize=10.5, leading=14, alignment=TA_JUSTIFY, spaceAfter=6
    )
    heading = ParagraphStyle(
        "heading",
        parent=body,
        fontName=f"{_FONT}-Bold",
        alignment=TA_CENTER,
        spaceBefore=12,
        keepWithNext=True,
    )
    return {
        "body": body,
        "numbered": ParagraphStyle(
            "numbered", parent=body, leftIndent=indent, bulletIndent=0, bulletFontName=_FONT
        ),
        # A sub-item's label stands where its paragraph's text starts, its text one step further.
        "sub_item": ParagraphStyle(
            "sub_item",
            parent=body,
            leftIndent=2 * indent,
            bulletIndent=indent,
            bulletFontName=_FONT,
        ),
        "title": ParagraphStyle("title", parent=heading, fontSize=15, leading=19),
        "version": ParagraphStyle(
            "version",
            parent=body,
            fontName=f"{_FONT}-Italic",
            fontSize=9.5,
            alignment=TA_CENTER,
            spaceAfter=18,
        ),
        "status": ParagraphStyle(
            "status",
            parent=body,
            fontName=f"{_FONT}-Bold",
            fontSize=7.5,
            leading=9,
            alignment=TA_RIGHT,
            spaceAfter=0,
            keepWithNext=True,
        ),
        "heading1": ParagraphStyle("heading1", parent=heading, fontSize=12, leading=16),
        "heading2": heading,
        "heading3": ParagraphStyle(
            "heading3", parent=heading, fontName=f"{_FONT}-BoldItalic", alignment=TA_LEFT
        ),
    }


def _flowables(block: Block, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    pieces, notes = _pieces_and_notes(block, styles)
    if block.kind == "title":
        return [_heading(_markup(pieces), styles["title"], 0)]
    if block.kind == "heading":
        level = max(block.level - 1, 1)
        return [_heading(_markup(pieces), styles[f"heading{min(level, 3)}"], level)]
    first, *rest = [_markup(chunk) for chunk in _chunks(pieces)] or [""]
    if block.label is None:
        style, continued = styles["body"], styles["body"]
    else:
        label = _escape(block.label)
        font = f' font="{_FONT}-Bold"' if block.label_bold else ""
        first = f"<bullet{font}>{label}</bullet>{first}"
        style = continued = styles["sub_item" if block.is_sub_item else "numbered"]
    return [Paragraph(first, style), *(Paragraph(text, continued) for text in rest), *notes]


def _pieces_and_notes(
    block: Block, styles: dict[str, ParagraphStyle]
) -> tuple[list[Piece], list[Flowable]]:
    """A block's styled text, each footnote reference as its label in superscript, and its
    notes in smaller type right after the paragraph, each under its label."""
    if block.kind != "paragraph" or not has_footnotes(block.text):
        return display_pieces(block.text), []
    items, noted = display_with_notes(block.text)
    pieces = [
        item
        if isinstance(item, Piece)
        else Piece(item.label if item.note else f"[^{item.label}]", superscript=bool(item.note))
        for item in items
    ]
    note_style = ParagraphStyle(
        "note",
        parent=styles["sub_item" if block.is_sub_item else "numbered"],
        fontSize=8.5,
        leading=11,
        spaceAfter=2,
    )
    notes = [
        Paragraph(
            f"<super>{_escape(note.label)}</super> {_markup(display_pieces(note.text))}",
            note_style,
        )
        for note in noted.notes
    ]
    return pieces, notes


# ReportLab lays a paragraph out anew from its start on every page it continues onto, so one
# huge paragraph costs time quadratic in its length: past this many characters, the text is set
# as consecutive paragraphs cut between words. No paragraph a person writes is that long.
_CHUNK_CHARS = 4_000


def _chunks(pieces: list[Piece]) -> list[list[Piece]]:
    chunks: list[list[Piece]] = []
    current: list[Piece] = []
    size = 0
    for piece in pieces:
        text = piece.text
        while size + len(text) > _CHUNK_CHARS:
            room = _CHUNK_CHARS - size
            cut = (text.rfind(" ", 0, room) + 1) or room
            if cut:
                current.append(Piece(text[:cut], *piece.style))
            chunks.append(current)
            current, size, text = [], 0, text[cut:]
        if text:
            current.append(Piece(text, *piece.style))
            size += len(text)
    if current:
        chunks.append(current)
    return chunks


def _heading(markup: str, style: ParagraphStyle, level: int) -> Paragraph:
    paragraph = Paragraph(markup, style)
    paragraph.outline_level = level
    return paragraph


def _markup(pieces: Iterable[Piece]) -> str:
    """ReportLab's paragraph markup for styled text: everything escaped, emphasis as tags."""
    parts = []
    for piece in pieces:
        text = _escape(piece.text)
        if piece.italic:
            text = f"<i>{text}</i>"
        if piece.bold:
            text = f"<b>{text}</b>"
        if piece.superscript:  # the delegations holding a bracket, after its "]"
            text = f"<super>{text}</super>"
        parts.append(text)
    return "".join(parts)


def _escape(text: str) -> str:
    return escape(xml_safe(text)).replace("\n", "<br/>").replace("\t", " ")


class _OutlinedDocument(SimpleDocTemplate):
    """Adds every heading to the PDF outline (bookmarks), nested by level."""

    def afterInit(self) -> None:
        self._outline_depth = -1
        self._outline_count = 0

    def afterFlowable(self, flowable: Flowable) -> None:
        level = getattr(flowable, "outline_level", None)
        if level is None:
            return
        # An outline may go one level deeper at a time; a skipped heading level is closed up.
        level = min(level, self._outline_depth + 1)
        self._outline_depth = level
        self._outline_count += 1
        key = f"h{self._outline_count}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(flowable.getPlainText(), key, level=level, closed=level > 0)
