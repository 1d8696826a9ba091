"""In Chromium: "Apply" on an amendment already decided asks first and keeps the earlier
decision in its history; the countdown on the comment form moves and takes the actions away at
zero; a closed round's draft page offers no comment action."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from drafting.consultations import commenting, decisions, rounds
from drafting.extensions import db
from tests.consultations.test_closed_round_actions import comment_actions
from tests.editing import conftest as editing

# The fixtures of the editor's tests (a published draft, a round with amendments, Draft 1).
people = editing.people
published = editing.published
open_round = editing.open_round
amendments = editing.amendments
working = editing.working


def test_apply_on_a_decided_amendment_asks_first_and_keeps_the_earlier_decision(
    page, log_in, people, working, amendments
):
    decisions.record_decision(
        people.secretariat,
        amendments.insert,
        outcome="not_retained",
        justification="Out of the declaration's scope.",
    )
    db.session.commit()
    log_in(people.secretariat)
    page.goto(f"/versions/{working.id}/edit")
    page.get_by_role("button", name="Apply PAK’s amendment…").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("PAK’s amendment already has a decision")
    existing = page.locator(".existing-decision")
    expect(existing).to_contain_text("Not retained")
    expect(existing).to_contain_text("Out of the declaration's scope.")
    expect(existing).to_contain_text("shared with delegations")
    page.get_by_role("button", name="Apply and replace the “not retained” decision").click()
    page.goto(f"/consultations/{amendments.round.id}/compilation")
    card = page.locator(f"#c-{amendments.insert.id}")
    expect(card.locator(".decision").first).to_contain_text("Accepted")
    expect(card.locator(".decision").first).to_contain_text("shared with delegations")
    card.get_by_text("Earlier decision (1)").click()
    expect(card.locator(".decision-history")).to_contain_text("Out of the declaration's scope.")


@pytest.fixture
def closing_round(open_round, people):
    """A round closing in ten minutes, in which PAK has submitted an amendment."""
    consultation = open_round(
        visibility="open", closes_dt=datetime.now(UTC) + timedelta(minutes=10)
    )
    commenting.create_comment(
        people.pak, consultation, kind="general", body="Pakistan's view.", submit=True
    )
    db.session.commit()
    return consultation


def test_the_countdown_on_the_comment_form_moves_and_takes_the_actions_away_at_zero(
    page, log_in, people, closing_round
):
    page.clock.install()
    log_in(people.aut)
    page.goto(f"/consultations/{closing_round.id}/comments/new?kind=general")
    countdown = page.locator(".countdown-text")
    before = countdown.inner_text()
    page.clock.fast_forward("00:03")
    assert countdown.inner_text() != before
    page.get_by_label("Comment", exact=True).fill("Typed before the deadline.")
    submit = page.get_by_role("button", name="Submit", exact=True)
    expect(submit).to_be_visible()
    page.clock.fast_forward("00:11:00")
    expect(submit).to_be_hidden()
    expect(page.get_by_role("button", name="Save as draft")).to_be_hidden()
    expect(page.get_by_text("The deadline has passed: comments can no longer")).to_be_visible()
    expect(page.get_by_label("Comment", exact=True)).to_have_value("Typed before the deadline.")


def test_the_draft_page_takes_co_sponsoring_away_when_the_countdown_reaches_zero(
    page, log_in, people, closing_round
):
    page.clock.install()
    log_in(people.aut)
    page.goto(f"/consultations/{closing_round.id}/draft")
    expect(page.get_by_role("link", name="General comment on the whole text")).to_be_visible()
    page.clock.fast_forward("00:11:00")
    expect(page.get_by_role("link", name="General comment on the whole text")).to_be_hidden()
    expect(page.locator(".paragraph-actions").first).to_be_hidden()


def test_a_closed_rounds_draft_page_shows_no_comment_actions(page, log_in, people, closing_round):
    rounds.close_early(people.secretariat, closing_round)
    db.session.commit()
    log_in(people.aut)
    page.goto(f"/consultations/{closing_round.id}/draft")
    expect(page.locator(".banner-closed")).to_contain_text("The secretariat closed this round")
    assert comment_actions(page.content()) == []
    for name in ("Comment", "Propose new wording", "Co-sponsor", "Withdraw", "Submit", "Edit"):
        expect(page.get_by_role("link", name=name, exact=True)).to_have_count(0)
        expect(page.get_by_role("button", name=name, exact=True)).to_have_count(0)
