"""Word-level redlines that a delegate reads as whole words and phrases."""

from __future__ import annotations

import random

import pytest

from drafting.compare import diff_words
from drafting.compare.words import JOIN_SEPARATOR


def sides(diff) -> tuple[str, str]:
    old = "".join(text for op, text in diff if op <= 0)
    new = "".join(text for op, text in diff if op >= 0)
    return old, new


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("The Parties shall meet annually.", "The Parties shall meet every two years."),
        ("", "Welcomes the report."),
        ("Welcomes the report.", ""),
        ("Grundgesetz für die Bundesrepublik", "Grundgesetz für die Bundesrepublik Deutschland"),
        ("a  b\nc", "a b c"),
    ],
)
def test_diff_gives_back_both_texts(old, new):
    assert sides(diff_words(old, new)) == (old, new)


def test_changed_word_is_replaced_whole_not_by_letters():
    diff = diff_words("the Minister shall report", "the Ministers shall report")
    assert diff == ((0, "the"), (-1, " Minister"), (1, " Ministers"), (0, " shall report"))


def test_neighbouring_changes_read_as_one_phrase():
    diff = diff_words("The quick brown fox jumps.", "The slow red fox jumps.")
    assert [(op, text) for op, text in diff if op] == [(-1, " quick brown"), (1, " slow red")]


def inside_a_word(text: str, position: int) -> bool:
    return 0 < position < len(text) and (text[position - 1] + text[position]).isalnum()


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Stresses the role of the Party's focal points", "Stresses the role of focal points"),
        ("Decides to convene (a) a meeting in 2027", "Decides to convene (b) two meetings in 2028"),
        ("Recalls resolution 70/1", "Recalls resolutions 70/1 and 71/313"),
    ],
)
def test_no_edit_starts_or_ends_inside_a_word(old, new):
    old_at = new_at = 0
    for op, text in diff_words(old, new):
        old_at += len(text) if op <= 0 else 0
        new_at += len(text) if op >= 0 else 0
        assert not inside_a_word(old, old_at) and not inside_a_word(new, new_at)


@pytest.mark.parametrize("text", ["", "Unchanged paragraph."])
def test_identical_texts_give_no_edit(text):
    assert all(op == 0 for op, _ in diff_words(text, text))


def test_same_pair_always_gives_the_same_redline():
    old, new = "Urges all donors to act now", "Urges donors to act without delay"
    assert diff_words(old, new) == diff_words(old, new)


def test_split_texts_are_joined_by_one_space():
    assert JOIN_SEPARATOR == " "


def megabyte_paragraph(seed: int) -> str:
    rng = random.Random(seed)
    words = ["".join(rng.choices("abcdefghijklmnop", k=rng.randint(2, 9))) for _ in range(5000)]
    sentence_ends = rng.choices([" ", " ", " ", " ", ". "], k=190_000)
    chosen = rng.choices(words, k=190_000)
    return "".join(word + end for word, end in zip(chosen, sentence_ends, strict=True))


@pytest.mark.parametrize("other", ["edited", "unrelated"])
def test_megabyte_paragraph_is_diffed_without_hanging(other):
    old = megabyte_paragraph(1)
    assert len(old) > 1_000_000
    if other == "edited":
        new = old[:300_000] + "INSERTED WORDS " + old[300_000:700_000] + old[700_100:]
    else:
        new = megabyte_paragraph(2)
    assert sides(diff_words(old, new)) == (old, new)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # Words only inserted, only deleted, or one word replaced by others: answered without
        # the exact diff, and the same as its answer.
        (
            "We agree to act.",
            "We agree to act now.",
            ((0, "We agree to act"), (1, " now"), (0, ".")),
        ),
        (
            "We agree to act now.",
            "We agree to act.",
            ((0, "We agree to act"), (-1, " now"), (0, ".")),
        ),
        (
            "a big dog barks",
            "a very small dog barks",
            ((0, "a"), (-1, " big"), (1, " very small"), (0, " dog barks")),
        ),
        (
            "a very small dog",
            "a big dog",
            ((0, "a"), (-1, " very small"), (1, " big"), (0, " dog")),
        ),
        # The single word occurs on the other side: the exact diff keeps it.
        ("the cat the", "the dog cat the", ((0, "the"), (1, " dog"), (0, " cat the"))),
        # ... unless a kept word that short is folded into the phrase around it.
        ("a dog", "a big dog barks", ((0, "a"), (-1, " dog"), (1, " big dog barks"))),
    ],
)
def test_simple_edits_give_the_exact_redline(old, new, expected):
    assert diff_words(old, new) == expected


