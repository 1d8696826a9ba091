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
- "1bis.", "1 ter", "PP3bis" (a paragraph put between two others without renumbering them)
  follow their parent as dotted numbers do: "1bis." after the "1." that becomes "2." becomes
  "2bis."; without such a parent they are left alone.
- Capital letters "A.", "B." run on in order and restart after each heading and each capital
  roman numeral; capital roman numerals "I.", "II." run on like "7." ("I." is a letter only
  after "H.", "V." after "U.", "X." after "W.", as for small letters).
- Anything else ("(7)", "**41(2)(b)**") is left as printed (letters and numerals restart after
  it too), and so are headings, the title and paragraphs without a label (which stay unlabelled
  and are not counted).

A new paragraph takes the next label of the series of the paragraph before it (next_label), and
before publication the draft's numbering is checked for labels printed twice and for paragraphs
left unnumbered among numbered ones (numbering_problems).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from drafting.text.draft_format import LATIN_SUFFIXES, Block

_PLAIN = re.compile(r"^(?P<number>\d{1,4})(?P<punct>[.)])$")
_PREFIXED = re.compile(r"^(?P<prefix>PP|OP)(?P<number>\d{1,4})(?P<punct>[.)]?)$")
_SUFFIXED = re.compile(
    r"^(?P<prefix>PP|OP)?(?P<number>\d{1,4})(?P<space> ?)(?P<suffix>"
    + LATIN_SUFFIXES
    + r")(?P<punct>[.)]?)$"
)
_DOTTED = re.compile(r"^(?P<number>\d{1,4})(?P<rest>(?:\.\d{1,4}){1,6}\.?)$")
_SUB = re.compile(r"^(?P<open>\(?)(?P<item>[a-z]+)\)$")
_UPPER = re.compile(r"^(?P<item>[A-Z]+)(?P<punct>[.)])$")
_BRACKETED_NUMBER = re.compile(r"^\((?P<number>\d{1,4})\)$")
_ROMAN = re.compile(r"^(?=[ivx])(?:x{0,3})(?:ix|iv|v?i{0,3})$")
# Letters that are also roman numerals, and the letter that comes before each in a letter list.
_AMBIGUOUS = {"i": "h", "v": "u", "x": "w"}
SUFFIXES = ("bis", "ter", "quater", "quinquies", "sexies", "septies", "octies", "novies", "decies")
# The kinds of label that sit above letters and numerals: each restarts them.
_PARENT_KINDS = frozenset({"plain", "prefixed", "suffixed", "dotted", "other"})


@dataclass(frozen=True)
class ReadLabel:
    """A label read as a member of a series: its kind ("plain" 7., "prefixed" PP3.,
    "suffixed" 1bis., "dotted" 7.2, "letter" (a), "roman" (iv), "upper" A., "upper-roman" II.,
    "other") and the parts of it that numbering changes."""

    kind: str
    match: re.Match[str]


