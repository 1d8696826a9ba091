"""In Chromium: the room's projector shows the meeting screen while the secretariat edits the
working draft in another browser; the screen follows without being reloaded."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import open_page
from tests.conftest import PASSWORD
from tests.editing.conftest import open_round, paragraph, people, published, working

__all__ = ["open_round", "people", "published", "working"]  # fixtures


def logged_in(browser, live_server, user):
    """Another person's browser (its own cookies), logged in through the login page."""
    page = open_page(browser, live_server)
    page.goto("/login")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")
    return page


def test_the_meeting_screen_follows_the_secretariats_edit_without_reloading(
    browser, live_server, page, log_in, people, working
):
    uid = paragraph(working, "2.").uid
    document_id, version_id = working.document_id, working.id
    projector = logged_in(browser, live_server, people.aut)
    projector.goto(f"/documents/{document_id}")
    projector.get_by_role("link", name="Meeting screen").click()
    expect(projector.locator(".room-version")).to_contain_text("Draft 1")
    expect(projector.get_by_role("button", name="Full screen")).to_be_visible()
    projector.evaluate("() => { window.notReloaded = true; }")

    log_in(people.secretariat)
    page.goto(f"/versions/{version_id}/edit")
    page.locator(f"#edit-{uid}").get_by_role("link", name="Edit").click()
    # The form is settled (htmx listens to it) when editor.js has put the cursor in it.
    expect(page.locator(f"#source-{uid}")).to_be_focused()
    page.locator(f"#source-{uid}").fill("2. We will cooperate on [safe]{EU}[secure]{TUR} pathways.")
    # From the first keystroke, the room sees which paragraph is being edited.
    expect(projector.locator(f'.room-changed[data-uid="{uid}"]')).to_be_visible()
    expect(projector.locator(".room-change")).to_contain_text("Paragraph 2. being edited")
    page.locator(f"#edit-{uid}").get_by_role("button", name="Save").click()
    expect(page.locator(f"#edit-{uid} .badge-changed")).to_be_visible()

    changed = projector.locator(f'.room-changed[data-uid="{uid}"]')
    expect(changed).to_contain_text("[safe]{EU}[secure]{TUR} pathways.")
    expect(changed.locator("ins.redline-ins").first).to_be_visible()
    expect(changed.locator(".room-open-points")).to_have_text("1 open point")
    expect(projector.locator(".room-change")).to_contain_text("Paragraph 2. edited")
    expect(changed).to_be_in_viewport()
    expect(projector.locator(".room-bar-label")).to_have_text("Ministerial Declaration · Draft 1")
    projector.get_by_role("button", name="Full screen").click()
    expect(projector.get_by_role("button", name="Leave full screen")).to_be_visible()
    assert projector.evaluate("() => window.notReloaded") is True
    assert not projector.errors, projector.errors
    projector.context.close()


def test_the_editor_links_to_the_meeting_screen_in_large_type(
    page, log_in, people, working, serious_violations
):
    log_in(people.secretariat)
    page.goto(f"/versions/{working.id}/edit")
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="Meeting screen").click()
    screen = opened.value
    text = screen.locator(".room-para .text").first
    expect(text).to_be_visible()
    assert float(text.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 28
    assert screen.locator(".room-clock time").inner_text().strip()
    assert serious_violations(screen) == []


def test_the_screen_says_when_its_login_has_ended_and_keeps_the_text(page, log_in, people, working):
    log_in(people.observer)
    page.goto(f"/documents/{working.document_id}/meeting")
    page.context.clear_cookies()
    expect(page.get_by_role("status").filter(has_text="login has ended")).to_be_visible()
    expect(page.locator(".room-para").first).to_be_visible()
