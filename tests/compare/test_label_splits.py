"""A paragraph split into itself and a "bis" (or "1.1", "PP3 ter") paragraph is shown as a
split even when the new paragraph keeps fewer of the old words than a split otherwise needs
(70%): its label says where it came from. The thresholds: a labelled piece needs 40% of its
words from the whole, and the joined pieces must match the whole better than the first piece
alone by any margin (unlabelled: by 0.05), with the same 0.6 overall likeness as any split. On
the corpus (Canadian Act, DMA, Basic Law) the counts by kind are the same as before."""

from __future__ import annotations

import pytest

from drafting.compare.align import align_paragraphs
from drafting.compare.splits import continues_label
from drafting.text.draft_format import parse_draft

OLD = (
    "{one} The parties agree to cooperate on migration data and to share statistics every year "
    "through the secretariat.\n\n{two} They meet annually."
)
NEW = (
    "{one} The parties agree to cooperate on migration data.\n\n{piece}\n\n"
    "{two} They meet annually."
)
# 5 of its 12 words (42%) come from the old paragraph.
SHARED = "Statistics are shared every year through the secretariat in a common format."


def kinds(old: str, new: str) -> list[tuple[tuple[int, ...], tuple[int, ...], str]]:
    comparison = align_paragraphs(parse_draft(old), parse_draft(new))
    return [(entry.old, entry.new, entry.kind) for entry in comparison.entries]


@pytest.mark.parametrize(
    ("one", "piece", "two"),
    [
        ("1.", "1bis.", "2."),
        ("1.", "1 bis", "2."),
        ("1.", "1ter.", "2."),
        ("3.", "3.1.", "4."),
        ("PP3", "PP3bis", "PP4"),
        ("OP5.", "OP5 bis.", "OP6."),
    ],
)
def test_a_labelled_piece_with_few_shared_words_makes_a_split(one, piece, two):
    old = OLD.format(one=one, two=two)
    new = NEW.format(one=one, two=two, piece=f"{piece} {SHARED}")
    assert kinds(old, new) == [((0,), (0, 1), "split"), ((1,), (2,), "unchanged")]


def test_the_same_piece_without_such_a_label_is_an_addition():
    old = OLD.format(one="1.", two="3.")
    new = NEW.format(one="1.", two="3.", piece=f"2. {SHARED}")
    assert kinds(old, new) == [
        ((0,), (0,), "changed"),
        ((), (1,), "added"),
        ((1,), (2,), "unchanged"),
    ]


def test_an_unrelated_bis_paragraph_stays_an_addition():
    old = OLD.format(one="1.", two="2.")
    new = NEW.format(
        one="1.", two="2.", piece="1bis. Delegations welcome the report of the Commission."
    )
    assert kinds(old, new)[1] == ((), (1,), "added")


def test_a_merge_of_1_and_1bis_is_found_the_same_way():
    old = NEW.format(one="1.", two="2.", piece=f"1bis. {SHARED}")
    new = OLD.format(one="1.", two="2.")
    assert kinds(old, new) == [((0, 1), (0,), "merged"), ((2,), (1,), "unchanged")]


@pytest.mark.parametrize(
    ("whole", "piece", "expected"),
    [
        ("1.", "1bis.", True),
        ("1)", "1 ter)", True),
        ("7.", "7.2", True),
        ("PP3", "PP3 bis", True),
        ("PP3", "OP3bis", False),
        ("1.", "2bis.", False),
        ("1.", "(a)", False),
        ("(a)", "(a)bis", False),
        (None, "1bis.", False),
    ],
)
def test_which_labels_say_a_piece_came_out_of_a_paragraph(whole, piece, expected):
    assert continues_label(whole, piece) is expected
