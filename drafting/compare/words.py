"""Word-level differences between two paragraph texts, as a reader of a redline expects them.

diff-match-patch diffs characters; a delegate reads words. So the part of the two texts that
differs is cut into words and punctuation marks (each carrying the white space before it), every
distinct token is coded as one character (the trick ``diff_linesToChars`` plays with lines), the
coded strings are diffed exactly (``Diff_Timeout = 0``, so the same pair always gives the same
redline) and cleaned up at token level, then decoded. An edit therefore never starts or ends
inside a word.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence

import fast_diff_match_patch
from diff_match_patch import diff_match_patch

from drafting.compare.model import DiffOp
from drafting.compare.sequences import longest_increasing

# Split and merged entries are diffed as the texts of their blocks joined by this separator, so
# that the redline of "one paragraph became two" shows only the words that changed.
JOIN_SEPARATOR = " "

DELETE, EQUAL, INSERT = -1, 0, 1

# A word carries the white space before it: half as many tokens as counting spaces apart, which
# roughly halves the time of an exact diff, and an edit still starts and ends at a word boundary.
# Possessive quantifiers: the same tokens, found without keeping backtracking points.
_TOKEN = re.compile(r"\s*+\w++(?:['’]\w++)*+|\s*+[^\w\s]|\s++", re.UNICODE)
_SENTENCE_END = frozenset(".;:!?")
_RUN_START = re.compile(r"(?<=\S)\s")
# Token codes: every character from U+0100 on, surrogates left out (a str may hold them, but
# nothing should ever print one by mistake).
_CODE_RANGES = (range(0x100, 0xD800), range(0xE000, 0x110000))
_MAX_CODES = 0x110000 - 0x100 - 0x800
# The first codes, made once: a paragraph's vocabulary takes its codes from here without a chr()
# call and a new one-character string per token (beyond Latin-1, Python keeps no such strings).
_FIRST_CODES = tuple(map(chr, range(0x100, 0x100 + 1024)))
# Myers' exact diff costs up to (old tokens x new tokens) steps in pure Python. Paragraphs of
# real declarations stay far below this; longer stretches are first pinned by chunks that occur
# once in each text (patience diff), and a stretch still too large is shown replaced whole.
_EXACT_CELLS = 600_000
_CHUNK_SPACING = 16


class _TokenDiffer(diff_match_patch):
    """diff-match-patch over token codes, without the character-class boundary shifting.

    Semantic lossless cleanup scores boundaries by whether characters are letters, spaces or
    line breaks; on token codes those classes are meaningless, so that pass is switched off.
    """

    def __init__(self) -> None:
        super().__init__()
        self.Diff_Timeout = 0

    def diff_cleanupSemanticLossless(self, diffs: list) -> None:
        return None


_DIFFER = _TokenDiffer()


def tokenize(text: str) -> list[str]:
    """Cut a text into words (letters and digits, with inner apostrophes) and single punctuation
    marks, each with the white space before it; joined back, the tokens give the text."""
    return _TOKEN.findall(text)


def join_texts(texts: Sequence[str]) -> str:
    """The text a split or merged entry is diffed on: its blocks' texts in order."""
    return JOIN_SEPARATOR.join(texts)