def roman(number: int) -> str:
    """A number from 1 to 39 as a lower-case roman numeral, as sub-paragraphs print it."""
    tens, units = divmod(number, 10)
    ones = ["", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix"]
    return "x" * tens + ones[units]


def letter(number: int) -> str:
    """1 → "a", 26 → "z": the letters a draft's labels can carry."""
    return chr(ord("a") + number - 1)


def roman_value(numeral: str) -> int:
    """ "iv" → 4, "XII" → 12: the value of a roman numeral that _ROMAN accepts."""
    values = {"i": 1, "v": 5, "x": 10}
    digits = [values[c] for c in numeral.lower()]
    return sum(-d if d < n else d for d, n in zip(digits, [*digits[1:], 0], strict=True))


# The longest sub-series the draft format reads back: "(z)" and "(xxxix)".
_MOST = {"letter": 26, "roman": 39, "upper": 26, "upper-roman": 39}


def read_labels(blocks: Sequence[Block]) -> list[ReadLabel | None]:
    """Each block's label read as a member of its series (None: a heading or no label).

    Whether "(i)" or "I." is a letter or a numeral depends on the labels before and after it,
    as printed; this is the one place that decides it.
    """
    last: dict[tuple[str, str], str] = {}  # ("letter"|"roman"|"upper", bracket) -> last item
    read: list[ReadLabel | None] = []

    def restart(*kinds: str) -> None:
        for key in [key for key in last if key[0] in kinds]:
            del last[key]

    for index, block in enumerate(blocks):
        label = block.label
        if block.is_heading or label is None:
            if block.is_heading:
                restart("letter", "roman", "upper")
            read.append(None)
            continue
        kind = "other"
        if match := _PLAIN.match(label):
            kind = "plain"
        elif match := _PREFIXED.match(label):
            kind = "prefixed"
        elif match := _SUFFIXED.match(label):
            kind = "suffixed"
        elif match := _DOTTED.match(label):
            kind = "dotted"
        elif (match := _SUB.match(label)) and (
            sub := _sub_kind(match["item"], match["open"], last, blocks[index + 1 :])
        ):
            kind = sub
            if kind == "letter":
                restart("roman")
            last[(kind, match["open"])] = match["item"]
        elif (match := _UPPER.match(label)) and (
            upper := _upper_kind(match["item"], match["punct"], last, blocks[index + 1 :])
        ):
            kind = upper
            restart("letter", "roman", *(["upper"] if kind == "upper-roman" else []))
            if kind == "upper":
                last[("upper", match["punct"])] = match["item"]
        else:
            match = re.match(r"^.*$", label, re.DOTALL)
        if kind in _PARENT_KINDS:
            restart("letter", "roman")  # "(2)", "41(2)": a level above any list of letters
        read.append(ReadLabel(kind, match))
    return read


def renumber(blocks: Sequence[Block]) -> list[str | None]:
    """Each block's label after renumbering the draft in its present order (same length)."""
    series: dict[tuple[str, str], int] = {}  # parent series -> last number given
    subs: dict[tuple[str, str], int] = {}  # ("letter"|"roman"|"upper", bracket) -> count
    parents: dict[str, tuple[int, str]] = {}  # the closest "7." / "PP7": (old number, new)
    labels: list[str | None] = []

    def restart(*kinds: str) -> None:
        for key in [key for key in subs if key[0] in kinds]:
            del subs[key]

    restarting = _series_restarting(blocks)

    def count(key: tuple[str, str], number: int) -> int:
        if key in restarting and number == 1:
            series[key] = 0
        series[key] = series.get(key, 0) + 1
        return series[key]

    for block, read in zip(blocks, read_labels(blocks), strict=True):
        if block.is_heading:
            restart("letter", "roman", "upper")
        if read is None:
            labels.append(block.label)
            continue
        kind, match = read.kind, read.match
        if kind in _PARENT_KINDS:
            restart("letter", "roman")
        if kind == "plain":
            number = count(("plain", match["punct"]), int(match["number"]))
            parents[""] = (int(match["number"]), str(number))
            labels.append(f"{number}{match['punct']}")
        elif kind == "prefixed":
            number = count((match["prefix"], match["punct"]), int(match["number"]))
            parents[match["prefix"]] = (int(match["number"]), str(number))
            labels.append(f"{match['prefix']}{number}{match['punct']}")
        elif kind == "suffixed":
            prefix = match["prefix"] or ""
            parent = parents.get(prefix)
            if parent is not None and int(match["number"]) == parent[0]:
                rest = match["space"] + match["suffix"] + match["punct"]
                labels.append(f"{prefix}{parent[1]}{rest}")
            else:
                labels.append(block.label)
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
            if subs[key] > _MOST[kind]:
                labels.append(block.label)  # beyond what the format reads back: as printed
                continue
            new = letter(subs[key]) if kind == "letter" else roman(subs[key])
            labels.append(f"{match['open']}{new})")
        elif kind == "upper":
            restart("letter", "roman")
            key = ("upper", match["punct"])
            subs[key] = subs.get(key, 0) + 1
            new = letter(subs[key]).upper() if subs[key] <= _MOST[kind] else match["item"]
            labels.append(f"{new}{match['punct']}")
        elif kind == "upper-roman":
            restart("letter", "roman", "upper")
            number = count(("upper-roman", match["punct"]), roman_value(match["item"]))
            new = roman(number).upper() if number <= _MOST[kind] else match["item"]
            labels.append(f"{new}{match['punct']}")
        else:
            labels.append(block.label)
    return labels


def next_label(blocks: Sequence[Block], index: int) -> str | None:
    """The label a new paragraph put after ``blocks[index]`` takes: the next one in the same
    series ("(d)" → "(e)", "PP6" → "PP7", "3." → "4.", "1bis." → "1ter."), or None after an
    unnumbered paragraph (a new paragraph of the preamble stays unnumbered too) or a label
    that has no successor."""
    read = read_labels(blocks)[index]
    if read is None:
        return None
    kind, match = read.kind, read.match
    if kind == "plain":
        return f"{int(match['number']) + 1}{match['punct']}"
    if kind == "prefixed":
        return f"{match['prefix']}{int(match['number']) + 1}{match['punct']}"
    if kind == "suffixed":
        position = SUFFIXES.index(match["suffix"]) + 1
        if position >= len(SUFFIXES):
            return None
        head = f"{match['prefix'] or ''}{match['number']}{match['space']}"
        return f"{head}{SUFFIXES[position]}{match['punct']}"
    if kind == "dotted":
        numbers = f"{match['number']}{match['rest']}"
        dot = "." if numbers.endswith(".") else ""
        *parents, last = numbers.rstrip(".").split(".")
        return ".".join([*parents, str(int(last) + 1)]) + dot
    if kind in ("letter", "roman"):
        item = match["item"]
        value = ord(item) - ord("a") + 1 if kind == "letter" else roman_value(item)
        if value + 1 > _MOST[kind]:
            return None
        new = letter(value + 1) if kind == "letter" else roman(value + 1)
        return f"{match['open']}{new})"
    if kind in ("upper", "upper-roman"):
        item = match["item"]
        value = ord(item) - ord("A") + 1 if kind == "upper" else roman_value(item)
        if value + 1 > _MOST[kind]:
            return None
        new = letter(value + 1) if kind == "upper" else roman(value + 1)
        return f"{new.upper()}{match['punct']}"
    if number := _BRACKETED_NUMBER.match(blocks[index].label or ""):
        return f"({int(number['number']) + 1})"
    return None


def label_before(blocks: Sequence[Block], index: int) -> str | None:
    """The label a new paragraph put just before ``blocks[index]`` (after a heading, or at the
    start) takes so that renumbering counts it first: "0." before "1." (a second "1." would
    start a new series), "(a)" before "(a)"; None where no label sorts before it."""
    read = read_labels(blocks)[index]
    if read is None:
        return None
    if read.kind == "plain":
        return f"{int(read.match['number']) - 1}{read.match['punct']}"
    if read.kind == "prefixed":
        match = read.match
        return f"{match['prefix']}{int(match['number']) - 1}{match['punct']}"
    if read.kind in ("letter", "roman", "upper"):
        return blocks[index].label
    return None


@dataclass(frozen=True)
class NumberingProblem:
    """What would be wrong with a draft's numbering if it were published as it is."""

    index: int  # of the block
    kind: str  # "duplicate" or "unnumbered"
    message: str


def numbering_problems(blocks: Sequence[Block]) -> list[NumberingProblem]:
    """Labels printed twice in the same list, and paragraphs without a label between numbered
    ones of the same section, in ``blocks`` as they stand (call it on the renumbered labels)."""
    return sorted([*_duplicates(blocks), *_unnumbered(blocks)], key=lambda problem: problem.index)


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
        level = "parent" if read.kind in _PARENT_KINDS else read.kind
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
    item: str, bracket: str, last: dict[tuple[str, str], str], following: Sequence[Block]
) -> str | None:
    """Whether a sub-paragraph label is a letter or a roman numeral (None: neither).

    "(i)", "(v)" and "(x)" are letters only where they continue a letter list, i.e. the last
    letter at this level was "(h)", "(u)" or "(w)"; and "(i)" is even then a numeral when the
    next sub-paragraph of that bracket style is "(ii)" (a list of numerals under "(h)").
    """
    if item in _AMBIGUOUS:
        if last.get(("letter", bracket)) != _AMBIGUOUS[item]:
            return "roman"
        if item == "i" and _next_sub_item(following, bracket) == "ii":
            return "roman"
        return "letter"
    if _ROMAN.match(item):
        return "roman"
    if len(item) == 1:
        return "letter"
    return None


def _upper_kind(
    item: str, punct: str, last: dict[tuple[str, str], str], following: Sequence[Block]
) -> str | None:
    """Whether "A." is a capital letter or "IV." a capital roman numeral, by the rule of
    _sub_kind: "I.", "V." and "X." are letters only after "H.", "U." and "W."."""
    lowered = item.lower()
    if lowered in _AMBIGUOUS:
        if last.get(("upper", punct)) != _AMBIGUOUS[lowered].upper():
            return "upper-roman"
        following_upper = next(
            (b.label for b in following if b.label and _UPPER.match(b.label)), None
        )
        if lowered == "i" and following_upper == f"II{punct}":
            return "upper-roman"
        return "upper"
    if _ROMAN.match(lowered):
        return "upper-roman"
    if len(item) == 1:
        return "upper"
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
