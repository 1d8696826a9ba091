"""Reading a Word .docx file as draft blocks, with its tracked changes and comments counted.

A secretariat that edits in Word uploads the next draft as a .docx. This module turns the file
into the same blocks a Markdown draft gives (draft_format.Block), reading headings from
paragraph styles and paragraph numbers from Word's automatic numbering or from the typed text.
Tracked changes are read as if all were accepted, and counted so the person can be told before
anything is stored. It is pure (no Flask, no database) and treats the file as hostile: the
archive is checked for its size and entry count before anything is unpacked, and every entry is
read with a cap, so a lying header cannot make it unpack more.

The work is shared by three modules below this one: docx_archive opens the file,
docx_numbering reads styles and Word's numbering, docx_paragraphs turns paragraphs into blocks.
Here: the entry point, read_docx, and the count of tracked changes and comments.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from drafting.documents.docx_archive import (
    EMPTY_ZIP_SIGNATURE,
    MAX_ENTRIES,
    MAX_UNPACKED_BYTES,
    OLE_SIGNATURE,
    WML,
    ZIP_SIGNATURE,
    DocxError,
    parse_xml,
    unpack_parts,
)
from drafting.documents.docx_footnotes import read_notes, with_notes
from drafting.documents.docx_numbering import Numbering, Styles
from drafting.documents.docx_paragraphs import normalise_blocks, read_blocks
from drafting.documents.docx_tables import refuse_tables
from drafting.text.draft_format import Block, DraftFormatError, export_draft, refuse_too_many_blocks


@dataclass(frozen=True, slots=True)
class Revisions:
    """What a file still carries of Word's review: tracked changes, comments and their authors."""

    insertions: int = 0
    deletions: int = 0
    moves: int = 0
    formatting: int = 0
    comments: int = 0
    authors: tuple[str, ...] = ()

    @property
    def tracked_changes(self) -> int:
        return self.insertions + self.deletions + self.moves + self.formatting

    def __bool__(self) -> bool:
        return bool(self.tracked_changes or self.comments)

    def to_json(self) -> dict:
        return {name: getattr(self, name) for name in self.__slots__} | {
            "authors": list(self.authors)
        }

    @classmethod
    def from_json(cls, data: dict) -> Revisions:
        """Counts written by to_json; anything else in ``data`` raises ValueError or TypeError."""
        counts = {name: int(data.get(name, 0)) for name in cls.__slots__ if name != "authors"}
        if any(n < 0 for n in counts.values()):
            raise ValueError("negative count")
        authors = tuple(str(a)[:200] for a in data.get("authors", ())[:50])
        return cls(**counts, authors=authors)

    def describe(self) -> str:
        """The counts in words: "3 insertions, 1 deletion and 2 comments"."""
        parts = [
            _count(self.insertions, "insertion"),
            _count(self.deletions, "deletion"),
            _count(self.moves, "move"),
            _count(self.formatting, "formatting change"),
            _count(self.comments, "comment"),
        ]
        parts = [p for p in parts if p]
        if not parts:
            return "no tracked changes or comments"
        return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _count(n: int, noun: str) -> str:
    return "" if not n else f"{n} {noun}{'' if n == 1 else 's'}"


@dataclass(frozen=True, slots=True)
class DocxDraft:
    """A .docx read as a draft: its blocks (tracked changes accepted) and what review it carries."""

    blocks: list[Block]
    revisions: Revisions = field(default_factory=Revisions)

    @property
    def markdown(self) -> str:
        return export_draft(self.blocks)


WORD_EXTENSIONS = (".docx", ".docm", ".dotx", ".doc")


def is_word_file(data: bytes, filename: str = "") -> bool:
    """Whether an upload is meant as a Word file: by its content, or by its name when the
    content is not what the name promises (which read_docx then explains)."""
    return data.startswith((ZIP_SIGNATURE, EMPTY_ZIP_SIGNATURE, OLE_SIGNATURE)) or (
        filename.lower().endswith(WORD_EXTENSIONS)
    )


