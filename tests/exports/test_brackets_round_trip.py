"""Brackets as negotiators print them: Markdown to the page, Word and PDF, and Word back to the
draft with the same brackets and the same delegations holding each one."""

from __future__ import annotations

import io

import docx
from pypdf import PdfReader

from drafting.documents.docx_import import read_docx
from drafting.exports.pdf import build_version_pdf
from drafting.exports.word import build_version_docx
from drafting.text.brackets import find_brackets
from drafting.text.draft_format import parse_draft
from drafting.text.markup import render_markdown
from tests.documents.test_docx_import import make_docx, p

DRAFT = (
    "# Declaration on Mobility\n\n"
    "1. States [shall]{EU}[should]{RUS TUR} strengthen [cooperation on return]{USA}.\n\n"
    "2. We *welcome* [the Global Compact]{EU, UK}[the compact] and [[nested]] text.\n\n"
    "3. Plain [shall][should] without holders, and an unclosed [brace]{EU.\n"
)


def brackets_of(blocks) -> list:
    return [
        [(b.text, b.holders) for s in find_brackets(block.text) for b in s.alternatives]
        for block in blocks
    ]


def word_copy(blocks) -> bytes:
    return build_version_docx(blocks, title="Declaration", version_label="Draft 1")


def test_markdown_to_word_and_back_keeps_every_bracket_and_its_holders():
    blocks = parse_draft(DRAFT)
    read_back = [b for b in read_docx(word_copy(blocks)).blocks if b.label]  # not the version line
    blocks = blocks[1:]
    assert brackets_of(read_back) == brackets_of(blocks)
    assert [b.text for b in read_back] == [b.text for b in blocks]


def test_word_prints_the_holders_in_superscript_after_the_closing_bracket():
    paragraph = docx.Document(io.BytesIO(word_copy(parse_draft(DRAFT)))).paragraphs[2]
    raised = [run.text for run in paragraph.runs if run.font.superscript]
    assert raised == ["EU", "RUS TUR", "USA"]
    assert paragraph.text.startswith("1.\tStates [shall]EU[should]RUS TUR strengthen [")


def test_the_pdf_prints_brackets_and_holders():
    pdf = PdfReader(io.BytesIO(build_version_pdf(parse_draft(DRAFT), title="D", version_label="1")))
    text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    assert "[shall]" in text and "[should]" in text and "RUS TUR" in text
    assert "{" not in text.replace("[brace]{EU.", "")


def test_the_page_shows_brackets_with_holders_and_no_braces():
    html = render_markdown(parse_draft(DRAFT)[1].text)
    assert '<span class="bracket">[shall]<sup class="bracket-holders" title="Held by EU">' in html
    assert "RUS, TUR</sup>" in html
    assert "{" not in html and "}" not in html


def test_a_superscript_that_is_not_a_list_of_delegations_stays_text():
    raised = '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:t>\u2020 2</w:t></w:r>'
    block = read_docx(make_docx(p("7. The [agenda]", runs=raised))).blocks[0]
    assert block.text == "The [agenda]\u2020 2"


def test_a_heading_keeps_its_brackets_and_holders_through_word():
    blocks = parse_draft("# Declaration\n\n## Part [II]{EU}[III]{USA}: Action\n\n1. Text.\n")
    headings = [b for b in read_docx(word_copy(blocks)).blocks if b.kind == "heading"]
    assert headings[0].text == "Part [II]{EU}[III]{USA}: Action"


def test_the_word_redline_raises_holders_and_tracks_a_delegation_joining_a_bracket():
    from tests.exports.readers import document_xml
    from tests.exports.test_redline_docx import W, changed, redline, texts

    comparison = changed("We [shall]{EU}[should] act.", "We [shall]{EU, TUR}[should] act.")
    root = document_xml(redline(comparison))
    raised = [r for r in root.iter(f"{W}r") if r.find(f"{W}rPr/{W}vertAlign") is not None]
    assert "".join("".join(r.itertext()) for r in raised) == "EU, TUR"
    assert texts(root, "ins") == [", TUR"]
