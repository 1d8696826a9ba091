"""The compilation of a round as files: Word (a table, or the compiled text) and CSV.

The writers read a `Compilation` (drafting.consultations.compilation), so a file holds exactly
what the page shows with the same filters, in the same order.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from datetime import UTC, datetime

from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph as WordParagraph

from drafting.consultations.compilation import (
    DECISION_FILTERS,
    KIND_FILTERS,
    Compilation,
    paragraph_reference,
)
from drafting.consultations.models import Comment, CommentKind
from drafting.documents.models import Paragraph, ParagraphKind
from drafting.exports import Piece, display_pieces, display_text, xml_safe
from drafting.exports.word import (
    format_date,
    hanging_indent_cm,
    heading_style,
    house_document,
)

__all__ = [
    "CSV_COLUMNS",
    "build_compilation_csv",
    "build_compilation_docx",
    "build_compiled_text_docx",
    "neutralise_formula",
]

CSV_COLUMNS = (
    "Paragraph",
    "Paragraph uid",
    "Delegation code",
    "Delegation",
    "Kind",
    "Status",
    "Late",
    "Submitted at (UTC)",
    "Supported by",
    "Quoted passage",
    "Comment or justification",
    "Proposed text",
    "Decision",
    "Decision justification",
    "Shared",
    "Reflected in",
)
# OWASP, CSV injection: a cell that starts with one of these is read as a formula by
# spreadsheets; a leading apostrophe makes it text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_TABLE_WIDTHS_CM = (2.6, 3.6, 11.2, 7.3)  # landscape A4 less margins: 24.7 cm
_BLANK_LINES = re.compile(r"\n\s*\n")


def neutralise_formula(value: str) -> str:
    """A cell value a spreadsheet will show as text, never run as a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


# ---------------------------------------------------------------------------------------------
# CSV


