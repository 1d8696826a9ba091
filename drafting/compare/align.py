"""Paragraph alignment: which block of the old version became which block(s) of the new one.

Matching goes from the surest evidence to the weakest, each step only over what is still
unmatched: stable identity, then identical text (labels aside: renumbering is no change),
then similar text between the anchors already found, then similar text anywhere (a moved and
edited paragraph), then splits and merges. Similar texts are found through an index of rare
words, never by comparing every old paragraph with every new one, so two unrelated 5,000
paragraph drafts cost about as much as two related ones.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter, deque
from collections.abc import Iterable, Sequence
from functools import partial
from itertools import compress, count, repeat
from operator import is_, is_not, itemgetter, not_
from typing import NamedTuple

from drafting.compare.collector import pause_cyclic_gc, resume_cyclic_gc
from drafting.compare.model import Comparison, DiffOp, Entry
from drafting.compare.sequences import heaviest_chain, longest_increasing
from drafting.compare.words import diff_words, join_texts
from drafting.text.draft_format import Block

# Word overlap (Dice coefficient over distinct words) a pair needs to count as one paragraph
# edited: lower between two anchors, where position already speaks for the pair, higher for a
# move across the document.
IN_GAP_SIMILARITY = 0.5
MOVE_SIMILARITY = 0.65
# A split or merge is kept when the joined pieces match this well and better than the single
# piece matched before, and when every piece is mostly made of words of the whole.
SPLIT_SIMILARITY = 0.6
SPLIT_GAIN = 0.05
PIECE_CONTAINMENT = 0.7
# Candidate search: a paragraph's rarest words are looked up, words found in more blocks than
# MAX_POSTING are no evidence, and only the best-supported candidates are scored.
RARE_WORDS = 8
MAX_POSTING = 32
CANDIDATES = 8
MIN_SHARED = 2
# Gaps this small (old x new blocks) are scored pair by pair, which catches short paragraphs
# that have no rare word.
SMALL_GAP_PAIRS = 256

Key = str


def align_paragraphs(
    old: Sequence[Block],
    new: Sequence[Block],
    old_ids: Sequence[str | None] | None = None,
    new_ids: Sequence[str | None] | None = None,
) -> Comparison:
    """Align two versions' blocks and diff the words of what changed.

    ``old_ids`` / ``new_ids`` give each block's stable identity where the application knows it
    (a paragraph kept across versions): blocks sharing an id are paired whatever their text, and
    blocks without a counterpart id are aligned by their text like any other.
    """
    was_enabled = pause_cyclic_gc()
    try:
        for blocks, ids, side in ((old, old_ids, "old"), (new, new_ids, "new")):
            if ids is not None and len(ids) != len(blocks):
                raise ValueError(f"{side}_ids has {len(ids)} ids for {len(blocks)} blocks")
        return _align(old, new, old_ids, new_ids)
    finally:
        resume_cyclic_gc(was_enabled)


def _align(
    old: Sequence[Block],
    new: Sequence[Block],
    old_ids: Sequence[str | None] | None,
    new_ids: Sequence[str | None] | None,
) -> Comparison:
    alignment = _Alignment(old, new)
    if old_ids is not None and new_ids is not None:
        alignment.match_identities(old_ids, new_ids)
    alignment.match_identical_texts()
    alignment.match_similar_in_gaps()
    alignment.match_similar_anywhere()
    alignment.match_splits_and_merges()
    return Comparison(list(old), list(new), alignment.entries())


def same_text(old: Block, new: Block) -> bool:
    """Whether two blocks count as unchanged: same kind, heading level and words, the number
    label aside and any run of white space read as one space."""
    if old.kind != new.kind or old.level != new.level:
        return False
    return old.text == new.text or old.text.split() == new.text.split()


def _exact_key(block: Block) -> Key:
    """What exact matching hashes: a paragraph's text as written (no copy, and strings cost the
    garbage collector nothing), a heading's text marked with its kind and level. NUL never
    occurs in a draft. Blocks differing only in white space are paired by similarity later
    and then found unchanged by same_text."""
    if block.kind == "paragraph":
        return block.text
    return f"\x00{block.kind}{block.level}\x00{block.text}"


class _Group(NamedTuple):
    """Old and new blocks aligned with each other, how alike their texts are, and whether they
    were paired for having the same exact key (then their entry is unchanged, no need to look).

    A named tuple, so that the thousands of groups of identical texts are made in bulk
    (``_new_group`` from a map, without a Python call each)."""

    old: tuple[int, ...]
    new: tuple[int, ...]
    score: float
    same: bool = False


_new_group = partial(tuple.__new__, _Group)
_new_entry = partial(tuple.__new__, Entry)
_first = itemgetter(0)  # a group's old blocks, a tuple's first item
_new_of = itemgetter(1)  # a group's new blocks
_second = itemgetter(1)
_same_of = itemgetter(3)  # whether a group's blocks have the same key


def _consume(iterator: Iterable[object]) -> None:
    """Run an iterator (of ``map``-ped setters) to its end at C speed."""
    deque(iterator, maxlen=0)


def _exact_keys(blocks: Sequence[Block]) -> list[Key]:
    """``_exact_key`` of every block, without a call for each paragraph."""
    return [block.text if block.kind == "paragraph" else _exact_key(block) for block in blocks]


class _Side:
    """One version's blocks with what matching needs of them, computed once and on demand."""

    def __init__(self, blocks: Sequence[Block]) -> None:
        self.blocks = blocks
        self.keys = _exact_keys(blocks)
        self.group: list[_Group | None] = [None] * len(blocks)
        # Every position once: lists of positions share these int objects instead of each
        # making its own (on a long draft, thousands of allocations per listing).
        self.positions = list(range(len(blocks)))
        self._words: dict[int, frozenset[str]] = {}
        self._free: list[int] | None = None

    def words(self, index: int) -> frozenset[str]:
        """The distinct words of a block, lower-cased: what similarity is measured on."""
        words = self._words.get(index)
        if words is None:
            words = self._words[index] = frozenset(self.blocks[index].text.lower().split())
        return words

    def unkept_words(self, index: int) -> frozenset[str]:
        """``words``, without keeping them if they were not kept already."""
        words = self._words.get(index)
        if words is None:
            return frozenset(self.blocks[index].text.lower().split())
        return words

    def keep_words(self, index: int, words: frozenset[str]) -> None:
        self._words[index] = words

    def forget_words(self, indexes: list[int]) -> None:
        for index in indexes:
            self._words.pop(index, None)

    def free(self) -> list[int]:
        """Unmatched positions, in order; recomputed only after the matching has changed."""
        if self._free is None:
            group = self.group
            self._free = list(compress(self.positions, map(is_, group, repeat(None))))
        return self._free

    def assign(self, indexes: tuple[int, ...], group: _Group | None) -> None:
        for index in indexes:
            self.group[index] = group
        self._free = None

    def changed(self) -> None:
        """Note that ``group`` was filled in directly: free positions are listed afresh."""
        self._free = None

    def is_free(self, index: int) -> bool:
        return self.group[index] is None


