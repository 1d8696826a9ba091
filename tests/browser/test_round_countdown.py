"""In Chromium: the secretariat opens a round with the form, the countdown keeps itself current,
and a person takes their browser's time zone in the settings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from drafting.auth.models import User
from drafting.consultations.models import Consultation
from drafting.extensions import db
from tests.consultations.conftest import DRAFT, delegation


@pytest.fixture
def published_to_aut_and_pak(create_document, create_user):
    participants = [create_user("delegate", c).delegation for c in ("AUT", "PAK")]
    document = create_document(("Zero draft", DRAFT, True), participants=participants)
    return document.versions[0]


def _csp_violations(page) -> list[str]:
    found: list[str] = []
    page.on(
        "console",
        lambda msg: found.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return found


def test_the_secretariat_opens_a_round_in_the_form(
    page, log_in, create_user, published_to_aut_and_pak
):
    violations = _csp_violations(page)
    log_in(create_user("secretariat", "MDS", kind="organisation"))
    page.goto(f"/documents/{published_to_aut_and_pak.document_id}")
    page.get_by_role("link", name="Ask for comments on this version").click()
    page.get_by_label("Deadline", exact=True).fill("2029-12-22")
    page.locator("#closes_time").fill("18:00")
    page.get_by_label("Open: all see all at once").check()
    page.get_by_role("button", name="Open the round").click()
    page.wait_for_url("**/consultations/*")
    assert "The round is open to 2 delegations" in page.content()
    times = page.locator(".round-times").inner_text()
    assert "22 December 2029, 18:00 CET (Europe/Vienna)" in times
    db.session.rollback()  # a fresh read: the live server committed in its own transaction
    consultation = db.session.scalar(db.select(Consultation))
    assert consultation.closes_dt == datetime(2029, 12, 22, 17, 0, tzinfo=UTC)
    assert violations == []


def test_the_countdown_keeps_itself_current(page, log_in, published_to_aut_and_pak):
    from drafting.consultations import rounds

    violations = _csp_violations(page)
    now = datetime.now(UTC)
    consultation = rounds.open_consultation(
        None,
        published_to_aut_and_pak,
        title="Comments on the zero draft",
        opens_dt=now - timedelta(hours=1),
        closes_dt=now + timedelta(days=10, minutes=30),
        timezone="Europe/Vienna",
        invited=[delegation("AUT")],
    )
    db.session.commit()
    page.clock.install()
    log_in(db.session.scalar(db.select(User).where(User.email == "delegate.aut@example.org")))
    page.goto(f"/consultations/{consultation.id}")
    countdown = page.locator(".countdown-text")
    assert countdown.inner_text().startswith("10 days 29 minutes")
    page.clock.fast_forward("02:00:00")
    assert countdown.inner_text().startswith("9 days 22 hours 29 minutes")
    assert violations == []


def test_a_person_takes_their_browsers_time_zone(browser, live_server, create_user):
    from tests.conftest import PASSWORD

    person = create_user("delegate", "GEO")
    context = browser.new_context(base_url=live_server, timezone_id="Asia/Tbilisi")
    try:
        page = context.new_page()
        page.goto("/login")
        page.get_by_label("E-mail").fill(person.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url("**/")
        page.get_by_role("link", name="Settings").click()
        page.get_by_role("button", name="Use my browser's zone (Asia/Tbilisi)").click()
        assert page.get_by_label("Your time zone").input_value() == "Asia/Tbilisi"
        page.get_by_role("button", name="Save").click()
        page.wait_for_load_state()
        assert "Times are now shown to you in Asia/Tbilisi" in page.content()
    finally:
        context.close()
    db.session.rollback()
    assert db.session.get(User, person.id).timezone == "Asia/Tbilisi"
