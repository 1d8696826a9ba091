"""In Chromium, through the pages alone: a delegate downloads the Word copy from the round,
marks it up (as Word would, here with lxml), uploads it, reviews the redlines and stores them as
drafts; the secretariat records a file received from another delegation."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from tests.consultations.conftest import open_round, paragraph, people, published
from tests.documents.markup_files import Marked

__all__ = ["open_round", "people", "published"]  # fixtures


def download_and_mark_up(page, version, folder: Path) -> Path:
    page.get_by_role("link", name="Import a marked-up Word file").click()
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Download the Word copy of {version.label}").click()
    marked = Marked(Path(download.value.path()).read_bytes())
    marked.insert_text(marked.paragraph(paragraph(version, "1.").uid), " We add this.")
    marked.delete_paragraph(marked.paragraph(paragraph(version, "4.").uid))
    marked.comment(marked.paragraph(paragraph(version, "3.").uid), "platform", "Which one?")
    path = folder / "marked-up.docx"
    path.write_bytes(marked.save())
    return path


def test_a_delegate_imports_a_marked_up_copy_as_drafts(
    page, log_in, people, published, open_round, tmp_path
):
    consultation = open_round()
    log_in(people.aut)
    page.goto(f"/consultations/{consultation.id}")
    path = download_and_mark_up(page, published, tmp_path)
    page.get_by_label("Marked-up Word file (.docx)").set_input_files(str(path))
    page.get_by_role("button", name="Read the file").click()
    rows = page.locator("#found tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0).locator("ins")).to_have_text(" We add this.")
    expect(rows.nth(1)).to_contain_text("Which one?")
    expect(rows.nth(2).locator("del")).to_contain_text("We will meet again next year.")
    page.get_by_role("button", name="Store these comments").click()
    expect(page.locator(".flash-success")).to_contain_text("3 comments stored")


def test_the_secretariat_records_a_file_received_by_email(
    page, log_in, people, published, open_round, tmp_path
):
    consultation = open_round()
    log_in(people.secretariat)
    page.goto(f"/consultations/{consultation.id}")
    path = download_and_mark_up(page, published, tmp_path)
    page.get_by_label("Marked-up Word file (.docx)").set_input_files(str(path))
    page.get_by_label("On behalf of").select_option(label="Delegation PAK (PAK)")
    page.get_by_label("Received how").fill("E-mail of the Permanent Mission")
    page.get_by_role("button", name="Read the file").click()
    expect(page.locator("#confirm")).to_contain_text("Delegation PAK's submitted comments")
    page.get_by_role("button", name="Store these comments").click()
    expect(page.locator(".flash-success")).to_contain_text("3 comments stored")
