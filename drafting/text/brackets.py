"""Brackets: text not yet agreed, as negotiators write it, and who holds each bracket.

The draft format's syntax (plain text, so that a bracket survives Markdown, Word and e-mail):

- ``[cooperation on return]``: a bracketed passage, one open point;
- ``[shall][should]``: alternatives, adjacent brackets with nothing between them, one open point;
- ``{EU, TUR}`` right after a bracket's ``]``: the delegations (codes) that hold that bracket,
  e.g. ``[shall]{EU}[should]{RUS TUR}``.

Not brackets: ``\\[`` (escaped), ``![...]`` (image), ``[text](target)`` (a link), ``[^1]`` (a
footnote reference), and a bracket holding ``[``, ``]`` or a line break (the inner one counts).
One regular-expression pass with no backtracking across brackets: linear in the text's length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CODE = r"[A-Za-z0-9][A-Za-z0-9-]{0,15}"
_SEP = r"[ ]{0,3}[, ][ ]{0,3}"  # bounded runs of spaces: no backtracking over a long run
_HOLDERS = rf"[ ]{{0,3}}{_CODE}(?:{_SEP}{_CODE}){{0,63}}[ ]{{0,3}}"
_BRACKET = re.compile(
    r"(?<![\\!])\[(?!\^)(?P<text>[^\[\]\n]*)\](?!\()"
    rf"(?:\{{(?P<holders>{_HOLDERS})\}})?"
)
_HOLDER = re.compile(_CODE)
_HOLDERS_ALONE = re.compile(_HOLDERS)


@dataclass(frozen=True)
class Bracket:
    """One bracket: its text, the delegations that hold it, and where it stands in the source."""

    text: str
    holders: tuple[str, ...]
    start: int
    end: int


@dataclass(frozen=True)
class BracketSet:
    """One open point: a bracketed passage, or the alternatives written side by side."""

    alternatives: tuple[Bracket, ...]

    @property
    def start(self) -> int:
        return self.alternatives[0].start

    @property
    def end(self) -> int:
        return self.alternatives[-1].end

    @property
    def is_alternatives(self) -> bool:
        return len(self.alternatives) > 1

    @property
    def holders(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for bracket in self.alternatives:
            seen.update(dict.fromkeys(bracket.holders))
        return tuple(seen)


def find_brackets(text: str) -> list[BracketSet]:
    """The bracket sets of a paragraph's text, in order."""
    sets: list[list[Bracket]] = []
    for match in _BRACKET.finditer(text):
        holders = tuple(h.upper() for h in _HOLDER.findall(match["holders"] or ""))
        bracket = Bracket(match["text"], holders, match.start(), match.end())
        if sets and sets[-1][-1].end == bracket.start:
            sets[-1].append(bracket)
        else:
            sets.append([bracket])
    return [BracketSet(tuple(s)) for s in sets]


def count_open_points(text: str) -> int:
    """How many bracket sets (open points) the text holds."""
    return len(find_brackets(text))


def reads_as_holders(text: str) -> bool:
    """Whether a text is a list of delegation codes as a bracket's holders are written (what a
    Word file prints in superscript after a ``]``, read back into ``{EU, TUR}``)."""
    return _HOLDERS_ALONE.fullmatch(text) is not None
