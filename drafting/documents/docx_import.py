"""Reading a Word .docx file as draft blocks, with its tracked changes and comments counted.

A secretariat that edits in Word uploads the next draft as a .docx. This module turns the file
into the same blocks a Markdown draft gives (draft_format.Block), reading headings from
paragraph styles and paragraph numbers from Word's automatic numbering or from the typed text.
Tracked changes are read as if all were accepted, and counted so the person can be told before
anything is stored. It is pure (no Flask, no database) and treats the file as hostile: the
archive is checked for its size and entry count before anything is unpacked, and every entry is
read with a cap, so a lying header cannot make it unpack more.
"""

from __future__ import annotations

import io
import lzma
import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from drafting.text.draft_format import (
    Block,
    DraftFormatError,
    export_draft,
    parse_draft,
    refuse_markup,
    refuse_too_many_blocks,
    split_label,
)

MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_ENTRIES = 2_000
ZIP_SIGNATURE = b"PK\x03\x04"
EMPTY_ZIP_SIGNATURE = b"PK\x05\x06"
# An OLE compound file: an encrypted .docx (Word wraps it in one) or a Word 97-2003 .doc.
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# "Strict Open XML" files name the same elements in another namespace.
W_STRICT = b"http://purl.oclc.org/ooxml/wordprocessingml/main"
_W = f"{{{W}}}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"

NOT_A_DOCX = (
    "This is not a Word .docx file (it is not a zip archive as a .docx is). Open it in Word "
    'and use "Save As" → "Word Document (.docx)", or upload the draft as Markdown (.md).'
)


class DocxError(DraftFormatError):
    """The .docx cannot be read as a draft; the message is meant for the person who sent it."""


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
    parts = _unpack(data, max_unpacked=max_unpacked, max_entries=max_entries, max_xml=max_xml)
    document = _parse_xml(parts["word/document.xml"], "word/document.xml")
    body = document.find(f"{_W}body")
    if body is None:
        raise DocxError("The Word file has no body: word/document.xml holds no text.")
    styles = _Styles(_parse_xml(parts["word/styles.xml"], "word/styles.xml"))
    numbering = _Numbering(_parse_xml(parts["word/numbering.xml"], "word/numbering.xml"))
    comments = _parse_xml(parts["word/comments.xml"], "word/comments.xml")
    revisions = _count_revisions(document, comments)
    blocks = _normalise(list(_read_blocks(body, styles, numbering)))
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


# --- The archive --------------------------------------------------------------------------------

_WANTED = ("word/document.xml", "word/styles.xml", "word/numbering.xml", "word/comments.xml")


def _unpack(
    data: bytes, *, max_unpacked: int, max_entries: int, max_xml: int | None = None
) -> dict[str, bytes | None]:
    if data.startswith(OLE_SIGNATURE):
        raise DocxError(
            "This file is password-protected (encrypted), or it is an old Word 97-2003 .doc "
            "file: both are stored this way and neither can be read here. Remove the password "
            '(File → Info → Protect Document) or use "Save As" → "Word Document (.docx)", '
            "then upload it again."
        )
    if not data.startswith((ZIP_SIGNATURE, EMPTY_ZIP_SIGNATURE)):
        raise DocxError(NOT_A_DOCX)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError, EOFError):
        raise DocxError(NOT_A_DOCX) from None
    too_big = (
        f"This file unpacks to more than {max_unpacked / 1_048_576:.0f} MB or holds more than "
        f"{max_entries:,} parts, far beyond any draft; it was not opened. Save the text "
        "alone as a new .docx and upload that."
    )
    if len(entries) > max_entries or sum(e.file_size for e in entries) > max_unpacked:
        raise DocxError(too_big)
    names = {e.filename: e for e in entries}
    if "word/document.xml" not in names:
        raise DocxError(
            "This zip file is not a Word document: it has no word/document.xml. Upload a .docx "
            "saved by Word or another word processor."
        )
    for name in _WANTED:
        if max_xml is not None and name in names and names[name].file_size > max_xml:
            raise DocxError(_part_too_big(name, names[name].file_size, max_xml))
    parts: dict[str, bytes | None] = {}
    budget = max_unpacked
    for name in _WANTED:
        entry = names.get(name)
        if entry is None:
            parts[name] = None
            continue
        if max_xml is not None and max_xml < budget:
            # The size a zip declares may lie: each part is cut off as soon as it passes.
            message = _part_too_big(name, max_xml + 1, max_xml)
            parts[name] = _read_capped(archive, entry, max_xml, message)
        else:
            parts[name] = _read_capped(archive, entry, budget, too_big)
        budget -= len(parts[name])
    return parts


