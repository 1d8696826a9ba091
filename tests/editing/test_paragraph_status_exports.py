"""The Word and PDF copies carry each paragraph's status as negotiators print it: a small tag
right-aligned above the paragraph, "[agreed ad ref.]", and a reset one says what it was."""

from __future__ import annotations

import io

import docx
from pypdf import PdfReader

from drafting.documents.models import AgreementStatus
from drafting.documents.statuses import set_paragraph_status
from drafting.exports.word import build_version_docx
from drafting.text.draft_format import parse_draft
from tests.editing.conftest import paragraph


def _mark(people, version, label, status):
    set_paragraph_status(people.chair, version, paragraph(version, label), status)


def test_the_word_copy_prints_the_status_above_each_marked_paragraph(
    client, auth, people, published
):
    _mark(people, published, "1.", AgreementStatus.AD_REFERENDUM)
    _mark(people, published, "3.", AgreementStatus.AGREED)
    auth.login(people.aut)
    data = client.get(f"/versions/{published.id}.docx").data
    texts = [(p.style.name, p.text) for p in docx.Document(io.BytesIO(data)).paragraphs]
    at = texts.index(("Status Mark", "[agreed ad ref.]"))
    assert texts[at + 1][1].startswith("1.\tWe affirm")
    assert [text for style, text in texts if style == "Status Mark"] == [
        "[agreed ad ref.]",
        "[agreed]",
    ]


def test_the_pdf_prints_the_status_and_a_new_marking_gives_a_new_copy(
    client, auth, people, published
):
    auth.login(people.chair)
    before = client.get(f"/versions/{published.id}.pdf").data
    assert "[agreed]" not in "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(before)).pages
    )
    _mark(people, published, "2.", AgreementStatus.AGREED)
    after = client.get(f"/versions/{published.id}.pdf").data
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(after)).pages)
    assert text.index("[agreed]") < text.index("We will cooperate")


def test_a_reset_paragraph_says_what_it_was_in_the_word_copy():
    blocks = parse_draft("# Title\n\n1. Changed words.")
    tag = "[pending: was agreed in Draft 1; text changed]"
    data = build_version_docx(blocks, title="Title", version_label="Draft 2", tags=[None, tag])
    assert tag in [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
