"""In Chromium: the secretariat puts a published draft under silence, a delegate breaks it with
a statement, and the document page shows the silence broken, with the statement."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.consultations.conftest import people, published

__all__ = ["people", "published"]  # fixtures


def test_the_secretariat_starts_silence_and_a_delegate_breaks_it(page, log_in, people, published):
    log_in(people.secretariat)
    page.goto(f"/versions/{published.id}")
    page.get_by_role("link", name="Put Zero draft under silence").click()
    expect(page.get_by_label("Time zone of the deadline")).to_have_value("Europe/Vienna")
    page.get_by_label("Note to the delegations").fill("Silence for **three days**.")
    page.get_by_label("Put this version under silence").check()
    page.get_by_role("button", name="Start the silence procedure").click()
    expect(page.locator(".flash-success")).to_contain_text("Zero draft is under silence until")
    page.get_by_role("button", name="Log out").click()

    log_in(people.pak)
    page.goto(f"/documents/{published.document_id}")
    expect(page.locator(".silence .countdown")).to_contain_text("Silence ends in:")
    page.locator(".silence").get_by_role("link", name="Break silence").click()
    page.get_by_label("Your delegation's statement").fill("Paragraph 2 is *not* acceptable.")
    page.get_by_role("button", name="Break silence").click()
    expect(page.locator(".flash-success")).to_contain_text("broken the silence")

    page.goto(f"/documents/{published.document_id}")
    panel = page.locator(".silence")
    expect(panel.locator(".badge")).to_have_text("Silence broken")
    expect(panel.locator(".silence-statement")).to_contain_text("Delegation PAK")
    expect(panel.locator(".silence-statement em")).to_have_text("not")
