"""Word's paragraph styles and automatic numbering: which style is a heading (and of which level),
and the label Word prints before a numbered paragraph ("7.", "(a)", "PP3"), computed as Word
counts, with its restarts, overrides and formats."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from drafting.documents.docx_archive import WML

_HEADING_NAME = re.compile(r"^heading\s*([1-9])$")


class Styles:
    """Paragraph styles by id: which are headings, and which carry a list's numbering."""

    def __init__(self, root) -> None:
        self._styles: dict[str, object] = {}
        if root is not None:
            for style in root.iter(f"{WML}style"):
                if style.get(f"{WML}type", "paragraph") == "paragraph":
                    self._styles[style.get(f"{WML}styleId") or ""] = style

    def _chain(self, style_id: str | None) -> Iterator:
        seen: set[str] = set()
        while (
            style_id and style_id not in seen and (style := self._styles.get(style_id)) is not None
        ):
            seen.add(style_id)
            yield style
            based = style.find(f"{WML}basedOn")
            style_id = based.get(f"{WML}val") if based is not None else None

    def heading_level(self, style_id: str | None) -> int | None:
        """0 for a title, 1-9 for Heading 1-9, None for a body paragraph."""
        for candidate in (style_id, *(_name(s) for s in self._chain(style_id))):
            name = (candidate or "").strip().lower()
            if name == "title":
                return 0
            if match := _HEADING_NAME.match(name):
                return int(match.group(1))
        return None

    def numbering(self, style_id: str | None) -> tuple[str | None, int | None]:
        """The (numId, ilvl) a style gives its paragraphs, if any."""
        for style in self._chain(style_id):
            num_pr = style.find(f"{WML}pPr/{WML}numPr")
            if num_pr is not None:
                return child_val(num_pr, "numId"), to_int(child_val(num_pr, "ilvl"))
        return None, None


def _name(style) -> str | None:
    name = style.find(f"{WML}name")
    return name.get(f"{WML}val") if name is not None else None


def child_val(parent, tag: str) -> str | None:
    el = parent.find(f"{WML}{tag}")
    return el.get(f"{WML}val") if el is not None else None


def to_int(value: str | None, default: int | None = None) -> int | None:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


@dataclass(slots=True)
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    restart: int | None = None  # the 1-based level after which this one restarts; 0: never
    legal: bool = False


class Numbering:
    """Word's automatic numbering: counters per list, advanced paragraph by paragraph."""

    def __init__(self, root) -> None:
        self._abstract: dict[str, dict[int, _Level]] = {}
        self._nums: dict[str, tuple[str, dict[int, int]]] = {}
        self._counters: dict[str, dict[int, int]] = {}
        self._starts: dict[tuple[str, int], int] = {}
        self._started: set[str] = set()
        if root is None:
            return
        for abstract in root.iter(f"{WML}abstractNum"):
            self._abstract[abstract.get(f"{WML}abstractNumId") or ""] = {
                to_int(lvl.get(f"{WML}ilvl"), 0): _read_level(lvl)
                for lvl in abstract.iter(f"{WML}lvl")
            }
        for num in root.iter(f"{WML}num"):
            overrides = {
                to_int(override.get(f"{WML}ilvl"), 0): to_int(start, 1)
                for override in num.iter(f"{WML}lvlOverride")
                if (start := child_val(override, "startOverride")) is not None
            }
            self._nums[num.get(f"{WML}numId") or ""] = (
                child_val(num, "abstractNumId") or "",
                overrides,
            )

    def label(self, num_id: str | None, ilvl: int) -> str | None:
        """Advance the list ``num_id`` at level ``ilvl`` and give the label Word would print."""
        if not num_id or num_id not in self._nums:
            return None
        abstract_id, overrides = self._nums[num_id]
        levels = self._abstract.get(abstract_id, {})
        if ilvl not in levels:
            return None
        # Lists that share an abstract definition share its counters, as in Word; a list with
        # a start override ("restart numbering") resets them where it is first used.
        counters = self._counters.setdefault(abstract_id, {})
        if num_id not in self._started:
            self._started.add(num_id)
            for level, start in overrides.items():
                counters.pop(level, None)
                self._starts[abstract_id, level] = start

        def start(level: int) -> int:
            default = levels[level].start if level in levels else 1
            return self._starts.get((abstract_id, level), default)

        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else start(ilvl)
        for deeper in [d for d in counters if d > ilvl]:
            restart = levels[deeper].restart if deeper in levels else None
            if restart is None or ilvl < restart:
                del counters[deeper]
        level = levels[ilvl]
        if level.fmt in ("bullet", "none"):
            return None

        def number(match: re.Match) -> str:
            k = int(match.group(1)) - 1
            fmt = "decimal" if level.legal else levels.get(k, level).fmt
            return _format_number(counters.get(k, start(k)), fmt)

        return re.sub(r"%([1-9])", number, level.text).strip() or None


def _read_level(lvl) -> _Level:
    return _Level(
        start=to_int(child_val(lvl, "start"), 1),
        fmt=child_val(lvl, "numFmt") or "decimal",
        text=child_val(lvl, "lvlText") if lvl.find(f"{WML}lvlText") is not None else "",
        restart=to_int(child_val(lvl, "lvlRestart")),
        legal=lvl.find(f"{WML}isLgl") is not None,
    )


_ROMAN_DIGITS = (
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
)


def _roman(n: int) -> str:
    out = []
    for value, digits in _ROMAN_DIGITS:
        while n >= value:
            out.append(digits)
            n -= value
    return "".join(out)


def _format_number(n: int, fmt: str) -> str:
    """A counter as Word prints it in ``fmt``; unknown formats fall back to decimal."""
    if fmt in ("lowerLetter", "upperLetter") and 0 < n <= 780:  # at most "zz…z", 30 letters
        # Word goes a..z, then aa..zz, then aaa..: the letter repeated.
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "lowerLetter" else letter.upper()
    if fmt in ("lowerRoman", "upperRoman") and 0 < n < 4000:
        return _roman(n) if fmt == "lowerRoman" else _roman(n).upper()
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)