class _WordIndex:
    """Blocks of one side by the words they contain, to find the few blocks worth scoring."""

    def __init__(self, side: _Side, members: list[int]) -> None:
        postings: dict[str, list[int]] = {}
        for index in members:
            for word in side.words(index):
                postings.setdefault(word, []).append(index)
        self.postings = postings

    def candidates(
        self,
        words: frozenset[str],
        group: list[_Group | None],
        low: int = 0,
        high: int | None = None,
    ) -> list[int]:
        """Blocks in positions [low, high) that share the most of these words' rarest ones,
        among those still free (whose ``group`` is None)."""
        postings = self.postings
        shared = list(words & postings.keys())
        if high is None:
            # Each word's blocks, all of them: counted and ranked without a step per word.
            sizes = list(map(len, map(postings.__getitem__, shared)))
            rare = sorted(zip(sizes, shared, strict=True))
            while rare and rare[-1][0] > MAX_POSTING:
                rare.pop()
            picked = [postings[word] for _, word in rare[:RARE_WORDS]]
        else:
            rare = []
            for word in shared:
                posting = postings[word]
                start, stop = bisect_left(posting, low), bisect_left(posting, high)
                if 0 < stop - start <= MAX_POSTING:
                    rare.append((stop - start, word, start, stop))
            rare.sort()
            picked = [postings[word][start:stop] for _, word, start, stop in rare[:RARE_WORDS]]
        hits: dict[int, int] = {}
        for posting in picked:
            for index in posting:
                if group[index] is None:
                    hits[index] = hits.get(index, 0) + 1
        # One shared rare word is chance; a paragraph and its edit share several.
        needed = min(MIN_SHARED, len(rare))
        # Most hits first, then first in the text: sorted by position, then (stably) by hits.
        ranked = sorted(hits.items())
        ranked.sort(key=_second, reverse=True)
        return [index for index, count in ranked[:CANDIDATES] if count >= needed]


