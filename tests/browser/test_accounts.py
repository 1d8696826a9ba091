"""Accounts in Chromium: the secretariat deactivates a delegate and resets a password on the
people page, and a delegate changes their password under Settings."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD


@pytest.fixture
def other_browser(browser, live_server):
    """A second person's own browser, beside the one of ``page``."""
    context = browser.new_context(base_url=live_server)
    other = context.new_page()
    other.set_default_timeout(15_000)
    yield other
    context.close()


def log_in_as(page, email: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_the_secretariat_deactivates_a_delegate_and_reactivates_them(
    page, log_in, other_browser, create_user
):
    delegate, secretariat = create_user("delegate", "AUT"), create_user("secretariat", "MDS")
    log_in_as(other_browser, delegate.email, PASSWORD)
    other_browser.wait_for_url("**/")
    log_in(secretariat)
    page.get_by_role("link", name="People").click()
    page.get_by_role("button", name="Deactivate Delegate of AUT").click()
    assert "account is deactivated" in page.locator(".flash").inner_text()
    assert page.locator(f'tr[data-person="{delegate.email}"]').get_by_text("deactivated").count()
    other_browser.reload()
    assert "/login" in other_browser.url
    log_in_as(other_browser, delegate.email, PASSWORD)
    assert "is not right" in other_browser.locator(".flash").inner_text()
    page.get_by_role("button", name="Reactivate Delegate of AUT").click()
    assert "can log in again" in page.locator(".flash").inner_text()
    log_in_as(other_browser, delegate.email, PASSWORD)
    other_browser.wait_for_url("**/")


def test_the_secretariat_resets_a_password_and_the_delegate_chooses_a_new_one(
    page, log_in, other_browser, create_user
):
    delegate, secretariat = create_user("delegate", "AUT"), create_user("secretariat", "MDS")
    log_in(secretariat)
    page.goto("/people")
    page.get_by_role("button", name="Reset password of Delegate of AUT").click()
    temporary = page.locator("#temporary-password code").inner_text()
    log_in_as(other_browser, delegate.email, temporary)
    other_browser.wait_for_url("**/settings/password")
    assert "The secretariat has reset your password" in other_browser.content()
    other_browser.get_by_label("Current password").fill(temporary)
    other_browser.get_by_label("New password", exact=True).fill("our delegation's own words")
    other_browser.get_by_label("New password again").fill("our delegation's own words")
    other_browser.get_by_role("button", name="Change my password").click()
    other_browser.wait_for_url("**/settings")
    assert "Your password is changed." in other_browser.locator(".flash").inner_text()


def test_a_delegate_changes_their_password_in_settings(page, log_in, create_user):
    delegate = create_user("delegate", "AUT")
    log_in(delegate)
    page.get_by_role("link", name="Settings").click()
    page.get_by_role("link", name="Change your password").click()
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill("short")
    page.get_by_label("New password again").fill("short")
    page.get_by_role("button", name="Change my password").click()
    assert "at least 12 characters" in page.locator(".field.has-error").inner_text()
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill("a much longer passphrase")
    page.get_by_label("New password again").fill("a much longer passphrase")
    page.get_by_role("button", name="Change my password").click()
    page.wait_for_url("**/settings")
    page.get_by_role("button", name="Make new feed addresses").click()
    assert "feed addresses are new" in page.locator(".flash").inner_text()
    page.get_by_role("button", name="Log out").click()
    log_in_as(page, delegate.email, "a much longer passphrase")
    page.wait_for_url("**/")
