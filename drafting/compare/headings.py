"""Headings follow the content they head. A heading's words are weak evidence ("Article 8",
"Commitments" under each section): after the paragraphs are aligned, a heading is paired with
the heading of the same level under which most of its paragraphs now stand, when that heading's
paragraphs mostly came from under it. A heading whose number alone changed ("Article 8" →
"Article 9") is renumbered, not changed: its number is read as its label.

Its own module, as it is the one pass that reads the draft's structure rather than its words."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from itertools import compress, repeat
from operator import attrgetter, itemgetter, ne

from drafting.compare.evidence import Side, consume, dice, first_item, word_set
from drafting.text.draft_format import Block, split_label

# Two headings under which the same paragraphs stand are paired if their words are this alike
# (a number alone changed counts as 1.0), or whatever their words if neither had a partner.
HEADING_SIMILARITY = 0.5
# "Article 8", "CHAPTER II", "Art 12a", "Part I:", "Section 3.1": a word of numbering and a
# number opening a heading. Only such words: "Agenda 2030" becoming "Agenda 2063" is a change,
# not a renumbering. Bounded, so reading it is linear in the heading's length.
_NUMBERING_WORDS = (
    "article|art|chapter|section|part|title|annex|appendix|schedule|division|book|goal|pillar"
    "|principle|rule|artikel|abschnitt|kapitel|teil|anlage|chapitre|partie|titre|annexe"
    "|cap[ií]tulo|secci[oó]n|parte|anexo|t[ií]tulo|art[ií]culo"
)
_NUMBERED_HEADING = re.compile(
    rf"^(?P<label>(?P<word>(?i:{_NUMBERING_WORDS})\.?) "
    r"(?:\d{1,4}[a-z]{0,2}(?:\.\d{1,4}){0,4}|[IVXLC]{1,8}))(?=[.:)]?(?:\s|$))[.:)]?"
)


def heading_parts(text: str) -> tuple[str | None, str]:
    """A heading's number label ("Article 8", "II.", "1.") and the words after it."""
    match = _NUMBERED_HEADING.match(text)
    if match:
        return match.group("label"), text[match.end() :].strip()
    label, _, rest = split_label(text)
    return label, rest


def block_label(block: Block) -> str | None:
    """A block's number label: a paragraph's as parsed, a heading's read off its text."""
    if block.kind == "paragraph":
        return block.label
    return heading_parts(block.text)[0]


def _label_shape(label: str | None) -> str | None:
    """A label without its number: "Article 8" and "Article 9" are both "article"."""
    if label is None:
        return None
    match = _NUMBERED_HEADING.match(label)
    return match.group("word").lower() if match else ""


def same_heading(old: Block, new: Block) -> bool:
    """Two headings of one kind and level that differ at most in their number."""
    if old.kind != new.kind or old.level != new.level:
        return False
    old_label, old_rest = heading_parts(old.text)
    new_label, new_rest = heading_parts(new.text)
    return _label_shape(old_label) == _label_shape(new_label) and old_rest.split() == (
        new_rest.split()
    )


def heading_similarity(old: Block, new: Block) -> float:
    """1.0 for a heading only renumbered, else the overlap of its words."""
    if same_heading(old, new):
        return 1.0
    return dice(word_set(old.text), word_set(new.text))


_KIND = attrgetter("kind")


class _Outline:
    """The headings of one version: the span of blocks each heads (down to the next heading of
    its level or above), and for each level the heading above every position (``above[level]``
    has one more slot, None, which a position of -1 reads)."""

    def __init__(self, blocks: Sequence[Block]) -> None:
        self.blocks = blocks
        self.spans: dict[int, tuple[int, int]] = {}
        self.above: dict[int, list[int | None]] = {}
        count = len(blocks)
        open_headings: list[tuple[int, int]] = []
        for index in compress(range(count), map(ne, map(_KIND, blocks), repeat("paragraph"))):
            block = blocks[index]
            level = block.level if block.kind == "heading" else 0
            while open_headings and open_headings[-1][1] >= level:
                self._close(*open_headings.pop(), index)
            if level:
                open_headings.append((index, level))
        while open_headings:
            self._close(*open_headings.pop(), count)

    def _close(self, heading: int, level: int, end: int) -> None:
        self.spans[heading] = (heading + 1, end)
        above = self.above.get(level)
        if above is None:
            above = self.above[level] = [None] * (len(self.blocks) + 1)
        above[heading + 1 : end] = repeat(heading, end - heading - 1)


def _partner_positions(side: Side, headings: _Outline, to_other: int) -> list[int]:
    """For each block of a side, the first block of the other side it is aligned with; -1 for
    a heading or a block left unaligned. Made without a Python step per block: this pass runs
    on every comparison, and most have nothing for it to change."""
    groups = side.group
    positions = [-1] * len(groups)
    aligned = list(compress(side.positions, groups))
    partners = map(first_item, map(itemgetter(to_other), map(groups.__getitem__, aligned)))
    consume(map(positions.__setitem__, aligned, partners))
    consume(map(positions.__setitem__, headings.spans, repeat(-1)))
    return positions


def _partners(headings: _Outline, side: Side, other: _Outline, to_other: int) -> dict[int, int]:
    """For each heading with aligned paragraphs, the heading of its level on the other side
    under which a strict majority of them now stand."""
    positions = _partner_positions(side, headings, to_other)
    partners = {}
    for heading, (start, end) in headings.spans.items():
        above = other.above.get(headings.blocks[heading].level)
        if above is None or start == end:
            continue
        span = positions[start:end]
        aligned = len(span) - span.count(-1)
        if not aligned:
            continue
        under = list(map(above.__getitem__, span))
        found = set(under)
        found.discard(None)
        if len(found) == 1:
            # As for most headings: all the content under one heading, no count to rank.
            best = found.pop()
            count = under.count(best)
        elif found:
            best, count = max(
                Counter(under).items(), key=lambda item: (item[0] is not None, item[1])
            )
        else:
            continue
        if count * 2 > aligned:
            partners[heading] = best
    return partners


def match_headings_by_content(alignment, fixed: set[int]) -> None:
    """Re-pair each heading with the one heading its content went to, when the other heading's
    content came from it (``fixed``: old blocks paired by identity, which are left as they are)."""
    old, new = alignment.old, alignment.new
    old_outline, new_outline = _Outline(old.blocks), _Outline(new.blocks)
    if not old_outline.spans or not new_outline.spans:
        return
    forward = _partners(old_outline, old, new_outline, to_other=1)
    backward = _partners(new_outline, new, old_outline, to_other=0)
    for i, j in forward.items():
        if backward.get(j) != i or i in fixed:
            continue
        current_old, current_new = old.group[i], new.group[j]
        if current_old is not None and current_old is current_new:
            continue
        score = heading_similarity(old.blocks[i], new.blocks[j])
        if score < HEADING_SIMILARITY and (current_old is not None or current_new is not None):
            # Titles that share few words ("Water", "Energy") each keep the partner their own
            # words found: then paragraphs moved between sections, the sections did not.
            continue
        if any(
            group is not None
            and (len(group.old) != 1 or len(group.new) != 1 or group.old[0] in fixed)
            for group in (current_old, current_new)
        ):
            continue
        for group in (current_old, current_new):
            if group is not None:
                alignment.unlink(group)
        alignment.link((i,), (j,), score)
