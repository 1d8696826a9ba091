"""Headings follow the content they head (issue 18): an "Article N" heading or a "Commitments"
repeated under each section is paired by what it heads, not by its words, and a heading whose
number alone changed is renumbered, not moved."""

from __future__ import annotations

import pytest

from drafting.compare import compare_texts
from drafting.compare.headings import block_label, heading_parts
from drafting.compare.html import render_comparison_page
from drafting.text.draft_format import Block


def kinds(comparison) -> list[str]:
    return [entry.kind + ("+moved" if entry.moved else "") for entry in comparison.entries]


def article(number: int, title: str, *paragraphs: str) -> list[str]:
    return [f"## Article {number}", f"### {title}", *paragraphs]


SUSPENSION = "The Commission may exceptionally suspend, in whole or in part, a specific obligation."
COMPLIANCE = (
    "The gatekeeper shall ensure and demonstrate compliance with the obligations laid down."
)
EXEMPTION = "The Commission may exempt a gatekeeper on grounds of public health and security."


def test_heading_renumbered_after_an_inserted_article_is_unchanged_in_place(compare, well_formed):
    old = [*article(8, "Suspension", SUSPENSION), *article(9, "Exemption", EXEMPTION)]
    new = [
        *article(8, "Compliance", COMPLIANCE),
        *article(9, "Suspension", SUSPENSION),
        *article(10, "Exemption", EXEMPTION),
    ]
    comparison = compare(old, new)
    well_formed(comparison)
    assert kinds(comparison) == ["added"] * 3 + ["unchanged"] * 6
    assert not any(entry.moved for entry in comparison.entries)
    assert comparison.entries[3].old == (0,) and comparison.entries[3].new == (3,)


def test_repeated_headings_are_paired_by_the_section_they_head(compare, well_formed):
    def section(number: int, commitment: str) -> list[str]:
        return [f"## Section {number}", "### Commitments", commitment]

    water = "We will halve the number of people without safe water."
    energy = "We will double the share of renewable power."
    oceans = "We will protect the oceans and their fisheries."
    old = [*section(1, water), *section(2, energy)]
    comparison = compare(old, [*section(1, oceans), *section(2, water), *section(3, energy)])
    well_formed(comparison)
    assert kinds(comparison) == ["added"] * 3 + ["unchanged"] * 6
    assert [entry.old for entry in comparison.entries[3:]] == [(0,), (1,), (2,), (3,), (4,), (5,)]


def test_paragraphs_moved_between_titled_sections_leave_the_titles_paired(compare, well_formed):
    water = "We will halve the number of people without safe water."
    energy = "We will double the share of renewable power."
    old = ["## Water", "### Commitments", water, "## Energy", "### Commitments", energy]
    new = ["## Water", "### Commitments", energy, "## Energy", "### Commitments", water]
    comparison = compare(old, new)
    well_formed(comparison)
    pairs = {(entry.old, entry.new) for entry in comparison.entries}
    assert ((0,), (0,)) in pairs and ((3,), (3,)) in pairs


def test_heading_keeps_its_partner_when_its_content_stays(compare, well_formed):
    old = [*article(1, "Scope", SUSPENSION), *article(2, "Definitions", COMPLIANCE)]
    new = [*article(1, "Scope and aims", SUSPENSION), *article(2, "Definitions", COMPLIANCE)]
    comparison = compare(old, new)
    well_formed(comparison)
    assert kinds(comparison) == ["unchanged", "changed", *["unchanged"] * 4]


def test_identity_beats_the_content_of_a_heading(compare, well_formed):
    old = [*article(8, "Suspension", SUSPENSION), *article(9, "Exemption", EXEMPTION)]
    new = [*article(8, "Suspension", EXEMPTION), *article(9, "Exemption", SUSPENSION)]
    ids = ["a8", "s", "p1", "a9", "e", "p2"]
    comparison = compare(old, new, ids, ids)
    well_formed(comparison)
    assert [(entry.old, entry.new) for entry in comparison.entries][0] == ((0,), (0,))


