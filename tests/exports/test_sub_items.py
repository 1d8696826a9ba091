"""Sub-items (a)–(c) of a numbered paragraph stand indented under it in the Word and PDF copies,
as declarations print them: the item's letter where the paragraph's text begins."""

from __future__ import annotations

import io

import docx
import pytest
from pypdf import PdfReader

from drafting.exports.pdf import build_version_pdf
from drafting.exports.word import build_version_docx
from drafting.text.draft_format import Block, parse_draft

COMMITMENTS = parse_draft(
    "1. We undertake the following commitments:\n\n"
    "(a) Protection and dignity of migrants and refugees.\n\n"
    "(b) Solidarity among participating States.\n\n"
    "(c) Evidence and knowledge.\n\n"
    "2. Participating States will designate a contact point."
)
COPY = {"title": "Declaration", "version_label": "Draft 1"}


@pytest.mark.parametrize(
    ("label", "is_sub_item"),
    [("(a)", True), ("b)", True), ("(iv)", True), ("(b.1)", True), ("(7)", False)]
    + [("7.", False), ("PP3.", False), ("41(2)(b)", False), (None, False)],
)
def test_lettered_and_roman_labels_are_sub_items(label, is_sub_item):
    assert Block("paragraph", "Text.", label=label).is_sub_item is is_sub_item


def test_the_word_copy_indents_sub_items_under_their_paragraph():
    copy = docx.Document(io.BytesIO(build_version_docx(COMMITMENTS, **COPY)))
    indent = {p.text.split("\t")[0]: p.paragraph_format for p in copy.paragraphs if "\t" in p.text}
    assert indent["(a)"].left_indent == 2 * indent["1."].left_indent
    # The letter hangs where the paragraph's text begins.
    assert indent["(b)"].left_indent + indent["(b)"].first_line_indent == indent["1."].left_indent
    assert indent["2."].left_indent == indent["1."].left_indent


def test_the_pdf_copy_prints_sub_items_where_their_paragraphs_text_begins():
    reader = PdfReader(io.BytesIO(build_version_pdf(COMMITMENTS, **COPY)))
    starts: dict[str, float] = {}
    reader.pages[0].extract_text(
        visitor_text=lambda text, cm, tm, font, size: starts.setdefault(text.strip()[:6], tm[4])
    )
    assert starts["(a)"] == starts["(c)"] == starts["We und"] > starts["1."]
    assert starts["Protec"] > starts["We und"]  # the item's text one step further in
    assert starts["2."] == starts["1."]