def diff_words(old_text: str, new_text: str) -> tuple[DiffOp, ...]:
    """Word-level operations turning ``old_text`` into ``new_text`` (-1 deleted, 0 kept,
    1 inserted), with short kept stretches between edits folded in so that phrases read whole."""
    if old_text == new_text:
        return ((EQUAL, old_text),) if old_text else ()
    head = _common_head(old_text, new_text)
    tail = _common_tail(old_text, new_text, head)
    old_middle = old_text[head : len(old_text) - tail]
    new_middle = new_text[head : len(new_text) - tail]
    if not old_middle or not new_middle:
        # Words only inserted or only deleted: what the exact diff would say, without it.
        middle = [(DELETE, old_middle), (INSERT, new_middle)]
        return _merged(
            [(EQUAL, old_text[:head]), *middle, (EQUAL, old_text[len(old_text) - tail :])]
        )
    old_tokens, new_tokens = tokenize(old_middle), tokenize(new_middle)
    codes = _token_codes(old_tokens + new_tokens)
    if (
        codes is None
        or (len(old_tokens) == 1 and old_tokens[0] not in new_tokens)
        or (len(new_tokens) == 1 and new_tokens[0] not in old_tokens)
    ):
        # Also the exact diff's answer when one side is a single token that the other lacks
        # (one word replaced by others): no common start or end to keep, all deleted, all
        # inserted, and no equality for the semantic clean-up to work on.
        middle = [(DELETE, old_middle), (INSERT, new_middle)]
    else:
        encode = codes.__getitem__
        old_codes, new_codes = "".join(map(encode, old_tokens)), "".join(map(encode, new_tokens))
        if len(old_codes) * len(new_codes) <= _EXACT_CELLS:
            fast_diffs = _fast_diff(old_codes, new_codes, 0, False, "No", False)
            plain = _plain_decoded(fast_diffs, old_tokens, new_tokens)
            if plain is not None:
                return _with_ends(old_text, head, tail, plain)
            diffs = [(_FAST_OPS[op], text) for op, text in fast_diffs]
        else:
            diffs = _diff_by_chunks(old_codes, new_codes, _chunk_ends(codes))
        if any(op == EQUAL for op, _ in diffs[1:-1]) and _cleanup_would_change(diffs):
            _DIFFER.diff_cleanupSemantic(diffs)
        middle = _decoded(diffs, old_middle, old_tokens, new_middle, new_tokens)
    return _merged([(EQUAL, old_text[:head]), *middle, (EQUAL, old_text[len(old_text) - tail :])])


def _token_codes(tokens: list[str]) -> dict[str, str] | None:
    """A code for each distinct token (None if there are more tokens than codes). The exact
    diff compares codes only for equality, so any one-to-one coding gives it the same
    operations: on a paragraph's few tokens, each is coded by the place of its last occurrence
    (one dict, where numbering the distinct tokens first takes two). Either way the dict lists
    the tokens in order of first occurrence, which the chunks of a long text are cut by."""
    if len(tokens) <= len(_FIRST_CODES):
        return dict(zip(tokens, _FIRST_CODES, strict=False))
    vocabulary = dict.fromkeys(tokens)
    if len(vocabulary) > _MAX_CODES:
        return None
    return dict(zip(vocabulary, map(chr, itertools.chain(*_CODE_RANGES)), strict=False))


def _plain_decoded(
    diffs: list[tuple[str, str]], old_tokens: list[str], new_tokens: list[str]
) -> list[tuple[int, str]] | None:
    """The exact diff's operations (as fast_diff_match_patch gives them: "=", "-", "+" and
    token codes) with their texts, or None where the semantic clean-up might change them or
    they are not as diff_main leaves them (an empty text, two of one kind in a row); then
    the general way decides. ``_cleanup_would_change`` and ``_decoded`` in one walk, for the
    most paragraphs, which need neither the clean-up nor integer operations: each code stands
    for one token, so each text is the tokens the codes cover, joined."""
    decoded = []
    kept = before = inserted = deleted = 0
    previous_op = previous_text = ""
    old_at = new_at = 0
    for op, codes in diffs:
        if op == previous_op or not codes:
            return None
        count = len(codes)
        if op == "=":
            if kept and kept <= before and kept <= max(inserted, deleted):
                return None
            kept, before, inserted, deleted = count, max(inserted, deleted), 0, 0
            decoded.append((EQUAL, "".join(old_tokens[old_at : old_at + count])))
            old_at += count
            new_at += count
        elif op == "+":
            if previous_op == "-" and not set(previous_text).isdisjoint(codes):
                return None
            inserted += count
            decoded.append((INSERT, "".join(new_tokens[new_at : new_at + count])))
            new_at += count
        else:
            deleted += count
            decoded.append((DELETE, "".join(old_tokens[old_at : old_at + count])))
            old_at += count
        previous_op, previous_text = op, codes
    if kept and kept <= before and kept <= max(inserted, deleted):
        return None
    return decoded


def _with_ends(
    text: str, head: int, tail: int, middle: list[tuple[int, str]]
) -> tuple[DiffOp, ...]:
    """``_merged`` of the common beginning, the middle's operations and the common ending,
    for a middle with no empty text and no two operations of one kind in a row: only its
    ends may join the beginning and the ending."""
    if head:
        if middle[0][0] == EQUAL:
            middle[0] = (EQUAL, text[:head] + middle[0][1])
        else:
            middle.insert(0, (EQUAL, text[:head]))
    if tail:
        if middle[-1][0] == EQUAL:
            middle[-1] = (EQUAL, middle[-1][1] + text[len(text) - tail :])
        else:
            middle.append((EQUAL, text[len(text) - tail :]))
    return tuple(middle)


