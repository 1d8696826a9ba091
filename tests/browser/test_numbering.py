"""In Chromium, through the pages alone: the secretariat starts the next draft, inserts after
sub-item (d) and after PP6, types a "1bis." paragraph, applies PAK's insertion after PP5, reads
the numbering check and publishes; every label of the published draft is then right."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.editing.conftest import people
from tests.editing.resolution import insertion_after_pp5, resolution

__all__ = ["insertion_after_pp5", "people", "resolution"]  # fixtures


def insert_after(page, text_of_paragraph: str, source: str) -> None:
    row = page.locator(".edit-row", has_text=text_of_paragraph)
    row.get_by_role("link", name="Insert after").click()
    page.get_by_label("Text").fill(source)
    page.get_by_role("button", name="Insert").click()
    expect(page.locator(".flash-success")).to_contain_text("Inserted")


def test_new_paragraphs_are_numbered_in_their_series_and_published_so(
    page, log_in, people, resolution, insertion_after_pp5
):
    log_in(people.secretariat)
    page.goto(f"/versions/{resolution.id}")
    page.get_by_role("link", name="Start the next draft from Zero draft").click()
    page.get_by_label("Label of the new draft").fill("Draft 1")
    page.get_by_role("button", name="Start editing").click()
    expect(page.locator("h1")).to_contain_text("Editing Draft 1")

    insert_after(page, "to include migrants in our societies", "to protect children on the move.")
    insert_after(page, "Resolved", "*Determined* to reduce the risks,")
    insert_after(page, "We affirm the principle", "1bis. We commit to act together.")
    page.get_by_role("button", name="Apply PAK’s amendment").click()
    expect(page.locator(".flash-success")).to_contain_text("PAK's amendment applied")

    page.get_by_role("link", name="Read and publish Draft 1").click()
    check = page.locator("#numbering-check")
    expect(check).to_contain_text("2 paragraphs will be renumbered")
    expect(check.locator("table.renumbered tbody tr")).to_have_count(2)  # PP6 → PP7, PP7 → PP8
    expect(check).to_contain_text("No label is printed twice")
    page.get_by_label("Publish: delegations will read it").check()
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".flash-success")).to_contain_text("Draft 1 is published")

    published = page.locator("article.declaration .para").evaluate_all(
        "paras => paras.map(p => [p.querySelector('.num').textContent.trim(),"
        " p.querySelector('.text').textContent.trim().slice(0, 12)])"
    )
    assert [label for label, _text in published] == [
        *["PP1", "PP2", "PP3", "PP4", "PP5", "PP6", "PP7", "PP8"],
        *["1.", "1bis.", "2.", "(a)", "(b)", "(c)", "(d)", "(e)", "3.", "4."],
    ]
    assert published[5:8] == [
        ["PP6", "Mindful of t"],
        ["PP7", "Resolved to "],
        ["PP8", "Determined t"],
    ]
    assert published[9] == ["1bis.", "We commit to"] and published[15] == ["(e)", "to protect c"]
