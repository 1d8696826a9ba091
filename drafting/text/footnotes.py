"""Footnotes in the draft format: a reference in a paragraph's text and its note in the same block.

A drafter writes the reference as Markdown does, ``[^1]``, and the note on a line of its own at
the end of the paragraph's block (no blank line before it), ``[^1]: The note's text.``; a line
after a note that is not a note continues it. The note is part of its paragraph's text, so it
follows the paragraph across versions, and the comparison sees a changed note as a changed
paragraph. Labels are what the pages print ("1", "a"), as the drafter numbered them.

Pure and linear: one pass over the lines and one bounded regular expression per reference.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from drafting.text.draft_format import Block
from drafting.text.inline import Piece, read_inline

__all__ = [
    "FootnoteMark",
    "Note",
    "NotedText",
    "display_with_notes",
    "gather_notes",
    "has_footnotes",
    "note_lines",
    "split_notes",
]

_LABEL = r"[0-9A-Za-z-]{1,20}"
# Not after a backslash (an escaped bracket is text), and not a link ("[^1](target)").
REFERENCE = re.compile(rf"(?<!\\)\[\^(?P<label>{_LABEL})\](?![(:])")
_DEFINITION = re.compile(rf"\[\^(?P<label>{_LABEL})\]:[ \t]?(?P<text>.*)")


@dataclass(frozen=True, slots=True)
class Note:
    """A footnote: its label as written and its text (inline Markdown, one line)."""

    label: str
    text: str


@dataclass(frozen=True, slots=True)
class NotedText:
    """A paragraph's text cut in two: what is read in the paragraph, and its notes in order."""

    body: str
    notes: tuple[Note, ...]

    def note(self, label: str) -> Note | None:
        """The first note under ``label`` (a scan: for one look-up, not one per reference)."""
        return next((note for note in self.notes if note.label == label), None)


@dataclass(frozen=True, slots=True)
class FootnoteMark:
    """Where a reference stands in the displayed text; ``note`` is None for a label that no note
    of the paragraph defines (shown as written)."""

    label: str
    note: Note | None
    bold: bool = False
    italic: bool = False


def has_footnotes(text: str) -> bool:
    """Whether the text may hold a footnote (a cheap test before reading it)."""
    return "[^" in text


def split_notes(text: str) -> NotedText:
    """The paragraph's text before its first note line, and the notes (a later note with a label
    already used is kept, so nothing a drafter wrote disappears)."""
    if not has_footnotes(text):
        return NotedText(text, ())
    lines = text.split("\n")
    index = next((i for i, line in enumerate(lines) if _DEFINITION.match(line)), None)
    if index is None:
        return NotedText(text, ())
    notes: list[list[str]] = []
    for line in lines[index:]:
        definition = _DEFINITION.match(line)
        if definition:
            notes.append([definition["label"], definition["text"].strip()])
        elif line.strip():
            notes[-1][1] = f"{notes[-1][1]} {line.strip()}".strip()
    body = "\n".join(lines[:index]).rstrip()
    return NotedText(body, tuple(Note(label, note) for label, note in notes))


def note_lines(notes: list[Note] | tuple[Note, ...]) -> str:
    """Notes written back as the draft format's note lines."""
    return "\n".join(f"[^{note.label}]: {note.text}" for note in notes)


def display_with_notes(text: str) -> tuple[list[Piece | FootnoteMark], NotedText]:
    """What a reader sees of a paragraph with footnotes: the styled pieces of its body with a
    mark where each reference stands, and the notes. The writers (Word, PDF) put the marks and
    notes where their format wants them."""
    noted = split_notes(text)
    body = noted.body
    by_label: dict[str, Note] = {}  # looked up once per reference: linear in the notes
    for note in noted.notes:
        by_label.setdefault(note.label, note)
    references = [
        (match.start(), match.end(), match["label"]) for match in REFERENCE.finditer(body)
    ]
    out: list[Piece | FootnoteMark] = []
    first = 0
    for span in read_inline(body):
        while first < len(references) and references[first][1] <= span.start:
            first += 1
        position, index = span.start, first
        # A reference is plain text to the inline reader: the spans it touches are verbatim,
        # so they are cut at its offsets, and its mark goes with the span it starts in.
        while index < len(references) and references[index][0] < span.end:
            ref_start, ref_end, label = references[index]
            if ref_start > position:
                out.append(_piece(span, body[position:ref_start]))
            if ref_start >= span.start:
                out.append(FootnoteMark(label, by_label.get(label), span.bold, span.italic))
            position = max(position, ref_end)
            index += 1
        if position == span.start:
            out.append(_piece(span, span.text))
        elif position < span.end and span.is_verbatim:
            out.append(_piece(span, body[position : span.end]))
    return _joined(out), noted


def _piece(span, text: str) -> Piece:  # noqa: ANN001
    return Piece(text, span.bold, span.italic, span.superscript)


def _joined(items: list[Piece | FootnoteMark]) -> list[Piece | FootnoteMark]:
    joined: list[Piece | FootnoteMark] = []
    for item in items:
        if isinstance(item, Piece) and not item.text:
            continue
        last = joined[-1] if joined else None
        if isinstance(item, Piece) and isinstance(last, Piece) and last.style == item.style:
            joined[-1] = Piece(last.text + item.text, *item.style)
        else:
            joined.append(item)
    return joined


def gather_notes(blocks: list[Block]) -> list[Block]:
    """Notes written at the end of a draft, in blocks of their own (as Markdown files often
    have them), moved into the paragraph that first references each, so that a note follows
    its paragraph; a note no paragraph references stays where it was written."""
    end = len(blocks)
    while end and _holds_only_notes(blocks[end - 1]):
        end -= 1
    if end == len(blocks):
        return blocks
    referenced_in: dict[str, int] = {}
    for index, block in enumerate(blocks[:end]):
        if block.kind != "paragraph" or not has_footnotes(block.text):
            continue
        noted = split_notes(block.text)
        defined = {note.label for note in noted.notes}
        for match in REFERENCE.finditer(noted.body):
            if match["label"] not in defined:
                referenced_in.setdefault(match["label"], index)
    gathered = list(blocks[:end])
    unreferenced: list[Note] = []
    for block in blocks[end:]:
        for note in split_notes(block.text).notes:
            index = referenced_in.pop(note.label, None)
            if index is None:
                unreferenced.append(note)
            else:
                paragraph = gathered[index]
                gathered[index] = replace(paragraph, text=f"{paragraph.text}\n{note_lines([note])}")
    if unreferenced:
        gathered.append(Block(kind="paragraph", text=note_lines(unreferenced)))
    return gathered


def _holds_only_notes(block: Block) -> bool:
    if block.kind != "paragraph" or block.label is not None or not has_footnotes(block.text):
        return False
    noted = split_notes(block.text)
    return not noted.body.strip() and bool(noted.notes)
