"""What the alignment weighs: each version's blocks with their exact keys and word sets (Side),
the index of rare words that proposes the few blocks worth scoring (WordIndex), the measures of
likeness (dice, containment), and the groups that pair old blocks with new ones.

Kept apart from the passes in align, which decide, so that those read as the order of evidence
they follow. Much here is written for speed on 5,000-paragraph drafts (groups made in bulk,
word sets let go while in cache): bench/ measures it."""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, deque
from collections.abc import Iterable, Sequence
from functools import partial
from itertools import compress, repeat
from operator import is_, is_not, itemgetter
from typing import NamedTuple

from drafting.text.draft_format import Block

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

# Similarity is measured on words, not on the marks around them: "*Draft" and "draft",
# "tabled*" and "tabled", "(46)" and "46" are the same words. Each mark becomes a space, one
# str.replace each: a mark absent costs a scan at C speed, where str.translate costs a
# dictionary lookup per character (five times as long on a German text).
_MARKS = (",", ".", "*", "_", "(", ")", "[", "]", ";", ":", "/", '"', "'", "“", "”", "‘", "’")


def word_set(text: str) -> frozenset[str]:
    """The distinct words of a text, lower-cased and without marks: what likeness is measured
    on."""
    text = text.lower()
    for mark in _MARKS:
        text = text.replace(mark, " ")
    return frozenset(text.split())


def exact_key(block: Block) -> Key:
    """What exact matching hashes: a paragraph's text as written (no copy, and strings cost the
    garbage collector nothing), a heading's text marked with its kind and level. NUL never
    occurs in a draft. Blocks differing only in white space are paired by similarity later
    and then found unchanged by same_text."""
    if block.kind == "paragraph":
        return block.text
    return f"\x00{block.kind}{block.level}\x00{block.text}"


class Group(NamedTuple):
    """Old and new blocks aligned with each other, how alike their texts are, and whether they
    were paired for having the same exact key (then their entry is unchanged, no need to look).

    A named tuple, so that the thousands of groups of identical texts are made in bulk
    (``new_group`` from a map, without a Python call each)."""

    old: tuple[int, ...]
    new: tuple[int, ...]
    score: float
    same: bool = False


new_group = partial(tuple.__new__, Group)


first_item = itemgetter(0)  # a group's old blocks, a tuple's first item


new_of = itemgetter(1)  # a group's new blocks


_second = itemgetter(1)


same_of = itemgetter(3)  # whether a group's blocks have the same key


def consume(iterator: Iterable[object]) -> None:
    """Run an iterator (of ``map``-ped setters) to its end at C speed."""
    deque(iterator, maxlen=0)


def exact_keys(blocks: Sequence[Block]) -> list[Key]:
    """``exact_key`` of every block, without a call for each paragraph."""
    return [block.text if block.kind == "paragraph" else exact_key(block) for block in blocks]


class Side:
    """One version's blocks with what matching needs of them, computed once and on demand."""

    def __init__(self, blocks: Sequence[Block]) -> None:
        self.blocks = blocks
        self.keys = exact_keys(blocks)
        self.group: list[Group | None] = [None] * len(blocks)
        # Every position once: lists of positions share these int objects instead of each
        # making its own (on a long draft, thousands of allocations per listing).
        self.positions = list(range(len(blocks)))
        self._words: dict[int, frozenset[str]] = {}
        self._free: list[int] | None = None

    def words(self, index: int) -> frozenset[str]:
        """The distinct words of a block, lower-cased: what similarity is measured on."""
        words = self._words.get(index)
        if words is None:
            words = self._words[index] = word_set(self.blocks[index].text)
        return words

    def unkept_words(self, index: int) -> frozenset[str]:
        """``words``, without keeping them if they were not kept already."""
        words = self._words.get(index)
        if words is None:
            return word_set(self.blocks[index].text)
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

    def assign(self, indexes: tuple[int, ...], group: Group | None) -> None:
        for index in indexes:
            self.group[index] = group
        self._free = None

    def changed(self) -> None:
        """Note that ``group`` was filled in directly: free positions are listed afresh."""
        self._free = None

    def is_free(self, index: int) -> bool:
        return self.group[index] is None


class WordIndex:
    """Blocks of one side by the words they contain, to find the few blocks worth scoring."""

    def __init__(self, side: Side, members: list[int]) -> None:
        postings: dict[str, list[int]] = {}
        for index in members:
            for word in side.words(index):
                postings.setdefault(word, []).append(index)
        self.postings = postings
        # How many blocks hold each word: the key the rarest words are sorted by, read in C.
        self.sizes = dict(zip(postings, map(len, postings.values()), strict=True))

    def candidates(
        self,
        words: frozenset[str],
        group: list[Group | None],
        low: int = 0,
        high: int | None = None,
    ) -> list[int]:
        """Blocks in positions [low, high) that share the most of these words' rarest ones,
        among those still free (whose ``group`` is None)."""
        postings = self.postings
        if high is None:
            # Each word's blocks, all of them: ranked by how few blocks hold the word, then by
            # the word, without a step per word (two sorts in C: by word, then stably by size,
            # instead of one over (size, word) pairs that compares the words of every tie).
            sizes = self.sizes
            rare = sorted(filter(postings.__contains__, words))
            rare.sort(key=sizes.__getitem__)
            while rare and sizes[rare[-1]] > MAX_POSTING:
                rare.pop()
            picked = list(map(postings.__getitem__, rare[:RARE_WORDS]))
        else:
            shared = list(words & postings.keys())
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


def free_runs(side: Side) -> list[tuple[int, int]]:
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


def unique_pairs(
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


def dice(one: frozenset[str], other: frozenset[str]) -> float:
    total = len(one) + len(other)
    return 2 * len(one & other) / total if total else 0.0


def containment(piece: frozenset[str], whole: frozenset[str]) -> float:
    return len(piece & whole) / len(piece) if piece else 0.0
