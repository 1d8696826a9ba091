"""In Chromium: the chair marks paragraphs from the draft page, one with its own small form and
two ticked at once, and the document page counts them."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.editing.conftest import paragraph, people, published

__all__ = ["people", "published"]  # fixtures


def test_the_chair_marks_two_paragraphs_and_the_document_page_counts_them(
    page, log_in, people, published
):
    log_in(people.chair)
    page.goto(f"/versions/{published.id}")
    first = page.locator(f"#{paragraph(published, '1.').anchor}")
    first.locator("summary", has_text="Mark 1.").click()
    first.get_by_label("Status").select_option(label="Agreed ad ref.")
    first.get_by_label("Note (optional)").fill("Subject to confirmation by capitals")
    first.get_by_role("button", name="Mark", exact=True).click()
    expect(page.locator(".flash-success")).to_contain_text("marked agreed ad ref.")
    expect(page.locator(f"#{paragraph(published, '1.').anchor} .para-status")).to_contain_text(
        "Subject to confirmation by capitals"
    )

    for label in ("2.", "3."):
        page.get_by_label(f"Choose paragraph {label} to mark").check()
    page.locator("#several-status").select_option(label="Agreed")
    page.get_by_role("button", name="Mark the ticked paragraphs").click()
    expect(page.locator(".flash-success")).to_contain_text("2 paragraphs marked agreed")

    page.goto(f"/documents/{published.document_id}")
    expect(page.locator(".status-count")).to_contain_text("3 of 5 paragraphs agreed (1 ad ref.)")
