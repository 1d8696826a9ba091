"""How a translation's blocks line up with the original version's paragraphs, for review.

A translation must have the original's structure: the same blocks in the same order, each of the
same kind, heading level and number label. The alignment pairs them on that structure (kind,
level, label) in order, with the sequence matcher finding where a block is missing or extra, so
that every mismatch is shown and named, never guessed in silence: a translation with any
problem is refused until its file is put right.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from flask_babel import lazy_gettext as _l

from drafting.documents.models import Paragraph
from drafting.text.draft_format import Block

MISSING = "missing"
EXTRA = "extra"
MISMATCH = "mismatch"

PROBLEM_TEXT = {
    MISSING: _l("missing in the translation"),
    EXTRA: _l("not in the original"),
    MISMATCH: _l("kind or number differs from the original"),
}


@dataclass(frozen=True, slots=True)
class AlignedRow:
    """An original paragraph beside the translated block read for it (either may be absent)."""

    original: Paragraph | None
    block: Block | None
    problem: str | None = None

    @property
    def problem_text(self) -> str:
        return str(PROBLEM_TEXT[self.problem]) if self.problem else ""


@dataclass(frozen=True, slots=True)
class Alignment:
    rows: list[AlignedRow]

    @property
    def problems(self) -> list[AlignedRow]:
        return [row for row in self.rows if row.problem]

    @property
    def is_complete(self) -> bool:
        return not self.problems

    def describe_problems(self, limit: int = 10) -> str:
        """The problems in one sentence, as the CLI and a refusal print them."""
        named = [_name(row) + ": " + row.problem_text for row in self.problems[:limit]]
        more = len(self.problems) - limit
        return "; ".join(named) + (f"; and {more} more" if more > 0 else "")


def _name(row: AlignedRow) -> str:
    source = row.original.block if row.original is not None else row.block
    if source is None:  # pragma: no cover - a row always has one side
        return "?"
    if source.label:
        return source.label
    words = source.text.split()
    return "“" + " ".join(words[:6]) + ("…" if len(words) > 6 else "") + "”"


def _shape(block: Block) -> tuple:
    return (block.kind, block.level if block.kind == "heading" else 0, block.label or "")


def align_translation(originals: Sequence[Paragraph], blocks: Sequence[Block]) -> Alignment:
    """Pair each original paragraph with the translated block at the same place in the
    structure; what does not pair is a missing or extra block, a pair whose shape differs a
    mismatch. Linear for matching structures (the usual case): the matcher's quadratic worst
    case is bounded by the draft's paragraph limit."""
    old = [_shape(p.block) for p in originals]
    new = [_shape(b) for b in blocks]
    rows: list[AlignedRow] = []
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            rows += [AlignedRow(originals[i1 + k], blocks[j1 + k]) for k in range(i2 - i1)]
            continue
        paired = min(i2 - i1, j2 - j1) if op == "replace" else 0
        for k in range(paired):
            rows.append(AlignedRow(originals[i1 + k], blocks[j1 + k], MISMATCH))
        rows += [AlignedRow(originals[i], None, MISSING) for i in range(i1 + paired, i2)]
        rows += [AlignedRow(None, blocks[j], EXTRA) for j in range(j1 + paired, j2)]
    return Alignment(rows)
