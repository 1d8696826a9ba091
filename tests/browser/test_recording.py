"""In Chromium: the secretariat records a delegation's e-mail through the round's page alone;
the compilation marks it; the delegation finds it among its comments and withdraws it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from playwright.sync_api import expect

from tests.browser.conftest import open_page
from tests.conftest import PASSWORD
from tests.consultations.conftest import open_round, paragraph, people, published

__all__ = ["open_round", "people", "published"]  # fixtures


def _log_in(page, user) -> None:
    page.goto("/login")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")


def test_the_secretariat_records_an_email_and_the_delegation_withdraws_it(
    page, browser, live_server, people, published, open_round, serious_violations
):
    consultation = open_round(visibility="open")
    received = datetime.now(UTC) - timedelta(minutes=10)
    _log_in(page, people.secretariat)
    page.goto(f"/consultations/{consultation.id}")
    page.get_by_role("link", name="Record a delegation's comment").click()
    assert not serious_violations(page)
    page.get_by_label("On behalf of").select_option(label="Delegation PAK (PAK)")
    page.get_by_label("What it is").select_option("replace")
    page.get_by_label("Paragraph", exact=True).select_option(paragraph(published, "1.").uid)
    page.get_by_label("Proposed text").fill("The term border management should be used.")
    page.get_by_label("E-mail", exact=True).check()
    page.get_by_label("Source, in your words").fill("E-mail of the Permanent Mission, 3 December")
    page.get_by_label("Received on").fill(received.strftime("%Y-%m-%d"))
    page.get_by_label("at", exact=True).fill(received.strftime("%H:%M"))
    page.get_by_label("Time zone of this time").select_option("UTC")
    page.get_by_role("button", name="Record as the delegation's comment").click()
    expect(page.locator(".flash-success")).to_contain_text("Recorded as Delegation PAK")
    card = page.locator(".comment-card.kind-replace")
    expect(card.locator(".badge-recorded")).to_have_text("recorded by the secretariat")
    expect(card.locator(".recorded-note")).to_contain_text("Permanent Mission, 3 December")

    pak = open_page(browser, live_server)
    _log_in(pak, people.pak)
    pak.goto(f"/consultations/{consultation.id}/draft")
    comment = pak.locator(".comment.kind-replace")
    expect(comment.locator(".badge-recorded")).to_be_visible()
    comment.locator("summary", has_text="Withdraw").click()
    comment.get_by_label("Withdraw it").check()
    comment.get_by_role("button", name="Withdraw").click()
    expect(pak.locator(".comment.kind-replace")).to_contain_text("withdrawn")
    pak.context.close()
