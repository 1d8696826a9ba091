"""In Chromium set to Russian: a delegate reads the draft with its comments in Russian, writes a
comment on a paragraph, submits it, and is told in Russian that the secretariat received it.
The login form is filled by its fields' names, whatever language its labels are in."""

from __future__ import annotations

from playwright.sync_api import expect

from drafting.extensions import db
from tests.browser.conftest import open_page
from tests.conftest import PASSWORD


def test_a_russian_delegate_submits_a_comment_and_reads_the_confirmation_in_russian(
    browser, live_server, sample_round, create_user
):
    delegate = create_user("delegate", "AUT", email="russian.reader@example.org")
    second = next(p for p in sample_round.version.paragraphs if p.label == "2.")
    round_id, anchor = sample_round.id, second.anchor
    db.session.commit()
    page = open_page(browser, live_server, locale="ru-RU")
    try:
        page.goto("/login")
        page.locator("input[name=email]").fill(delegate.email)
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("form button[type=submit]").first.click()
        page.wait_for_url("**/")

        page.goto(f"/consultations/{round_id}/draft")
        expect(page.locator("h2#general-heading")).to_have_text("Ко всему тексту")
        page.locator(f"#{anchor}").get_by_role("link", name="Замечание к: пункт 2.").click()
        page.get_by_label("Цитируемый фрагмент (необязательно)").fill("a national contact point")
        page.get_by_label("Замечание", exact=True).fill("Австрия предлагает установить срок.")
        page.get_by_role("button", name="Представить", exact=True).click()

        page.wait_for_url(f"**/draft?at={anchor}#{anchor}")
        expect(page.locator(".flash-success")).to_contain_text("секретариат его получил")
        submitted = page.locator(f"#{anchor} .comment.status-submitted")
        expect(submitted).to_contain_text("Австрия предлагает установить срок.")
        expect(submitted.locator(".status")).to_contain_text("представлено")
        assert not page.errors, page.errors
    finally:
        page.context.close()
