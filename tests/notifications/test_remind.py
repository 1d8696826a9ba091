"""`drafting remind`: seven days and one day before a delegation's deadline, once each."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from drafting.consultations import commenting, rounds
from drafting.extensions import db
from drafting.times import format_instant
from tests.consultations.conftest import delegation

from .conftest import outbox

DAY = timedelta(days=1)


@pytest.fixture
def deadline() -> datetime:
    """The round's deadline: ten days from now, on the minute."""
    return (datetime.now(UTC) + 10 * DAY).replace(second=0, microsecond=0)


@pytest.fixture
def consultation(open_round, deadline):
    """AUT (two delegates), PAK and TUR invited; nobody has submitted anything yet."""
    return open_round(closes_dt=deadline, invited=("AUT", "PAK", "TUR"))


def remind(runner, at: datetime):
    with time_machine.travel(at, tick=False):
        result = runner.invoke(args=["remind"])
    assert result.exit_code == 0, result.output
    return result


def reminders() -> Counter:
    return Counter(m.to_address for m in outbox("consultation.reminder"))


def submit_a_comment(user, consultation):
    commenting.create_comment(
        user, consultation, kind="general", body="We support the draft as it stands.", submit=True
    )
    db.session.commit()


def test_eight_days_before_the_deadline_nobody_is_reminded(runner, consultation, deadline):
    result = remind(runner, deadline - 8 * DAY)
    assert "Queued 0 reminders." in result.output
    assert reminders() == {}


def test_six_days_before_each_delegate_of_each_silent_delegation_gets_one_reminder(
    runner, people, consultation, deadline
):
    result = remind(runner, deadline - 6 * DAY)

    assert "Queued 4 reminders." in result.output
    assert reminders() == {
        people.aut.email: 1,
        people.aut2.email: 1,
        people.pak.email: 1,
        people.tur.email: 1,
    }
    assert all("less than a week" in m.subject for m in outbox("consultation.reminder"))


def test_running_remind_again_queues_nothing_new(runner, people, consultation, deadline):
    remind(runner, deadline - 6 * DAY)
    again = remind(runner, deadline - 6 * DAY + timedelta(minutes=5))
    later = remind(runner, deadline - 2 * DAY)
    assert "Queued 0 reminders." in again.output
    assert "Queued 0 reminders." in later.output
    assert set(reminders().values()) == {1}


def test_twenty_hours_before_the_one_day_reminder_follows(runner, people, consultation, deadline):
    remind(runner, deadline - 6 * DAY)
    result = remind(runner, deadline - timedelta(hours=20))

    assert "Queued 4 reminders." in result.output
    assert set(reminders().values()) == {2}
    last_day = [m for m in outbox("consultation.reminder") if "less than a day" in m.subject]
    assert len(last_day) == 4
    assert "Queued 0 reminders." in remind(runner, deadline - timedelta(hours=2)).output


def test_a_first_run_twelve_hours_before_sends_only_the_one_day_reminder(
    runner, people, consultation, deadline
):
    result = remind(runner, deadline - timedelta(hours=12))
    assert "Queued 4 reminders." in result.output
    assert all("less than a day" in m.subject for m in outbox("consultation.reminder"))
    assert "Queued 0 reminders." in remind(runner, deadline - timedelta(hours=11)).output


def test_a_delegation_that_submitted_a_comment_gets_no_reminder(
    runner, people, consultation, deadline
):
    submit_a_comment(people.pak, consultation)
    remind(runner, deadline - 6 * DAY)
    remind(runner, deadline - timedelta(hours=20))
    assert people.pak.email not in reminders()
    assert reminders()[people.tur.email] == 2


def test_a_delegation_with_only_drafts_is_reminded_that_drafts_are_not_submitted(
    runner, people, consultation, deadline
):
    commenting.create_comment(
        people.aut, consultation, kind="general", body="Still discussing this in capital."
    )
    db.session.commit()
    remind(runner, deadline - 6 * DAY)
    mail = next(m for m in outbox("consultation.reminder") if m.to_address == people.aut.email)
    assert "1 draft comment saved but not submitted" in mail.body


def test_observers_chair_and_secretariat_get_no_reminder(runner, people, open_round, deadline):
    open_round(closes_dt=deadline, invited=("AUT", "UNHCR", "GEO"))
    remind(runner, deadline - 6 * DAY)
    assert set(reminders()) == {people.aut.email, people.aut2.email}


def test_the_reminder_gives_the_deadline_in_the_rounds_zone_and_the_readers_own(
    runner, people, consultation, deadline
):
    people.aut.timezone = "Asia/Tokyo"
    people.pak.timezone = "Europe/Vienna"
    db.session.commit()
    remind(runner, deadline - 6 * DAY)

    mails = {m.to_address: m for m in outbox("consultation.reminder")}
    tokyo, vienna, utc = mails[people.aut.email], mails[people.pak.email], mails[people.tur.email]
    in_vienna = format_instant(deadline, "Europe/Vienna")
    assert f"Deadline:          {in_vienna}\n" in tokyo.body
    assert f"In your time zone: {format_instant(deadline, 'Asia/Tokyo')}\n" in tokyo.body
    assert f"In your time zone: {format_instant(deadline, 'UTC')}\n" in utc.body
    assert in_vienna in vienna.body and "In your time zone" not in vienna.body
    assert f"http://127.0.0.1:5000/consultations/{consultation.id}\n" in tokyo.body
    assert "Delegation AUT has not submitted any comment yet" in tokyo.body


def test_an_extension_moves_that_delegations_reminders(runner, people, consultation, deadline):
    rounds.grant_extension(None, consultation, delegation("TUR"), deadline + 7 * DAY)
    db.session.commit()

    remind(runner, deadline - 6 * DAY)
    assert people.tur.email not in reminders()  # its deadline is still 13 days away
    assert reminders()[people.pak.email] == 1

    remind(runner, deadline + DAY)  # the round has closed; TUR's deadline is 6 days away
    assert reminders()[people.tur.email] == 1
    assert reminders()[people.pak.email] == 1
    tur = next(m for m in outbox("consultation.reminder") if m.to_address == people.tur.email)
    assert format_instant(deadline + 7 * DAY, "Europe/Vienna") in tur.body
    assert "extended deadline" in tur.body

    remind(runner, deadline + 7 * DAY - timedelta(hours=20))
    assert reminders()[people.tur.email] == 2


def test_an_extension_granted_after_a_reminder_brings_reminders_for_the_new_deadline(
    runner, people, consultation, deadline
):
    remind(runner, deadline - 6 * DAY)
    remind(runner, deadline - timedelta(hours=20))
    assert reminders()[people.tur.email] == 2

    with time_machine.travel(deadline - timedelta(hours=19), tick=False):
        rounds.grant_extension(None, consultation, delegation("TUR"), deadline + 14 * DAY)
        db.session.commit()

    remind(runner, deadline + 8 * DAY)  # six days before the extended deadline
    assert reminders()[people.tur.email] == 3
    assert reminders()[people.pak.email] == 2


def test_a_round_closed_early_or_not_yet_open_reminds_nobody(runner, people, open_round):
    now = datetime.now(UTC)
    open_round(opens_dt=now + 5 * DAY, closes_dt=now + 5 * DAY + timedelta(hours=6))
    closed = open_round(closes_dt=now + 3 * DAY)
    rounds.close_early(None, closed)
    db.session.commit()

    # Both deadlines are within a week: one round has not opened, the other has closed.
    remind(runner, now + 2 * DAY)
    assert reminders() == {}
