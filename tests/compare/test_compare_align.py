"""Which paragraph became which: the alignment a delegate reads the redline through."""

from __future__ import annotations

import pytest

from drafting.compare import compare_texts

PREAMBLE = [
    "# Declaration on clean water",
    "1. Recognising that access to safe drinking water is a human right,",
    "2. Noting with concern that two billion people still lack safely managed services,",
    "3. Welcoming the work of the regional water partnerships since the last conference,",
    "4. Calls on all States to report annually on their progress towards universal access,",
    "5. Invites the secretariat to prepare a synthesis report before the next session,",
]
REPORTING = "Calls on all States to report annually on their progress"
SYNTHESIS = "invites the secretariat to prepare a synthesis report before the next session,"


def kinds(comparison) -> list[str]:
    return [entry.kind + ("+moved" if entry.moved else "") for entry in comparison.entries]


def test_identical_versions_are_all_unchanged(compare, well_formed):
    comparison = compare(PREAMBLE, PREAMBLE)
    well_formed(comparison)
    assert kinds(comparison) == ["unchanged"] * len(PREAMBLE)


def test_edited_paragraph_is_changed_with_its_words(compare, well_formed):
    new = [*PREAMBLE[:4], PREAMBLE[4].replace("annually", "every two years"), PREAMBLE[5]]
    comparison = compare(PREAMBLE, new)
    well_formed(comparison)
    assert kinds(comparison) == ["unchanged"] * 4 + ["changed", "unchanged"]
    edits = [(op, text) for op, text in comparison.entries[4].diff if op]
    assert edits == [(-1, " annually"), (1, " every two years")]


def test_inserted_paragraph_is_added_where_it_stands(compare, well_formed):
    inserted = "3bis. Stressing the role of women in water management,"
    comparison = compare(PREAMBLE, [*PREAMBLE[:4], inserted, *PREAMBLE[4:]])
    well_formed(comparison)
    assert kinds(comparison) == ["unchanged"] * 4 + ["added"] + ["unchanged"] * 2
    assert comparison.entries[4].new == (4,)


def test_removed_paragraph_stands_where_it_stood(compare, well_formed):
    comparison = compare(PREAMBLE, PREAMBLE[:2] + PREAMBLE[3:])
    well_formed(comparison)
    assert kinds(comparison) == ["unchanged"] * 2 + ["deleted"] + ["unchanged"] * 3
    assert comparison.entries[2].old == (2,)


def test_renumbering_after_an_insertion_is_only_one_added_entry(compare, well_formed):
    bodies = [paragraph.split(" ", 1)[1] for paragraph in PREAMBLE[1:]]
    old = [PREAMBLE[0], *(f"{n}. {body}" for n, body in enumerate(bodies, 1))]
    new_bodies = [bodies[0], "Affirming the commitments made at Dushanbe,", *bodies[1:]]
    new = [PREAMBLE[0], *(f"{n}. {body}" for n, body in enumerate(new_bodies, 1))]
    comparison = compare(old, new)
    well_formed(comparison)
    assert kinds(comparison) == ["unchanged"] * 2 + ["added"] + ["unchanged"] * 4


def test_moved_paragraph_is_the_only_entry_marked_moved(compare, well_formed):
    new = [PREAMBLE[0], *PREAMBLE[2:], PREAMBLE[1]]
    comparison = compare(PREAMBLE, new)
    well_formed(comparison)
    assert kinds(comparison) == ["unchanged"] * 5 + ["unchanged+moved"]


def test_moved_and_edited_paragraph_is_changed_and_moved(compare, well_formed):
    edited = PREAMBLE[1].replace("a human right", "a fundamental human right")
    comparison = compare(PREAMBLE, [PREAMBLE[0], *PREAMBLE[2:], edited])
    well_formed(comparison)
    assert kinds(comparison)[-1] == "changed+moved"


def test_moved_section_moves_heading_and_its_paragraphs(compare, well_formed):
    section = [
        "## Finance",
        "6. Urges donors to double water finance by 2030,",
        "7. Requests the banks to publish their water lending each year,",
    ]
    comparison = compare(PREAMBLE + section, [PREAMBLE[0], *section, *PREAMBLE[1:]])
    well_formed(comparison)
    assert kinds(comparison) == ["unchanged"] + ["unchanged+moved"] * 3 + ["unchanged"] * 5


def test_paragraph_split_in_two_is_one_split_entry(compare, well_formed):
    whole = f"4. {REPORTING} and {SYNTHESIS}"
    pieces = [f"4. {REPORTING},", f"5. {SYNTHESIS.capitalize()}"]
    comparison = compare([*PREAMBLE[:4], whole], [*PREAMBLE[:4], *pieces])
    well_formed(comparison)
    assert kinds(comparison)[-1] == "split"
    assert comparison.entries[-1].new == (4, 5)


