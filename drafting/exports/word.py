"""A clean copy of one version as a Word file, laid out like a UN or EU document.

Delegations forward and file versions as Word documents; the copy carries the version label and,
in the footer, the SHA-256 of the canonical text, so a printed page can be matched to the
version it came from.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from copy import deepcopy
from datetime import date

import docx
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from drafting.exports.word_footnotes import write_noted_text
from drafting.exports.word_languages import mark_document_language, mark_paragraph
from drafting.text.draft_format import Block
from drafting.text.footnotes import has_footnotes
from drafting.text.inline import Piece, core_property, display_pieces, display_text, xml_safe
from drafting.times import format_date

__all__ = [
    "IDENTITY_PREFIX",
    "build_version_docx",
    "hang_label",
    "heading_style",
    "house_document",
    "mark_identity",
]

_FONT = "Times New Roman"
# (style, size in points, bold, italic, centred)
_STYLES = (
    ("Normal", 11, False, False, False),
    ("Title", 15, True, False, True),
    ("Heading 1", 12, True, False, True),
    ("Heading 2", 11, True, False, True),
    ("Heading 3", 11, True, True, False),
    ("Heading 4", 11, False, True, False),
)
_THEME_FONT_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def build_version_docx(
    blocks: Sequence[Block],
    *,
    title: str,
    version_label: str,
    text_hash: str | None = None,
    dated: date | None = None,
    tags: Sequence[str | None] | None = None,
    uids: Sequence[str] | None = None,
    language: str = "en",
) -> bytes:
    """Write one version as a .docx: title, version line, headings and numbered paragraphs
    with their labels hanging in the margin, and the text hash in the footer. ``tags``, one
    per block, are the paragraphs' status marks ("[agreed ad ref.]"), printed right-aligned
    above each paragraph as negotiators print them. ``uids``, one per block, are carried by
    hidden bookmarks (see mark_identity), so that a copy marked up in Word maps back. Each
    paragraph is marked with its languages (the document's ``language``, or the one its script
    calls for) and direction."""
    document = house_document()
    mark_document_language(document, language)
    indent = Cm(hanging_indent_cm(blocks))
    version_line = " \u2014 ".join(
        part for part in (version_label, format_date(dated) if dated else "") if part
    )

    starts_with_title = bool(blocks) and blocks[0].kind == "title"
    if not starts_with_title:
        heading = document.add_paragraph(style="Title")
        _add_pieces(heading, display_pieces(title))
        mark_paragraph(heading, display_text(title), language)
        _add_version_line(document, version_line)
    layouts: dict = {}  # formats made once and copied: python-docx sets them slowly
    for index, block in enumerate(blocks):
        if tags and tags[index]:
            _add_status_tag(document, tags[index])
        if block.kind == "paragraph":
            paragraph = _add_numbered(document, block, indent, layouts)
        else:
            paragraph = document.add_paragraph()
            paragraph._p.style = _style_id(document, heading_style(block), layouts)
            _add_pieces(paragraph, display_pieces(block.text))
        if uids:
            mark_identity(paragraph, uids[index], index)
        mark_paragraph(paragraph, display_text(block.text), language)
        if index == 0 and starts_with_title:
            _add_version_line(document, version_line)

    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    running_head = xml_safe(f"{display_text(title)} \u2014 {version_label}")
    _add_small(header, running_head, italic=True)
    mark_paragraph(header, running_head, language)
    _add_footer(section.footer, text_hash)

    properties = document.core_properties
    properties.title = core_property(display_text(title))
    properties.subject = core_property(version_label)
    properties.comments = f"SHA-256 {text_hash}" if text_hash else ""
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


IDENTITY_PREFIX = "_p_"


def mark_identity(paragraph: Paragraph, uid: str, number: int) -> None:
    """Span the paragraph with a hidden bookmark "_p_<uid>" (a name starting with "_" is hidden
    in Word): Word keeps a bookmark when the text in it is edited, moved or split (it stays
    with the first part), so a marked-up copy still says which paragraph is which."""
    element = paragraph._p
    start = OxmlElement(
        "w:bookmarkStart", attrs={qn("w:id"): str(number), qn("w:name"): IDENTITY_PREFIX + uid}
    )
    element.insert(1 if element.pPr is not None else 0, start)
    element.append(OxmlElement("w:bookmarkEnd", attrs={qn("w:id"): str(number)}))


def house_document() -> Document:
    """An empty A4 document with the house styles: Times New Roman, black headings, no theme
    colours, so the clean copy and the redline look alike."""
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.5)
    for name, size, bold, italic, centred in _STYLES:
        style = document.styles[name]
        rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attribute in _THEME_FONT_ATTRIBUTES:
            rfonts.attrib.pop(qn(attribute), None)
        style.font.name = _FONT
        rfonts.set(qn("w:eastAsia"), _FONT)
        rfonts.set(qn("w:cs"), _FONT)
        style.font.size = Pt(size)
        style.font.bold = bold
        style.font.italic = italic
        style.font.color.rgb = RGBColor(0, 0, 0)
        paragraph_format = style.paragraph_format
        paragraph_format.space_after = Pt(6)
        if name != "Normal":
            paragraph_format.space_before = Pt(12)
            paragraph_format.keep_with_next = True
            paragraph_format.alignment = (
                WD_ALIGN_PARAGRAPH.CENTER if centred else WD_ALIGN_PARAGRAPH.LEFT
            )
    title_borders = document.styles["Title"].element.pPr.find(qn("w:pBdr"))
    if title_borders is not None:
        title_borders.getparent().remove(title_borders)
    document.styles["Normal"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if "Version Line" not in [style.name for style in document.styles]:
        version = document.styles.add_style("Version Line", WD_STYLE_TYPE.PARAGRAPH)
        version.base_style = document.styles["Normal"]
        version.font.italic = True
        version.font.size = Pt(10)
        version.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        version.paragraph_format.space_after = Pt(18)
    return document


def heading_style(block: Block) -> str | None:
    """The Word style of a block: Title for the title, Heading n for a level n+1 heading."""
    if block.kind == "title":
        return "Title"
    if block.kind == "heading":
        return f"Heading {min(max(block.level - 1, 1), 9)}"
    return None


def hanging_indent_cm(blocks: Sequence[Block]) -> float:
    """How far the text of numbered paragraphs stands in: enough for the longest label."""
    longest = max((len(block.label) for block in blocks if block.label), default=2)
    return min(max(0.25 * longest + 0.4, 1.0), 3.0)


def _style_id(document: Document, name: str | None, layouts: dict) -> str | None:
    if name is None:
        return None
    if ("style", name) not in layouts:
        layouts["style", name] = document.styles[name].style_id
    return layouts["style", name]


def _add_numbered(document: Document, block: Block, indent: Cm, layouts: dict) -> Paragraph:
    """A paragraph, its label hanging in the margin: the layout of the first of its kind (a
    paragraph or a sub-item) is made by hang_label, the others get a copy of it."""
    paragraph = document.add_paragraph()
    if block.label is not None:
        key = ("hanging", block.is_sub_item)
        if key not in layouts:
            _hang(paragraph, block, indent)
            layouts[key] = deepcopy(paragraph._p.pPr)
        else:
            paragraph._p.insert(0, deepcopy(layouts[key]))
        label = _text_run(paragraph, xml_safe(block.label) + "\t")
        if block.label_bold:
            label.bold = True
    if has_footnotes(block.text):
        write_noted_text(document, paragraph, block.text, _add_pieces)
    else:
        _add_pieces(paragraph, display_pieces(block.text))
    return paragraph


def hang_label(paragraph: Paragraph, block: Block, indent: Cm) -> None:
    """Write a numbered block's label hanging in the margin, its text standing in by
    ``indent``; a sub-item ("(a)") hangs where its paragraph's text starts, one step further."""
    _hang(paragraph, block, indent)
    label = paragraph.add_run(xml_safe(block.label or "") + "\t")
    label.bold = block.label_bold or None


