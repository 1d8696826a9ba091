"""The rules for "bis" labels, on the labels alone: which label a new paragraph takes
(text.labels.inserted_label), what renumbering gives a "bis" paragraph and what the numbering
check reports (documents.numbering)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from drafting.documents.numbering import numbering_problems, renumber
from drafting.text.draft_format import parse_draft
from drafting.text.labels import inserted_label


def blocks_of(labels: list[str]):
    return parse_draft("\n\n".join(f"{label} Text {n}." for n, label in enumerate(labels)))


@pytest.mark.parametrize(
    ("labels", "after", "expected"),
    [
        (["1.", "2."], 0, "2."),  # no "bis" label in the draft: the next number
        (["1.", "2.", "3bis.", "4."], 0, "1bis."),
        (["1.", "1bis.", "2."], 0, "1bis."),  # the old 1bis. becomes 1ter. when published
        (["1.", "1bis.", "2."], 1, "1ter."),
        (["1.", "2.", "3 bis", "4."], 3, "5."),  # the last of its series: nothing to renumber
        (["OP1.", "OP2.", "OP3 bis."], 0, "OP1 bis."),  # the draft's spacing
        (["PP1", "PP2", "OP1bis."], 0, "PP2"),  # another series' "bis" asks nothing of PP
        (["1.", "(a)", "(b)", "2.", "5bis."], 0, "1bis."),
        (["1.", "(a)", "(b)", "2.", "5bis."], 2, "(c)"),
        (["1)", "2)", "1 bis)"], 0, "1 bis)"),
    ],
)
def test_the_label_a_new_paragraph_takes(labels, after, expected):
    assert inserted_label(blocks_of(labels), after) == expected


@pytest.mark.parametrize(
    ("labels", "published"),
    [
        (["1.", "1bis.", "2."], ["1.", "1bis.", "2."]),
        (["1.", "2.", "1bis.", "3."], ["1.", "2.", "2bis.", "3."]),
        (["1.", "1ter.", "1bis.", "2."], ["1.", "1bis.", "1ter.", "2."]),
        (["1.", "1ter.", "2."], ["1.", "1bis.", "2."]),
        (["1.", "3.", "3bis.", "4."], ["1.", "2.", "2bis.", "3."]),
        (["OP1.", "OP2.", "OP1 bis.", "OP3."], ["OP1.", "OP2.", "OP2 bis.", "OP3."]),
        (["1.", "(a)", "1bis.", "2."], ["1.", "(a)", "1bis.", "2."]),
    ],
)
def test_a_bis_label_follows_the_closest_paragraph_of_its_series(labels, published):
    assert renumber(blocks_of(labels)) == published


def test_a_bis_label_before_any_paragraph_of_its_series_is_reported():
    blocks = blocks_of(["1bis.", "2.", "3."])
    labels = renumber(blocks)
    assert labels == ["1bis.", "1.", "2."]
    published = [replace(block, label=label) for block, label in zip(blocks, labels, strict=True)]
    problems = numbering_problems(published)
    assert [(problem.index, problem.kind) for problem in problems] == [(0, "before parent")]
    assert "“1bis.” comes before any paragraph it could follow" in problems[0].message


def test_a_bis_label_after_its_paragraph_is_no_problem():
    assert numbering_problems(blocks_of(["PP1", "PP1bis", "OP1.", "OP1 bis."])) == []
