"""Writers that turn versions and comparisons into files people download (Word, PDF).

What the writers share lives here: reading a block's inline Markdown into styled text, so that
the Word redline, the Word copy and the PDF copy all show the same words with the same emphasis,
and `**`, `_` or `\\.` never reach a delegate's screen as literal characters.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from drafting.text.brackets import find_brackets

__all__ = [
    "CORE_PROPERTY_LIMIT",
    "InlineSpan",
    "Piece",
    "core_property",
    "display_pieces",
    "display_text",
    "join_pieces",
    "read_inline",
    "xml_safe",
]


@dataclass(frozen=True, slots=True)
class InlineSpan:
    """Source characters ``[start, end)`` of a Markdown text and what a reader sees for them.

    Markup (emphasis markers, link brackets and targets, escape backslashes) shows as ``""`` or
    as the escaped character; plain text shows as itself; the delegations holding a bracket
    (``{EU}`` after its ``]``) show as their codes in superscript, the braces as ``""``. The
    spans cover the source end to end, so a range of source offsets (a diff segment) maps to
    exactly the text it displays.
    """

    start: int
    end: int
    text: str
    bold: bool = False
    italic: bool = False
    superscript: bool = False

    @property
    def is_verbatim(self) -> bool:
        return len(self.text) == self.end - self.start


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of displayed text in one style."""

    text: str
    bold: bool = False
    italic: bool = False
    superscript: bool = False

    @property
    def style(self) -> tuple[bool, bool, bool]:
        return self.bold, self.italic, self.superscript


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_LINK = re.compile(
    r"!?\[(?P<label>(?:[^\[\]\\\n]|\\.)*)\]"
    r"\(\s*(?:<[^<>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'))?\s*\)"
)
_AUTOLINK = re.compile(r"<(?P<target>[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>")
# A line that starts a list item or a numbered sub-item keeps its line break; any other newline
# is a soft wrap and reads as a space, as in every Markdown renderer.
_LIST_LINE = re.compile(r"[ \t]*(?:[-*+][ \t]|\d{1,4}[.)][ \t]|\([0-9a-z]{1,5}\)[ \t])")
_NOTE_LINE = re.compile(r"\[\^[0-9A-Za-z-]{1,20}\]:")  # a footnote's note starts its own line
# What opens a line's containers and headings in CommonMark, which the page shows as a bullet or
# not at all: a bullet (nested ones too, "* * 1991"), a quote marker, a heading's hashes.
_LIST_MARKER = re.compile(r"([ \t]*)[-*+](?=[ \t]+[^ \t\n])")
_QUOTE_MARKER = re.compile(r"[ \t]{0,3}>[ \t]?")
_HEADING_MARKER = re.compile(r"[ \t]{0,3}#{1,6}(?:[ \t]+|(?=\n|$))")
# A line of three or more *, - or _ is a rule, and "===" or "---" under a line underlines a
# heading: the page shows neither (its sanitiser keeps no <hr>).
_RULE_LINE = re.compile(r"[ \t]{0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})(?=\n|$)")
_UNDERLINE = re.compile(r"[ \t]{0,3}(?:=+|-+)[ \t]*(?=\n|$)")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_SPECIAL = re.compile(r"[\\*_`\[!<&\n{]")
_BACKTICK_RUN = re.compile(r"`+")


def xml_safe(text: str) -> str:
    """Drop the characters XML 1.0 cannot carry (control characters, lone surrogates)."""
    return _XML_INVALID.sub("", text)


# python-docx refuses a longer title, subject or author, as Word's own dialog does.
CORE_PROPERTY_LIMIT = 255


def core_property(text: str) -> str:
    """A Word document property (title, subject, author): XML-safe, and cut at a word boundary
    to the 255 characters a property may hold, so that no accepted title breaks a download."""
    text = xml_safe(text)
    if len(text) <= CORE_PROPERTY_LIMIT:
        return text
    cut = text[: CORE_PROPERTY_LIMIT - 1]
    space = cut.rfind(" ")
    if space > CORE_PROPERTY_LIMIT // 2:
        cut = cut[:space]
    return cut.rstrip() + "\u2026"


def _is_space(char: str) -> bool:
    return char == "" or char.isspace()


def _is_punctuation(char: str) -> bool:
    return char != "" and unicodedata.category(char)[0] in "PS"


@dataclass(slots=True)
class _DelimiterRun:
    char: str
    atoms: list[int]
    can_open: bool
    can_close: bool
    length: int


