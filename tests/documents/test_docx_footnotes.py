"""Word import of drafts keeps footnotes and refuses tables by name, on the page and the CLI."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document as WordDocument

from drafting.documents.docx_archive import DocxError
from drafting.documents.docx_import import read_docx
from drafting.documents.models import Version
from drafting.exports.word import build_version_docx
from drafting.extensions import db
from drafting.text.draft_format import parse_draft
from drafting.text.footnotes import split_notes
from tests.documents.test_docx_import import W_NS, p
from tests.documents.test_docx_import_pages import (
    TRACKED_FILE,
    carried_draft,
    confirm,
    upload,
    versions,
    zero_draft_document,
)

__all__ = ["zero_draft_document"]  # a fixture

NOTED = (
    "# Declaration on Routes\n\n"
    "1. We **agree[^1]** to cooperate on [return]{EU}[^2].\n"
    "[^1]: As *defined* in the Convention.\n"
    "[^2]: See the annex.\n\n"
    "2. We will meet again[^3].\n"
    "[^3]: In Geneva."
)


def word_file_with_notes(body: str, notes: dict[str, str], kind: str = "footnote") -> bytes:
    """A .docx written here: body paragraphs and a footnotes (or endnotes) part holding
    ``notes`` by id."""
    footnotes = "".join(
        f'<w:{kind} w:id="{key}"><w:p><w:r><w:{kind}Ref/></w:r>{p(text)[5:-6]}</w:p></w:{kind}>'
        for key, text in notes.items()
    )
    separator = (
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    )
    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"/>',
        "word/document.xml": f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>',
        f"word/{kind}s.xml": f'<w:{kind}s xmlns:w="{W_NS}">{separator}{footnotes}</w:{kind}s>',
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, xml in parts.items():
            archive.writestr(name, xml)
    return buffer.getvalue()


def reference(key: str, kind: str = "footnote") -> str:
    raised = '<w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
    return f'<w:r>{raised}<w:{kind}Reference w:id="{key}"/></w:r>'


def table_docx() -> bytes:
    word = WordDocument()
    word.add_paragraph("1. We affirm the principle of shared responsibility.")
    word.add_table(rows=2, cols=2).cell(0, 0).text = "Country"
    word.add_paragraph("2. We will meet again.")
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def test_the_services_own_word_copy_reads_back_with_its_footnotes():
    blocks = parse_draft(NOTED)
    data = build_version_docx(blocks, title="Declaration on Routes", version_label="v1")
    read = [block for block in read_docx(data).blocks if block.text != "v1"]
    assert read == blocks


def test_footnotes_of_a_word_file_become_notes_of_their_paragraph_numbered_in_order():
    body = p("We agree", runs=reference("7") + '<w:r><w:t xml:space="preserve"> today.</w:t></w:r>')
    body += p("We meet", runs=reference("3"))
    draft = read_docx(word_file_with_notes(body, {"3": "Second *note*.", "7": "First note."}))
    assert [b.text for b in draft.blocks] == [
        "We agree[^1] today.\n[^1]: First note.",
        "We meet[^2]\n[^2]: Second \\*note\\*.",
    ]
    assert split_notes(draft.blocks[1].text).notes[0].text == "Second \\*note\\*."


def test_an_endnote_becomes_a_note_of_its_paragraph_too():
    body = p("We agree.", runs=reference("1", "endnote"))
    draft = read_docx(word_file_with_notes(body, {"1": "An endnote."}, kind="endnote"))
    assert [b.text for b in draft.blocks] == ["We agree.[^1]\n[^1]: An endnote."]


def test_a_deleted_footnote_goes_with_its_deleted_text():
    deleted = f'<w:del w:id="1" w:author="A">{reference("5")}</w:del>'
    draft = read_docx(word_file_with_notes(p("We agree.", runs=deleted), {"5": "Gone."}))
    assert [b.text for b in draft.blocks] == ["We agree."]


def test_a_footnote_on_a_heading_is_refused_by_name():
    heading = p("Part I", ppr='<w:pStyle w:val="Heading1"/>', runs=reference("2"))
    styles_free = word_file_with_notes(
        heading.replace("Heading1", "Title") + p("Text."), {"2": "n"}
    )
    with pytest.raises(DocxError, match="“Part I” has a footnote"):
        read_docx(styles_free)


def test_footnote_syntax_typed_in_word_stays_text():
    draft = read_docx(word_file_with_notes(p("We agree[^1] here."), {}))
    assert (
        draft.blocks[0].text == "We agree\\[^1] here."
        and not split_notes(draft.blocks[0].text).notes
    )


def test_the_import_page_refuses_a_table_naming_where_it_is_and_keeps_the_form(
    client, secretariat, zero_draft_document
):
    response = upload(client, zero_draft_document, table_docx(), label="Draft 7")
    page = response.get_data(as_text=True)
    assert response.status_code in (400, 422)
    assert "The file has a table after paragraph 1 (“1. We affirm the principle" in page
    assert "turn it into paragraphs or remove it" in page and 'value="Draft 7"' in page
    assert versions() == 1


def test_a_word_file_with_footnotes_is_imported_and_shown_with_its_notes(
    client, secretariat, zero_draft_document
):
    data = build_version_docx(parse_draft(NOTED), title="Declaration", version_label="v1")
    page = upload(client, zero_draft_document, data).get_data(as_text=True)
    assert "[^1]: As *defined* in the Convention" in carried_draft(page)
    assert confirm(client, zero_draft_document, page).status_code == 302
    stored = db.session.scalar(db.select(Version).order_by(Version.id.desc()))
    shown = client.get(f"/versions/{stored.id}").get_data(as_text=True)
    assert 'class="footnote-ref"' in shown and "In Geneva." in shown


def test_the_cli_imports_a_word_draft_with_footnotes_and_refuses_a_table(runner, tmp_path):
    noted, table = tmp_path / "noted.docx", tmp_path / "table.docx"
    noted.write_bytes(build_version_docx(parse_draft(NOTED), title="D", version_label="v1"))
    table.write_bytes(table_docx())
    refused = runner.invoke(args=["import", "Declaration", str(table), "--label", "Zero draft"])
    assert refused.exit_code != 0 and "has a table after paragraph 1" in refused.output
    result = runner.invoke(args=["import", "Declaration", str(noted), "--label", "Zero draft"])
    assert result.exit_code == 0, result.output
    version = db.session.scalar(db.select(Version))
    assert [p.text for p in version.paragraphs if "[^3]" in p.text] == [
        "We will meet again[^3].\n[^3]: In Geneva."
    ]


def test_the_corpus_file_with_a_table_is_refused_on_the_page(
    client, secretariat, zero_draft_document
):
    page = upload(client, zero_draft_document, TRACKED_FILE.read_bytes()).get_data(as_text=True)
    assert "The file has a table after paragraph 8 (“Link 3: www.hlx.live”)" in page


def test_a_markdown_draft_with_notes_at_its_end_is_stored_with_each_note_in_its_paragraph(
    runner, tmp_path
):
    path = tmp_path / "draft.md"
    path.write_text("# D\n\n1. We agree[^1].\n\n2. We meet.\n\n[^1]: As agreed in 2024.\n")
    result = runner.invoke(args=["import", "Declaration", str(path), "--label", "Zero draft"])
    assert result.exit_code == 0, result.output
    version = db.session.scalar(db.select(Version))
    assert [p.text for p in version.paragraphs] == [
        "D",
        "We agree[^1].\n[^1]: As agreed in 2024.",
        "We meet.",
    ]
