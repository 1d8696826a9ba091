"""A delegation's marked-up Word file read as the amendments and comments it carries.

The Word copy made for marking up (exports.word) spans each paragraph with a hidden bookmark
"_p_<uid>". Read back, every paragraph of the file is one record: its identities, its text with
every tracked change accepted (as the draft importer reads it), the Word comments anchored in
it. Records with an identity whose text moved away from the version's become replacements, new
records insertions, identities gone deletions; a file without the bookmarks is matched by text
(docx_markup_match). Formatting-only changes are counted and left out; changes in footnotes and
tables are kept as comments and named. Pure: bytes and the version's blocks in, data out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from drafting.compare.sequences import longest_increasing
from drafting.documents.docx_archive import (
    MAX_ENTRIES,
    MAX_UNPACKED_BYTES,
    WML,
    DocxError,
    parse_xml,
    unpack_parts,
)
from drafting.documents.docx_footnotes import count_notes, read_notes, with_notes
from drafting.documents.docx_import import _FORMAT_CHANGES
from drafting.documents.docx_markup_found import (
    FoundChange,
    MarkupReading,
    Record,
    comment_change,
    label_of,
    same_text,
)
from drafting.documents.docx_markup_match import match_by_text
from drafting.documents.docx_numbering import Numbering, Styles, child_val
from drafting.documents.docx_paragraphs import _Piece, _pieces, normalise_blocks, read_blocks
from drafting.text.draft_format import Block, DraftFormatError
from drafting.text.inline import display_text

__all__ = ["FoundChange", "MarkupReading", "read_markup"]

IDENTITY = re.compile(r"^_p_([0-9a-f]{32})$")
_REVISIONS = tuple(f"{WML}{t}" for t in ("ins", "del", "moveFrom", "moveTo"))
# Paragraphs the Word copy adds around the version's own: the version line, status marks.
_FURNITURE_STYLES = {"VersionLine", "StatusMark"}
_CONTAINERS = {f"{WML}{t}" for t in ("sdt", "customXml", "sdtContent", "ins", "moveTo")}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_COMMENT_TEXT = 5_000


def read_markup(
    data: bytes,
    originals: Sequence[tuple[str, Block]],
    *,
    max_bytes: int | None = None,
    max_xml: int | None = None,
    max_blocks: int = 5_000,
) -> MarkupReading:
    """What a marked-up .docx proposes for the version whose (uid, block) pairs are
    ``originals``. Raises DocxError, in words for the person who sent it, on a file that
    cannot be read."""
    if max_bytes is not None and len(data) > max_bytes:
        raise DocxError(
            f"The file is {len(data) / 1_048_576:.1f} MB; a marked-up draft may be at most "
            f"{max_bytes / 1_048_576:.0f} MB."
        )
    parts = unpack_parts(
        data, max_unpacked=MAX_UNPACKED_BYTES, max_entries=MAX_ENTRIES, max_xml=max_xml
    )
    document = parse_xml(parts["word/document.xml"], "word/document.xml")
    body = document.find(f"{WML}body")
    if body is None:
        raise DocxError("The Word file has no body: word/document.xml holds no text.")
    styles = Styles(parse_xml(parts["word/styles.xml"], "word/styles.xml"))
    numbering = Numbering(parse_xml(parts["word/numbering.xml"], "word/numbering.xml"))
    comments = _comment_texts(parse_xml(parts["word/comments.xml"], "word/comments.xml"))
    footnotes_part = parse_xml(parts["word/footnotes.xml"], "word/footnotes.xml")
    footnotes = _footnote_changes(footnotes_part)
    # Notes are read as the draft importer reads them ([^n] and the note's line), so that a
    # paragraph with footnotes reads back as its own text and a changed note changes it.
    notes = read_notes(footnotes_part, parse_xml(parts["word/endnotes.xml"], "word/endnotes.xml"))
    records = _records(body, styles, numbering, notes)
    if len(records) > max_blocks:
        raise DocxError(
            f"The file has {len(records):,} paragraphs; at most {max_blocks:,} can be read at "
            "once. Check that this is the right file."
        )
    quotes = _comment_quotes(body)
    formatting = sum(1 for _ in document.iter(*_FORMAT_CHANGES))
    known = {uid for uid, _ in originals}
    if any(uid in known for record in records for ids, *_ in record.parts for uid in ids):
        reading = _match_by_identity(records, originals)
    else:
        reading = match_by_text(records, originals)
    reading.ignored_formatting_changes = formatting
    reading.tracked_changes = sum(record.changes for record in records)
    _attach_comments(reading, records, originals, comments, quotes)
    _attach_footnotes(reading, records, originals, footnotes)
    reading.settle(records, originals)
    return reading


def _records(body, styles: Styles, numbering: Numbering, notes: dict[str, str]) -> list[Record]:
    """The body's paragraphs as records, grouped as accepting every change joins them (a
    paragraph whose mark was deleted runs into the next)."""
    identities = _identities(body)
    noted = _Notes(notes)
    records: list[Record] = []
    group: list = []
    for element, row_deleted in _walk(body):
        if row_deleted:
            records.append(
                _record([element], styles, numbering, identities, noted, row_deleted=True)
            )
            continue
        group.append(element)
        mark = element.find(f"{WML}pPr/{WML}rPr")
        if mark is not None and (
            mark.find(f"{WML}del") is not None or mark.find(f"{WML}moveFrom") is not None
        ):
            continue
        records.append(_record(group, styles, numbering, identities, noted))
        group = []
    if group:
        records.append(_record(group, styles, numbering, identities, noted))
    return records


def _walk(container, row_deleted: bool = False):
    """(paragraph, in a table row whose deletion is tracked) in reading order."""
    for child in container:
        tag = child.tag
        if tag == f"{WML}p":
            yield child, row_deleted
        elif tag == f"{WML}tbl":
            for row in child.iter(f"{WML}tr"):
                gone = row_deleted or row.find(f"{WML}trPr/{WML}del") is not None
                for cell in row.findall(f"{WML}tc"):
                    yield from _walk(cell, gone)
        elif tag in _CONTAINERS:
            yield from _walk(child, row_deleted)


def _identities(body) -> dict:
    """Each paragraph's identities, from the bookmarks in it or just before it (Word may put a
    bookmark's start between two paragraphs)."""
    found: dict = {}
    pending: list[str] = []
    for element in body.iter(f"{WML}p", f"{WML}bookmarkStart"):
        if element.tag == f"{WML}p":
            if pending:
                found.setdefault(element, []).extend(pending)
                pending = []
            continue
        match = IDENTITY.match(element.get(f"{WML}name", ""))
        if match is None:
            continue
        paragraph = next(element.iterancestors(f"{WML}p"), None)
        if paragraph is None:
            pending.append(match.group(1))
        else:
            found.setdefault(paragraph, []).append(match.group(1))
    return found


