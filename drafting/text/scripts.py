"""Which way a paragraph runs and which languages its scripts call for, read from its characters,
so that the Word copy can mark each paragraph's language and right to left, and the PDF can lay
an Arabic or Hebrew paragraph out from the right.

Word keeps three languages on a run: one for Latin, Greek and Cyrillic text (``w:val``), one for
East Asian text (``w:eastAsia``) and one for complex scripts such as Arabic (``w:bidi``); it uses
each for the characters of its kind. The document's language fills the first unless the paragraph
is written in another alphabet; the other two are named from the paragraph's script.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["ParagraphLanguages", "has_right_to_left", "is_right_to_left", "paragraph_languages"]

RIGHT_TO_LEFT_LANGUAGES = frozenset({"ar", "he", "fa", "ur", "yi", "ps", "dv", "ckb", "sd", "ug"})
EAST_ASIAN_LANGUAGES = frozenset({"zh", "ja", "ko"})
CYRILLIC_LANGUAGES = frozenset({"ru", "uk", "be", "bg", "sr", "mk", "kk", "ky", "mn", "tg"})

_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\U00010800-\U00010fff]")
_HEBREW = re.compile("[\u0590-\u05ff\ufb1d-\ufb4f]")
_KANA = re.compile("[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile("[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
_GREEK = re.compile("[\u0370-\u03ff\u1f00-\u1fff]")
_CYRILLIC = re.compile("[\u0400-\u052f]")


@dataclass(frozen=True)
class ParagraphLanguages:
    """The languages Word is told for one paragraph, and whether it runs right to left."""

    language: str
    east_asian: str | None
    complex_script: str | None
    right_to_left: bool


def base_language(language: str) -> str:
    """ "ar" for "ar-EG", "zh" for "zh_Hant": the part that names the language."""
    return re.split("[-_]", language or "en", maxsplit=1)[0].lower()


def has_right_to_left(text: str) -> bool:
    """Whether any of the text is written in a right-to-left script (Hebrew, Arabic, Syriac...):
    such text must be reordered for the eye, even a word quoted in a left-to-right paragraph."""
    return _RIGHT_TO_LEFT.search(text) is not None


def is_right_to_left(text: str) -> bool:
    """Whether the text's first strongly directional character runs right to left (the Unicode
    bidirectional algorithm's rule P2): an Arabic paragraph quoting an English title is still
    Arabic, an English one quoting an Arabic word still English."""
    for character in text:
        direction = unicodedata.bidirectional(character)
        if direction in ("R", "AL"):
            return True
        if direction == "L":
            return False
    return False


def paragraph_languages(text: str, language: str = "en") -> ParagraphLanguages:
    """The languages to mark on a paragraph of ``text`` in a document written in ``language``."""
    base = base_language(language)
    alphabets = {
        "latin": len(_LATIN.findall(text)),
        "el": len(_GREEK.findall(text)),
        "cyrillic": len(_CYRILLIC.findall(text)),
    }
    alphabet = max(alphabets, key=alphabets.__getitem__)
    if not alphabets[alphabet] or alphabet == "latin":
        western = language
    elif alphabet == "cyrillic":
        western = language if base in CYRILLIC_LANGUAGES else "ru"
    else:
        western = language if base == "el" else "el"

    if _KANA.search(text):
        east_asian = "ja"
    elif _HANGUL.search(text):
        east_asian = "ko"
    elif _HAN.search(text):
        east_asian = base if base in EAST_ASIAN_LANGUAGES else "zh"
    else:
        east_asian = language if base in EAST_ASIAN_LANGUAGES else None

    if base in RIGHT_TO_LEFT_LANGUAGES:
        complex_script: str | None = language
    elif _ARABIC.search(text):
        complex_script = "ar"
    elif _HEBREW.search(text):
        complex_script = "he"
    else:
        complex_script = None
    return ParagraphLanguages(western, east_asian, complex_script, is_right_to_left(text))
