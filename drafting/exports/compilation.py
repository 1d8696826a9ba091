"""The compilation of a round as Word files: a table of every comment, or the compiled text with
each amendment in brackets. (The CSV is spreadsheet's.)

The writers read a `Compilation` (drafting.consultations.compilation), so a file holds exactly
what the page shows with the same filters, in the same order.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import escape

from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph as WordParagraph

from drafting.consultations.compilation import (
    DECISION_FILTERS,
    KIND_FILTERS,
    Compilation,
    paragraph_reference,
)
from drafting.consultations.conflicts import Conflict
from drafting.consultations.models import Comment, CommentKind
from drafting.consultations.presenting import recorded_line, reflected_text
from drafting.documents.models import Paragraph, ParagraphKind
from drafting.documents.translations import language_name
from drafting.exports.docx_body import PLACEHOLDER, with_body
from drafting.exports.word import (
    hanging_indent_cm,
    heading_style,
    house_document,
)
from drafting.text.draft_format import Block
from drafting.text.inline import Piece, core_property, display_pieces, display_text, xml_safe
from drafting.text.kept import kept_by_text
from drafting.times import format_date

__all__ = ["build_compilation_docx", "build_compiled_text_docx"]


_TABLE_WIDTHS_CM = (2.6, 3.6, 11.2, 7.3)  # landscape A4 less margins: 24.7 cm
_BLANK_LINES = re.compile(r"\n\s*\n")


def build_compilation_docx(compilation: Compilation, *, dated: datetime | None = None) -> bytes:
    """The compilation as a Word table: Paragraph | Delegation | Comment or proposed text |
    Decision, one row per comment, under a heading naming the document, version and round.

    The rows are written as WordprocessingML text, put in the saved file as they are: python-docx
    spends about a millisecond on each row it builds element by element, seconds for a round of
    thousands, and parsing them into its tree only to serialise them again took a fifth of the
    export."""
    document = house_document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    _heading(document, compilation, "Compilation of comments", dated)

    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, _TABLE_WIDTHS_CM, strict=True):
        column.width = Cm(width)
    header = table.rows[0]
    _repeat_as_header(header)
    titles = ("Paragraph", "Delegation", "Comment or proposed text", "Decision")
    for cell, title, width in zip(header.cells, titles, _TABLE_WIDTHS_CM, strict=True):
        cell.width = Cm(width)
        cell.paragraphs[0].add_run(title).bold = True
    rows = [
        _row_xml(
            [
                _paragraph_cell(paragraph, comment),
                _delegation_cell(comment),
                _comment_cell(comment, compilation.conflict_of(comment)),
                _decision_cell(comment),
            ]
        )
        for paragraph, comment in compilation.shown()
    ]
    if not rows:
        document.add_paragraph("No comment matches the filters.")
        return _saved(document)
    # A row holds the rows' place; they take it in the saved file (docx_body).
    table.add_row().cells[0].paragraphs[0].add_run(PLACEHOLDER)
    return with_body(_saved(document), "".join(rows).encode(), element="w:tr")


def _heading(document, compilation: Compilation, what: str, dated: datetime | None) -> None:
    title = display_text(compilation.document.title)
    document.add_paragraph(xml_safe(title), style="Title")
    line = " \u2014 ".join(
        part
        for part in (
            compilation.version.label,
            compilation.consultation.title,
            what,
            format_date(dated.date()) if dated else "",
        )
        if part
    )
    document.add_paragraph(xml_safe(line), style="Version Line")
    filters = _filters_line(compilation)
    if filters:
        note = document.add_paragraph()
        run = note.add_run(xml_safe(filters))
        run.italic = True
        run.font.size = Pt(9)
    properties = document.core_properties
    properties.title = core_property(f"{title} \u2014 {compilation.version.label} \u2014 {what}")
    properties.subject = core_property(compilation.consultation.title)


def _filters_line(compilation: Compilation) -> str:
    f = compilation.filters
    parts = []
    if f.delegation:
        parts.append(f"delegation {f.delegation}")
    if f.kind:
        parts.append(KIND_FILTERS[f.kind].lower())
    if f.decision:
        parts.append(f"decision: {DECISION_FILTERS[f.decision].lower()}")
    if f.late:
        parts.append("late comments only")
    if f.withdrawn:
        parts.append("withdrawn comments included")
    if f.commented_only:
        parts.append("only paragraphs with comments")
    return "Filtered: " + "; ".join(parts) + "." if parts else ""


@dataclass(frozen=True, slots=True)
class _Run:
    """A run of text in a table cell and its style."""

    text: str
    bold: bool = False
    italic: bool = False
    small: bool = False
    superscript: bool = False


# A table cell: its paragraphs, each a list of runs.
_Cell = list[list[_Run]]


_TWIPS_PER_CM = 567
_BREAKS = re.compile(r"(\t|\n)")


def _row_xml(cells: list[_Cell]) -> str:
    return "<w:tr>" + "".join(map(_cell_xml, cells, _TABLE_WIDTHS_CM)) + "</w:tr>"


def _cell_xml(cell: _Cell, width_cm: float) -> str:
    width = round(width_cm * _TWIPS_PER_CM)
    paragraphs = "".join("<w:p>" + "".join(map(_run_xml, runs)) + "</w:p>" for runs in cell)
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{paragraphs or "<w:p/>"}</w:tc>'
    )


def _run_xml(run: _Run) -> str:
    """One <w:r>, as python-docx writes it: a tab as <w:tab/>, a line break as <w:br/>."""
    properties = (
        ("<w:b/>" if run.bold else "")
        + ("<w:i/>" if run.italic else "")
        + ('<w:sz w:val="18"/>' if run.small else "")  # half-points: 9 pt
        + ('<w:vertAlign w:val="superscript"/>' if run.superscript else "")
    )
    text = xml_safe(run.text)
    if "\t" not in text and "\n" not in text:
        content = f'<w:t xml:space="preserve">{escape(text)}</w:t>' if text else ""
        return f"<w:r>{f'<w:rPr>{properties}</w:rPr>' if properties else ''}{content}</w:r>"
    content = "".join(
        "<w:tab/>"
        if part == "\t"
        else "<w:br/>"
        if part == "\n"
        else f'<w:t xml:space="preserve">{escape(part)}</w:t>'
        for part in _BREAKS.split(text)
        if part
    )
    return f"<w:r>{f'<w:rPr>{properties}</w:rPr>' if properties else ''}{content}</w:r>"


def _repeat_as_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _styled(source: str, *, italic: bool = False) -> list[_Run]:
    """A Markdown text as runs, emphasis kept, markers gone."""
    return list(_styled_kept(source, italic))


@kept_by_text(lambda runs: sum(len(run.text) for run in runs) + 1)
def _styled_kept(source: str, italic: bool) -> tuple[_Run, ...]:
    # As the page renderer keeps its HTML (drafting/text/markup.py), the writers keep what a
    # comment's Markdown reads as: the table and the compiled text of a round read the same
    # thousands of texts, export after export.
    return tuple(_run(piece, italic) for piece in display_pieces(source))


def _run(piece: Piece, italic: bool) -> _Run:
    return _Run(piece.text, piece.bold, piece.italic or italic, superscript=piece.superscript)


def _markdown(text: str) -> _Cell:
    """A comment's Markdown as paragraphs: one per Markdown paragraph, emphasis kept."""
    return [_styled(chunk) for chunk in _BLANK_LINES.split(text.strip())]