class _Notes:
    """Footnote references numbered through the whole file, as the draft importer does."""

    def __init__(self, notes: dict[str, str]) -> None:
        self.notes, self.next = notes, 1

    def written(self, blocks: list[Block]) -> list[Block]:
        first = self.next
        self.next += sum(count_notes(block.text) for block in blocks)
        return list(with_notes(blocks, self.notes, first))


def _record(group, styles, numbering, identities, noted, *, row_deleted=False) -> Record:
    last = group[-1]
    ppr = last.find(f"{WML}pPr")
    style = child_val(ppr, "pStyle") if ppr is not None else None
    in_table = any(True for _ in last.iterancestors(f"{WML}tbl"))
    parts = []
    for element in group:
        pieces: list[_Piece] = []
        _pieces(element, pieces)
        kept = bool("".join(p.text for p in pieces).strip())
        deleted = _clean("".join(t.text or "" for t in element.iter(f"{WML}delText")))
        parts.append((identities.get(element, []), kept, deleted))
    block = None
    if row_deleted:
        text = _clean("".join(t.text or "" for t in last.iter(f"{WML}delText", f"{WML}t")))
    else:
        blocks = noted.written(list(read_blocks(group, styles, numbering)))
        block = _normalised(blocks[0]) if blocks else None
        text = display_text(block.text) if block else ""
    changes = sum(1 for element in group for _ in element.iter(*_REVISIONS))
    return Record(
        elements=group,
        parts=parts,
        block=block,
        text=text,
        style=style or "",
        in_table=in_table,
        row_deleted=row_deleted,
        changes=changes,
        is_furniture=style in _FURNITURE_STYLES,
    )


def _normalised(block: Block) -> Block:
    block = replace(block, text=_CONTROL.sub("", block.text))
    try:
        return normalise_blocks([block])[0]
    except (DraftFormatError, IndexError):
        return block


def _clean(text: str) -> str:
    return " ".join(_CONTROL.sub("", text).split())


def _match_by_identity(records: list[Record], originals) -> MarkupReading:
    """Records with the version's bookmarks: each identity kept, edited, moved or gone."""
    index = {uid: position for position, (uid, _) in enumerate(originals)}
    blocks = dict(originals)
    reading = MarkupReading(marked=True)
    seen: set[str] = set()
    placed: list[tuple[int, str, str | None, Record]] = []  # (position, uid, after, record)
    last_uid: str | None = None
    started = False
    for record in records:
        uids = [[u for u in ids if u in index and u not in seen] for ids, *_ in record.parts]
        for ids in uids:
            seen.update(ids)
        if record.is_furniture or (not started and not any(uids) and record.style == "Title"):
            continue
        started = started or any(uids)
        record.attached = last_uid
        if record.in_table:
            continue  # named with the comments and footnotes, in settle
        owner = next(
            (ids[0] for ids, (_, text, _) in zip(uids, record.parts, strict=True) if ids and text),
            None,
        )
        for ids in uids:
            for uid in ids:
                if uid != owner:
                    reading.add(record, FoundChange.delete(uid, blocks[uid]))
        if owner is None:
            if record.block is not None:
                reading.add(record, FoundChange.insert(last_uid, blocks, record.block))
            continue
        placed.append((index[owner], owner, last_uid, record))
        record.owner = last_uid = owner
    _settle_places(reading, placed, blocks)
    for uid, block in originals:
        if uid not in seen:
            reading.amendments.append(FoundChange.delete(uid, block))
    return reading


