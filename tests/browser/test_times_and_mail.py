"""In Chromium: the secretariat picks its own zone with the searchable picker and reads the
deadline in the round's zone and its own on the document page; then it reads the Outbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from drafting.consultations import rounds
from drafting.extensions import db
from drafting.notifications.operations import queue_mail
from tests.consultations.conftest import DRAFT, delegation


@pytest.fixture
def round_in_vienna(create_document, create_user):
    """A published draft with a round due 22 December 2029, 18:00 in Vienna, and a secretariat."""
    secretariat = create_user("secretariat", "MDS", kind="organisation")
    aut = create_user("delegate", "AUT")
    document = create_document(("Zero draft", DRAFT, True), participants=[aut.delegation])
    rounds.open_consultation(
        None,
        document.versions[0],
        title="Comments on the zero draft",
        opens_dt=datetime.now(UTC) - timedelta(hours=1),
        closes_dt=datetime(2029, 12, 22, 17, 0, tzinfo=UTC),
        timezone="Europe/Vienna",
        invited=[delegation("AUT")],
    )
    db.session.commit()
    return secretariat, document


def test_the_secretariat_picks_its_zone_and_reads_the_deadline_in_both(
    page, log_in, round_in_vienna
):
    secretariat, document = round_in_vienna
    log_in(secretariat)
    page.get_by_role("link", name="Settings").click()
    page.get_by_label("Search the time zones").fill("tokyo")
    assert page.get_by_label("Your time zone").input_value() == "Asia/Tokyo"
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()

    page.goto(f"/documents/{document.id}")
    deadline = page.locator("section.rounds tbody td").nth(3).inner_text()
    assert "22 December 2029, 18:00 CET (Europe/Vienna)" in deadline
    assert "your time: 23 December 2029, 02:00 JST (Asia/Tokyo)" in deadline


def test_the_secretariat_reads_queued_and_sent_mail_in_the_outbox(
    page, log_in, round_in_vienna, runner
):
    secretariat, _document = round_in_vienna
    runner.invoke(args=["mail-worker", "--once"])  # what make run's worker does every few seconds
    queue_mail(secretariat, subject="Still waiting", body="Not sent yet.\n", kind="test")
    db.session.commit()
    log_in(secretariat)
    page.get_by_role("link", name="Outbox").click()

    assert page.locator("tr[data-status=sent]").count() >= 1
    queued = page.locator("tr[data-status=queued]")
    assert queued.count() == 1 and "Still waiting" in queued.inner_text()
    queued.get_by_text("Still waiting").click()
    assert page.get_by_text("Not sent yet.").is_visible()
