"""The result of comparing two versions: plain data that every renderer (page, JSON, Word) reads."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import itemgetter, truth
from typing import Literal, NamedTuple

from drafting.compare.headings import block_label
from drafting.text.draft_format import Block

EntryKind = Literal["unchanged", "changed", "added", "deleted", "split", "merged"]
DiffOp = tuple[int, str]  # diff-match-patch style: -1 deleted, 0 kept, 1 inserted

KINDS: tuple[EntryKind, ...] = ("unchanged", "changed", "added", "deleted", "split", "merged")


class Entry(NamedTuple):
    """One aligned group: old block indices, new block indices, what happened between them.

    A named tuple rather than a frozen dataclass: a comparison makes one per block, and a tuple
    is immutable too at a quarter of the cost to build.

    ``diff`` holds word-level operations over the texts without their number labels (for
    changed, split and merged entries; empty otherwise). ``moved`` is set on the smallest set of
    entries whose order relative to the others changed. ``similarity`` is how alike the
    alignment found the old and new texts (the overlap of their words, 1.0 for texts alike but
    for their number), None for an added or deleted block.
    """

    old: tuple[int, ...]
    new: tuple[int, ...]
    kind: EntryKind
    moved: bool = False
    diff: tuple[DiffOp, ...] = ()
    similarity: float | None = None

    @property
    def is_change(self) -> bool:
        return self.kind != "unchanged" or self.moved

    def to_json(self, old_labels: Sequence[str | None], new_labels: Sequence[str | None]) -> dict:
        """The entry for scripts, given every block's label: ``renumbered`` tells a paragraph
        only renumbered from one truly identical (the labels of the first old and new block)."""
        old_label = old_labels[self.old[0]] if self.old else None
        new_label = new_labels[self.new[0]] if self.new else None
        similarity = self.similarity
        if similarity is None and self.old and self.new:
            similarity = 1.0 if self.kind == "unchanged" else None
        return {
            "old": list(self.old),
            "new": list(self.new),
            "kind": self.kind,
            "moved": self.moved,
            "diff": [[op, text] for op, text in self.diff],
            "renumbered": bool(self.old and self.new) and old_label != new_label,
            "old_label": old_label,
            "new_label": new_label,
            "similarity": None if similarity is None else round(similarity, 3),
        }


_KIND = itemgetter(2)  # Entry.kind
_MOVED = itemgetter(3)  # Entry.moved


@dataclass(slots=True)
class Comparison:
    """Two block lists and the entries that align them, in reading order of the new version
    (a deleted block stands where it stood in the old one)."""

    old_blocks: list[Block]
    new_blocks: list[Block]
    entries: list[Entry] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        counts = Counter(map(_KIND, self.entries))
        figures = {kind: counts.get(kind, 0) for kind in KINDS}
        figures["moved"] = sum(map(truth, map(_MOVED, self.entries)))
        return figures

    def to_json(self) -> dict:
        """What ``drafting compare --format json`` and the API give: the block counts and
        entries of old, and since issue 18 each block's kind and label (a heading's number, as
        "Article 8", is its label) and each entry's labels, renumbering and similarity."""
        old_labels = list(map(block_label, self.old_blocks))
        new_labels = list(map(block_label, self.new_blocks))
        return {
            "old_blocks": len(self.old_blocks),
            "new_blocks": len(self.new_blocks),
            "blocks": {
                "old": _blocks_json(self.old_blocks, old_labels),
                "new": _blocks_json(self.new_blocks, new_labels),
            },
            "entries": [entry.to_json(old_labels, new_labels) for entry in self.entries],
        }


def _blocks_json(blocks: list[Block], labels: list[str | None]) -> list[dict]:
    return [
        {"kind": block.kind, "label": label} for block, label in zip(blocks, labels, strict=True)
    ]