def _settle_places(reading: MarkupReading, placed, blocks) -> None:
    """A paragraph out of the version's order was moved: deleted where it was, inserted
    where it now stands; any other edited paragraph is replaced where it is."""
    kept = set(longest_increasing([position for position, *_ in placed]))
    for number, (_position, uid, after, record) in enumerate(placed):
        block = record.block
        if number not in kept:
            moved = FoundChange.delete(uid, blocks[uid])
            moved.body = f"Moved to follow {label_of(after, blocks)}."
            reading.add(record, moved)
            reading.add(record, FoundChange.insert(after, blocks, block, moved_from=uid))
        elif not same_text(block, blocks[uid]):
            reading.add(record, FoundChange.replace(uid, blocks[uid], block))


def _comment_texts(comments) -> dict[str, str]:
    if comments is None:
        return {}
    texts = {}
    for comment in comments.iter(f"{WML}comment"):
        paragraphs = [
            "".join(t.text or "" for t in p.iter(f"{WML}t")) for p in comment.iter(f"{WML}p")
        ]
        text = "\n".join(_clean(p) for p in paragraphs if p.strip())
        texts[comment.get(f"{WML}id")] = text[:MAX_COMMENT_TEXT]
    return texts


def _comment_quotes(body) -> dict[str, str]:
    """The accepted text each Word comment is anchored to, in document order."""
    quotes: dict[str, list[str]] = {}
    open_ids: list[str] = []
    skipped = (f"{WML}del", f"{WML}moveFrom")
    for element in body.iter(f"{WML}commentRangeStart", f"{WML}commentRangeEnd", f"{WML}t"):
        tag = element.tag
        cid = element.get(f"{WML}id")
        if tag == f"{WML}commentRangeStart":
            open_ids.append(cid)
            quotes.setdefault(cid, [])
        elif tag == f"{WML}commentRangeEnd":
            if cid in open_ids:
                open_ids.remove(cid)
        elif open_ids and not any(True for _ in element.iterancestors(*skipped)):
            for open_id in open_ids:
                if sum(map(len, quotes[open_id])) < MAX_COMMENT_TEXT:
                    quotes[open_id].append(element.text or "")
    return {cid: _clean("".join(parts)) for cid, parts in quotes.items()}


def _attach_comments(reading, records, originals, comments, quotes) -> None:
    blocks = dict(originals)
    placed: set[str] = set()
    for record in records:
        for element in record.elements:
            for mark in element.iter(f"{WML}commentRangeStart", f"{WML}commentReference"):
                cid = mark.get(f"{WML}id")
                if cid in placed or (cid not in comments and cid not in quotes):
                    continue
                placed.add(cid)
                uid = record.identity
                body = comments.get(cid, "") or "(An empty Word comment.)"
                reading.add(record, comment_change(uid, blocks, quotes.get(cid, ""), body))


def _footnote_changes(footnotes) -> dict[str, str]:
    """Footnotes with tracked changes: their id and their text with the changes accepted."""
    if footnotes is None:
        return {}
    changed = {}
    for note in footnotes.iter(f"{WML}footnote"):
        if next(note.iter(*_REVISIONS), None) is None:
            continue
        pieces: list[_Piece] = []
        _pieces(note, pieces)
        changed[note.get(f"{WML}id")] = _clean("".join(p.text for p in pieces))
    return changed


def _attach_footnotes(reading, records, originals, footnotes) -> None:
    blocks = dict(originals)
    for record in records:
        for element in record.elements:
            for reference in element.iter(f"{WML}footnoteReference"):
                note = reference.get(f"{WML}id")
                inserted = any(True for _ in reference.iterancestors(f"{WML}ins"))
                deleted = any(True for _ in reference.iterancestors(*_REVISIONS[1:3]))
                if note not in footnotes and not inserted and not deleted:
                    continue
                text = footnotes.get(note, "")
                what = "A new footnote" if inserted else "A footnote deleted" if deleted else None
                body = f"{what or 'A change in a footnote'}: “{text}”"
                # Named here; the text itself is in the paragraph's replacement ([^n]: ...).
                reading.notes.append(f"{body} (at {label_of(record.identity, blocks)})")