def _cleanup_would_change(diffs: list[tuple[int, str]]) -> bool:
    """False only where diff-match-patch's semantic clean-up would leave the diff as it is, as
    it does for most paragraphs: no kept stretch it would fold into the edits around it, and no
    deletion beside an insertion that share a token (an overlap it would pull out). A quick
    walk instead of the clean-up's; where this says True, the clean-up itself decides.

    The clean-up folds a kept stretch when it is no longer than the longer side of the edits
    before it and of those after it; those only grow as the edits after it are read, so the
    walk checks each stretch once, when the edits after it end."""
    kept = before = inserted = deleted = 0
    previous_op, previous_text = EQUAL, ""
    for op, text in diffs:
        if op == EQUAL:
            if kept and kept <= before and kept <= max(inserted, deleted):
                return True
            kept, before, inserted, deleted = len(text), max(inserted, deleted), 0, 0
        elif not text:
            return True
        elif op == INSERT:
            inserted += len(text)
            if previous_op == DELETE and not set(previous_text).isdisjoint(text):
                return True
        else:
            deleted += len(text)
        previous_op, previous_text = op, text
    return bool(kept) and kept <= before and kept <= max(inserted, deleted)


def _decoded(
    diffs: list[tuple[int, str]],
    old: str,
    old_tokens: list[str],
    new: str,
    new_tokens: list[str],
) -> list[tuple[int, str]]:
    """The operations with their texts instead of token codes. Kept and deleted codes run through
    the old tokens in order, inserted ones through the new, one code per token: each text is
    therefore a slice of the old or new middle, cut at token ends, with no lookup per token."""
    old_ends = [0, *itertools.accumulate(map(len, old_tokens))]
    new_ends = [0, *itertools.accumulate(map(len, new_tokens))]
    decoded = []
    old_at = new_at = 0
    for op, codes in diffs:
        if op == INSERT:
            new_to = new_at + len(codes)
            decoded.append((op, new[new_ends[new_at] : new_ends[new_to]]))
            new_at = new_to
        else:
            old_to = old_at + len(codes)
            decoded.append((op, old[old_ends[old_at] : old_ends[old_to]]))
            old_at = old_to
            if op == EQUAL:
                new_at += len(codes)
    return decoded


def _common_head(old: str, new: str) -> int:
    """Length of the common beginning, cut back to a word boundary: only the differing middle
    is tokenised and diffed, which is most of the speed on paragraphs with one small edit."""
    length = _prefix_length(old, new)
    if _starts_token(old, length) and _starts_token(new, length):
        return length
    cut = max(old.rfind(" ", 0, length), old.rfind("\n", 0, length))
    while cut > 0 and old[cut - 1].isspace():
        cut -= 1
    return max(cut, 0)


def _common_tail(old: str, new: str, head: int) -> int:
    """Length of the common ending after ``head``, starting at a word boundary."""
    length = _suffix_length(old, new, head)
    start = len(old) - length
    if _starts_token(old, start) and _starts_token(new, len(new) - length):
        return length
    found = _RUN_START.search(old, start + 1)
    return len(old) - found.start() if found else 0


def _prefix_length(old: str, new: str) -> int:
    """``diff_commonPrefix``: on ASCII texts (most drafts), the texts read as two big integers
    and XORed give the first difference in a few C operations, instead of a binary search
    that slices both texts a dozen times."""
    if old.isascii() and new.isascii():
        length = min(len(old), len(new))
        first = int.from_bytes(old[:length].encode("ascii"), "big")
        differ = first ^ int.from_bytes(new[:length].encode("ascii"), "big")
        return length - 1 - (differ.bit_length() - 1) // 8 if differ else length
    return _DIFFER.diff_commonPrefix(old, new)


def _suffix_length(old: str, new: str, head: int) -> int:
    """``diff_commonSuffix(old[head:], new[head:])``, the same way as ``_prefix_length``."""
    if old.isascii() and new.isascii():
        length = min(len(old), len(new)) - head
        last = int.from_bytes(old[len(old) - length :].encode("ascii"), "little")
        differ = last ^ int.from_bytes(new[len(new) - length :].encode("ascii"), "little")
        return length - 1 - (differ.bit_length() - 1) // 8 if differ else length
    return _DIFFER.diff_commonSuffix(old[head:], new[head:])


