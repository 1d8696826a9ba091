"""Paragraph numbers recomputed when a draft is published, after paragraphs were inserted,
deleted, moved, split or merged in the working draft.

Pure: it takes the blocks in their new order and returns each one's label. The rules follow the
labels that declarations print (see draft_format):

- "7." and "7)" paragraphs form a series each, numbered 1, 2, 3 … in document order, across
  headings; "PP3." and "OP12." form one series per prefix. These are the parent series. A
  draft that numbers a series afresh in places (each article of a statute, each list, an
  annex), i.e. prints "1." more than once, keeps doing so: the series starts again at 1
  wherever it was printed "1.". A single "1." that was moved does not restart anything.
- Letters "(a)", "(b)" (or "a)", "b)") and roman numerals "(i)", "(ii)" (or "i)", "ii)") are
  sub-series: letters restart after each paragraph of a parent series and after each heading;
  roman numerals restart after each of those and after each letter, so "(i)" under "(b)" starts
  again at "(i)" under "(c)".
- Whether "(i)", "(v)" and "(x)" are letters or numerals is read by text.labels on the labels
  as they were, before any is changed. Past "(z)" or "(xxxix)", which the draft format would
  not read back as labels, labels are left as printed.
- Dotted sub-numbers ("7.2", "7.2.1") follow their parent: when the first number is that of the
  closest "7." or "7)" paragraph before them, it becomes that paragraph's new number; the rest
  is kept. Without such a parent they are left alone.
- "1bis.", "1 ter", "PP3bis" (a paragraph put between two others without renumbering them)
  follow the closest paragraph of their series before them, whatever its number: "1bis." after
  the "1." that becomes "2." becomes "2bis.", and moved after "3." it becomes "3bis."; their
  suffixes run bis, ter, quater … in order under each parent ("1ter." left alone after "1."
  becomes "1bis."). Before any paragraph of their series they are left alone, and the
  numbering check reports them.
- Capital letters "A.", "B." run on in order and restart after each heading and each capital
  roman numeral; capital roman numerals "I.", "II." run on like "7." ("I." is a letter only
  after "H.", "V." after "U.", "X." after "W.", as for small letters).
- Anything else ("(7)", "**41(2)(b)**") is left as printed (letters and numerals restart after
  it too), and so are headings, the title and paragraphs without a label (which stay unlabelled
  and are not counted).

A new paragraph takes the next label of the series of the paragraph before it (text.labels'
next_label), and before publication the draft's numbering is checked for labels printed twice
and for paragraphs left unnumbered among numbered ones (numbering_problems).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from drafting.text.draft_format import Block
from drafting.text.labels import (
    LONGEST_SERIES,
    PARENT_KINDS,
    SUFFIXES,
    ReadLabel,
    letter,
    next_label,
    read_labels,
    roman,
    roman_value,
)


def renumber(blocks: Sequence[Block]) -> list[str | None]:
    """Each block's label after renumbering the draft in its present order (same length)."""
    series: dict[tuple[str, str], int] = {}  # parent series -> last number given
    subs: dict[tuple[str, str], int] = {}  # ("letter"|"roman"|"upper", bracket) -> count
    parents: dict[str, tuple[int, str]] = {}  # the closest "7." / "PP7": (old number, new)
    inserted: dict[str, int] = {}  # series -> "bis" labels counted since its closest parent
    labels: list[str | None] = []

    def restart(*kinds: str) -> None:
        for key in [key for key in subs if key[0] in kinds]:
            del subs[key]

    reads = read_labels(blocks)
    restarting = _series_restarting(reads)

    def count(key: tuple[str, str], number: int) -> int:
        if key in restarting and number == 1:
            series[key] = 0
        series[key] = series.get(key, 0) + 1
        return series[key]

    for block, read in zip(blocks, reads, strict=True):
        if block.is_heading:
            restart("letter", "roman", "upper")
        if read is None:
            labels.append(block.label)
            continue
        kind, match = read.kind, read.match
        if kind in PARENT_KINDS:
            restart("letter", "roman")
        if kind == "plain":
            number = count(("plain", match["punct"]), int(match["number"]))
            parents[""] = (int(match["number"]), str(number))
            inserted[""] = 0
            labels.append(f"{number}{match['punct']}")
        elif kind == "prefixed":
            number = count((match["prefix"], match["punct"]), int(match["number"]))
            parents[match["prefix"]] = (int(match["number"]), str(number))
            inserted[match["prefix"]] = 0
            labels.append(f"{match['prefix']}{number}{match['punct']}")
        elif kind == "suffixed":
            labels.append(_suffixed(match, parents, inserted) or block.label)
        elif kind == "dotted":
            parent = parents.get("")
            if parent is not None and int(match["number"]) == parent[0]:
                labels.append(f"{parent[1]}{match['rest']}")
            else:
                labels.append(block.label)
        elif kind in ("letter", "roman"):
            if kind == "letter":
                restart("roman")
            key = (kind, match["open"])
            subs[key] = subs.get(key, 0) + 1
            if subs[key] > LONGEST_SERIES[kind]:
                labels.append(block.label)  # beyond what the format reads back: as printed
                continue
            new = letter(subs[key]) if kind == "letter" else roman(subs[key])
            labels.append(f"{match['open']}{new})")
        elif kind == "upper":
            restart("letter", "roman")
            key = ("upper", match["punct"])
            subs[key] = subs.get(key, 0) + 1
            new = letter(subs[key]).upper() if subs[key] <= LONGEST_SERIES[kind] else match["item"]
            labels.append(f"{new}{match['punct']}")
        elif kind == "upper-roman":
            restart("letter", "roman", "upper")
            number = count(("upper-roman", match["punct"]), roman_value(match["item"]))
            new = roman(number).upper() if number <= LONGEST_SERIES[kind] else match["item"]
            labels.append(f"{new}{match['punct']}")
        else:
            labels.append(block.label)
    return labels