def _paragraph_cell(paragraph: Paragraph | None, comment: Comment) -> _Cell:
    reference = paragraph_reference(paragraph)
    if comment.kind == CommentKind.INSERT:
        reference = f"New paragraph after {reference}"
    elif comment.kind == CommentKind.SECTION:
        reference = f"Section: {reference}"
    return [[_Run(reference)]]


def _delegation_cell(comment: Comment) -> _Cell:
    cell = [[_Run(comment.delegation.code, bold=True), _Run(f" {comment.delegation.name}")]]
    if comment.supporters:
        codes = ", ".join(d.code for d in comment.supporters)
        cell.append([_Run(f"Supported by {codes}", small=True)])
    if comment.is_late:
        cell.append([_Run("Received late", bold=True, small=True)])
    if comment.is_withdrawn:
        cell.append([_Run("Withdrawn", bold=True, small=True)])
    if comment.recorded_by_id is not None:
        cell.append([_Run(recorded_line(comment), small=True)])
    return cell


def _comment_cell(comment: Comment, conflict: Conflict | None = None) -> _Cell:
    cell = [[_Run(comment.kind.title, italic=True, small=True)]]
    if comment.quote:
        quoted = f" (quoted from the {language_name(comment.quote_language)} version)"
        cell.append(
            [
                _Run("On: \u201c"),
                *_styled(comment.quote, italic=True),
                _Run("\u201d" + (quoted if comment.quote_language else "")),
            ]
        )
    if comment.kind in (CommentKind.REPLACE, CommentKind.INSERT):
        cell.append([_Run("Proposed text: ", bold=True), *_styled(comment.proposed_text)])
    elif comment.kind == CommentKind.DELETE:
        cell.append([_Run("Proposed: delete the paragraph.", bold=True)])
    if conflict is not None:
        cell.append([_Run("Conflict: ", bold=True), _Run(conflict.summary)])
        if conflict.rebased:
            cell.append([_Run("Rebased wording: ", bold=True), *_styled(conflict.rebased)])
    if comment.body:
        if comment.is_amendment:
            cell.append([_Run("Justification:", italic=True)])
        cell.extend(_markdown(comment.body))
    return cell