class _Alignment:
    """The matching state between two versions, filled in by successive passes."""

    def __init__(self, old: Sequence[Block], new: Sequence[Block]) -> None:
        self.old = _Side(old)
        self.new = _Side(new)
        self.groups: list[_Group] = []
        # Groups scoring below 1.0: the edited blocks that splits and merges start from.
        self.weak: list[_Group] = []
        self._ordered: list[_Group] | None = None
        self._chain: tuple[list[int], list[_Group]] | None = None

    def link(
        self, olds: tuple[int, ...], news: tuple[int, ...], score: float, same: bool = False
    ) -> None:
        group = _new_group((olds, news, score, same))
        self.groups.append(group)
        if score < 1.0:
            self.weak.append(group)
        self._ordered = self._chain = None
        self.old.assign(olds, group)
        self.new.assign(news, group)

    def link_identical(self, olds: list[int], news: list[int]) -> None:
        """One-to-one groups of blocks with the same key (``olds[k]`` with ``news[k]``), many
        at once: identical texts pair up most blocks of a comparison, so this is ``link``
        without a Python step per pair."""
        if not olds:
            return
        groups = list(map(_new_group, zip(zip(olds), zip(news), repeat(1.0), repeat(True))))
        self.groups.extend(groups)
        _consume(map(self.old.group.__setitem__, olds, groups))
        _consume(map(self.new.group.__setitem__, news, groups))
        self._ordered = self._chain = None
        self.old.changed()
        self.new.changed()

    def unlink(self, group: _Group) -> None:
        self.groups.remove(group)
        if group.score < 1.0:
            self.weak.remove(group)
        self._ordered = self._chain = None
        self.old.assign(group.old, None)
        self.new.assign(group.new, None)

    def match_identities(
        self, old_ids: Sequence[str | None], new_ids: Sequence[str | None]
    ) -> None:
        """Pair blocks that carry the same id (the first of each, if an id repeats)."""
        new_by_id: dict[str, int] = {}
        for index, block_id in enumerate(new_ids):
            if block_id is not None:
                new_by_id.setdefault(block_id, index)
        seen: set[str] = set()
        for index, block_id in enumerate(old_ids):
            if block_id is None or block_id in seen:
                continue
            seen.add(block_id)
            partner = new_by_id.get(block_id)
            if partner is not None:
                self.link((index,), (partner,), self.similarity(index, partner))

    def match_identical_texts(self) -> None:
        """Texts found once on each side pair up wherever they stand; repeated texts pair up
        only between those anchors, recursively, as in patience diff."""
        olds, news = self.old.free(), self.new.free()
        self.link_identical(*_unique_pairs(olds, news, self.old.keys, self.new.keys))
        old_keys, new_keys = self.old.keys, self.new.keys
        left_old = set(map(old_keys.__getitem__, self.old.free()))
        if not left_old.isdisjoint(map(new_keys.__getitem__, self.new.free())):
            for gap_olds, gap_news in self.gaps():
                if gap_olds and gap_news:
                    self._match_identical_between(gap_olds, gap_news)

    def _match_identical_between(self, olds: list[int], news: list[int]) -> None:
        old_keys, new_keys = self.old.keys, self.new.keys
        pending = [(olds, news)]
        while pending:
            olds, news = pending.pop()
            head = 0
            while head < min(len(olds), len(news)) and old_keys[olds[head]] == new_keys[news[head]]:
                self.link((olds[head],), (news[head],), 1.0, same=True)
                head += 1
            old_end, new_end = len(olds), len(news)
            while (
                old_end > head
                and new_end > head
                and old_keys[olds[old_end - 1]] == new_keys[news[new_end - 1]]
            ):
                old_end, new_end = old_end - 1, new_end - 1
                self.link((olds[old_end],), (news[new_end],), 1.0, same=True)
            olds, news = olds[head:old_end], news[head:new_end]
            paired_olds, paired_news = _unique_pairs(olds, news, old_keys, new_keys)
            if not paired_olds:
                continue
            old_at = {index: position for position, index in enumerate(olds)}
            new_at = {index: position for position, index in enumerate(news)}
            old_from = new_from = 0
            for position in longest_increasing(paired_olds):
                old_index, new_index = paired_olds[position], paired_news[position]
                self.link((old_index,), (new_index,), 1.0, same=True)
                old_to, new_to = old_at[old_index], new_at[new_index]
                pending.append((olds[old_from:old_to], news[new_from:new_to]))
                old_from, new_from = old_to + 1, new_to + 1
            pending.append((olds[old_from:], news[new_from:]))

    def match_similar_in_gaps(self) -> None:
        """Between two consecutive anchors, the heaviest order-keeping set of similar pairs."""
        old_index = None
        for olds, news in self.gaps():
            if not olds or not news:
                continue
            if len(olds) == 1 and len(news) == 1:
                self._match_pair_in_gap(olds[0], news[0])
                continue
            if len(olds) * len(news) <= SMALL_GAP_PAIRS:
                candidates = [(i, j) for j in news for i in olds]
            else:
                if old_index is None:
                    old_index = _WordIndex(self.old, self.old.free())
                low, high = olds[0], olds[-1] + 1
                candidates = [
                    (i, j)
                    for j in news
                    for i in old_index.candidates(self.new.words(j), self.old.group, low, high)
                ]
            scored = [
                (i, j, score)
                for i, j in candidates
                if (score := self.similarity(i, j)) >= IN_GAP_SIMILARITY
            ]
            chain = heaviest_chain(scored)
            for position in chain:
                i, j, score = scored[position]
                self.link((i,), (j,), score)
            if len(chain) == len(olds) == len(news):
                # Every block of the gap linked: as for a single pair (_match_pair_in_gap),
                # their words are not looked at again, and are let go while in cache.
                self.old.forget_words(olds)
                self.new.forget_words(news)

    def _match_pair_in_gap(self, i: int, j: int) -> None:
        """Link the only old and new blocks between two anchors if they are similar enough.

        Most edited paragraphs are such a pair, and once linked their words are not looked at
        again (no later pass links them otherwise, and neither has a free neighbour for a split
        or merge to start from): they are not kept, so that the next pair's word sets reuse
        the memory (at 5,000 paragraphs, thousands of kept sets no longer fit the processor's
        caches). Those of a pair left apart are kept, for the passes over free blocks."""
        old_block, new_block = self.old.blocks[i], self.new.blocks[j]
        if old_block.kind != new_block.kind:
            return
        if old_block.text == new_block.text:
            self.link((i,), (j,), 1.0)
            return
        old_words, new_words = self.old.unkept_words(i), self.new.unkept_words(j)
        score = _dice(old_words, new_words)
        if score >= IN_GAP_SIMILARITY:
            self.link((i,), (j,), score)
        else:
            self.old.keep_words(i, old_words)
            self.new.keep_words(j, new_words)

    def match_similar_anywhere(self) -> None:
        """Pair what is left across the whole document, best pairs first: moved paragraphs."""
        news, olds = self.new.free(), self.old.free()
        if not news or not olds:
            return
        old_index = _WordIndex(self.old, olds)
        scored = []
        for j in news:
            # Not kept: the split pass seldom needs a free block's words again.
            new_words = self.new.unkept_words(j)
            for i in old_index.candidates(new_words, self.old.group):
                score = self.similarity(i, j, new_words)
                if score >= MOVE_SIMILARITY:
                    scored.append((-score, abs(i - j), i, j))
        scored.sort()
        for negative_score, _, i, j in scored:
            if self.old.is_free(i) and self.new.is_free(j):
                self.link((i,), (j,), -negative_score)

    def match_splits_and_merges(self) -> None:
        """One block whose text reappears across several consecutive blocks of the other side
        (or the reverse), when the joined pieces match it better than any single piece does."""
        proposals = [
            *self._grouping_proposals(self.old, self.new, is_split=True),
            *self._grouping_proposals(self.new, self.old, is_split=False),
        ]
        proposals.sort(key=lambda proposal: (-proposal[0], proposal[1], proposal[2]))
        for score, single, _, run, is_split in proposals:
            whole_side, pieces_side = (self.old, self.new) if is_split else (self.new, self.old)
            current = whole_side.group[single]
            if current is not None and (len(current.old) != 1 or len(current.new) != 1):
                continue
            if any(pieces_side.group[piece] not in (None, current) for piece in run):
                continue
            if current is not None and current.score + SPLIT_GAIN >= score:
                continue
            if current is not None:
                self.unlink(current)
            if is_split:
                self.link((single,), run, score)
            else:
                self.link(run, (single,), score)

    def _grouping_proposals(
        self, whole_side: _Side, pieces_side: _Side, is_split: bool
    ) -> list[tuple[float, int, int, tuple[int, ...], bool]]:
        """Candidate splits (or merges): an edited block and the free blocks beside its partner,
        or an unmatched block and a run of free blocks standing where it stood."""
        last_piece = len(pieces_side.blocks) - 1
        is_free = pieces_side.is_free
        seeded: list[tuple[int, int, list[int]]] = []
        edited = sorted(
            (group.old[0], group.new[0]) if is_split else (group.new[0], group.old[0])
            for group in self.weak
            if len(group.old) + len(group.new) == 2
        )
        for single, partner in edited:
            if (partner > 0 and is_free(partner - 1)) or (
                partner < last_piece and is_free(partner + 1)
            ):
                seeded.append((single, partner, [partner]))
        for first, last in _free_runs(pieces_side):
            low, high = self._counterpart_span(pieces_side, first, last, is_split)
            if (high - low) * (last - first + 1) > SMALL_GAP_PAIRS:
                continue
            run = list(range(first, last + 1))
            seeded.extend(
                (single, -1, run) for single in range(low, high) if whole_side.is_free(single)
            )
        proposals = []
        for single, partner, seeds in seeded:
            kind, whole = whole_side.blocks[single].kind, whole_side.words(single)

            def is_piece(
                index: int, kind: str = kind, whole: frozenset[str] = whole, partner: int = partner
            ) -> bool:
                return (
                    (index == partner or is_free(index))
                    and pieces_side.blocks[index].kind == kind
                    and _containment(pieces_side.words(index), whole) >= PIECE_CONTAINMENT
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
                score = _dice(whole, joined)
                if score >= SPLIT_SIMILARITY:
                    proposals.append((score, single, first, run, is_split))
        return proposals

    def _counterpart_span(
        self, side: _Side, first: int, last: int, is_split: bool
    ) -> tuple[int, int]:
        """Positions on the other side between the partners of the blocks around a run."""
        before = side.group[first - 1] if first > 0 else None
        after = side.group[last + 1] if last + 1 < len(side.group) else None
        other_length = len(self.old.blocks if is_split else self.new.blocks)
        low = ((before.old if is_split else before.new)[-1] + 1) if before else 0
        high = (after.old if is_split else after.new)[0] if after else other_length
        return low, high

    def similarity(
        self, old_index: int, new_index: int, new_words: frozenset[str] | None = None
    ) -> float:
        """How alike two blocks are (``new_words``: the new block's words, if at hand)."""
        old_block, new_block = self.old.blocks[old_index], self.new.blocks[new_index]
        if old_block.kind != new_block.kind:
            return 0.0
        if old_block.text == new_block.text:
            return 1.0
        if new_words is None:
            new_words = self.new.words(new_index)
        return _dice(self.old.words(old_index), new_words)

    def ordered(self) -> list[_Group]:
        """Every group, by its first new block."""
        if self._ordered is None:
            ordered = list(filter(None, self.new.group))
            if len(ordered) != len(self.groups):
                # A group of several new blocks (a split) stood at each of them.
                ordered = sorted(self.groups, key=lambda group: group.new[0])
            self._ordered = ordered
        return self._ordered

    def chain(self) -> list[_Group]:
        """The largest set of matched groups whose order is the same on both sides."""
        return self._chain_positions()[1]

    def _chain_positions(self) -> tuple[list[int], list[_Group]]:
        """The chain, and its groups' positions in ``ordered``."""
        if self._chain is None:
            ordered = self.ordered()
            positions = longest_increasing(list(map(_first, map(_first, ordered))))
            self._chain = (positions, list(map(ordered.__getitem__, positions)))
        return self._chain

    def gaps(self) -> list[tuple[list[int], list[int]]]:
        """Unmatched old and new blocks between consecutive anchors of the chain, for the gaps
        that have any."""
        chain = self.chain()
        old_bounds = list(map(_first, map(_first, chain)))
        new_bounds = list(map(_first, map(_new_of, chain)))
        gaps: dict[int, tuple[list[int], list[int]]] = {}
        for index in self.old.free():
            gaps.setdefault(bisect_right(old_bounds, index), ([], []))[0].append(index)
        for index in self.new.free():
            gaps.setdefault(bisect_right(new_bounds, index), ([], []))[1].append(index)
        return [gaps[gap] for gap in sorted(gaps)]

    def entries(self) -> list[Entry]:
        """Entries in reading order of the new version, each deleted block after the last
        unmoved block that preceded it in the old version."""
        positions, chain = self._chain_positions()
        ordered = self.ordered()
        # Most groups pair identical texts: their entries are made in bulk, as unchanged and
        # moved unless in the chain, then the other groups' entries are put in their place.
        moved = [True] * len(ordered)
        _consume(map(moved.__setitem__, positions, repeat(False)))
        group_entries = list(
            map(
                _new_entry,
                zip(
                    map(_first, ordered),
                    map(_new_of, ordered),
                    repeat("unchanged"),
                    moved,
                    repeat(()),
                ),
            )
        )
        old_keys, new_keys = self.old.keys, self.new.keys
        old_blocks, new_blocks = self.old.blocks, self.new.blocks
        for position in compress(count(), map(not_, map(_same_of, ordered))):
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
                (old, new, kind, moved[position], self._diff(group))
            )
        starting_at: list[Entry | None] = [None] * len(new_blocks)
        _consume(map(starting_at.__setitem__, map(_first, map(_new_of, ordered)), group_entries))
        for index in self.new.free():
            starting_at[index] = Entry((), (index,), "added")
        deleted_after: dict[int, list[Entry]] = {}
        chain_olds = list(map(_first, map(_first, chain)))
        for index in self.old.free():
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

    def _diff(self, group: _Group) -> tuple[DiffOp, ...]:
        olds, news = group.old, group.new
        old_blocks, new_blocks = self.old.blocks, self.new.blocks
        # One block a side, as for every edited paragraph: its text, no list to join.
        if len(olds) == 1 and len(news) == 1:
            return diff_words(old_blocks[olds[0]].text, new_blocks[news[0]].text)
        old_text = join_texts([old_blocks[index].text for index in olds])
        new_text = join_texts([new_blocks[index].text for index in news])
        return diff_words(old_text, new_text)