def _delimiter_run(source: str, start: int, end: int, atoms: list[int]) -> _DelimiterRun:
    char = source[start]
    before = source[start - 1] if start > 0 else ""
    after = source[end] if end < len(source) else ""
    left = not _is_space(after) and (
        not _is_punctuation(after) or _is_space(before) or _is_punctuation(before)
    )
    right = not _is_space(before) and (
        not _is_punctuation(before) or _is_space(after) or _is_punctuation(after)
    )
    if char == "*":
        can_open, can_close = left, right
    else:
        can_open = left and (not right or _is_punctuation(before))
        can_close = right and (not left or _is_punctuation(after))
    return _DelimiterRun(char, atoms, can_open, can_close, end - start)


class _BacktickRuns:
    """Where the runs of backticks of each length start, found once: looking for a code span's
    closing run then costs no new scan of the text, so a text of many unclosed runs of distinct
    lengths reads in linear time."""

    def __init__(self, source: str) -> None:
        self._starts: dict[int, list[int]] = {}
        self._next: dict[int, int] = {}
        for run in _BACKTICK_RUN.finditer(source):
            self._starts.setdefault(run.end() - run.start(), []).append(run.start())

    def after(self, position: int, length: int) -> int | None:
        """The start of the first run of exactly ``length`` backticks at or after ``position``."""
        starts = self._starts.get(length, [])
        index = self._next.get(length, 0)
        while index < len(starts) and starts[index] < position:
            index += 1
        self._next[length] = index
        return starts[index] if index < len(starts) else None


def read_inline(source: str) -> list[InlineSpan]:
    """Read inline Markdown (emphasis, strong, code, links, escapes) as spans over the source.

    Emphasis follows CommonMark's delimiter rules, so ``snake_case`` and a lone ``*`` stay text.
    """
    atoms: list[list] = []  # [start, end, text shown], made final once emphasis is matched
    holders = _bracket_holders(source)
    superscript: set[int] = set()
    runs: list[_DelimiterRun] = []
    link_closers: dict[int, int] = {}
    code_closers = _BacktickRuns(source)
    position = 0
    length = len(source)
    line_start = True
    while position < length:
        char = source[position]
        if line_start:
            line_start = False
            end = _line_start_end(source, position, first_line=position == 0)
            if end is not None:
                atoms.append([position, end[0], end[1]])
                position = end[0]
                continue
        if position in link_closers:
            end = link_closers.pop(position)
            atoms.append([position, end, ""])
            position = end
        elif position in holders:
            end = holders[position]
            atoms.append([position, position + 1, ""])
            superscript.add(len(atoms))
            atoms.append([position + 1, end - 1, source[position + 1 : end - 1].strip()])
            atoms.append([end - 1, end, ""])
            position = end
        elif char == "\\" and source.startswith("\n", position + 1):
            # A backslash at the end of a line is a hard line break.
            atoms.append([position, position + 2, "\n"])
            position += 2
            line_start = True
        elif char == "\\" and position + 1 < length and source[position + 1] in _ASCII_PUNCTUATION:
            atoms.append([position, position + 2, source[position + 1]])
            position += 2
        elif char in "*_":
            end = position
            while end < length and source[end] == char:
                end += 1
            indices = list(range(len(atoms), len(atoms) + end - position))
            atoms.extend([index, index + 1, char] for index in range(position, end))
            runs.append(_delimiter_run(source, position, end, indices))
            position = end
        elif char == "`":
            end = position
            while end < length and source[end] == "`":
                end += 1
            closing = code_closers.after(end, end - position)
            if closing is None:
                atoms.append([position, end, source[position:end]])
                position = end
            else:
                closing_end = closing + end - position
                atoms.append([position, end, ""])
                atoms.append([end, closing, source[end:closing]])
                atoms.append([closing, closing_end, ""])
                position = closing_end
        elif char in "[!" and (link := _LINK.match(source, position)):
            opener_end = link.start("label")
            atoms.append([position, opener_end, ""])
            link_closers[link.end("label")] = link.end()
            position = opener_end
        elif char == "<" and (autolink := _AUTOLINK.match(source, position)):
            atoms.append([position, position + 1, ""])
            atoms.append([position + 1, autolink.end() - 1, autolink.group("target")])
            atoms.append([autolink.end() - 1, autolink.end(), ""])
            position = autolink.end()
        elif char == "&" and (entity := _ENTITY.match(source, position)):
            atoms.append([position, entity.end(), html.unescape(entity.group())])
            position = entity.end()
        elif char == "\n":
            # Two spaces before it make a hard line break, as a list item's line keeps its own.
            keeps_break = (
                source.startswith("  ", position - 2)
                or _LIST_LINE.match(source, position + 1) is not None
                or _NOTE_LINE.match(source, position + 1) is not None
            )
            atoms.append([position, position + 1, "\n" if keeps_break else " "])
            position += 1
            line_start = True
        else:
            special = _SPECIAL.search(source, position + 1)
            end = special.start() if special else length
            if link_closers:
                end = min([end, *(closer for closer in link_closers if closer > position)])
            atoms.append([position, end, source[position:end]])
            position = end

    bold_depth = [0] * (len(atoms) + 1)
    italic_depth = [0] * (len(atoms) + 1)
    for opener, closer, strong in _match_emphasis(runs):
        depth = bold_depth if strong else italic_depth
        depth[opener + 1] += 1
        depth[closer] -= 1
        for index in (opener, closer) if not strong else (opener, opener - 1, closer, closer + 1):
            atoms[index][2] = ""

    spans: list[InlineSpan] = []
    bold = italic = 0
    for index, (start, end, text) in enumerate(atoms):
        bold += bold_depth[index]
        italic += italic_depth[index]
        spans.append(InlineSpan(start, end, text, bold > 0, italic > 0, index in superscript))
    return spans


