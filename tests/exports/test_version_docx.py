"""The clean Word copy of one version, as delegations file and forward it."""

from __future__ import annotations

import io
from datetime import date

import docx
from docx.shared import Cm

from drafting.exports.word import build_version_docx
from drafting.text.draft_format import Block, parse_draft

DRAFT = (
    "# Declaration on Ocean Governance\n\n"
    "## Preamble\n\n"
    "PP1. *Recalling* the [Charter](https://un.org/charter) of the United Nations,\n\n"
    "## Operative part\n\n"
    "### Article 1\n\n"
    "1. The Parties **shall** cooperate.\n\n"
    "**41(2)(b)** a bold label, as statutes print them."
)


def read_copy(blocks: list[Block], **options) -> docx.document.Document:
    options = {"title": "Declaration", "version_label": "Revision 2", **options}
    return docx.Document(io.BytesIO(build_version_docx(blocks, **options)))


def test_copy_has_title_version_line_headings_and_numbered_paragraphs():
    document = read_copy(parse_draft(DRAFT), dated=date(2026, 11, 23))
    assert [(p.style.name, p.text) for p in document.paragraphs] == [
        ("Title", "Declaration on Ocean Governance"),
        ("Version Line", "Revision 2 \u2014 23 November 2026"),
        ("Heading 1", "Preamble"),
        ("Normal", "PP1.\tRecalling the Charter of the United Nations,"),
        ("Heading 1", "Operative part"),
        ("Heading 2", "Article 1"),
        ("Normal", "1.\tThe Parties shall cooperate."),
        ("Normal", "41(2)(b)\ta bold label, as statutes print them."),
    ]


def test_labels_hang_in_the_margin():
    paragraph = read_copy(parse_draft(DRAFT)).paragraphs[6]
    indent = paragraph.paragraph_format.left_indent
    assert indent >= Cm(1)
    assert paragraph.paragraph_format.first_line_indent == -indent


def test_emphasis_becomes_bold_and_italic_runs():
    paragraphs = read_copy(parse_draft(DRAFT)).paragraphs
    recalling = paragraphs[3].runs[1]
    shall = next(run for run in paragraphs[6].runs if run.text == "shall")
    label = paragraphs[7].runs[0]
    assert (recalling.text, recalling.italic) == ("Recalling", True)
    assert shall.bold is True
    assert (label.text, label.bold) == ("41(2)(b)\t", True)


def test_title_argument_is_used_when_the_draft_has_no_title():
    document = read_copy([Block("paragraph", "1. Text.")], title="Ministerial Declaration")
    assert [p.style.name for p in document.paragraphs][:2] == ["Title", "Version Line"]
    assert document.paragraphs[0].text == "Ministerial Declaration"
    assert document.core_properties.title == "Ministerial Declaration"


def test_footer_carries_the_text_hash():
    text_hash = "9f2c" * 16
    footer = read_copy(parse_draft(DRAFT), text_hash=text_hash).sections[0].footer
    assert f"SHA-256 {text_hash}" in [p.text for p in footer.paragraphs]


def test_control_characters_are_dropped():
    document = read_copy([Block("paragraph", "Bell\x07 and\x0b tab.", label="1.")])
    assert document.paragraphs[-1].text == "1.\tBell and tab."