@pytest.mark.parametrize(
    ("text", "label", "rest"),
    [
        ("Article 8", "Article 8", ""),
        ("CHAPTER II", "CHAPTER II", ""),
        ("Art 12a", "Art 12a", ""),
        ("Part I: Shared principles", "Part I", "Shared principles"),
        ("1. Scope", "1.", "Scope"),
        ("Commitments", None, "Commitments"),
        ("Article on water", None, "Article on water"),
        ("Agenda 2030", None, "Agenda 2030"),
    ],
)
def test_a_headings_number_is_read_as_its_label(text, label, rest):
    assert heading_parts(text) == (label, rest)
    assert block_label(Block(kind="heading", text=text, level=2)) == label


def test_renumbered_heading_is_told_apart_in_the_json(compare):
    old = [*article(8, "Suspension", SUSPENSION)]
    new = [*article(7, "Compliance", COMPLIANCE), *article(8, "Suspension", SUSPENSION)]
    entries = compare(old, new).to_json()["entries"]
    heading = next(entry for entry in entries if entry["old"] == [0])
    assert heading["kind"] == "unchanged" and heading["renumbered"] is False
    old = [*article(8, "Suspension", SUSPENSION)]
    new = [*article(9, "Suspension", SUSPENSION)]
    heading = compare(old, new).to_json()["entries"][0]
    assert heading["kind"] == "unchanged" and heading["renumbered"] is True
    assert (heading["old_label"], heading["new_label"]) == ("Article 8", "Article 9")


def _headed(blocks: list[Block], index: int) -> list[int]:
    """The paragraphs a heading heads, down to the next heading of its level or above."""
    found = []
    for at in range(index + 1, len(blocks)):
        if blocks[at].is_heading and blocks[at].level <= blocks[index].level:
            break
        if not blocks[at].is_heading:
            found.append(at)
    return found


def test_dma_no_heading_is_moved_unless_its_article_moved(corpus, well_formed):
    folder = corpus / "eu-digital-markets-act"
    comparison = compare_texts(
        (folder / "v1.md").read_text("utf-8"), (folder / "v2.md").read_text("utf-8")
    )
    well_formed(comparison)
    moved = {index for entry in comparison.entries if entry.moved for index in entry.new}
    spurious = []
    for entry in comparison.entries:
        if entry.moved and len(entry.new) == 1 and comparison.new_blocks[entry.new[0]].is_heading:
            content = _headed(comparison.new_blocks, entry.new[0])
            if sum(index in moved for index in content) * 2 <= len(content):
                spurious.append(comparison.new_blocks[entry.new[0]].text)
    assert spurious == []
    # Before issue 18: 39 moved entries, 32 of them "Article N" headings paired by their words.
    assert sum(entry.moved for entry in comparison.entries) <= 12


def test_dma_suspension_keeps_its_article_heading_renumbered(corpus):
    folder = corpus / "eu-digital-markets-act"
    comparison = compare_texts(
        (folder / "v1.md").read_text("utf-8"), (folder / "v2.md").read_text("utf-8")
    )
    pairs = {
        comparison.old_blocks[entry.old[0]].text: (comparison.new_blocks[entry.new[0]].text, entry)
        for entry in comparison.entries
        if len(entry.old) == 1 and len(entry.new) == 1
    }
    new_text, entry = pairs["Article 8"]
    assert new_text == "Article 9" and entry.kind == "unchanged" and not entry.moved


def test_command_line_page_says_what_a_renumbered_heading_was(compare):
    old = [*article(8, "Suspension", SUSPENSION)]
    new = [*article(8, "Compliance", COMPLIANCE), *article(9, "Suspension", SUSPENSION)]
    page = render_comparison_page(compare(old, new), title="old → new")
    assert "<h3>Article 9" in page and "badge-changed" not in page.split("Article 9")[1]
    assert '<span class="was">(was Article 8)</span>' in page


def test_retitled_heading_over_the_same_paragraphs_is_one_changed_heading(compare, well_formed):
    water = "We will halve the number of people without safe water."
    energy = "We will double the share of renewable power."
    old = ["## Water", water, "## Energy", energy]
    new = ["## Clean water and sanitation for all", water, "## Energy", energy]
    comparison = compare(old, new)
    well_formed(comparison)
    assert kinds(comparison) == ["changed", "unchanged", "unchanged", "unchanged"]
