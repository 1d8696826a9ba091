"""A long text read in parts: the pages of a large draft (its text with comments, a later version
with the earlier comments, the comparison) show one part at a time, so that they answer in the
same time at 50 paragraphs or 5,000, and link every other part by a plain link.

A part begins at a heading once the part before it is long enough, and ends in any case after
``PART_MOST`` items; a text of at most ``ONE_PART_MOST`` items stays one part, shown whole as
before.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from drafting.text.inline import display_text
from drafting.text.numbers import whole_number

ONE_PART_MOST = 150
PART_LEAST = 20
PART_MOST = 80


@dataclass(frozen=True, slots=True)
class Part:
    """Items ``start`` to ``stop`` (excluded) of a text, numbered from 1, named by its first
    heading (or the first item's own title)."""

    number: int
    start: int
    stop: int
    title: str

    @property
    def size(self) -> int:
        return self.stop - self.start

    def items(self, everything: Sequence):
        return everything[self.start : self.stop]


def parts_of(
    items: Sequence, *, is_heading: Callable[[object], bool], title_of: Callable[[object], str]
) -> list[Part]:
    """The parts of ``items`` (paragraphs, or a comparison's rows) in order; none when empty."""
    if not items:
        return []
    if len(items) <= ONE_PART_MOST:
        return [Part(1, 0, len(items), title_of(items[0]))]
    starts = [0]
    for index in range(1, len(items)):
        length = index - starts[-1]
        if length >= PART_MOST or (length >= PART_LEAST and is_heading(items[index])):
            starts.append(index)
    stops = [*starts[1:], len(items)]
    return [
        Part(number, start, stop, title_of(items[start]))
        for number, (start, stop) in enumerate(zip(starts, stops, strict=True), start=1)
    ]


def part_numbered(parts: Sequence[Part], raw: str | None) -> Part | None:
    """The part a query string names ("3"), the first one when it names none; None when it
    names no part there is (the page answers 404) or the text is empty."""
    if not parts:
        return None
    if raw is None or raw == "":
        return parts[0]
    number = whole_number(raw, len(parts))
    return parts[number - 1] if number is not None else None


def part_holding(parts: Sequence[Part], index: int) -> Part | None:
    """The part in which item ``index`` stands."""
    for part in parts:
        if part.start <= index < part.stop:
            return part
    return None


def paragraph_title(paragraph) -> str:
    """How a part beginning at ``paragraph`` is named: its heading, or "from 41." and its first
    words."""
    words = " ".join(display_text(paragraph.text).split())
    if paragraph.is_heading:
        return words[:80]
    first = words[:40] + ("…" if len(words) > 40 else "")
    return f"from {paragraph.label} {first}" if paragraph.label else f"from “{first}”"


def paragraph_parts(paragraphs: Sequence) -> list[Part]:
    """The parts of a version's paragraphs."""
    return parts_of(paragraphs, is_heading=lambda p: p.is_heading, title_of=paragraph_title)