def _suffixed(
    match: re.Match[str], parents: dict[str, tuple[int, str]], inserted: dict[str, int]
) -> str | None:
    """A "bis" label under the closest parent of its series, with the next suffix under it
    (None: no parent before it, or more of them than there are suffixes)."""
    prefix = match["prefix"] or ""
    parent = parents.get(prefix)
    if parent is None:
        return None
    inserted[prefix] += 1
    if inserted[prefix] > len(SUFFIXES):
        return None
    suffix = SUFFIXES[inserted[prefix] - 1]
    return f"{prefix}{parent[1]}{match['space']}{suffix}{match['punct']}"


@dataclass(frozen=True)
class NumberingProblem:
    """What would be wrong with a draft's numbering if it were published as it is."""

    index: int  # of the block
    kind: str  # "duplicate", "unnumbered" or "before parent"
    message: str


def numbering_problems(blocks: Sequence[Block]) -> list[NumberingProblem]:
    """Labels printed twice in the same list, and paragraphs without a label between numbered
    ones of the same section, in ``blocks`` as they stand (call it on the renumbered labels)."""
    problems = [*_duplicates(blocks), *_unnumbered(blocks), *_before_parent(blocks)]
    return sorted(problems, key=lambda problem: problem.index)


def _duplicates(blocks: Sequence[Block]) -> list[NumberingProblem]:
    """A label is a duplicate when another paragraph of the same list carries it: the same
    section, and for letters and numerals the same paragraph above them."""
    section = 0
    above: dict[str, int] = {}  # the closest "upper-roman", "upper", parent and letter block
    seen: dict[tuple, int] = {}
    problems = []
    for index, (block, read) in enumerate(zip(blocks, read_labels(blocks), strict=True)):
        if block.is_heading:
            section, above = index, {}
            continue
        if read is None:
            continue
        level = "parent" if read.kind in PARENT_KINDS else read.kind
        scope: tuple = (section, above.get("upper-roman"), above.get("upper"))
        if level in ("letter", "roman"):
            scope += (above.get("parent"),)
        if level == "roman":
            scope += (above.get("letter"),)
        key = (*scope, block.label)
        if key in seen:
            earlier = _excerpt(blocks[seen[key]])
            problems.append(
                NumberingProblem(
                    index,
                    "duplicate",
                    f"“{block.label}” twice in the same list: an earlier paragraph (“{earlier}”) "
                    "has this label too. Give one of them another label, e.g. a “bis” label.",
                )
            )
        else:
            seen[key] = index
        above[level] = index
        for lower in {
            "upper-roman": ("upper", "parent", "letter", "roman"),
            "upper": ("parent", "letter", "roman"),
            "parent": ("letter", "roman"),
            "letter": ("roman",),
        }.get(level, ()):
            above.pop(lower, None)
    return problems


