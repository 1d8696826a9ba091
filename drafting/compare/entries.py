"""The comparison's entries, made from the groups an alignment found: in reading order of the new
version, each deleted block after the last unmoved block that preceded it, each group marked
unchanged, changed, moved, split or merged, with the word diff of what changed."""

from __future__ import annotations

from bisect import bisect_left
from functools import partial
from itertools import compress, count, repeat
from operator import not_

from drafting.compare.evidence import Group, consume, first_item, new_of, same_of
from drafting.compare.headings import same_heading
from drafting.compare.model import DiffOp, Entry
from drafting.compare.words import diff_words, join_texts
from drafting.text.draft_format import Block

_new_entry = partial(tuple.__new__, Entry)


def same_text(old: Block, new: Block) -> bool:
    """Whether two blocks count as unchanged: same kind, heading level and words, the number
    label aside (a heading's number too) and any run of white space read as one space."""
    if old.kind != new.kind or old.level != new.level:
        return False
    if old.text == new.text or old.text.split() == new.text.split():
        return True
    return old.kind == "heading" and same_heading(old, new)


def alignment_entries(alignment) -> list[Entry]:
    """The entries of an alignment (align's _Alignment, its passes done) in reading order of the
    new version, each deleted block after the last unmoved block that preceded it in the old
    version."""
    positions, chain = alignment.chain_positions()
    ordered = alignment.ordered()
    # Most groups pair identical texts: their entries are made in bulk, as unchanged and
    # moved unless in the chain, then the other groups' entries are put in their place.
    moved = [True] * len(ordered)
    consume(map(moved.__setitem__, positions, repeat(False)))
    group_entries = list(
        map(
            _new_entry,
            zip(
                map(first_item, ordered),
                map(new_of, ordered),
                repeat("unchanged"),
                moved,
                repeat(()),
                repeat(1.0),
            ),
        )
    )
    old_keys, new_keys = alignment.old.keys, alignment.new.keys
    old_blocks, new_blocks = alignment.old.blocks, alignment.new.blocks
    for position in compress(count(), map(not_, map(same_of, ordered))):
        group = ordered[position]
        old, new = group.old, group.new
        if len(new) > 1:
            kind = "split"
        elif len(old) > 1:
            kind = "merged"
        elif 0.0 < group.score < 1.0:
            # The score is the pair's similarity: below 1.0 the lower-cased word sets
            # differ, so the words do, and same_text would say no.
            kind = "changed"
        elif old_keys[old[0]] == new_keys[new[0]] or same_text(
            old_blocks[old[0]], new_blocks[new[0]]
        ):
            continue
        else:
            kind = "changed"
        group_entries[position] = _new_entry(
            (old, new, kind, moved[position], _diff(alignment, group), group.score)
        )
    starting_at: list[Entry | None] = [None] * len(new_blocks)
    consume(map(starting_at.__setitem__, map(first_item, map(new_of, ordered)), group_entries))
    for index in alignment.new.free():
        starting_at[index] = Entry((), (index,), "added")
    deleted_after: dict[int, list[Entry]] = {}
    chain_olds = list(map(first_item, map(first_item, chain)))
    for index in alignment.old.free():
        anchor = bisect_left(chain_olds, index) - 1
        after = chain[anchor].new[-1] if anchor >= 0 else -1
        deleted_after.setdefault(after, []).append(Entry((index,), (), "deleted"))
    entries = deleted_after.pop(-1, [])
    start = 0
    for after in sorted(deleted_after):
        entries.extend(filter(None, starting_at[start : after + 1]))
        entries.extend(deleted_after[after])
        start = after + 1
    entries.extend(filter(None, starting_at[start:]))
    return entries


def _diff(alignment, group: Group) -> tuple[DiffOp, ...]:
    olds, news = group.old, group.new
    old_blocks, new_blocks = alignment.old.blocks, alignment.new.blocks
    # One block a side, as for every edited paragraph: its text, no list to join.
    if len(olds) == 1 and len(news) == 1:
        return diff_words(old_blocks[olds[0]].text, new_blocks[news[0]].text)
    old_text = join_texts([old_blocks[index].text for index in olds])
    new_text = join_texts([new_blocks[index].text for index in news])
    return diff_words(old_text, new_text)