def _decision_cell(comment: Comment) -> _Cell:
    decision = comment.decision
    if decision is None:
        return [[_Run("No decision yet", italic=True, small=True)]]
    first = [_Run(decision.outcome.title, bold=True)]
    if not decision.is_shared:
        first.append(_Run(" (internal)", italic=True))
    cell = [first]
    if decision.justification:
        cell.extend(_markdown(decision.justification))
    if reflected_text(decision):
        cell.append([_Run(f"Reflected in: {reflected_text(decision)}")])
    return cell


def _small(paragraph: WordParagraph, text: str, *, italic: bool = False):
    run = paragraph.add_run(xml_safe(text))
    run.font.size = Pt(9)
    if italic:
        run.italic = True
    return run


def _saved(document) -> bytes:
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def build_compiled_text_docx(compilation: Compilation, *, dated: datetime | None = None) -> bytes:
    """The version's text with every proposed amendment inline in square brackets, after the
    code of the delegation that proposed it and of those supporting it: a replacement after
    the paragraph's text ``[AUT: proposed wording]``, a deletion ``[TUR: delete]``, a new
    paragraph on its own ``[AUT, supported by PAK: new paragraph text]``. Headings stay Word
    headings, labels stay in the margin. Comments that are not amendments are left out."""
    document = house_document()
    _heading(document, compilation, "Compiled text with proposed amendments", dated)
    note = document.add_paragraph()
    _small(
        note,
        "Proposed amendments stand in square brackets, after the code of the delegation that "
        "proposed them; a new paragraph stands on its own after the paragraph it follows.",
        italic=True,
    )
    paragraphs = [section.paragraph for section in compilation.sections]
    indent = Cm(hanging_indent_cm([p.block for p in paragraphs]))
    # Written as WordprocessingML text and put in the saved file, as the table is: python-docx
    # spends about a millisecond on each run it builds element by element.
    written: list[str] = []
    for section in compilation.sections:
        paragraph = section.paragraph
        runs = _styled(paragraph.text)
        for amendment in section.comments:
            if amendment.kind in (CommentKind.REPLACE, CommentKind.DELETE):
                runs += [_Run(" "), *_bracket(amendment, compilation.conflict_of(amendment))]
        if paragraph.kind == ParagraphKind.PARAGRAPH:
            written.append(_numbered_xml(paragraph.block, indent, runs))
        else:
            style = document.styles[heading_style(paragraph.block)].style_id
            written.append(_paragraph_xml(f'<w:pStyle w:val="{style}"/>', runs))
        for insertion in section.insertions:
            brackets = _bracket(insertion, compilation.conflict_of(insertion))
            written.append(_paragraph_xml(f'<w:ind w:left="{indent.twips}"/>', brackets))
    document.add_paragraph(PLACEHOLDER)
    return with_body(_saved(document), "".join(written).encode())


def _paragraph_xml(properties: str, runs: list[_Run]) -> str:
    return f"<w:p><w:pPr>{properties}</w:pPr>{''.join(map(_run_xml, runs))}</w:p>"


def _numbered_xml(block: Block, indent: Cm, runs: list[_Run]) -> str:
    """A numbered paragraph as ``hang_label`` writes it: the label hanging in the margin, the
    text standing in by ``indent`` (a sub-item one step further)."""
    if block.label is None:
        return _paragraph_xml("", runs)
    text_at = Cm(indent.cm * 2) if block.is_sub_item else indent
    properties = (
        f'<w:tabs><w:tab w:val="left" w:pos="{text_at.twips}"/></w:tabs>'
        f'<w:ind w:left="{text_at.twips}" w:hanging="{indent.twips}"/>'
    )
    label = _Run(f"{block.label}\t", bold=bool(block.label_bold))
    return _paragraph_xml(properties, [label, *runs])


def _bracket(comment: Comment, conflict: Conflict | None = None) -> list[_Run]:
    """``[AUT, supported by PAK: text]``; the delegations' codes in bold. An amendment in
    conflict with one applied says so: ``(superseded by #12)``, ``(rebased on …)``."""
    runs = [_Run("["), _Run(comment.delegation.code, bold=True)]
    if comment.supporters:
        codes = ", ".join(d.code for d in comment.supporters)
        runs += [_Run(", supported by "), _Run(codes, bold=True)]
    if comment.is_withdrawn:
        runs.append(_Run(" (withdrawn)"))
    if comment.recorded_by_id is not None:
        runs.append(_Run(" (recorded by the secretariat)", italic=True))
    runs.append(_Run(": "))
    if comment.kind == CommentKind.DELETE:
        runs.append(_Run("delete", italic=True))
    else:
        runs += _styled(" ".join(comment.proposed_text.split()))
    if conflict is not None and conflict.is_superseded:
        runs.append(_Run(f" (superseded by #{conflict.cause.id})", italic=True))
    elif conflict is not None:
        runs.append(_Run(f" ({conflict.summary[:1].lower()}{conflict.summary[1:-1]})", italic=True))
    runs.append(_Run("]"))
    return runs
