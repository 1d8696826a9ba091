"""Files a spreadsheet opens: the compilation as CSV, one row per comment, and the one rule that
keeps any CSV cell we write (the compilation's, the audit trail's) from being read as a formula."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from drafting.consultations.compilation import Compilation, paragraph_reference
from drafting.consultations.models import Comment
from drafting.consultations.presenting import reflected_text
from drafting.documents.models import Paragraph

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
    "Conflict",  # with an amendment applied to a draft: rebased, or superseded by it
    "Rebased wording",
    # Set when the secretariat wrote the comment down on the delegation's behalf.
    "Recorded by the secretariat",
    "Source",
    "Received at (UTC)",
)
# OWASP, CSV injection: a cell that starts with one of these is read as a formula by
# spreadsheets; a leading apostrophe makes it text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: str) -> str:
    """A cell value a spreadsheet will show as text, never run as a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def build_compilation_csv(compilation: Compilation) -> bytes:
    """One row per comment, UTF-8 with a byte-order mark so that Excel reads the accents."""
    output = io.StringIO()
    writer = csv.writer(output, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for paragraph, comment in compilation.shown():
        conflict = compilation.conflict_of(comment)
        cells = [
            *_csv_row(paragraph, comment),
            conflict.summary if conflict else "",
            conflict.rebased if conflict else "",
            *_recorded_cells(comment),
        ]
        writer.writerow(neutralise_formula(cell) for cell in cells)
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
        reflected_text(decision) if decision else "",
    ]


def _recorded_cells(comment: Comment) -> list[str]:
    """Who recorded the comment for its delegation, from what, received when; empty cells for
    a comment the delegation wrote itself."""
    if comment.recorded_by_id is None:
        return ["", "", ""]
    who = comment.recorded_by.name if comment.recorded_by else "the secretariat"
    return [f"yes, by {who}", comment.recorded_source, _utc(comment.received_dt)]


def _utc(instant: datetime | None) -> str:
    if instant is None:
        return ""
    return instant.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
