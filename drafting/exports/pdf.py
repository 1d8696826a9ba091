"""A clean copy of one version as a PDF, for circulation and the record.

Built with ReportLab and the fonts the project commits (pdf_fonts: Latin, Greek, Cyrillic, Arabic
and Chinese, Japanese and Korean), so that the server needs no system fonts and every script
prints the same everywhere; a character no font holds refuses the PDF, naming it. Arabic and
Hebrew paragraphs are set right to left. The footer carries the SHA-256 of the canonical text, as
in the Word copy.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate

from drafting.exports.pdf_bidi import bidi_lines
from drafting.exports.pdf_fonts import (
    PRIMARY,
    UncoveredCharacter,
    face_name,
    font_markup,
    font_runs,
    register_fonts,
)
from drafting.exports.word import hanging_indent_cm
from drafting.text.draft_format import Block
from drafting.text.footnotes import display_with_notes, has_footnotes
from drafting.text.inline import Piece, display_pieces, display_text, xml_safe
from drafting.text.scripts import has_right_to_left, is_right_to_left
from drafting.times import format_date

__all__ = ["UncoveredCharacter", "build_version_pdf"]

_FONT = PRIMARY
_MARGIN = 2.5 * cm
# The frame's width less the 6 points of padding ReportLab leaves on either side.
_FRAME_WIDTH = A4[0] - 2 * _MARGIN - 12


def build_version_pdf(
    blocks: Sequence[Block],
    *,
    title: str,
    version_label: str,
    text_hash: str | None = None,
    dated: date | None = None,
    tags: Sequence[str | None] | None = None,
    language: str = "en",
) -> bytes:
    """Write one version as a PDF laid out like the Word copy, with an outline of its headings
    for the reader's navigation pane; ``tags`` as in the Word copy (build_version_docx), and
    ``language`` the document's, recorded for screen readers. Raises UncoveredCharacter for a
    character no embedded font prints."""
    register_fonts()
    styles = _styles(hanging_indent_cm(blocks) * cm)
    plain_title = xml_safe(display_text(title))
    version_line = " \u2014 ".join(
        part for part in (version_label, format_date(dated) if dated else "") if part
    )

    story: list[Flowable] = []
    starts_with_title = bool(blocks) and blocks[0].kind == "title"
    if not starts_with_title:
        story.extend(_flowables(Block("title", title), styles))
        story.extend(_plain(version_line, styles["version"]))
    for index, block in enumerate(blocks):
        try:
            if tags and tags[index]:
                story.extend(_plain(tags[index], styles["status"]))
            story.extend(_flowables(block, styles))
        except UncoveredCharacter as refusal:
            raise refusal.in_paragraph(index + 1) from None
        if index == 0 and starts_with_title:
            story.extend(_plain(version_line, styles["version"]))

    running_head = f"{plain_title} \u2014 {version_label}"
    font_runs(running_head)  # refuses a title no font prints before any page is laid out

    def decorate(canvas, document) -> None:
        canvas.saveState()
        width, height = A4
        _draw_right(canvas, width - _MARGIN, height - _MARGIN + 0.8 * cm, running_head, 8)
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
        lang=language,
        invariant=True,
    )
    document.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return output.getvalue()


def _draw_right(canvas, right: float, y: float, text: str, size: float) -> None:
    """The running head, in italics, ending at ``right``: run by run, each in its font."""
    if has_right_to_left(text):
        rtl = is_right_to_left(text)
        line = bidi_lines([(text, _PLAIN)], float("inf"), size, right_to_left=rtl, italic=True)
        text = "".join(run for run, _ in line[0])
    runs = [(face_name(family, False, True), run) for family, run in font_runs(xml_safe(text))]
    x = right - sum(canvas.stringWidth(run, face, size) for face, run in runs)
    line = canvas.beginText(x, y)  # one text object: a reader extracts it as one line
    for face, run in runs:
        line.setFont(face, size)
        line.textOut(run)
    canvas.drawText(line)


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
    if has_right_to_left(block.text):
        return [*_bidi_paragraph(block, pieces, styles), *notes]
    if block.kind == "title":
        return [_heading(_markup(pieces, styles["title"]), styles["title"], 0)]
    if block.kind == "heading":
        level = max(block.level - 1, 1)
        style = styles[f"heading{min(level, 3)}"]
        return [_heading(_markup(pieces, style), style, level)]
    first, *rest = [_markup(chunk, styles["body"]) for chunk in _chunks(pieces)] or [""]
    if block.label is None:
        style, continued = styles["body"], styles["body"]
    else:
        label = _escape(block.label, bold=block.label_bold)
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
            f"<super>{_escape(note.label)}</super> "
            + _markup(display_pieces(note.text), note_style),
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


# Lines of a right-to-left paragraph set as one ReportLab paragraph (see _CHUNK_CHARS).
_CHUNK_LINES = 40


def _bidi_paragraph(
    block: Block, pieces: list[Piece], styles: dict[str, ParagraphStyle]
) -> list[Flowable]:
    """A block holding right-to-left text, in lines already broken and reordered for the eye,
    flush right if it runs right to left (its label then read first, at the right)."""
    text = "".join(piece.text for piece in pieces)
    runs = [(piece.text, piece.style) for piece in pieces]
    rtl = is_right_to_left(text)
    bullet, level = "", None
    if block.kind == "title":
        style, level = styles["title"], 0
    elif block.kind == "heading":
        level = max(block.level - 1, 1)
        style = styles[f"heading{min(level, 3)}"]
    elif block.label is not None and not rtl:
        style = styles["sub_item" if block.is_sub_item else "numbered"]
        font = f' font="{_FONT}-Bold"' if block.label_bold else ""
        bullet = f"<bullet{font}>{_escape(block.label, bold=block.label_bold)}</bullet>"
    else:
        style = styles["body"]
        if block.label:
            runs.insert(0, (f"{block.label} ", (block.label_bold, False, False)))
    flowables = _bidi_flowables(runs, style, rtl, bullet)
    if level is not None:
        flowables[0].outline_level = level
        flowables[0].outline_title = text
    return flowables


_PLAIN = (False, False, False)


def _plain(text: str, style: ParagraphStyle) -> list[Flowable]:
    """A line of plain text (the version line, a status mark) in ``style``."""
    if has_right_to_left(text):
        return _bidi_flowables([(text, _PLAIN)], style, is_right_to_left(text))
    return [Paragraph(_escape(text, *_emphasis(style)), style)]


def _bidi_flowables(
    runs: list[tuple[str, tuple[bool, bool, bool]]],
    style: ParagraphStyle,
    rtl: bool,
    bullet: str = "",
) -> list[Flowable]:
    if style.alignment != TA_CENTER:
        style = ParagraphStyle(
            f"{style.name}-{'rtl' if rtl else 'ltr'}",
            parent=style,
            alignment=TA_RIGHT if rtl else TA_LEFT,
        )
    bold, italic = _emphasis(style)
    width = 0.98 * (_FRAME_WIDTH - style.leftIndent - style.rightIndent)
    lines = bidi_lines(runs, width, style.fontSize, right_to_left=rtl, bold=bold, italic=italic)
    markups = [
        _markup((Piece(text, *emphasis) for text, emphasis in line), style) for line in lines
    ]
    return [
        Paragraph(
            (bullet if start == 0 else "") + "<br/>".join(markups[start : start + _CHUNK_LINES]),
            style,
        )
        for start in range(0, len(markups), _CHUNK_LINES)
    ]


def _heading(markup: str, style: ParagraphStyle, level: int) -> Paragraph:
    paragraph = Paragraph(markup, style)
    paragraph.outline_level = level
    return paragraph


def _markup(pieces: Iterable[Piece], style: ParagraphStyle) -> str:
    """ReportLab's paragraph markup for styled text in ``style``: everything escaped, emphasis
    as tags."""
    bold, italic = _emphasis(style)
    parts = []
    for piece in pieces:
        text = font_markup(piece.text, bold or piece.bold, italic or piece.italic)
        if piece.italic:
            text = f"<i>{text}</i>"
        if piece.bold:
            text = f"<b>{text}</b>"
        if piece.superscript:  # the delegations holding a bracket, after its "]"
            text = f"<super>{text}</super>"
        parts.append(text)
    return "".join(parts)


def _escape(text: str, bold: bool = False, italic: bool = False) -> str:
    return font_markup(text, bold, italic)


def _emphasis(style: ParagraphStyle) -> tuple[bool, bool]:
    return "Bold" in style.fontName, "Italic" in style.fontName


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
        title = getattr(flowable, "outline_title", None) or flowable.getPlainText()
        self.canv.addOutlineEntry(title, key, level=level, closed=level > 0)
