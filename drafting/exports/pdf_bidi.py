"""Right-to-left text in the PDF: ReportLab neither joins Arabic letters nor reorders a line, so a
paragraph holding Arabic or Hebrew is joined into its contextual letter forms (arabic-reshaper),
broken into lines here by the embedded fonts' own widths, and each line put in visual order by
the Unicode bidirectional algorithm (python-bidi) before ReportLab sets it.

The algorithm runs on the characters with their emphasis beside them, so that a bold or italic
word keeps its emphasis wherever the reordering puts it.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from functools import cache

import arabic_reshaper
from arabic_reshaper.ligatures import LIGATURES
from bidi import algorithm, get_display

from drafting.exports.pdf_fonts import text_width
from drafting.text.inline import xml_safe

__all__ = ["Styled", "bidi_lines"]

# A run of text and its emphasis (bold, italic, superscript), as in drafting.text.inline.Piece.
Styled = tuple[str, tuple[bool, bool, bool]]
_PLAIN = (False, False, False)
_LAM_ALEF = "ARABIC LIGATURE LAM WITH ALEF"


@cache
def _reshaper() -> arabic_reshaper.ArabicReshaper:
    # The fonts hold the lam-alef ligatures every Arabic text needs; other ligature code points
    # (whole words such as "Allah") are not all in them, so they stay letters; vowel marks stay.
    names = {name: name.startswith(_LAM_ALEF) and "MAKSURA" not in name for name, _ in LIGATURES}
    return arabic_reshaper.ArabicReshaper(
        configuration={**names, "delete_harakat": False, "support_ligatures": True}
    )


def bidi_lines(
    pieces: Sequence[Styled],
    width: float,
    size: float,
    *,
    right_to_left: bool,
    bold: bool = False,
    italic: bool = False,
) -> list[list[Styled]]:
    """Text holding right-to-left script as lines of styled runs in visual order (left to right
    as printed), each no wider than ``width`` at ``size`` points: shaped, broken between words
    in reading order, then reordered with the paragraph's direction (``right_to_left``) as the
    base. ``bold`` and ``italic`` are the paragraph style's own."""
    characters: list[tuple[str, Hashable]] = []
    for text, style in pieces:
        shaped = _reshaper().reshape(xml_safe(text).replace("\t", " "))
        characters.extend((character, style) for character in shaped)

    def measure(word: list[tuple[str, Hashable]]) -> float:
        total, start = 0.0, 0
        for end in range(1, len(word) + 1):
            if end == len(word) or word[end][1] != word[start][1]:
                run_bold, run_italic = word[start][1][:2]
                run = "".join(character for character, _ in word[start:end])
                total += text_width(run, size, bold or run_bold, italic or run_italic)
                start = end
        return total

    space = text_width(" ", size, bold, italic)
    lines: list[list[tuple[str, Hashable]]] = []
    line: list[tuple[str, Hashable]] = []
    word: list[tuple[str, Hashable]] = []
    used = 0.0
    for character, style in [*characters, ("\n", _PLAIN)]:
        if character not in " \n":
            word.append((character, style))
            continue
        word_width = measure(word)
        if line and used + word_width > width:  # used counts the space before the word
            lines.append(line[:-1])  # the space the line ended with goes
            line, used = [], 0.0
        line.extend(word)
        used += word_width + space
        word = []
        if character == "\n":
            lines.append(line)
            line, used = [], 0.0
        else:
            line.append((character, style))
    return [_visual(line, "R" if right_to_left else "L") for line in lines]


def _visual(line: list[tuple[str, Hashable]], base: str) -> list[Styled]:
    """One line in visual order, its characters carrying their emphasis: python-bidi's
    algorithm, run step by step, with each character's place in the line noted on it (a line in
    one style, the common case, takes python-bidi's compiled implementation in one call)."""
    if all(style == line[0][1] for _, style in line):
        text = "".join(character for character, _ in line)
        return [(get_display(text, base_dir=base), line[0][1])] if line else []
    storage = algorithm.get_empty_storage()
    storage["base_level"] = algorithm.PARAGRAPH_LEVELS[base]
    storage["base_dir"] = base
    algorithm.get_embedding_levels("".join(character for character, _ in line), storage)
    for index, entry in enumerate(storage["chars"]):
        entry["index"] = index
    algorithm.explicit_embed_and_overrides(storage, False)
    algorithm.resolve_weak_types(storage, False)
    algorithm.resolve_neutral_types(storage, False)
    algorithm.resolve_implicit_levels(storage, False)
    algorithm.reorder_resolved_levels(storage, False)
    algorithm.apply_mirroring(storage, False)
    runs: list[Styled] = []
    for entry in storage["chars"]:
        style = line[entry["index"]][1]
        if runs and runs[-1][1] == style:
            runs[-1] = (runs[-1][0] + entry["ch"], style)
        else:
            runs.append((entry["ch"], style))
    return runs
