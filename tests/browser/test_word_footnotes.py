"""In Chromium: the Word import refuses a table by name and keeps the form; a Word draft with
footnotes is imported and read with its notes under the paragraph."""

from __future__ import annotations

from playwright.sync_api import expect

from drafting.exports.word import build_version_docx
from drafting.text.draft_format import parse_draft
from tests.documents.test_docx_footnotes import NOTED, table_docx
from tests.editing.conftest import people, published

__all__ = ["people", "published"]  # fixtures


def choose(page, name: str, data: bytes) -> None:
    page.get_by_label("Draft file").set_input_files(
        {"name": name, "mimeType": "application/octet-stream", "buffer": data}
    )


def test_a_word_file_with_a_table_is_refused_naming_where_the_table_is(
    page, log_in, people, published
):
    log_in(people.secretariat)
    page.goto(f"/documents/{published.document_id}/import")
    page.get_by_label("Label").fill("Draft 1")
    choose(page, "with-table.docx", table_docx())
    page.get_by_role("button", name="Import").click()
    expect(page.locator("main")).to_contain_text(
        "The file has a table after paragraph 1 (“1. We affirm the principle"
    )
    expect(page.locator("main")).to_contain_text("turn it into paragraphs or remove it")
    expect(page.get_by_label("Label")).to_have_value("Draft 1")


def test_a_word_draft_with_footnotes_is_imported_and_read_with_its_notes(
    page, log_in, people, published
):
    data = build_version_docx(parse_draft(NOTED), title="Declaration", version_label="v1")
    log_in(people.secretariat)
    page.goto(f"/documents/{published.document_id}/import")
    page.get_by_label("Label").fill("Draft 1")
    choose(page, "noted.docx", data)
    page.get_by_role("button", name="Import").click()
    page.get_by_role("button", name="Import this draft").click()
    expect(page.locator(".flash-success")).to_contain_text("Draft 1 imported")
    page.goto(page.url)  # the version page the import leads to
    reference = page.locator("sup.footnote-ref a", has_text="3")
    expect(reference).to_be_visible()
    reference.click()
    expect(page.locator("ul.footnotes li", has_text="In Geneva.")).to_be_visible()
