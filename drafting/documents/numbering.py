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
- "(i)", "(v)" and "(x)" read as letters only where they continue a letter list (the last
  letter at that level, in the same bracket style, was "(h)", "(u)" or "(w)"), and "(i)" not even
  then when the next sub-paragraph is "(ii)"; elsewhere they are roman numerals. This is decided
  on the labels as they were, before any is changed. Past "(z)" or "(xxxix)", which the draft
  format would not read back as labels, labels are left as printed.
- Dotted sub-numbers ("7.2", "7.2.1") follow their parent: when the first number is that of the
  closest "7." or "7)" paragraph before them, it becomes that paragraph's new number; the rest
  is kept. Without such a parent they are left alone.
- Anything else ("(7)", "**41(2)(b)**", "5bis.") is left as printed (letters and numerals
  restart after it too), and so are headings, the title and paragraphs without a label (which
  stay unlabelled and are not counted).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from drafting.documents.draft_format import Block

_PLAIN = re.compile(r"^(?P<number>\d{1,4})(?P<punct>[.)])$")
_PREFIXED = re.compile(r"^(?P<prefix>PP|OP)(?P<number>\d{1,4})(?P<punct>[.)]?)$")
_DOTTED = re.compile(r"^(?P<number>\d{1,4})(?P<rest>(?:\.\d{1,4}){1,6}\.?)$")
_SUB = re.compile(r"^(?P<open>\(?)(?P<item>[a-z]+)\)$")
_ROMAN = re.compile(r"^(?=[ivx])(?:x{0,3})(?:ix|iv|v?i{0,3})$")
# Letters that are also roman numerals, and the letter that comes before each in a letter list.
_AMBIGUOUS = {"i": "h", "v": "u", "x": "w"}


@dataclass
class _Sub:
    """A sub-series counter: its kind ("letter" or "roman") and bracket style decide its key."""

    count: int = 0
    last_item: str | None = None  # the label as it was printed, for the letter/roman question


def roman(number: int) -> str:
    """A number from 1 to 39 as a lower-case roman numeral, as sub-paragraphs print it."""
    tens, units = divmod(number, 10)
    ones = ["", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix"]
    return "x" * tens + ones[units]


def letter(number: int) -> str:
    """1 → "a", 26 → "z": the letters a draft's labels can carry."""
    return chr(ord("a") + number - 1)


# The longest sub-series the draft format reads back: "(z)" and "(xxxix)".
_MOST = {"letter": 26, "roman": 39}


def renumber(blocks: Sequence[Block]) -> list[str | None]:
    """Each block's label after renumbering the draft in its present order (same length)."""
    series: dict[tuple[str, str], int] = {}  # parent series -> last number given
    subs: dict[tuple[str, str], _Sub] = {}  # ("letter"|"roman", bracket) -> counter
    parent: tuple[int, str] | None = None  # the closest "7." paragraph: (old number, new number)
    labels: list[str | None] = []

    def restart(*kinds: str) -> None:
        for key in [key for key in subs if key[0] in kinds]:
            del subs[key]

    restarting = _series_restarting(blocks)

    def count(key: tuple[str, str], number: str) -> int:
        if key in restarting and int(number) == 1:
            series[key] = 0
        series[key] = series.get(key, 0) + 1
        return series[key]

    for index, block in enumerate(blocks):
        label = block.label
        if block.is_heading:
            restart("letter", "roman")
            labels.append(label)
            continue
        if label is None:
            labels.append(None)
            continue
        if match := _PLAIN.match(label):
            number = count(("plain", match["punct"]), match["number"])
            parent = (int(match["number"]), str(number))
            restart("letter", "roman")
            labels.append(f"{number}{match['punct']}")
        elif match := _PREFIXED.match(label):
            number = count((match["prefix"], match["punct"]), match["number"])
            restart("letter", "roman")
            labels.append(f"{match['prefix']}{number}{match['punct']}")
        elif match := _DOTTED.match(label):
            restart("letter", "roman")
            if parent is not None and int(match["number"]) == parent[0]:
                labels.append(f"{parent[1]}{match['rest']}")
            else:
                labels.append(label)
        elif (match := _SUB.match(label)) and (
            kind := _sub_kind(match["item"], match["open"], subs, blocks[index + 1 :])
        ):
            if kind == "letter":
                restart("roman")
            counter = subs.setdefault((kind, match["open"]), _Sub())
            counter.count += 1
            counter.last_item = match["item"]
            if counter.count > _MOST[kind]:
                labels.append(label)  # beyond what the format reads back: as printed
                continue
            new = letter(counter.count) if kind == "letter" else roman(counter.count)
            labels.append(f"{match['open']}{new})")
        else:
            restart("letter", "roman")  # "(2)", "41(2)": a level above any list of letters
            labels.append(label)
    return labels


def _series_restarting(blocks: Sequence[Block]) -> set[tuple[str, str]]:
    """The parent series that the draft numbers afresh, section by section or list by list:
    those printed with "1." more than once."""
    firsts: dict[tuple[str, str], int] = {}
    for block in blocks:
        label = block.label or ""
        if block.is_heading:
            continue
        if match := _PLAIN.match(label):
            key = ("plain", match["punct"])
        elif match := _PREFIXED.match(label):
            key = (match["prefix"], match["punct"])
        else:
            continue
        if int(match["number"]) == 1:
            firsts[key] = firsts.get(key, 0) + 1
    return {key for key, count in firsts.items() if count > 1}


def _sub_kind(
    item: str, bracket: str, subs: dict[tuple[str, str], _Sub], following: Sequence[Block]
) -> str | None:
    """Whether a sub-paragraph label is a letter or a roman numeral (None: neither).

    "(i)", "(v)" and "(x)" are letters only where they continue a letter list, i.e. the last
    letter at this level was "(h)", "(u)" or "(w)"; and "(i)" is even then a numeral when the
    next sub-paragraph of that bracket style is "(ii)" (a list of numerals under "(h)").
    """
    if item in _AMBIGUOUS:
        letters = subs.get(("letter", bracket))
        if letters is None or letters.last_item != _AMBIGUOUS[item]:
            return "roman"
        if item == "i" and _next_sub_item(following, bracket) == "ii":
            return "roman"
        return "letter"
    if _ROMAN.match(item):
        return "roman"
    if len(item) == 1:
        return "letter"
    return None


def _next_sub_item(following: Sequence[Block], bracket: str) -> str | None:
    """The next sub-paragraph label's letters or numeral, before a heading or a new paragraph
    of a parent series ends the list."""
    for block in following:
        if block.is_heading:
            return None
        if block.label is None:
            continue
        match = _SUB.match(block.label)
        if match is None:
            return None
        if match["open"] == bracket:
            return match["item"]
    return None
