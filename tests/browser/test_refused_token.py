"""In Chromium: a form whose CSRF token is refused (the session ended while a delegate typed)
saves nothing and gives back what was typed, in the comment form itself or, for any other form,
on the refusal page."""

from __future__ import annotations

from playwright.sync_api import expect

from drafting.extensions import db
from drafting.web.csrf import FORM_EXPIRED, FORM_REFUSED
from tests.browser.test_commenting import comments_of

TYPED = "Austria would name every contact point by the end of the year."


def _spoil_the_token(page) -> None:
    page.evaluate(
        "document.querySelectorAll('input[name=csrf_token]').forEach(i => i.value = 'stale')"
    )


def test_a_comment_sent_with_a_stale_token_comes_back_as_typed_and_saves_next_time(
    sample_round, page, log_in, create_user
):
    delegate = create_user("delegate", "AUT", email="typist@example.org")
    round_id = sample_round.id
    db.session.commit()
    log_in(delegate)
    page.goto(f"/consultations/{round_id}/comments/new?kind=general")
    page.get_by_label("Comment", exact=True).fill(TYPED)
    _spoil_the_token(page)
    page.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_text(FORM_EXPIRED)).to_be_visible()
    expect(page.get_by_label("Comment", exact=True)).to_have_value(TYPED)
    assert comments_of(round_id) == {}
    page.get_by_role("button", name="Save as draft").click()  # the form came with a new token
    page.wait_for_url(f"**/consultations/{round_id}/draft*")
    assert sum(comments_of(round_id).values()) == 1


def test_any_other_form_refused_shows_the_text_typed_on_the_refusal_page(
    sample, page, log_in, create_user
):
    delegate = create_user("delegate", "AUT", email="scripter@example.org")
    db.session.commit()
    log_in(delegate)
    page.goto("/settings/tokens")
    page.get_by_label("Name").fill("Our weekly reporting script")
    _spoil_the_token(page)
    page.get_by_role("button", name="Create a token").click()
    expect(page.get_by_text(FORM_REFUSED)).to_be_visible()
    expect(page.locator("textarea")).to_have_value("Our weekly reporting script")
