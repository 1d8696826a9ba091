"""Reading a paragraph's label as a member of its series, and the label a new paragraph takes.

Pure text, like draft_format which prints and reads the labels: numbering (recomputing labels at
publication), the editor (labelling an inserted paragraph) and the comparison all read labels
the same way here. The kinds of label that declarations print:

- "7." and "7)" (plain), "PP3." and "OP12." (prefixed): the parent series;
- "7.2", "7.2.1" (dotted) and "1bis.", "1 ter", "PP3bis" (suffixed): below a parent;
- letters "(a)", "b)" and roman numerals "(i)", "ii)": sub-series under a parent;
- capital letters "A." and capital roman numerals "I.", "II.": above the parents;
- anything else ("(7)", "41(2)(b)"): other, a level above any list of letters.

"(i)", "(v)" and "(x)" read as letters only where they continue a letter list (the last letter
at that level, in the same bracket style, was "(h)", "(u)" or "(w)"), and "(i)" not even then
when the next sub-paragraph is "(ii)"; elsewhere they are roman numerals ("I.", "V.", "X." in
capitals alike). This is decided on the labels as printed, in read_labels, and nowhere else.
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
PARENT_KINDS = frozenset({"plain", "prefixed", "suffixed", "dotted", "other"})


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
LONGEST_SERIES = {"letter": 26, "roman": 39, "upper": 26, "upper-roman": 39}


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
        if kind in PARENT_KINDS:
            restart("letter", "roman")  # "(2)", "41(2)": a level above any list of letters
        read.append(ReadLabel(kind, match))
    return read


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
        if value + 1 > LONGEST_SERIES[kind]:
            return None
        new = letter(value + 1) if kind == "letter" else roman(value + 1)
        return f"{match['open']}{new})"
    if kind in ("upper", "upper-roman"):
        item = match["item"]
        value = ord(item) - ord("A") + 1 if kind == "upper" else roman_value(item)
        if value + 1 > LONGEST_SERIES[kind]:
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


def inserted_label(blocks: Sequence[Block], index: int) -> str | None:
    """The label a new paragraph put after ``blocks[index]`` takes: next_label's, except where
    the numbering asks for a Latin suffix. A draft that already prints one in a parent series
    ("1bis.", "PP3 bis") inserts that way: a paragraph put between "1." and "2." (or "1bis.")
    takes "1bis." rather than a "2." that would renumber every paragraph after it."""
    reads = read_labels(blocks)
    read = reads[index]
    if read is None or read.kind not in ("plain", "prefixed"):
        return next_label(blocks, index)
    prefix = read.match["prefix"] if read.kind == "prefixed" else ""
    suffixed = [
        r.match for r in reads if r is not None and r.kind == "suffixed" and _series(r) == prefix
    ]
    following = next(
        (
            (r, b.label)
            for r, b in zip(reads[index + 1 :], blocks[index + 1 :], strict=True)
            if r is not None
            and r.kind in ("plain", "prefixed", "suffixed")
            and _series(r) == prefix
        ),
        None,
    )
    if not suffixed or following is None:
        return next_label(blocks, index)
    number = read.match["number"]
    after, label = following
    continues = label == next_label(blocks, index) or (
        after.kind == "suffixed" and after.match["number"] == number
    )
    if not continues:
        return next_label(blocks, index)
    space = suffixed[0]["space"]
    return f"{prefix}{number}{space}{SUFFIXES[0]}{read.match['punct']}"


def _series(read: ReadLabel) -> str:
    """The parent series a plain, prefixed or suffixed label belongs to: "" or its prefix."""
    return "" if read.kind == "plain" else read.match["prefix"] or ""