def _starts_token(text: str, index: int) -> bool:
    """True at the ends of the text and where a run of white space follows a non-space: the
    places where a token surely begins, whatever comes after."""
    if index <= 0 or index >= len(text):
        return True
    return text[index].isspace() and not text[index - 1].isspace()


def _exact_diff(old: str, new: str) -> list[tuple[int, str]]:
    """diff-match-patch's exact diff (no time-out, no half-match shortcut), in its C++ build:
    the same algorithm and the same result as the Python one, about ten times faster."""
    # Positional arguments (timelimit, checklines, cleanup, counts_only): parsing keywords
    # costs a tenth of a call on the short coded strings of a paragraph.
    ops = _fast_diff(old, new, 0, False, "No", False)
    return [(_FAST_OPS[op], text) for op, text in ops]


_FAST_OPS = {"=": EQUAL, "-": DELETE, "+": INSERT}
_fast_diff = fast_diff_match_patch.diff


def _diff_by_chunks(old: str, new: str, chunk_ends: set[str]) -> list[tuple[int, str]]:
    """Patience diff over content-defined chunks, exact diff between the anchors it finds."""
    old_chunks, new_chunks = _chunks(old, chunk_ends), _chunks(new, chunk_ends)
    anchors = _unique_common_chain(old_chunks, new_chunks)
    diffs: list[tuple[int, str]] = []
    old_pos = new_pos = 0
    old_starts = _starts(old_chunks)
    new_starts = _starts(new_chunks)
    for old_index, new_index in [*anchors, (len(old_chunks), len(new_chunks))]:
        old_at, new_at = old_starts[old_index], new_starts[new_index]
        diffs.extend(_diff_stretch(old[old_pos:old_at], new[new_pos:new_at]))
        if old_index < len(old_chunks):
            chunk = old_chunks[old_index]
            diffs.append((EQUAL, chunk))
            old_pos, new_pos = old_at + len(chunk), new_at + len(chunk)
    _DIFFER.diff_cleanupMerge(diffs)
    return diffs


def _diff_stretch(old: str, new: str) -> list[tuple[int, str]]:
    if not old and not new:
        return []
    if len(old) * len(new) <= _EXACT_CELLS:
        return _exact_diff(old, new)
    return [(op, text) for op, text in ((DELETE, old), (INSERT, new)) if text]


def _chunk_ends(codes: dict[str, str]) -> set[str]:
    """Codes a chunk ends after: sentence ends, and one token in sixteen of the vocabulary."""
    return {
        code
        for number, (token, code) in enumerate(codes.items())
        if number % _CHUNK_SPACING == _CHUNK_SPACING - 1 or token.strip() in _SENTENCE_END
    }


def _chunks(codes: str, chunk_ends: set[str]) -> list[str]:
    """Cut a coded string after sentence ends and after one word in sixteen of the vocabulary:
    boundaries depend on the tokens only, so an insertion does not shift the later chunks."""
    chunks, start = [], 0
    for index, code in enumerate(codes):
        if code in chunk_ends:
            chunks.append(codes[start : index + 1])
            start = index + 1
    if start < len(codes):
        chunks.append(codes[start:])
    return chunks


def _starts(chunks: list[str]) -> list[int]:
    starts, position = [], 0
    for chunk in chunks:
        starts.append(position)
        position += len(chunk)
    starts.append(position)
    return starts


def _unique_common_chain(old: list[str], new: list[str]) -> list[tuple[int, int]]:
    """Pairs of chunks occurring exactly once on each side, longest chain in order on both."""
    old_counts, new_counts = Counter(old), Counter(new)
    new_index = {chunk: index for index, chunk in enumerate(new) if new_counts[chunk] == 1}
    pairs = [
        (index, new_index[chunk])
        for index, chunk in enumerate(old)
        if old_counts[chunk] == 1 and chunk in new_index
    ]
    chain = longest_increasing([new for _, new in pairs])
    return [pairs[index] for index in chain]


def _merged(diffs: list[tuple[int, str]]) -> tuple[DiffOp, ...]:
    """Adjacent operations of one kind joined and empty ones dropped, once decoded."""
    merged: list[tuple[int, str]] = []
    for op, text in diffs:
        if not text:
            continue
        if merged and merged[-1][0] == op:
            merged[-1] = (op, merged[-1][1] + text)
        else:
            merged.append((op, text))
    return tuple(merged)
