"""In Chromium, through the pages alone: in a declaration that already prints a "bis" label,
the secretariat opens the next draft in the editor, splits 1. (its second part is 1bis.), inserts a
paragraph after 2. (it is 2bis., and the old 2bis. is published 2ter.), reads the numbering
check and publishes; every paragraph of the published draft is then checked, and the
comparison shows the split."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.editing.conftest import people
from tests.editing.test_bis_labels import bis_draft

__all__ = ["bis_draft", "people"]  # fixtures


def row(page, text: str):
    return page.locator(".edit-row", has_text=text)


def test_bis_labels_are_given_kept_in_order_and_published(page, log_in, people, bis_draft):
    zero = bis_draft.document.versions[0]
    log_in(people.secretariat)
    page.goto(f"/versions/{bis_draft.id}")
    page.get_by_role("link", name="Edit Draft 1").click()

    row(page, "cooperate on migration data").get_by_role("link", name="Split").click()
    page.locator("#source").fill(
        "1. We will cooperate on migration data.\n\n"
        "Statistics are shared every year through the secretariat in a common format."
    )
    page.get_by_role("button", name="Split").click()
    expect(page.locator(".flash-success")).to_contain_text("Paragraph split in two")
    expect(row(page, "in a common format").locator(".edit-num")).to_have_text("1bis.")

    row(page, "meet annually").get_by_role("link", name="Insert after").click()
    expect(page.locator("#new-label")).to_have_text("Label it takes if you type none: “2bis.”")
    page.locator("#source").fill("We will meet in each region in turn.")
    page.get_by_role("button", name="Insert").click()
    expect(page.locator(".flash-success")).to_contain_text("Inserted")
    expect(row(page, "each region in turn").locator(".edit-num")).to_have_text("2bis.")

    page.get_by_role("link", name="Read and publish Draft 1").click()
    check = page.locator("#numbering-check")
    expect(check).to_contain_text("No label is printed twice")
    expect(check.locator("table.renumbered tbody tr")).to_have_count(1)
    expect(check.locator("table.renumbered tbody tr")).to_contain_text("2ter.")
    page.get_by_label("Publish: delegations will read it").check()
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".flash-success")).to_contain_text("Draft 1 is published")

    published = page.locator("article.declaration .para").evaluate_all(
        "paras => paras.map(p => [p.querySelector('.num').textContent.trim(),"
        " p.querySelector('.text').textContent.trim().slice(0, 20)])"
    )
    assert published == [
        ["1.", "We will cooperate on"],
        ["1bis.", "Statistics are share"],
        ["2.", "We will meet annuall"],
        ["2bis.", "We will meet in each"],
        ["2ter.", "We will report to th"],
        ["3.", "We will review this "],
    ]

    page.goto(f"/documents/{zero.document_id}/compare?old={zero.id}&new={bis_draft.id}")
    expect(page.locator(".entry-split")).to_have_count(1)
    expect(page.locator(".entry-split")).to_contain_text("in a common format")
