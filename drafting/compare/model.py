"""The result of comparing two versions: plain data that every renderer (page, JSON, Word) reads."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from operator import itemgetter, truth
from typing import Literal, NamedTuple

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
    entries whose order relative to the others changed.
    """

    old: tuple[int, ...]
    new: tuple[int, ...]
    kind: EntryKind
    moved: bool = False
    diff: tuple[DiffOp, ...] = ()

    @property
    def is_change(self) -> bool:
        return self.kind != "unchanged" or self.moved

    def to_json(self) -> dict:
        return {
            "old": list(self.old),
            "new": list(self.new),
            "kind": self.kind,
            "moved": self.moved,
            "diff": [[op, text] for op, text in self.diff],
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
        return {
            "old_blocks": len(self.old_blocks),
            "new_blocks": len(self.new_blocks),
            "entries": [entry.to_json() for entry in self.entries],
        }