def test_semantic_clean_up_is_skipped_only_where_it_would_change_nothing():
    from drafting.compare.words import _DIFFER, _cleanup_would_change

    rng = random.Random(3)
    skipped = 0
    for _ in range(5_000):
        diffs = [
            (rng.choice((-1, 0, 1)), "".join(rng.choices("abcd", k=rng.randint(0, 5))))
            for _ in range(rng.randint(1, 9))
        ]
        if not _cleanup_would_change(diffs):
            cleaned = list(diffs)
            _DIFFER.diff_cleanupSemantic(cleaned)
            assert cleaned == diffs
            skipped += 1
    assert skipped > 1_000


def _general_diff_words(old: str, new: str) -> tuple:
    """diff_words the general way, which its fast path must agree with: the distinct tokens
    numbered in order, the exact diff, the clean-up wherever it may change anything, decoded
    through the token ends, merged."""
    from drafting.compare.words import (
        _DIFFER,
        _cleanup_would_change,
        _common_head,
        _common_tail,
        _decoded,
        _exact_diff,
        _merged,
        tokenize,
    )

    if old == new:
        return ((0, old),) if old else ()
    head = _common_head(old, new)
    tail = _common_tail(old, new, head)
    old_middle, new_middle = old[head : len(old) - tail], new[head : len(new) - tail]
    old_tokens, new_tokens = tokenize(old_middle), tokenize(new_middle)
    codes = {
        token: chr(0x100 + n) for n, token in enumerate(dict.fromkeys(old_tokens + new_tokens))
    }
    if (
        not old_middle
        or not new_middle
        or (len(old_tokens) == 1 and old_tokens[0] not in new_tokens)
        or (len(new_tokens) == 1 and new_tokens[0] not in old_tokens)
    ):
        middle = [(-1, old_middle), (1, new_middle)]
    else:
        diffs = _exact_diff(
            "".join(map(codes.__getitem__, old_tokens)), "".join(map(codes.__getitem__, new_tokens))
        )
        if any(op == 0 for op, _ in diffs[1:-1]) and _cleanup_would_change(diffs):
            _DIFFER.diff_cleanupSemantic(diffs)
        middle = _decoded(diffs, old_middle, old_tokens, new_middle, new_tokens)
    return _merged([(0, old[:head]), *middle, (0, old[len(old) - tail :])])


def test_fast_path_gives_the_general_redline():
    # Few distinct words, so that kept stretches, overlaps and clean-ups abound.
    rng = random.Random(11)
    words = ["a", "b", "ab", "ba", "the", "The", "(b)", "a,", "b.", "x;"]
    for _ in range(4_000):
        old = " ".join(rng.choices(words, k=rng.randint(0, 14)))
        edited = old.split(" ")
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(edited) + 1)
            edited[at : at + rng.randint(0, 2)] = rng.choices(words, k=rng.randint(0, 3))
        new = " ".join(edited)
        assert diff_words(old, new) == _general_diff_words(old, new)
        assert diff_words(new, old) == _general_diff_words(new, old)


@pytest.mark.parametrize(
    "name", ["de-grundgesetz", "eu-digital-markets-act", "canada-official-languages-act"]
)
def test_fast_path_gives_the_general_redline_on_the_corpus(corpus, name):
    from drafting.compare import align_paragraphs
    from drafting.compare.words import join_texts
    from drafting.text.draft_format import parse_draft

    old = parse_draft((corpus / name / "v1.md").read_text("utf-8"))
    new = parse_draft((corpus / name / "v2.md").read_text("utf-8"))
    changed = [e for e in align_paragraphs(old, new).entries if e.diff]
    assert len(changed) > 10
    for entry in changed:
        old_text = join_texts([old[index].text for index in entry.old])
        new_text = join_texts([new[index].text for index in entry.new])
        assert entry.diff == _general_diff_words(old_text, new_text)
