"""The Word import keeps a paragraph's hard line breaks and its list items ("* * 1991") as
they are in the source, and a version read back from its own Word copy is the version again.

Before: every line break (<w:br/>) was read as a space, and the bullets the Word copies print
("• • 1991") stayed as text, so the German Basic Law lost its list items through its Word copy
(14 blocks in each version, 4 of them the nested "* * 1991" … "* * 1994")."""

from __future__ import annotations

import io

import pytest
from docx import Document as WordDocument

from drafting.documents.docx_import import read_docx
from drafting.documents.models import Version
from drafting.exports.word import build_version_docx
from drafting.extensions import db
from drafting.text.draft_format import parse_draft
from tests.conftest import CORPUS
from tests.documents.test_docx_import import make_docx, p
from tests.documents.test_docx_import_pages import confirm, upload, zero_draft_document

__all__ = ["zero_draft_document"]  # fixtures


def run(text: str, *, bold: bool = False) -> str:
    rpr = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r>'


BR = "<w:r><w:br/></w:r>"


def markdown_of(body: str) -> list[str]:
    return [block.to_markdown() for block in read_docx(make_docx(body)).blocks]


def test_a_hard_line_break_in_word_stays_one():
    body = p(runs=run("7. The address:") + BR + run("Vienna International Centre") + BR)
    assert markdown_of(body) == ["7. The address:\\\nVienna International Centre"]


def test_a_line_break_inside_bold_text_closes_and_reopens_the_bold():
    body = p(runs=run("Annex", bold=True) + "<w:r><w:rPr><w:b/></w:rPr><w:br/></w:r>" + run("II"))
    assert markdown_of(body) == ["**Annex**\\\nII"]


def test_a_page_break_and_a_tab_stay_spaces():
    body = p(
        runs=run("One")
        + '<w:r><w:br w:type="page"/></w:r>'
        + run("two")
        + "<w:r><w:tab/></w:r>"
        + run("three")
    )
    assert markdown_of(body) == ["One two three"]


def test_bullets_at_a_line_start_are_list_items_again_and_other_starts_stay_text():
    body = p("\u2022 \u2022 1991") + p(runs=run("In the years") + BR + run("\u2022 55 %") + BR)
    body += p(runs=run("\u2022 - not a second bullet") + BR + run("# not a heading"))
    assert markdown_of(body) == [
        "* * 1991",
        "In the years\n* 55 %",
        "* \\- not a second bullet\\\n\\# not a heading",
    ]


def test_a_block_with_line_breaks_and_list_items_comes_back_from_its_word_copy():
    source = (
        "# Declaration\n\n1. First line\\\nsecond line\n\n2. A list:\n* one\n* * nested\n\n"
        "* * 1991\n\n* 55 vom Hundert\n"
    )
    blocks = parse_draft(source)
    back = read_docx(build_version_docx(blocks, title="Declaration", version_label="")).blocks
    assert back == blocks


@pytest.mark.parametrize("name", ["v1.md", "v2.md"])
def test_the_basic_law_keeps_its_list_items_through_its_word_copy(name):
    path = CORPUS / "de-grundgesetz" / name
    if not path.exists():
        pytest.skip("the shared corpus is not beside the checkout")
    blocks = parse_draft(path.read_text(encoding="utf-8"))
    data = build_version_docx(blocks, title=blocks[0].text, version_label="Version")
    title, _version_line, *back = read_docx(data).blocks
    assert len(back) == len(blocks) - 1
    list_items = [
        (block.to_markdown(), read.to_markdown())
        for block, read in zip(blocks[1:], back, strict=True)
        if block.text.startswith(("* ", "- "))
    ]
    assert len(list_items) == 14
    # The Word copy prints "-" and "*" alike as a bullet: both come back as "*".
    assert [read for _, read in list_items] == ["* " + source[2:] for source, _ in list_items]
    nested = [read for _, read in list_items if read.startswith("* * ")]
    assert nested == ["* * 1991", "* * 1992", "* * 1993", "* * 1994"]


def test_a_word_draft_imported_through_the_pages_keeps_its_breaks_and_list_items(
    client, secretariat, zero_draft_document
):
    word = WordDocument()
    word.add_heading("Ministerial Declaration on Safe Routes", level=0)
    address = word.add_paragraph("1. We meet at:")
    address.add_run().add_break()
    address.add_run("Vienna International Centre")
    word.add_paragraph("2. In the years")
    word.add_paragraph("\u2022 \u2022 1991")
    word.add_paragraph("\u2022 55 vom Hundert")
    buffer = io.BytesIO()
    word.save(buffer)

    page = upload(client, zero_draft_document, buffer.getvalue()).get_data(as_text=True)
    assert confirm(client, zero_draft_document, page).status_code == 302
    stored = db.session.scalars(db.select(Version).order_by(Version.id.desc())).first()
    assert [p.block.to_markdown() for p in stored.paragraphs][1:] == [
        "1. We meet at:\\\nVienna International Centre",
        "2. In the years",
        "* * 1991",
        "* 55 vom Hundert",
    ]
    shown = client.get(f"/versions/{stored.id}").get_data(as_text=True)
    assert "We meet at:<br" in shown and "<li>1991</li>" in shown