def test_two_paragraphs_merged_are_one_merged_entry(compare, well_formed):
    merged = f"4. {REPORTING} towards universal access and {SYNTHESIS}"
    comparison = compare(PREAMBLE, [*PREAMBLE[:4], merged])
    well_formed(comparison)
    assert kinds(comparison)[-1] == "merged"
    assert comparison.entries[-1].old == (4, 5)


def test_stable_ids_beat_text_similarity(compare, well_formed):
    old = ["1. The Parties shall meet every year.", "2. The Parties shall meet every two years."]
    new = ["1. The Parties shall meet every two years.", "2. The Parties shall meet every year."]
    comparison = compare(old, new, old_ids=["a", "b"], new_ids=["a", "b"])
    well_formed(comparison)
    pairs = [(entry.old, entry.new, entry.kind) for entry in comparison.entries]
    assert pairs == [((0,), (0,), "changed"), ((1,), (1,), "changed")]


def test_without_ids_the_same_texts_align_as_a_move(compare):
    old = ["1. The Parties shall meet every year.", "2. The Parties shall meet every two years."]
    comparison = compare(old, old[::-1])
    assert sorted(e.kind for e in comparison.entries) == ["unchanged", "unchanged"]
    assert [e.moved for e in comparison.entries].count(True) == 1


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (["## Water"], ["Water"]),
        (["Water and sanitation for all"], ["## Water and sanitation for all"]),
    ],
)
def test_heading_never_aligns_with_a_paragraph(compare, old, new):
    comparison = compare(old, new)
    assert sorted(entry.kind for entry in comparison.entries) == ["added", "deleted"]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ([], [], []),
        ([], PREAMBLE[:2], ["added", "added"]),
        (PREAMBLE[:2], [], ["deleted", "deleted"]),
    ],
)
def test_empty_versions_compare_cleanly(compare, well_formed, old, new, expected):
    comparison = compare(old, new)
    well_formed(comparison)
    assert kinds(comparison) == expected


@pytest.mark.parametrize(
    "new_text",
    [
        "1.  Recognising that access to safe drinking\nwater is a human right,",
        "(i) Recognising that access to safe drinking water is a human right,",
    ],
)
def test_label_or_spacing_change_alone_is_unchanged(compare, new_text):
    comparison = compare(PREAMBLE[:2], [PREAMBLE[0], new_text])
    assert kinds(comparison) == ["unchanged", "unchanged"]


def test_unrelated_documents_are_mostly_deleted_and_added(corpus, well_formed):
    comparison = compare_texts(
        (corpus / "canada-official-languages-act" / "v1.md").read_text("utf-8"),
        (corpus / "de-grundgesetz" / "v2.md").read_text("utf-8"),
    )
    well_formed(comparison)
    figures = comparison.summary()
    assert figures["added"] + figures["deleted"] >= 0.95 * len(comparison.entries)


SERIES = [
    "2022-07-28_2550c5ed.md",
    "2022-08-29_c63c6fb6.md",
    "2023-07-07_76b1500f.md",
    "2024-02-05_ff626e98.md",
    "2024-09-10_83e1b369.md",
    "2025-07-08_d3636248.md",
]
CORPUS_PAIRS = [
    ("canada-official-languages-act/v1.md", "canada-official-languages-act/v2.md"),
    ("eu-digital-markets-act/v1.md", "eu-digital-markets-act/v2.md"),
    ("de-grundgesetz/v1.md", "de-grundgesetz/v2.md"),
    *(
        (
            f"canada-official-languages-act/series/{old}",
            f"canada-official-languages-act/series/{new}",
        )
        for old, new in zip(SERIES, SERIES[1:], strict=False)
    ),
]


@pytest.mark.parametrize(("old", "new"), CORPUS_PAIRS)
def test_corpus_versions_keep_every_block_once_and_in_order(corpus, well_formed, old, new):
    comparison = compare_texts((corpus / old).read_text("utf-8"), (corpus / new).read_text("utf-8"))
    well_formed(comparison)
    assert comparison.summary()["unchanged"] > 0


def test_small_amendment_in_consolidation_series_is_a_split(corpus):
    series = corpus / "canada-official-languages-act" / "series"
    comparison = compare_texts(
        (series / "2024-09-10_83e1b369.md").read_text("utf-8"),
        (series / "2025-07-08_d3636248.md").read_text("utf-8"),
    )
    split = next(entry for entry in comparison.entries if entry.kind == "split")
    labels = [comparison.new_blocks[index].label for index in split.new]
    assert labels == ["36(1)(c)", "36(1)(c)(i)"]