def read_docx(
    data: bytes,
    *,
    max_unpacked: int = MAX_UNPACKED_BYTES,
    max_entries: int = MAX_ENTRIES,
    max_bytes: int | None = None,
    max_xml: int | None = None,
    max_blocks: int | None = None,
) -> DocxDraft:
    """Read a .docx as draft blocks with every tracked change accepted and comments left out.

    Raises DocxError, with a message for the person who sent the file, on anything that is not a
    readable Word document with at least one paragraph of text.
    """
    if max_bytes is not None and len(data) > max_bytes:
        raise DocxError(
            f"The file is {len(data) / 1_048_576:.1f} MB; a draft may be at most "
            f"{max_bytes / 1_048_576:.0f} MB."
        )
    parts = unpack_parts(data, max_unpacked=max_unpacked, max_entries=max_entries, max_xml=max_xml)
    document = parse_xml(parts["word/document.xml"], "word/document.xml")
    body = document.find(f"{WML}body")
    if body is None:
        raise DocxError("The Word file has no body: word/document.xml holds no text.")
    styles = Styles(parse_xml(parts["word/styles.xml"], "word/styles.xml"))
    numbering = Numbering(parse_xml(parts["word/numbering.xml"], "word/numbering.xml"))
    comments = parse_xml(parts["word/comments.xml"], "word/comments.xml")
    revisions = _count_revisions(document, comments)
    refuse_tables(body)
    notes = read_notes(
        parse_xml(parts["word/footnotes.xml"], "word/footnotes.xml"),
        parse_xml(parts["word/endnotes.xml"], "word/endnotes.xml"),
    )
    blocks = normalise_blocks(list(with_notes(read_blocks(body, styles, numbering), notes)))
    try:
        refuse_too_many_blocks(len(blocks), max_blocks)
    except DraftFormatError as exc:
        raise DocxError(str(exc)) from None
    if not any(block.kind == "paragraph" for block in blocks):
        raise DocxError(
            "The Word file has no paragraphs of text"
            + (" (only headings)" if blocks else "")
            + ": a draft needs at least one paragraph."
        )
    return DocxDraft(blocks=blocks, revisions=revisions)


def read_revisions(data: bytes) -> Revisions:
    """What review a .docx carries (tracked changes, comments, authors), read even from a file
    that cannot be imported as a draft (one with a table, say)."""
    parts = unpack_parts(data, max_unpacked=MAX_UNPACKED_BYTES, max_entries=MAX_ENTRIES)
    document = parse_xml(parts["word/document.xml"], "word/document.xml")
    return _count_revisions(document, parse_xml(parts["word/comments.xml"], "word/comments.xml"))


_FORMAT_CHANGES = tuple(
    f"{WML}{tag}"
    for tag in (
        "rPrChange",
        "pPrChange",
        "sectPrChange",
        "tblPrChange",
        "tblPrExChange",
        "trPrChange",
        "tcPrChange",
        "tblGridChange",
        "numberingChange",
    )
)


def _count_revisions(document, comments) -> Revisions:
    tags = Counter(el.tag for el in document.iter() if isinstance(el.tag, str))
    authors: set[str] = set()
    revision_tags = {f"{WML}{t}" for t in ("ins", "del", "moveFrom", "moveTo")}
    revision_tags.update(_FORMAT_CHANGES)
    for el in document.iter(*revision_tags):
        if author := el.get(f"{WML}author"):
            authors.add(author)
    move_names = {el.get(f"{WML}name") for el in document.iter(f"{WML}moveFromRangeStart")}
    moves = len(move_names) or tags[f"{WML}moveFrom"] or tags[f"{WML}moveTo"]
    referenced = {
        el.get(f"{WML}id")
        for el in document.iter(f"{WML}commentRangeStart", f"{WML}commentReference")
    }
    written = list(comments.iter(f"{WML}comment")) if comments is not None else []
    for comment in written:
        if author := comment.get(f"{WML}author"):
            authors.add(author)
    return Revisions(
        insertions=tags[f"{WML}ins"],
        deletions=tags[f"{WML}del"],
        moves=moves,
        formatting=sum(tags[t] for t in _FORMAT_CHANGES),
        comments=max(len(referenced), len(written)),
        authors=tuple(sorted(authors, key=str.casefold)),
    )
