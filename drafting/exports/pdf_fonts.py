"""The fonts the PDF embeds, and which of them prints each character.

The PDF carries only the fonts committed under ``static/fonts`` (their licences and origin are in
``static/fonts/licences``), never one the machine happens to have: Noto Sans for Latin, Greek and
Cyrillic, Noto Naskh Arabic, Noto Sans Hebrew, Armenian and Georgian, DejaVu Sans for symbols,
Droid Sans Fallback for Chinese, Japanese and Korean, and Symbola for emoji. A
paragraph's text is cut into runs by the first of them whose character map holds each character;
a character none holds refuses the PDF (``UncoveredCharacter``) rather than print a blank.

Right-to-left text is laid out by pdf_bidi, with the widths measured here.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.fonts import tt2ps
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from drafting.text.inline import xml_safe

__all__ = [
    "PRIMARY",
    "UncoveredCharacter",
    "character_name",
    "font_markup",
    "register_fonts",
    "text_width",
]

FONT_DIRECTORY = Path(__file__).resolve().parents[2] / "static" / "fonts"

# Each family: the name ReportLab knows it by, its faces' files (regular, bold, italic,
# bold italic; a missing face borrows the nearest), and the name a person reads in a refusal.
_FAMILIES = (
    (
        "NotoSans",
        (
            "NotoSans-Regular.ttf",
            "NotoSans-Bold.ttf",
            "NotoSans-Italic.ttf",
            "NotoSans-BoldItalic.ttf",
        ),
        "Noto Sans",
    ),
    (
        "NotoNaskhArabic",
        ("NotoNaskhArabic-Regular.ttf", "NotoNaskhArabic-Bold.ttf", None, None),
        "Noto Naskh Arabic",
    ),
    (
        "NotoSansHebrew",
        ("NotoSansHebrew-Regular.ttf", "NotoSansHebrew-Bold.ttf", None, None),
        "Noto Sans Hebrew",
    ),
    (
        "NotoSansArmenian",
        ("NotoSansArmenian-Regular.ttf", "NotoSansArmenian-Bold.ttf", None, None),
        "Noto Sans Armenian",
    ),
    (
        "NotoSansGeorgian",
        ("NotoSansGeorgian-Regular.ttf", "NotoSansGeorgian-Bold.ttf", None, None),
        "Noto Sans Georgian",
    ),
    # Arrows, mathematical operators, shapes and dingbats, which Noto Sans leaves out.
    ("DejaVuSans", ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", None, None), "DejaVu Sans"),
    ("DroidSansFallback", ("DroidSansFallback.ttf", None, None, None), "Droid Sans Fallback"),
    ("Symbola", ("Symbola.ttf", None, None, None), "Symbola"),  # emoji, in outline
)
PRIMARY = _FAMILIES[0][0]
_FACE_SUFFIXES = ("", "-Bold", "-Italic", "-BoldItalic")
_EVERY_FAMILY = (1 << len(_FAMILIES)) - 1
# Characters the paragraph markup itself stands for (a line break, a tab printed as a space).
_LAID_OUT = frozenset("\n\t")
_VARIATION_SELECTOR = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef]")
# Directional classes that belong to no script: they stay in the font of the run they are in.
_NEUTRAL = frozenset({"WS", "CS", "ON", "ES", "ET", "EN", "BN", "S", "B", "NSM"})


class UncoveredCharacter(ValueError):
    """A character that no embedded font can print; the PDF is refused rather than print a
    blank. ``paragraph`` is the 1-based position of the paragraph in the version, None for the
    title (until the paragraph is known)."""

    def __init__(self, character: str, paragraph: int | None = None):
        self.character = character
        self.name = character_name(character)
        self.paragraph = paragraph
        self.fonts = ", ".join(label for _, _, label in _FAMILIES)
        where = f"paragraph {paragraph}" if paragraph else "the title"
        super().__init__(
            f"The PDF cannot print {self.name} in {where}: none of its fonts "
            f"({self.fonts}) has that character. Replace it in the text, or download the "
            "Word copy instead."
        )

    def in_paragraph(self, paragraph: int) -> UncoveredCharacter:
        return UncoveredCharacter(self.character, paragraph)


def character_name(character: str) -> str:
    """ "U+1F600 😀 (GRINNING FACE)": the code point always, the character where it shows."""
    code = f"U+{ord(character):04X}"
    shown = f" {character}" if character.isprintable() and not character.isspace() else ""
    name = unicodedata.name(character, "")
    return f"{code}{shown}" + (f" ({name})" if name else "")


@cache
def register_fonts() -> None:
    for family, files, _ in _FAMILIES:
        names: list[str] = []
        for index, file_name in enumerate(files):
            if file_name:
                name = family + _FACE_SUFFIXES[index]
                pdfmetrics.registerFont(TTFont(name, str(FONT_DIRECTORY / file_name)))
            else:  # an italic borrows its upright face, a bold the regular one
                name = names[index - 2] if index >= 2 else names[0]
            names.append(name)
        pdfmetrics.registerFontFamily(
            family, normal=names[0], bold=names[1], italic=names[2], boldItalic=names[3]
        )


@cache
def _character_maps() -> tuple[frozenset[int], ...]:
    register_fonts()
    return tuple(
        frozenset(pdfmetrics.getFont(family).face.charToGlyph) for family, _, _ in _FAMILIES
    )


@cache
def _outside_primary() -> re.Pattern[str]:
    """Matches any character the primary font lacks: most paragraphs need no other font, and
    one regular-expression search tells so without looking at each character in Python."""
    covered = sorted(_character_maps()[0] | {ord(c) for c in _LAID_OUT})
    ranges: list[list[int]] = []
    for code in covered:
        if ranges and code == ranges[-1][1] + 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    members = "".join(
        re.escape(chr(low)) + (f"-{re.escape(chr(high))}" if high > low else "")
        for low, high in ranges
    )
    return re.compile(f"[^{members}]")


@lru_cache(maxsize=65_536)
def _choice(character: str) -> tuple[int, int, bool]:
    """(the first family holding the character, or -1 if none need print it, or -2 if none
    can; a bit per family holding it; whether it is script-neutral)."""
    if character in _LAID_OUT:
        return 0, _EVERY_FAMILY, True
    code = ord(character)
    mask = sum(1 << index for index, cmap in enumerate(_character_maps()) if code in cmap)
    neutral = unicodedata.bidirectional(character) in _NEUTRAL
    if mask:
        return (mask & -mask).bit_length() - 1, mask, neutral
    # Format characters (joiners, direction marks, soft hyphens) and variation selectors (the
    # emoji presentation mark after "🕊") are invisible by definition.
    invisible = unicodedata.category(character) == "Cf" or _VARIATION_SELECTOR.match(character)
    return (-1 if invisible else -2), 0, neutral


def font_runs(text: str) -> list[tuple[int, str]]:
    """The text cut into (family index, text) runs; raises UncoveredCharacter."""
    if _outside_primary().search(text) is None:
        return [(0, text)] if text else []
    runs: list[tuple[int, list[str]]] = []
    for character in text:
        best, mask, neutral = _choice(character)
        if best == -2:
            raise UncoveredCharacter(character)
        if best == -1:
            continue
        current = runs[-1][0] if runs else best
        family = current if neutral and mask >> current & 1 else best
        if runs and runs[-1][0] == family:
            runs[-1][1].append(character)
        else:
            runs.append((family, [character]))
    return [(family, "".join(characters)) for family, characters in runs]


def _escape(text: str) -> str:
    return escape(xml_safe(text)).replace("\n", "<br/>").replace("\t", " ")


def font_markup(text: str, bold: bool = False, italic: bool = False) -> str:
    """ReportLab paragraph markup for plain text: escaped, each run not in the primary font
    wrapped in ``<font name=...>`` naming the face for the emphasis the text is printed in
    (``bold``, ``italic``: a font tag sets the face whatever <b> or <i> surrounds it)."""
    return "".join(
        _escape(run)
        if family == 0
        else f'<font name="{face_name(family, bold, italic)}">{_escape(run)}</font>'
        for family, run in font_runs(xml_safe(text))
    )


def face_name(family: int, bold: bool, italic: bool) -> str:
    return tt2ps(_FAMILIES[family][0], int(bold), int(italic))


def text_width(text: str, size: float, bold: bool = False, italic: bool = False) -> float:
    """The width of the text as the PDF sets it, run by run."""
    return sum(
        pdfmetrics.stringWidth(run, face_name(family, bold, italic), size)
        for family, run in font_runs(text)
    )
