"""A paragraph moved and edited at once is one entry that moved and changed, with its redline,
wherever its words overlap as much as the corpus examples of issue 18 (MOVE_SIMILARITY, 0.62:
see align.py for how it was chosen); below that it is deleted and added."""

from __future__ import annotations

import pytest

from drafting.compare import compare_texts
from drafting.compare.align import MOVE_SIMILARITY

WORDS = [
    "access",
    "affordable",
    "basin",
    "catchment",
    "climate",
    "cooperation",
    "data",
    "drought",
    "ecosystems",
    "equitable",
    "finance",
    "floods",
    "glaciers",
    "groundwater",
    "hygiene",
    "infrastructure",
    "irrigation",
    "knowledge",
    "monitoring",
    "nature",
    "oceans",
    "pollution",
    "quality",
    "rivers",
    "sanitation",
    "scarcity",
    "sharing",
    "transboundary",
    "wetlands",
    "youth",
]
NEW_WORDS = [
    "alpha",
    "bravo",
    "charlie",
    "delta",
    "echo",
    "foxtrot",
    "golf",
    "hotel",
    "india",
    "juliet",
    "kilo",
    "lima",
    "mike",
]
OTHERS = [
    "2. Welcomes the regional report presented by the chair of the working group.",
    "3. Decides to hold the next ministerial meeting in the second half of the year.",
    "4. Requests the secretariat to circulate the compilation before the deadline.",
    "5. Invites observers to share written contributions through the secretariat.",
]


def edited(replaced: int) -> str:
    """The paragraph of thirty distinct words with its first ``replaced`` words replaced: the
    Dice overlap of the two word sets is (30 - replaced) / 30."""
    return " ".join([*NEW_WORDS[:replaced], *WORDS[replaced:]])


@pytest.mark.parametrize(
    ("replaced", "overlap", "found"),
    [(3, 0.9, True), (9, 0.7, True), (11, 0.633, True), (12, 0.6, False), (15, 0.5, False)],
)
def test_moved_and_edited_paragraph_is_one_entry_above_the_threshold(
    compare, well_formed, replaced, overlap, found
):
    old = [f"1. {edited(0)}", *OTHERS]
    comparison = compare(old, [*OTHERS, f"5. {edited(replaced)}"])
    well_formed(comparison)
    assert (overlap >= MOVE_SIMILARITY) == found
    kinds = [(entry.kind, entry.moved) for entry in comparison.entries]
    if found:
        assert kinds[-1] == ("changed", True)
        assert comparison.entries[-1].similarity == pytest.approx(overlap, abs=0.001)
        assert {op for op, _ in comparison.entries[-1].diff} == {-1, 0, 1}
    else:
        assert ("deleted", False) in kinds and kinds[-1] == ("added", False)


def test_emphasis_and_brackets_do_not_hide_shared_words(compare, well_formed):
    note = "*Draft of proposed regulation to be tabled*"
    comparison = compare([note, *OTHERS], [*OTHERS, "*Tabling of draft of proposed regulation*"])
    well_formed(comparison)
    assert [(entry.kind, entry.moved) for entry in comparison.entries][-1] == ("changed", True)


def _entry_of(comparison, old_text: str):
    return next(
        entry
        for entry in comparison.entries
        if entry.old and comparison.old_blocks[entry.old[0]].text.startswith(old_text)
    )


def test_canadian_marginal_note_is_one_changed_entry(corpus):
    series = corpus / "canada-official-languages-act" / "series"
    comparison = compare_texts(
        (series / "2022-08-29_c63c6fb6.md").read_text("utf-8"),
        (series / "2023-07-07_76b1500f.md").read_text("utf-8"),
    )
    entry = _entry_of(comparison, "*Draft of proposed regulation to be tabled*")
    assert entry.kind == "changed" and len(entry.new) == 1
    assert comparison.new_blocks[entry.new[0]].text == "*Tabling of draft of proposed regulation*"


def test_dma_recital_46_is_recital_49_changed(corpus):
    folder = corpus / "eu-digital-markets-act"
    comparison = compare_texts(
        (folder / "v1.md").read_text("utf-8"), (folder / "v2.md").read_text("utf-8")
    )
    entry = _entry_of(comparison, "A gatekeeper may use different means to favour")
    assert entry.kind == "changed" and comparison.new_blocks[entry.new[0]].label == "(49)"
    json_entry = comparison.to_json()["entries"][comparison.entries.index(entry)]
    assert json_entry["renumbered"] is True
    assert (json_entry["old_label"], json_entry["new_label"]) == ("(46)", "(49)")
    assert 0.62 <= json_entry["similarity"] < 0.7
