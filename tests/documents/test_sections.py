"""How a long text is cut into parts (documents.sections)."""

from __future__ import annotations

from dataclasses import dataclass

from drafting.documents.sections import (
    ONE_PART_MOST,
    PART_MOST,
    part_holding,
    part_numbered,
    parts_of,
)


@dataclass
class Item:
    heading: bool
    name: str


def cut(items):
    return parts_of(items, is_heading=lambda i: i.heading, title_of=lambda i: i.name)


def text(paragraphs: int, every: int | None):
    return [Item(every is not None and n % every == 0, f"item {n}") for n in range(paragraphs)]


def test_a_short_text_is_one_part():
    assert [(p.start, p.stop) for p in cut(text(ONE_PART_MOST, 10))] == [(0, ONE_PART_MOST)]


def test_a_long_text_is_cut_at_its_headings():
    parts = cut(text(400, 40))
    assert [p.start for p in parts] == list(range(0, 400, 40))
    assert parts[1].title == "item 40"


def test_a_long_text_without_headings_is_cut_at_most_every_part_most_items():
    parts = cut(text(1_000, None))
    assert max(p.size for p in parts) == PART_MOST
    assert sum(p.size for p in parts) == 1_000


def test_a_part_is_found_by_its_number_or_by_an_item():
    parts = cut(text(400, 40))
    assert part_numbered(parts, None) is parts[0]
    assert part_numbered(parts, "3") is parts[2]
    assert part_numbered(parts, "11") is None and part_numbered(parts, "x") is None
    assert part_holding(parts, 85) is parts[2]
