"""Paragraph alignment: which block of the old version became which block(s) of the new one.

Matching goes from the surest evidence to the weakest, each step only over what is still
unmatched: stable identity, then identical text (labels aside: renumbering is no change),
then similar text between the anchors already found, then similar text anywhere (a moved and
edited paragraph), then splits and merges. Similar texts are found through an index of rare
words, never by comparing every old paragraph with every new one, so two unrelated 5,000
paragraph drafts cost about as much as two related ones.

The passes are here, but for the last (splits); what they weigh (each side's keys and words, the
index of rare words, the measures of likeness) is in evidence; turning the groups found into the
comparison's entries, in entries.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from itertools import repeat

from drafting.compare.collector import pause_cyclic_gc, resume_cyclic_gc
from drafting.compare.entries import alignment_entries
from drafting.compare.evidence import (
    SMALL_GAP_PAIRS,
    Group,
    Side,
    WordIndex,
    consume,
    dice,
    first_item,
    new_group,
    new_of,
    unique_pairs,
)
from drafting.compare.headings import heading_similarity, match_headings_by_content
from drafting.compare.model import Comparison, Entry
from drafting.compare.sequences import heaviest_chain, longest_increasing
from drafting.compare.splits import match_splits_and_merges
from drafting.text.draft_format import Block

# Word overlap (Dice coefficient over distinct words, marks aside) a pair needs to count as one
# paragraph edited: lower between two anchors, where position already speaks for the pair,
# higher for a move across the document. MOVE_SIMILARITY was chosen on the shared corpus (the
# best candidate of every block left free, at any overlap, read by hand): the moved and
# edited examples score 0.662 (DMA recital (46) -> (49)) and 0.667 (the Canadian Act's note
# "Draft of proposed regulation to be tabled" -> "Tabling of draft of proposed regulation"),
# DMA (31) -> (71) 0.670; the highest pair that is no edit of the other scores 0.600 (Canadian
# Act 57 "The Commissioner may initiate a review of" -> 78.4 "The Commissioner may"), as does
# one that is (DMA Article 36(d) -> 46(m)). 0.62 keeps the first and leaves the second.
IN_GAP_SIMILARITY = 0.5
MOVE_SIMILARITY = 0.62


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
    match_splits_and_merges(alignment)
    match_headings_by_content(alignment, alignment.identified)
    return Comparison(list(old), list(new), alignment.entries())


class _Alignment:
    """The matching state between two versions, filled in by successive passes."""

    def __init__(self, old: Sequence[Block], new: Sequence[Block]) -> None:
        self.old = Side(old)
        self.new = Side(new)
        self.groups: list[Group] = []
        # Groups scoring below 1.0: the edited blocks that splits and merges start from.
        self.weak: list[Group] = []
        # Old blocks paired by stable identity: no later evidence overrides that.
        self.identified: set[int] = set()
        self._ordered: list[Group] | None = None
        self._chain: tuple[list[int], list[Group]] | None = None

    def link(
        self, olds: tuple[int, ...], news: tuple[int, ...], score: float, same: bool = False
    ) -> None:
        group = new_group((olds, news, score, same))
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
        groups = list(map(new_group, zip(zip(olds), zip(news), repeat(1.0), repeat(True))))
        self.groups.extend(groups)
        consume(map(self.old.group.__setitem__, olds, groups))
        consume(map(self.new.group.__setitem__, news, groups))
        self._ordered = self._chain = None
        self.old.changed()
        self.new.changed()

    def unlink(self, group: Group) -> None:
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
                self.identified.add(index)
                self.link((index,), (partner,), self.similarity(index, partner))

    def match_identical_texts(self) -> None:
        """Texts found once on each side pair up wherever they stand; repeated texts pair up
        only between those anchors, recursively, as in patience diff."""
        olds, news = self.old.free(), self.new.free()
        self.link_identical(*unique_pairs(olds, news, self.old.keys, self.new.keys))
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
            paired_olds, paired_news = unique_pairs(olds, news, old_keys, new_keys)
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
        for olds, news in self.gaps():
            if not olds or not news:
                continue
            if len(olds) == 1 and len(news) == 1:
                self._match_pair_in_gap(olds[0], news[0])
                continue
            if len(olds) * len(news) <= SMALL_GAP_PAIRS:
                candidates = [(i, j) for j in news for i in olds]
            else:
                # The gap's own index: its old blocks are exactly the free ones between the
                # two anchors, so it finds what an index of the whole side would in that range,
                # without a search in every long posting of a common word. Pairing blocks first
                # by walking in from the gap's ends while they are alike (every paragraph
                # edited in place) would halve this pass's time there, but is not the same
                # answer: whether a pair is a candidate depends on its words' rarity in the
                # whole gap, and the heaviest chain on every rival pair; on the DMA corpus pair
                # it leaves an edited paragraph (old 152, new 204) deleted and added.
                old_index = WordIndex(self.old, olds)
                candidates = [
                    (i, j)
                    for j in news
                    for i in old_index.candidates(self.new.words(j), self.old.group)
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
        if old_block.kind == "heading":
            score = heading_similarity(old_block, new_block)
            if score >= IN_GAP_SIMILARITY:
                self.link((i,), (j,), score)
            return
        old_words, new_words = self.old.unkept_words(i), self.new.unkept_words(j)
        score = dice(old_words, new_words)
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
        old_index = WordIndex(self.old, olds)
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

    def similarity(
        self, old_index: int, new_index: int, new_words: frozenset[str] | None = None
    ) -> float:
        """How alike two blocks are (``new_words``: the new block's words, if at hand)."""
        old_block, new_block = self.old.blocks[old_index], self.new.blocks[new_index]
        if old_block.kind != new_block.kind:
            return 0.0
        if old_block.text == new_block.text:
            return 1.0
        if old_block.kind == "heading":
            return heading_similarity(old_block, new_block)
        if new_words is None:
            new_words = self.new.words(new_index)
        return dice(self.old.words(old_index), new_words)

    def ordered(self) -> list[Group]:
        """Every group, by its first new block."""
        if self._ordered is None:
            ordered = list(filter(None, self.new.group))
            if len(ordered) != len(self.groups):
                # A group of several new blocks (a split) stood at each of them.
                ordered = sorted(self.groups, key=lambda group: group.new[0])
            self._ordered = ordered
        return self._ordered

    def chain(self) -> list[Group]:
        """The largest set of matched groups whose order is the same on both sides."""
        return self.chain_positions()[1]

    def chain_positions(self) -> tuple[list[int], list[Group]]:
        """The chain, and its groups' positions in ``ordered``."""
        if self._chain is None:
            ordered = self.ordered()
            positions = longest_increasing(list(map(first_item, map(first_item, ordered))))
            self._chain = (positions, list(map(ordered.__getitem__, positions)))
        return self._chain

    def gaps(self) -> list[tuple[list[int], list[int]]]:
        """Unmatched old and new blocks between consecutive anchors of the chain, for the gaps
        that have any."""
        chain = self.chain()
        old_bounds = list(map(first_item, map(first_item, chain)))
        new_bounds = list(map(first_item, map(new_of, chain)))
        gaps: dict[int, tuple[list[int], list[int]]] = {}
        for index in self.old.free():
            gaps.setdefault(bisect_right(old_bounds, index), ([], []))[0].append(index)
        for index in self.new.free():
            gaps.setdefault(bisect_right(new_bounds, index), ([], []))[1].append(index)
        return [gaps[gap] for gap in sorted(gaps)]

    def entries(self) -> list[Entry]:
        """The comparison's entries (see entries.alignment_entries)."""
        return alignment_entries(self)