def _part_too_big(name: str, size: int, max_xml: int) -> str:
    return (
        f"The part {name} of this Word file unpacks to {size / 1_048_576:.1f} MB or more; at "
        f"most {max_xml / 1_048_576:.1f} MB can be read in one import, far beyond any "
        "declaration. Save the text alone as a new .docx, or split it, and upload that."
    )


def _read_capped(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, budget: int, too_big: str):
    """One entry's bytes, refusing as soon as it unpacks beyond what is left of the budget."""
    chunks, total = [], 0
    try:
        with archive.open(entry) as stream:
            while chunk := stream.read(1 << 16):
                total += len(chunk)
                if total > budget:
                    raise DocxError(too_big)
                chunks.append(chunk)
    except DocxError:
        raise
    except (
        zipfile.BadZipFile,
        zlib.error,
        lzma.LZMAError,
        NotImplementedError,
        RuntimeError,
        ValueError,
        EOFError,
        OSError,
    ):
        # A wrong checksum or size, broken compressed data, an unknown compression, or
        # encryption inside the zip.
        raise DocxError(
            f"The Word file is damaged: its part {entry.filename} cannot be unpacked. Open it "
            'in Word, use "Save As" → "Word Document (.docx)" and upload the new file.'
        ) from None
    return b"".join(chunks)


_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_pis=True
)


def _parse_xml(data: bytes | None, name: str):
    if data is None:
        return None
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data:
        raise DocxError(f"The Word file is damaged: {name} declares a DTD, which Word never does.")
    try:
        return etree.fromstring(data.replace(W_STRICT, W.encode()), _PARSER)
    except etree.XMLSyntaxError as exc:
        raise DocxError(
            f"The Word file is damaged: {name} is not well-formed XML ({exc.msg}). Open it in "
            'Word, use "Save As" → "Word Document (.docx)" and upload the new file.'
        ) from None


# --- Tracked changes and comments -----------------------------------------------------------------

