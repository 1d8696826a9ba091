"""Word's footnotes read into the draft format: each footnote reference in a paragraph becomes
``[^n]`` and its text, from word/footnotes.xml, the note line ``[^n]: …`` of that paragraph,
numbered in reading order as Word numbers them, so that the service's own Word copy reads back
as the draft it was made from."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace

from drafting.documents.docx_archive import WML, DocxError
from drafting.documents.docx_paragraphs import NOTE_MARK, _markdown, _Piece, _pieces
from drafting.text.draft_format import Block
from drafting.text.inline import display_text

__all__ = ["read_notes", "with_notes"]

_MARK = re.compile(f"{NOTE_MARK[0]}(?P<id>[^{NOTE_MARK[1]}]*){NOTE_MARK[1]}")
_ANY_MARK = re.compile(f"[{NOTE_MARK}]")


def read_notes(footnotes, endnotes=None) -> dict[str, str]:  # noqa: ANN001
    """Each footnote's text as one line of inline Markdown, by its Word id (separators left
    out); endnotes too, by their id after an "e", for a draft has only one kind of note."""
    return _read_part(footnotes, "footnote", "") | _read_part(endnotes, "endnote", "e")


def _read_part(part, tag: str, prefix: str) -> dict[str, str]:  # noqa: ANN001
    notes: dict[str, str] = {}
    if part is None:
        return notes
    for footnote in part.iter(f"{WML}{tag}"):
        if footnote.get(f"{WML}type") not in (None, "normal"):
            continue
        lines: list[str] = []
        for paragraph in footnote.iter(f"{WML}p"):
            pieces: list[_Piece] = []
            _pieces(paragraph, pieces)
            lines.append(_markdown(pieces))
        text = " ".join(" ".join(lines).replace("\\\n", " ").split())
        notes[prefix + footnote.get(f"{WML}id", "")] = _ANY_MARK.sub("", text)
    return notes


def with_notes(blocks: Iterable[Block], notes: dict[str, str], first: int = 1) -> Iterator[Block]:
    """The blocks with each footnote reference written as ``[^n]`` (numbered from ``first``)
    and its note on a line at the end of the paragraph. A heading cannot carry a note in a
    draft: refused by name."""
    number = first - 1
    for block in blocks:
        if not _ANY_MARK.search(block.text):
            yield block
            continue
        if block.kind != "paragraph":
            shown = display_text(_ANY_MARK.sub("", _MARK.sub("", block.text)))[:60]
            raise DocxError(
                f"The heading “{shown}” has a footnote; in a draft only paragraphs carry "
                "footnotes. Move the note into the paragraph below it or remove it, and import "
                "the file again."
            )
        definitions: list[str] = []
        parts = _MARK.split(block.text)  # text, id, text, id, ..., text
        for index in range(1, len(parts), 2):
            number += 1
            definitions.append(f"[^{number}]: {notes.get(parts[index], '')}".rstrip())
            parts[index] = f"[^{number}]"
        text = _ANY_MARK.sub("", "".join(parts))
        yield replace(block, text="\n".join([text, *definitions]))


def count_notes(text: str) -> int:
    """How many footnote references a block read from Word holds (before ``with_notes``)."""
    return len(_MARK.findall(text))
