"""Each Word paragraph's languages and direction, so that Word spell-checks, hyphenates and lays
out an Arabic, Chinese or Russian paragraph as what it is (``w:lang`` with ``w:val``,
``w:eastAsia`` and ``w:bidi``; ``w:bidi`` on a right-to-left paragraph, ``w:rtl`` on its
right-to-left runs). The clean copy marks python-docx paragraphs, the redline its XML text.
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from drafting.text.scripts import ParagraphLanguages, has_right_to_left, paragraph_languages

__all__ = [
    "document_language",
    "lang_xml",
    "language_attributes",
    "mark_document_language",
    "mark_paragraph",
]

# Schema order: what follows w:bidi in w:pPr, w:rtl and w:lang in w:rPr.
_AFTER_BIDI = (
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
_AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath")
_AFTER_RTL = ("w:cs", "w:em", "w:lang", *_AFTER_LANG)


def document_language(document: object) -> str:
    """The language a document is written in: "en" until documents record one."""
    return getattr(document, "language", None) or "en"


def language_attributes(languages: ParagraphLanguages) -> dict[str, str]:
    attributes = {"w:val": languages.language}
    if languages.east_asian:
        attributes["w:eastAsia"] = languages.east_asian
    if languages.complex_script:
        attributes["w:bidi"] = languages.complex_script
    return attributes


def _lang(languages: ParagraphLanguages):
    return OxmlElement(
        "w:lang", attrs={qn(k): v for k, v in language_attributes(languages).items()}
    )


def mark_document_language(document: Document, language: str) -> None:
    """The default style's languages: what Word assumes of text no paragraph marks."""
    r_pr = document.styles["Normal"].element.get_or_add_rPr()
    for old in r_pr.findall(qn("w:lang")):
        r_pr.remove(old)
    r_pr.insert_element_before(_lang(paragraph_languages("", language)), *_AFTER_LANG)


def mark_paragraph(paragraph: Paragraph, text: str, language: str) -> None:
    """Mark a written paragraph whose displayed text is ``text`` in a ``language`` document."""
    languages = paragraph_languages(text, language)
    if languages == paragraph_languages("", language):
        return  # the default style's languages are this paragraph's (mark_document_language)
    element = paragraph._p
    if languages.right_to_left:
        element.get_or_add_pPr().insert_element_before(OxmlElement("w:bidi"), *_AFTER_BIDI)
    for run in element.r_lst:
        r_pr = run.get_or_add_rPr()
        if has_right_to_left(run.text):
            r_pr.insert_element_before(OxmlElement("w:rtl"), *_AFTER_RTL)
        r_pr.insert_element_before(_lang(languages), *_AFTER_LANG)


def lang_xml(languages: ParagraphLanguages, language: str) -> str:
    """The ``w:lang`` element as text, for the redline's runs; none where the paragraph's
    languages are the document's, which its default style carries."""
    if languages == paragraph_languages("", language):
        return ""
    attributes = "".join(f" {k}={quoteattr(v)}" for k, v in language_attributes(languages).items())
    return f"<w:lang{attributes}/>"