def build_compilation_csv(compilation: Compilation) -> bytes:
    """One row per comment, UTF-8 with a byte-order mark so that Excel reads the accents."""
    output = io.StringIO()
    writer = csv.writer(output, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for paragraph, comment in compilation.shown():
        writer.writerow(neutralise_formula(cell) for cell in _csv_row(paragraph, comment))
    return output.getvalue().encode("utf-8-sig")


def _csv_row(paragraph: Paragraph | None, comment: Comment) -> list[str]:
    decision = comment.decision
    return [
        paragraph_reference(paragraph) if paragraph is not None else "",
        comment.paragraph_uid or "",
        comment.delegation.code,
        comment.delegation.name,
        comment.kind.title,
        comment.status.value,
        "yes" if comment.is_late else "no",
        _utc(comment.submitted_dt),
        ", ".join(d.code for d in comment.supporters),
        comment.quote,
        comment.body,
        comment.proposed_text,
        decision.outcome.title if decision else "",
        decision.justification if decision else "",
        ("shared" if decision.is_shared else "internal") if decision else "",
        decision.reflected_in if decision else "",
    ]


def _utc(instant: datetime | None) -> str:
    if instant is None:
        return ""
    return instant.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


# ---------------------------------------------------------------------------------------------
# Word: the table


def build_compilation_docx(compilation: Compilation, *, dated: datetime | None = None) -> bytes:
    """The compilation as a Word table: Paragraph | Delegation | Comment or proposed text |
    Decision, one row per comment, under a heading naming the document, version and round."""
    document = house_document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    _heading(document, compilation, "Compilation of comments", dated)

    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    header = table.rows[0]
    _repeat_as_header(header)
    titles = ("Paragraph", "Delegation", "Comment or proposed text", "Decision")
    for cell, title in zip(header.cells, titles, strict=True):
        run = cell.paragraphs[0].add_run(title)
        run.bold = True
    for paragraph, comment in compilation.shown():
        cells = table.add_row().cells
        _paragraph_cell(cells[0], paragraph, comment)
        _delegation_cell(cells[1], comment)
        _comment_cell(cells[2], comment, compilation)
        _decision_cell(cells[3], comment)
    for row in table.rows:
        for cell, width in zip(row.cells, _TABLE_WIDTHS_CM, strict=True):
            cell.width = Cm(width)
    if not table.rows[1:]:
        document.add_paragraph("No comment matches the filters.")
    return _saved(document)


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
    properties.title = xml_safe(f"{title} \u2014 {compilation.version.label} \u2014 {what}")
    properties.subject = xml_safe(compilation.consultation.title)


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


def _repeat_as_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _paragraph_cell(cell: _Cell, paragraph: Paragraph | None, comment: Comment) -> None:
    reference = paragraph_reference(paragraph)
    if comment.kind == CommentKind.INSERT:
        reference = f"New paragraph after {reference}"
    elif comment.kind == CommentKind.SECTION:
        reference = f"Section: {reference}"
    cell.paragraphs[0].add_run(xml_safe(reference))


def _delegation_cell(cell: _Cell, comment: Comment) -> None:
    first = cell.paragraphs[0]
    first.add_run(xml_safe(comment.delegation.code)).bold = True
    first.add_run(xml_safe(f" {comment.delegation.name}"))
    if comment.supporters:
        codes = ", ".join(d.code for d in comment.supporters)
        _small(cell.add_paragraph(), f"Supported by {codes}")
    if comment.is_late:
        _small(cell.add_paragraph(), "Received late").bold = True
    if comment.is_withdrawn:
        _small(cell.add_paragraph(), "Withdrawn").bold = True


def _comment_cell(cell: _Cell, comment: Comment, compilation: Compilation) -> None:
    _small(cell.paragraphs[0], comment.kind.title, italic=True)
    if comment.quote:
        quoted = cell.add_paragraph()
        quoted.add_run("On: \u201c")
        _add_pieces(quoted, display_pieces(comment.quote), italic=True)
        quoted.add_run("\u201d")
    if comment.kind in (CommentKind.REPLACE, CommentKind.INSERT):
        proposed = cell.add_paragraph()
        proposed.add_run("Proposed text: ").bold = True
        _add_pieces(proposed, display_pieces(comment.proposed_text))
    elif comment.kind == CommentKind.DELETE:
        cell.add_paragraph().add_run("Proposed: delete the paragraph.").bold = True
    if comment.body:
        if comment.is_amendment:
            cell.add_paragraph().add_run("Justification:").italic = True
        _add_markdown(cell, comment.body)


def _decision_cell(cell: _Cell, comment: Comment) -> None:
    decision = comment.decision
    if decision is None:
        _small(cell.paragraphs[0], "No decision yet", italic=True)
        return
    first = cell.paragraphs[0]
    first.add_run(xml_safe(decision.outcome.title)).bold = True
    if not decision.is_shared:
        first.add_run(" (internal)").italic = True
    if decision.justification:
        _add_markdown(cell, decision.justification)
    if decision.reflected_in:
        cell.add_paragraph().add_run(xml_safe(f"Reflected in: {decision.reflected_in}"))


def _add_markdown(cell: _Cell, text: str) -> None:
    """A comment's Markdown as Word paragraphs: one per Markdown paragraph, emphasis kept."""
    for chunk in _BLANK_LINES.split(text.strip()):
        _add_pieces(cell.add_paragraph(), display_pieces(chunk))


def _small(paragraph: WordParagraph, text: str, *, italic: bool = False):
    run = paragraph.add_run(xml_safe(text))
    run.font.size = Pt(9)
    run.italic = italic or None
    return run


def _add_pieces(paragraph: WordParagraph, pieces: Iterable[Piece], *, italic: bool = False) -> None:
    for piece in pieces:
        text = xml_safe(piece.text)
        if text:
            run = paragraph.add_run(text)
            run.bold = piece.bold or None
            run.italic = (piece.italic or italic) or None


def _saved(document) -> bytes:
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


# ---------------------------------------------------------------------------------------------
# Word: the compiled text


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
    for section in compilation.sections:
        paragraph = section.paragraph
        amendments = [
            c for c in section.comments if c.kind in (CommentKind.REPLACE, CommentKind.DELETE)
        ]
        if paragraph.kind == ParagraphKind.PARAGRAPH:
            written = _numbered(document, paragraph.label, indent)
        else:
            written = document.add_paragraph(style=heading_style(paragraph.block))
        _add_pieces(written, display_pieces(paragraph.text))
        for amendment in amendments:
            written.add_run(" ")
            _bracket(written, amendment)
        for insertion in section.insertions:
            inserted = document.add_paragraph()
            inserted.paragraph_format.left_indent = indent
            _bracket(inserted, insertion)
    return _saved(document)


def _numbered(document, label: str | None, indent: Cm) -> WordParagraph:
    paragraph = document.add_paragraph()
    if label is None:
        return paragraph
    paragraph_format = paragraph.paragraph_format
    paragraph_format.left_indent = indent
    paragraph_format.first_line_indent = -indent
    paragraph_format.tab_stops.add_tab_stop(indent, WD_TAB_ALIGNMENT.LEFT)
    paragraph.add_run(xml_safe(label) + "\t")
    return paragraph


def _bracket(paragraph: WordParagraph, comment: Comment) -> None:
    """``[AUT, supported by PAK: text]``; the delegations' codes in bold."""
    paragraph.add_run("[")
    paragraph.add_run(xml_safe(comment.delegation.code)).bold = True
    if comment.supporters:
        paragraph.add_run(", supported by ")
        codes = ", ".join(d.code for d in comment.supporters)
        paragraph.add_run(xml_safe(codes)).bold = True
    if comment.is_withdrawn:
        paragraph.add_run(" (withdrawn)")
    paragraph.add_run(": ")
    if comment.kind == CommentKind.DELETE:
        paragraph.add_run("delete").italic = True
    else:
        _add_pieces(paragraph, display_pieces(" ".join(comment.proposed_text.split())))
    paragraph.add_run("]")