def _hang(paragraph: Paragraph, block: Block, indent: Cm) -> None:
    text_at = Cm(indent.cm * 2) if block.is_sub_item else indent
    paragraph_format = paragraph.paragraph_format
    paragraph_format.left_indent = text_at
    paragraph_format.first_line_indent = -indent
    paragraph_format.tab_stops.add_tab_stop(text_at, WD_TAB_ALIGNMENT.LEFT)


_BREAKS = re.compile(r"(\t|\n|\r)")


def _text_run(paragraph: Paragraph, text: str) -> Run:
    """A run of ``text`` as python-docx writes it (tabs, line breaks, spaces kept), made a
    piece at a time rather than a character at a time."""
    run = paragraph.add_run()
    element = run._r
    for part in _BREAKS.split(text):
        if part == "\t":
            element.append(OxmlElement("w:tab"))
        elif part in ("\n", "\r"):
            element.append(OxmlElement("w:br"))
        elif part:
            piece = OxmlElement("w:t")
            piece.text = part
            if part != part.strip():
                piece.set(qn("xml:space"), "preserve")
            element.append(piece)
    return run


def _add_pieces(paragraph: Paragraph, pieces: Iterable[Piece]) -> None:
    for piece in pieces:
        text = xml_safe(piece.text)
        if not text:
            continue
        run = _text_run(paragraph, text)
        if piece.bold:  # plain runs get no properties at all
            run.bold = True
        if piece.italic:
            run.italic = True
        if piece.superscript:  # the delegations holding a bracket, after its "]"
            run.font.superscript = True


def _add_status_tag(document: Document, tag: str) -> None:
    """A paragraph's status, small and right-aligned on the line above it, kept with it."""
    if "Status Mark" not in [style.name for style in document.styles]:
        style = document.styles.add_style("Status Mark", WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = document.styles["Normal"]
        style.font.size = Pt(8)
        style.font.bold = True
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        style.paragraph_format.space_after = Pt(0)
        style.paragraph_format.keep_with_next = True
    document.add_paragraph(xml_safe(tag), style="Status Mark")


def _add_version_line(document: Document, version_line: str) -> None:
    if version_line:
        document.add_paragraph(xml_safe(version_line), style="Version Line")


def _add_small(paragraph: Paragraph, text: str, *, italic: bool = False) -> None:
    run = paragraph.add_run(text)
    run.font.size = Pt(8)
    run.italic = italic or None


def _add_footer(footer, text_hash: str | None) -> None:
    page = footer.paragraphs[0]
    page.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple", attrs={qn("w:instr"): "PAGE"})
    number = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    number.append(text)
    field.append(number)
    page._p.append(field)
    if text_hash:
        line = footer.add_paragraph()
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _add_small(line, f"SHA-256 {xml_safe(text_hash)}")
