"""The last pass of the alignment: one block whose text reappears across several consecutive
blocks of the other side (split), or several blocks joined into one (merged), kept when the
joined pieces match the whole better than any single piece did. Its own module, as it is the
one pass that undoes links the earlier passes made."""

from __future__ import annotations

import re

from drafting.compare.evidence import SMALL_GAP_PAIRS, Side, containment, dice, free_runs
from drafting.text.draft_format import LATIN_SUFFIXES

# A split or merge is kept when the joined pieces match this well and better than the single
# piece matched before, and when every piece is mostly made of words of the whole.
SPLIT_SIMILARITY = 0.6
SPLIT_GAIN = 0.05
PIECE_CONTAINMENT = 0.7
# A piece whose label says it came out of the whole ("1bis." or "1.1" beside "1.", "PP3 ter"
# beside "PP3") needs fewer of its words from it, and the joined pieces need only match better
# than the single piece, by any margin: the numbering is evidence the words need not repeat.
LABELLED_PIECE_CONTAINMENT = 0.4
_PARENT_LABEL = re.compile(r"^(?P<prefix>PP|OP)?(?P<number>\d{1,4})[.)]?$")
_CHILD_LABEL = re.compile(
    r"^(?P<prefix>PP|OP)?(?P<number>\d{1,4})(?: ?" + LATIN_SUFFIXES + r"|(?:\.\d{1,4}){1,6})[.)]?$"
)


def match_splits_and_merges(alignment) -> None:
    """One block whose text reappears across several consecutive blocks of the other side
    (or the reverse), when the joined pieces match it better than any single piece does."""
    proposals = [
        *_grouping_proposals(alignment, alignment.old, alignment.new, is_split=True),
        *_grouping_proposals(alignment, alignment.new, alignment.old, is_split=False),
    ]
    proposals.sort(key=lambda proposal: (-proposal[0], proposal[1], proposal[2]))
    for score, single, _, run, is_split, gain in proposals:
        whole_side, pieces_side = (
            (alignment.old, alignment.new) if is_split else (alignment.new, alignment.old)
        )
        current = whole_side.group[single]
        if current is not None and (len(current.old) != 1 or len(current.new) != 1):
            continue
        if any(pieces_side.group[piece] not in (None, current) for piece in run):
            continue
        if current is not None and current.score + gain >= score:
            continue
        if current is not None:
            alignment.unlink(current)
        if is_split:
            alignment.link((single,), run, score)
        else:
            alignment.link(run, (single,), score)


def _grouping_proposals(
    alignment, whole_side: Side, pieces_side: Side, is_split: bool
) -> list[tuple[float, int, int, tuple[int, ...], bool, float]]:
    """Candidate splits (or merges): an edited block and the free blocks beside its partner,
    or an unmatched block and a run of free blocks standing where it stood."""
    last_piece = len(pieces_side.blocks) - 1
    is_free = pieces_side.is_free
    seeded: list[tuple[int, int, list[int]]] = []
    edited = sorted(
        (group.old[0], group.new[0]) if is_split else (group.new[0], group.old[0])
        for group in alignment.weak
        if len(group.old) + len(group.new) == 2
    )
    for single, partner in edited:
        if (partner > 0 and is_free(partner - 1)) or (
            partner < last_piece and is_free(partner + 1)
        ):
            seeded.append((single, partner, [partner]))
    for first, last in free_runs(pieces_side):
        low, high = _counterpart_span(alignment, pieces_side, first, last, is_split)
        if (high - low) * (last - first + 1) > SMALL_GAP_PAIRS:
            continue
        run = list(range(first, last + 1))
        seeded.extend(
            (single, -1, run) for single in range(low, high) if whole_side.is_free(single)
        )
    proposals = []
    for single, partner, seeds in seeded:
        kind, whole = whole_side.blocks[single].kind, whole_side.words(single)
        whole_label = whole_side.blocks[single].label

        def is_piece(
            index: int,
            kind: str = kind,
            whole: frozenset[str] = whole,
            partner: int = partner,
            whole_label: str | None = whole_label,
        ) -> bool:
            block = pieces_side.blocks[index]
            needed = (
                LABELLED_PIECE_CONTAINMENT
                if continues_label(whole_label, block.label)
                else PIECE_CONTAINMENT
            )
            return (
                (index == partner or is_free(index))
                and block.kind == kind
                and containment(pieces_side.words(index), whole) >= needed
            )

        seen: set[int] = set()
        for seed in seeds:
            if seed in seen or not is_piece(seed):
                continue
            first = last = seed
            while first > 0 and is_piece(first - 1):
                first -= 1
            while last < last_piece and is_piece(last + 1):
                last += 1
            run = tuple(range(first, last + 1))
            seen.update(run)
            if len(run) < 2:
                continue
            joined = frozenset().union(*map(pieces_side.words, run))
            score = dice(whole, joined)
            if score >= SPLIT_SIMILARITY:
                labelled = any(
                    continues_label(whole_label, pieces_side.blocks[piece].label) for piece in run
                )
                gain = 0.0 if labelled else SPLIT_GAIN
                proposals.append((score, single, first, run, is_split, gain))
    return proposals


def continues_label(whole: str | None, piece: str | None) -> bool:
    """Whether a piece's label says it came out of the whole: "1bis.", "1 ter" or "1.1" beside
    "1.", "PP3bis" beside "PP3." (same prefix, same number)."""
    if whole is None or piece is None:
        return False
    parent, child = _PARENT_LABEL.match(whole), _CHILD_LABEL.match(piece)
    return (
        parent is not None
        and child is not None
        and (parent["prefix"], int(parent["number"])) == (child["prefix"], int(child["number"]))
    )


def _counterpart_span(
    alignment, side: Side, first: int, last: int, is_split: bool
) -> tuple[int, int]:
    """Positions on the other side between the partners of the blocks around a run."""
    before = side.group[first - 1] if first > 0 else None
    after = side.group[last + 1] if last + 1 < len(side.group) else None
    other_length = len(alignment.old.blocks if is_split else alignment.new.blocks)
    low = ((before.old if is_split else before.new)[-1] + 1) if before else 0
    high = (after.old if is_split else after.new)[0] if after else other_length
    return low, high