def _before_parent(blocks: Sequence[Block]) -> list[NumberingProblem]:
    """A "bis" label before any paragraph of its series ("1bis." first, its "1." deleted or
    moved below it): it inserts after nothing."""
    seen: set[str] = set()
    problems = []
    for index, read in enumerate(read_labels(blocks)):
        if read is None or read.kind not in ("plain", "prefixed", "suffixed"):
            continue
        series = "" if read.kind == "plain" else read.match["prefix"] or ""
        if read.kind != "suffixed":
            seen.add(series)
        elif series not in seen:
            label = blocks[index].label
            problems.append(
                NumberingProblem(
                    index,
                    "before parent",
                    f"“{label}” comes before any paragraph it could follow: a “bis” label "
                    "follows the paragraph it is inserted after. Move it below that "
                    "paragraph, or give it a number of its own.",
                )
            )
    return problems


def _unnumbered(blocks: Sequence[Block]) -> list[NumberingProblem]:
    """Paragraphs without a label in a run that has a numbered paragraph on both sides, with
    no heading between: most likely a label forgotten, since the preamble before the first
    heading and a closing paragraph after the last number are not between two numbers."""
    problems = []
    run: list[int] = []
    numbered_before: int | None = None
    for index, block in enumerate(blocks):
        if block.is_heading:
            run, numbered_before = [], None
        elif block.label is None:
            run.append(index)
        else:
            if numbered_before is not None and run:
                before = blocks[numbered_before].label
                suggestion = _inserted_label(blocks, numbered_before)
                problems.extend(
                    NumberingProblem(
                        i,
                        "unnumbered",
                        f"No number, between “{before}” and “{block.label}”: type its label "
                        f"(e.g. “{suggestion}”), or publish it unnumbered on purpose.",
                    )
                    for i in run
                )
            run, numbered_before = [], index
    return problems


def _inserted_label(blocks: Sequence[Block], index: int) -> str:
    """A label for a paragraph after ``blocks[index]`` that renumbers nothing: "2bis." after
    "2.", otherwise the next in its series."""
    read = read_labels(blocks)[index]
    if read is not None and read.kind in ("plain", "prefixed"):
        prefix = read.match["prefix"] if read.kind == "prefixed" else ""
        return f"{prefix}{read.match['number']}bis{read.match['punct']}"
    return next_label(blocks, index) or "…"


def _excerpt(block: Block, length: int = 40) -> str:
    text = " ".join(block.text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _series_restarting(reads: Sequence[ReadLabel | None]) -> set[tuple[str, str]]:
    """The parent series that the draft numbers afresh, section by section or list by list:
    those printed with "1." more than once."""
    firsts: dict[tuple[str, str], int] = {}
    for read in reads:
        if read is None or read.kind not in ("plain", "prefixed"):
            continue
        match = read.match
        key = (
            ("plain", match["punct"]) if read.kind == "plain" else (match["prefix"], match["punct"])
        )
        if int(match["number"]) == 1:
            firsts[key] = firsts.get(key, 0) + 1
    return {key for key, count in firsts.items() if count > 1}