_FORMAT_CHANGES = tuple(
    f"{_W}{tag}"
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
    revision_tags = {f"{_W}{t}" for t in ("ins", "del", "moveFrom", "moveTo")}
    revision_tags.update(_FORMAT_CHANGES)
    for el in document.iter(*revision_tags):
        if author := el.get(f"{_W}author"):
            authors.add(author)
    move_names = {el.get(f"{_W}name") for el in document.iter(f"{_W}moveFromRangeStart")}
    moves = len(move_names) or tags[f"{_W}moveFrom"] or tags[f"{_W}moveTo"]
    referenced = {
        el.get(f"{_W}id") for el in document.iter(f"{_W}commentRangeStart", f"{_W}commentReference")
    }
    written = list(comments.iter(f"{_W}comment")) if comments is not None else []
    for comment in written:
        if author := comment.get(f"{_W}author"):
            authors.add(author)
    return Revisions(
        insertions=tags[f"{_W}ins"],
        deletions=tags[f"{_W}del"],
        moves=moves,
        formatting=sum(tags[t] for t in _FORMAT_CHANGES),
        comments=max(len(referenced), len(written)),
        authors=tuple(sorted(authors, key=str.casefold)),
    )


# --- Styles and numbering -----------------------------------------------------------------------

_HEADING_NAME = re.compile(r"^heading\s*([1-9])$")


class _Styles:
    """Paragraph styles by id: which are headings, and which carry a list's numbering."""

    def __init__(self, root) -> None:
        self._styles: dict[str, object] = {}
        if root is not None:
            for style in root.iter(f"{_W}style"):
                if style.get(f"{_W}type", "paragraph") == "paragraph":
                    self._styles[style.get(f"{_W}styleId") or ""] = style

    def _chain(self, style_id: str | None) -> Iterator:
        seen: set[str] = set()
        while (
            style_id and style_id not in seen and (style := self._styles.get(style_id)) is not None
        ):
            seen.add(style_id)
            yield style
            based = style.find(f"{_W}basedOn")
            style_id = based.get(f"{_W}val") if based is not None else None

    def heading_level(self, style_id: str | None) -> int | None:
        """0 for a title, 1-9 for Heading 1-9, None for a body paragraph."""
        for candidate in (style_id, *(_name(s) for s in self._chain(style_id))):
            name = (candidate or "").strip().lower()
            if name == "title":
                return 0
            if match := _HEADING_NAME.match(name):
                return int(match.group(1))
        return None

    def numbering(self, style_id: str | None) -> tuple[str | None, int | None]:
        """The (numId, ilvl) a style gives its paragraphs, if any."""
        for style in self._chain(style_id):
            num_pr = style.find(f"{_W}pPr/{_W}numPr")
            if num_pr is not None:
                return _val(num_pr, "numId"), _int(_val(num_pr, "ilvl"))
        return None, None


def _name(style) -> str | None:
    name = style.find(f"{_W}name")
    return name.get(f"{_W}val") if name is not None else None


def _val(parent, tag: str) -> str | None:
    el = parent.find(f"{_W}{tag}")
    return el.get(f"{_W}val") if el is not None else None


def _int(value: str | None, default: int | None = None) -> int | None:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


@dataclass(slots=True)
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    restart: int | None = None  # the 1-based level after which this one restarts; 0: never
    legal: bool = False


class _Numbering:
    """Word's automatic numbering: counters per list, advanced paragraph by paragraph."""

    def __init__(self, root) -> None:
        self._abstract: dict[str, dict[int, _Level]] = {}
        self._nums: dict[str, tuple[str, dict[int, int]]] = {}
        self._counters: dict[str, dict[int, int]] = {}
        self._starts: dict[tuple[str, int], int] = {}
        self._started: set[str] = set()
        if root is None:
            return
        for abstract in root.iter(f"{_W}abstractNum"):
            self._abstract[abstract.get(f"{_W}abstractNumId") or ""] = {
                _int(lvl.get(f"{_W}ilvl"), 0): _read_level(lvl) for lvl in abstract.iter(f"{_W}lvl")
            }
        for num in root.iter(f"{_W}num"):
            overrides = {
                _int(override.get(f"{_W}ilvl"), 0): _int(start, 1)
                for override in num.iter(f"{_W}lvlOverride")
                if (start := _val(override, "startOverride")) is not None
            }
            self._nums[num.get(f"{_W}numId") or ""] = (_val(num, "abstractNumId") or "", overrides)

    def label(self, num_id: str | None, ilvl: int) -> str | None:
        """Advance the list ``num_id`` at level ``ilvl`` and give the label Word would print."""
        if not num_id or num_id not in self._nums:
            return None
        abstract_id, overrides = self._nums[num_id]
        levels = self._abstract.get(abstract_id, {})
        if ilvl not in levels:
            return None
        # Lists that share an abstract definition share its counters, as in Word; a list with
        # a start override ("restart numbering") resets them where it is first used.
        counters = self._counters.setdefault(abstract_id, {})
        if num_id not in self._started:
            self._started.add(num_id)
            for level, start in overrides.items():
                counters.pop(level, None)
                self._starts[abstract_id, level] = start

        def start(level: int) -> int:
            default = levels[level].start if level in levels else 1
            return self._starts.get((abstract_id, level), default)

        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else start(ilvl)
        for deeper in [d for d in counters if d > ilvl]:
            restart = levels[deeper].restart if deeper in levels else None
            if restart is None or ilvl < restart:
                del counters[deeper]
        level = levels[ilvl]
        if level.fmt in ("bullet", "none"):
            return None

        def number(match: re.Match) -> str:
            k = int(match.group(1)) - 1
            fmt = "decimal" if level.legal else levels.get(k, level).fmt
            return _format_number(counters.get(k, start(k)), fmt)

        return re.sub(r"%([1-9])", number, level.text).strip() or None


def _read_level(lvl) -> _Level:
    return _Level(
        start=_int(_val(lvl, "start"), 1),
        fmt=_val(lvl, "numFmt") or "decimal",
        text=_val(lvl, "lvlText") if lvl.find(f"{_W}lvlText") is not None else "",
        restart=_int(_val(lvl, "lvlRestart")),
        legal=lvl.find(f"{_W}isLgl") is not None,
    )


_ROMAN_DIGITS = (
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
)


def _roman(n: int) -> str:
    out = []
    for value, digits in _ROMAN_DIGITS:
        while n >= value:
            out.append(digits)
            n -= value
    return "".join(out)


def _format_number(n: int, fmt: str) -> str:
    """A counter as Word prints it in ``fmt``; unknown formats fall back to decimal."""
    if fmt in ("lowerLetter", "upperLetter") and 0 < n <= 780:  # at most "zz…z", 30 letters
        # Word goes a..z, then aa..zz, then aaa..: the letter repeated.
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "lowerLetter" else letter.upper()
    if fmt in ("lowerRoman", "upperRoman") and 0 < n < 4000:
        return _roman(n) if fmt == "lowerRoman" else _roman(n).upper()
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


# --- Paragraphs ---------------------------------------------------------------------------------

# Containers whose content is not shown in the accepted text, or is not part of the body flow.
_SKIPPED = {
    f"{_W}{tag}"
    for tag in (
        "del",
        "moveFrom",
        "pPr",
        "rPr",
        "drawing",
        "pict",
        "object",
        "footnoteReference",
        "endnoteReference",
        "commentReference",
        "instrText",
        "delText",
        "delInstrText",
        "sdtPr",
        "sdtEndPr",
    )
} | {f"{_MC}AlternateContent"}


@dataclass(slots=True)
class _Piece:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass(slots=True)
class _Paragraph:
    element: object
    pieces: list[_Piece]
    mark_deleted: bool


def _body_paragraphs(container) -> Iterator:
    """The body's paragraphs in reading order, through tables and content controls, leaving out
    table rows whose deletion is tracked (accepting it removes them)."""
    for child in container:
        tag = child.tag
        if tag == f"{_W}p":
            yield child
        elif tag == f"{_W}tbl":
            for row in child.iter(f"{_W}tr"):
                if row.find(f"{_W}trPr/{_W}del") is not None:
                    continue
                for cell in row.findall(f"{_W}tc"):
                    yield from _body_paragraphs(cell)
        elif tag in (f"{_W}sdt", f"{_W}customXml", f"{_W}sdtContent", f"{_W}ins", f"{_W}moveTo"):
            yield from _body_paragraphs(child)


def _on(rpr, tag: str) -> bool:
    el = rpr.find(f"{_W}{tag}") if rpr is not None else None
    return el is not None and el.get(f"{_W}val", "true").lower() not in ("0", "false", "off")


def _pieces(element, out: list[_Piece]) -> None:
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIPPED:
            continue
        if tag == f"{_W}r":
            _run(child, out)
        else:
            _pieces(child, out)


def _run(run, out: list[_Piece]) -> None:
    rpr = run.find(f"{_W}rPr")
    if _on(rpr, "vanish"):
        return
    style = _val(rpr, "rStyle") if rpr is not None else None
    bold = _on(rpr, "b") or style == "Strong"
    italic = _on(rpr, "i") or style == "Emphasis"
    for child in run:
        tag = child.tag
        if tag == f"{_W}t":
            text = child.text or ""
        elif tag in (f"{_W}tab", f"{_W}ptab", f"{_W}br", f"{_W}cr"):
            text = " "
        elif tag == f"{_W}noBreakHyphen":
            text = "-"
        elif tag == f"{_W}sym":
            text = ""
        else:
            continue
        out.append(_Piece(text, bold, italic))


def _accepted_paragraphs(body) -> Iterator[list[_Paragraph]]:
    """Paragraphs as they read once every change is accepted: a paragraph whose mark was
    deleted (or moved away) is joined with the next, and takes that one's properties."""
    pending: list[_Paragraph] = []
    for element in _body_paragraphs(body):
        pieces: list[_Piece] = []
        _pieces(element, pieces)
        mark = element.find(f"{_W}pPr/{_W}rPr")
        deleted = mark is not None and (
            mark.find(f"{_W}del") is not None or mark.find(f"{_W}moveFrom") is not None
        )
        pending.append(_Paragraph(element, pieces, deleted))
        if not deleted:
            yield pending
            pending = []
    if pending:
        yield pending


def _read_blocks(body, styles: _Styles, numbering: _Numbering) -> Iterator[Block]:
    for group in _accepted_paragraphs(body):
        last = group[-1].element
        pieces = [piece for paragraph in group for piece in paragraph.pieces]
        ppr = last.find(f"{_W}pPr")
        style_id = _val(ppr, "pStyle") if ppr is not None else None
        num_id, ilvl = styles.numbering(style_id)
        num_pr = ppr.find(f"{_W}numPr") if ppr is not None else None
        if num_pr is not None:
            num_id = _val(num_pr, "numId") or num_id
            ilvl = _int(_val(num_pr, "ilvl"), ilvl)
        plain = _clean("".join(p.text for p in pieces))
        if not plain:
            continue  # An empty paragraph takes no number in Word either.
        number = numbering.label(num_id, ilvl or 0)
        heading = styles.heading_level(style_id)
        if heading is not None:
            text = _escape(plain) if not number else f"{number} {_escape(plain)}"
            if heading == 0:
                yield Block(kind="title", text=text, level=1)
            else:
                yield Block(kind="heading", text=text, level=min(heading + 1, 6))
        elif number:
            yield Block(kind="paragraph", text=_markdown(pieces), label=number)
        else:
            yield _typed_label_paragraph(pieces, plain)


def _typed_label_paragraph(pieces: list[_Piece], plain: str) -> Block:
    """A paragraph whose number, if any, is typed: read off the text as a Markdown draft's is."""
    label, _, _ = split_label(plain)
    if label is None:
        # A label in bold that the runs cut apart from its text: "**41(2)(b)** The ...".
        label, bold, rest = split_label(_markdown(pieces))
        return Block(kind="paragraph", text=rest, label=label, label_bold=bold)
    remaining, bold = _drop_prefix(pieces, label)
    # Only a label that starts with a digit can be written in bold in the draft format.
    return Block(
        kind="paragraph",
        text=_markdown(remaining),
        label=label,
        label_bold=bold and label[0].isdigit(),
    )


def _drop_prefix(pieces: list[_Piece], label: str) -> tuple[list[_Piece], bool]:
    """The pieces without the leading ``label`` (and the white space around it), and whether
    the label's first character was bold."""
    remaining = [_Piece(p.text, p.bold, p.italic) for p in pieces]
    wanted, bold = len(label), None
    for piece in remaining:
        if wanted == 0:
            break
        stripped = piece.text.lstrip()
        if bold is None and stripped:
            bold = piece.bold
        taken = min(wanted, len(stripped))
        piece.text = stripped[taken:] if stripped else ""
        wanted -= taken
    return remaining, bool(bold)


def _clean(text: str) -> str:
    return " ".join(text.split())


# Characters that Markdown would read as emphasis, code or an escape; a "<" that would start
# something HTML-like; an "&" that would start an entity; a line start that makes a block.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_])")
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_LINE_START = re.compile(r"^([#>+-])")


def _escape_inline(text: str) -> str:
    """Word text as Markdown showing the same characters: a "<b>" typed in Word stays text."""
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    text = _ENTITY.sub("&amp;", text)
    return _TAG_START.sub("&lt;", text)


def _escape(text: str) -> str:
    return _LINE_START.sub(r"\\\1", _escape_inline(text))


def _markdown(pieces: list[_Piece]) -> str:
    """Runs as Markdown: bold as **…**, italic as *…*, white space kept outside the markers."""
    spans: list[_Piece] = []
    for piece in pieces:
        if spans and (spans[-1].bold, spans[-1].italic) == (piece.bold, piece.italic):
            spans[-1].text += piece.text
        else:
            spans.append(_Piece(piece.text, piece.bold, piece.italic))
    out = []
    for span in spans:
        core = _clean(span.text)
        if not core:
            out.append(" " if span.text else "")
            continue
        marker = ("**" if span.bold else "") + ("*" if span.italic else "")
        lead = " " if span.text[0].isspace() else ""
        tail = " " if span.text[-1].isspace() else ""
        out.append(f"{lead}{marker}{_escape_inline(core)}{marker[::-1]}{tail}")
    return _LINE_START.sub(r"\\\1", _clean("".join(out)))


def _normalise(blocks: list[Block]) -> list[Block]:
    """The blocks as they will be stored: written out as a draft and read back, so that what
    the review shows is exactly what the confirmation stores."""
    if not blocks:
        return []
    parsed = parse_draft(export_draft(blocks))
    refuse_markup(parsed)
    return parsed
