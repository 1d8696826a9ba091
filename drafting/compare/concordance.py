"""The table of old paragraph numbers to new ones, which delegations use to re-key their
comments and instructions after a new draft has been renumbered."""

from __future__ import annotations

from typing import NamedTuple

from drafting.compare.model import Comparison, EntryKind


class ConcordanceRow(NamedTuple):
    """One old number and what it became; ``None`` on the side where the paragraph is absent."""

    old_label: str | None
    new_label: str | None
    kind: EntryKind
    moved: bool


def concordance(comparison: Comparison) -> list[ConcordanceRow]:
    """Rows in reading order of the new version, one per old/new block pair of each entry (a
    split gives a row per piece), leaving out pairs where neither block is numbered."""
    old_blocks, new_blocks = comparison.old_blocks, comparison.new_blocks
    rows = []
    for entry in comparison.entries:
        if len(entry.old) == 1 and len(entry.new) == 1:
            old_label, new_label = old_blocks[entry.old[0]].label, new_blocks[entry.new[0]].label
            if old_label is not None or new_label is not None:
                rows.append(ConcordanceRow(old_label, new_label, entry.kind, entry.moved))
            continue
        old_labels = [comparison.old_blocks[index].label for index in entry.old] or [None]
        new_labels = [comparison.new_blocks[index].label for index in entry.new] or [None]
        for old_label in old_labels:
            for new_label in new_labels:
                if old_label is not None or new_label is not None:
                    rows.append(ConcordanceRow(old_label, new_label, entry.kind, entry.moved))
    return rows