def _free_runs(side: _Side) -> list[tuple[int, int]]:
    """First and last positions of each run of two or more consecutive unmatched blocks."""
    runs = []
    start = previous = -2
    for index in side.free():
        if index != previous + 1:
            if previous - start >= 1:
                runs.append((start, previous))
            start = index
        previous = index
    if previous - start >= 1:
        runs.append((start, previous))
    return runs


def _unique_pairs(
    olds: list[int], news: list[int], old_keys: list[Key], new_keys: list[Key]
) -> tuple[list[int], list[int]]:
    """Blocks whose key occurs exactly once among ``olds`` and once among ``news``: the old
    and the new one of each pair, in new order."""
    # Before any matching every block is free: the keys are used as they are (on a long
    # draft, a copy means two more touches of every text, which are not in the cache).
    olds_keyed = old_keys if len(olds) == len(old_keys) else list(map(old_keys.__getitem__, olds))
    news_keyed = new_keys if len(news) == len(new_keys) else list(map(new_keys.__getitem__, news))
    old_by_key = dict(zip(olds_keyed, olds, strict=True))
    if len(old_by_key) == len(olds) and len(set(news_keyed)) == len(news):
        # Every key once on each side, as in most drafts: the pairs are found without a
        # Python step per block.
        partners = list(map(old_by_key.get, news_keyed))
        paired = list(map(is_not, partners, repeat(None)))
        return list(compress(partners, paired)), list(compress(news, paired))
    old_counts = Counter(olds_keyed)
    new_counts = Counter(news_keyed)
    old_by_key = {key: index for index in olds if old_counts[key := old_keys[index]] == 1}
    paired_news = [
        index for index in news if (key := new_keys[index]) in old_by_key and new_counts[key] == 1
    ]
    return [old_by_key[new_keys[index]] for index in paired_news], paired_news


def _dice(one: frozenset[str], other: frozenset[str]) -> float:
    total = len(one) + len(other)
    return 2 * len(one & other) / total if total else 0.0


def _containment(piece: frozenset[str], whole: frozenset[str]) -> float:
    return len(piece & whole) / len(piece) if piece else 0.0
