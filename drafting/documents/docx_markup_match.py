"""A marked-up file without the paragraphs' identities (the text was pasted into another
template) matched to the version paragraph by paragraph with the comparison engine: what it
pairs becomes replacements, splits and merges; what it cannot pair is shown as unmatched."""

from __future__ import annotations

from collections.abc import Sequence

from drafting.compare.align import align_paragraphs
from drafting.documents.docx_markup_found import FoundChange, MarkupReading, Record, same_text
from drafting.text.draft_format import Block
from drafting.text.inline import display_text

# Below this share of the version's paragraphs found in the file, the file is taken to hold a
# part of the text only: what it lacks is not proposed for deletion.
DELETE_WHEN_MATCHED = 0.5


def match_by_text(records: list[Record], originals: Sequence[tuple[str, Block]]) -> MarkupReading:
    reading = MarkupReading(marked=False)
    uids = [uid for uid, _ in originals]
    blocks = dict(originals)
    read = [r for r in records if r.block is not None and not r.in_table and not r.is_furniture]
    comparison = align_paragraphs([block for _, block in originals], [r.block for r in read])
    matched = sum(1 for entry in comparison.entries if entry.old and entry.new)
    # Paragraphs whose every word the file deletes with tracking: they say a deletion is meant.
    emptied = {
        deleted: record
        for record in records
        for _, kept, deleted in record.parts
        if deleted and not kept
    }
    deletions_meant = bool(emptied) or matched >= DELETE_WHEN_MATCHED * max(len(originals), 1)
    for entry in comparison.entries:
        for new in entry.new:
            read[new].owner = uids[entry.old[0]] if entry.old else None
        if not entry.old:
            continue
        first = uids[entry.old[0]]
        if entry.new:
            record = read[entry.new[0]]
            if not same_text(record.block, blocks[first]):
                reading.add(record, FoundChange.replace(first, blocks[first], record.block))
            for new in entry.new[1:]:
                reading.add(read[new], FoundChange.insert(first, blocks, read[new].block))
            for old in entry.old[1:]:
                reading.add(record, FoundChange.delete(uids[old], blocks[uids[old]]))
        elif deletions_meant:
            for old in entry.old:
                change = FoundChange.delete(uids[old], blocks[uids[old]])
                record = emptied.get(" ".join(display_text(blocks[uids[old]].text).split()))
                if record is None:
                    reading.amendments.append(change)
                else:
                    reading.add(record, change)
    last = None
    in_text = {id(record) for record in read}
    for record in records:
        record.attached = last
        if record.owner:
            last = record.owner
        elif id(record) in in_text:
            reading.unmatched.append(record.text)
            record.accounted = True
    return reading