def _bracket_holders(source: str) -> dict[int, int]:
    """Where each bracket's holders (``{EU, TUR}``) start and end in the source."""
    holders: dict[int, int] = {}
    for bracket_set in find_brackets(source):
        for bracket in bracket_set.alternatives:
            opening = bracket.start + len(bracket.text) + 2
            if bracket.end > opening:
                holders[opening] = bracket.end
    return holders


def _line_start_end(source: str, position: int, *, first_line: bool) -> tuple[int, str] | None:
    """Where the container markers opening the line at ``position`` end, and what a reader sees
    for them: one bullet per list marker, nothing for quotes, heading hashes, rules and heading
    underlines; ``None`` when the line starts with text. Each marker is read once."""
    rule = _RULE_LINE.match(source, position) or (
        None if first_line else _UNDERLINE.match(source, position)
    )
    if rule:
        return rule.end(), ""
    shown: list[str] = []
    end = position
    while True:
        if quote := _QUOTE_MARKER.match(source, end):
            end = quote.end()
        elif bullet := _LIST_MARKER.match(source, end):
            shown.append(bullet.group(1) + "\u2022")
            end = bullet.end()
        else:
            break
    if heading := _HEADING_MARKER.match(source, end):
        end = heading.end()
    return (end, "".join(shown)) if end > position else None


def _match_emphasis(runs: list[_DelimiterRun]) -> list[tuple[int, int, bool]]:
    """Pair delimiter runs as CommonMark does: (innermost opener atom, closer atom, strong).

    For strong emphasis the pair names the inner one of the two atoms on each side.
    """
    matches: list[tuple[int, int, bool]] = []
    stack: list[_DelimiterRun] = []
    floor: dict[tuple[str, bool, int], int] = {}
    for closer in runs:
        while closer.can_close and closer.atoms:
            key = (closer.char, closer.can_open, closer.length % 3)
            bottom = min(floor.get(key, 0), len(stack))
            found = None
            for index in range(len(stack) - 1, bottom - 1, -1):
                opener = stack[index]
                if opener.char != closer.char or not opener.can_open or not opener.atoms:
                    continue
                odd_rule = (opener.can_close or closer.can_open) and (
                    (opener.length + closer.length) % 3 == 0
                    and not (opener.length % 3 == 0 and closer.length % 3 == 0)
                )
                if not odd_rule:
                    found = index
                    break
            if found is None:
                floor[key] = len(stack)
                break
            opener = stack[found]
            strong = len(opener.atoms) >= 2 and len(closer.atoms) >= 2
            use = 2 if strong else 1
            inner_open, inner_close = opener.atoms[-1], closer.atoms[0]
            matches.append((inner_open, inner_close, strong))
            del opener.atoms[-use:]
            del closer.atoms[:use]
            del stack[found + 1 :]
            if not opener.atoms:
                stack.pop()
        if closer.can_open and closer.atoms:
            stack.append(closer)
    return matches


def display_pieces(source: str) -> list[Piece]:
    """The styled text a reader sees for a block's Markdown, adjacent same-style runs joined."""
    return join_pieces(
        Piece(span.text, span.bold, span.italic, span.superscript)
        for span in read_inline(source)
        if span.text
    )


def display_text(source: str) -> str:
    """The plain text a reader sees for a block's Markdown; a bracket's holders, which plain
    text cannot raise, keep their braces (``[shall]{EU}``)."""
    return "".join(
        f"{{{span.text}}}" if span.superscript else span.text for span in read_inline(source)
    )


def join_pieces(pieces: Iterable[Piece]) -> list[Piece]:
    """Merge neighbouring pieces of the same style, so a writer emits one run per style change."""
    joined: list[Piece] = []
    for piece in pieces:
        if not piece.text:
            continue
        if joined and joined[-1].style == piece.style:
            joined[-1] = Piece(joined[-1].text + piece.text, *piece.style)
        else:
            joined.append(piece)
    return joined


def starts_list_line(line: str) -> bool:
    """Whether a line of a block starts a list item or a numbered sub-item, whose line break
    is kept without a backslash (the rule read_inline applies)."""
    return _LIST_LINE.match(line) is not None
