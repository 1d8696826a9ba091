"""Whether a proposed wording still applies once another change has been made to the same
paragraph: a three-way merge of words. Both changes are read as word edits of the text they
were written on; if none of one touches the words of the other, the proposal is carried onto
the new text ("rebased"); otherwise it proposes to change a text that no longer exists.
"""

from __future__ import annotations

import itertools
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

import fast_diff_match_patch

from drafting.compare.words import tokenize


@dataclass(frozen=True)
class WordEdit:
    """Tokens ``start``..``end`` of the original text replaced by ``tokens`` (an insertion
    when the range is empty, a deletion when ``tokens`` is)."""

    start: int
    end: int
    tokens: tuple[str, ...]

    def clashes(self, other: WordEdit) -> bool:
        """Whether the two edits cannot both be made: they change a word in common, insert at
        the same place, or one inserts inside what the other replaces."""
        if self.start == self.end and other.start == other.end:
            return self.start == other.start
        if self.start == self.end:
            return other.start < self.start < other.end
        if other.start == other.end:
            return self.start < other.start < self.end
        return self.start < other.end and other.start < self.end


def word_edits(old_tokens: list[str], new_tokens: list[str]) -> list[WordEdit]:
    """The edits turning ``old_tokens`` into ``new_tokens``, exact (no clean-up that would
    widen an edit over words it does not change)."""
    vocabulary = dict.fromkeys(old_tokens + new_tokens)
    codes = dict(zip(vocabulary, map(chr, _fresh_codes(len(vocabulary))), strict=True))
    old_codes = "".join(codes[t] for t in old_tokens)
    new_codes = "".join(codes[t] for t in new_tokens)
    edits: list[WordEdit] = []
    at = new_at = 0
    pending: tuple[int, int, list[str]] | None = None
    for op, text in fast_diff_match_patch.diff(old_codes, new_codes, 0, False, "No", False):
        if op == "=":
            if pending is not None:
                edits.append(WordEdit(pending[0], pending[1], tuple(pending[2])))
                pending = None
            at += len(text)
            new_at += len(text)
            continue
        if pending is None:
            pending = (at, at, [])
        if op == "-":
            at += len(text)
            pending = (pending[0], at, pending[2])
        else:
            pending[2].extend(new_tokens[new_at : new_at + len(text)])
            new_at += len(text)
    if pending is not None:
        edits.append(WordEdit(pending[0], pending[1], tuple(pending[2])))
    return edits


def _fresh_codes(count: int):
    """Token codes, as in `words`: every character from U+0100 on, surrogates left out."""
    return itertools.islice(itertools.chain(range(0x100, 0xD800), range(0xE000, 0x110000)), count)


def _any_clash(made: list[WordEdit], wanted: list[WordEdit]) -> bool:
    """Whether an edit of one list clashes with one of the other. Each list is in order and
    its edits do not overlap, so only the few edits of ``made`` around each one are looked at:
    linear, even for a paragraph rewritten word by word."""
    ends = [edit.end for edit in made]
    for edit in wanted:
        index = bisect_left(ends, edit.start)
        while index < len(made) and made[index].start <= edit.end:
            if made[index].clashes(edit):
                return True
            index += 1
    return False


@lru_cache(maxsize=64)
def _made(base: str, current: str) -> tuple[list[str], list[WordEdit]]:
    """The change already made to a paragraph, read once for all the amendments on it (a
    compilation rebases them one after another). Callers only read what it returns."""
    base_tokens = tokenize(base)
    return base_tokens, word_edits(base_tokens, tokenize(current))


def rebase(base: str, current: str, proposed: str) -> str | None:
    """``proposed`` (written on ``base``) carried onto ``current`` (``base`` changed by someone
    else): the current text with the proposal's own word edits made in it, or None when the
    two change the same words, or insert at the same place."""
    base_tokens, made = _made(base, current)
    wanted = word_edits(base_tokens, tokenize(proposed))
    if _any_clash(made, wanted):
        return None
    merged: list[str] = []
    position = 0
    # An insertion sorts before a replacement starting at the same word, and no two overlap.
    for edit in sorted([*made, *wanted], key=lambda e: (e.start, e.end)):
        merged.extend(base_tokens[position : edit.start])
        merged.extend(edit.tokens)
        position = edit.end
    merged.extend(base_tokens[position:])
    return "".join(merged)
