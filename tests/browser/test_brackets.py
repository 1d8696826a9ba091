"""In Chromium: the secretariat types brackets with their holders in the editor, saves, and the
draft page shows them as negotiators print them, with the open points counted."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.editing.conftest import paragraph, people, published, working

__all__ = ["people", "published", "working"]  # fixtures

TYPED = "1. States [shall]{EU}[should]{RUS, TUR} strengthen [cooperation on return]."


def test_the_secretariat_types_brackets_in_the_editor_and_the_draft_page_shows_them(
    page, log_in, people, working, serious_violations
):
    first = paragraph(working, "1.")
    version_id, uid, anchor = working.id, first.uid, first.anchor
    log_in(people.secretariat)
    page.goto(f"/versions/{version_id}/edit")
    page.get_by_text("Brackets: text not yet agreed").click()
    expect(page.locator(".bracket-help")).to_contain_text("[shall]{EU}[should]{RUS, TUR}")
    assert serious_violations(page) == []
    page.locator(f"#edit-{uid}").get_by_role("link", name="Edit").click()
    page.locator(f"#source-{uid}").fill(TYPED)
    page.locator(f"#edit-{uid}").get_by_role("button", name="Save").click()
    expect(page.locator(f"#edit-{uid} .open-points")).to_have_text("2 open points in brackets")

    page.goto(f"/versions/{version_id}")
    text = page.locator(f"#{anchor} .text")
    expect(text.locator(".bracket")).to_have_count(3)
    expect(text.locator(".bracket-holders")).to_have_text(["held by EU", "held by RUS, TUR"])
    expect(text.locator(".bracket-holders").first).to_have_attribute("title", "Held by EU")
    # What a screen reader reads: the holders as words, no braces.
    expect(text).to_have_text(
        "States [shall] held by EU[should] held by RUS, TUR strengthen [cooperation on return]."
    )
    expect(page.locator(".open-points-total")).to_contain_text("holds 2 open points in brackets")
    assert serious_violations(page) == []
