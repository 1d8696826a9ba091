"""The deadline holds: decided by the server's clock, in UTC, inside the writing transaction.

Time is frozen with time-machine; each case puts the clock one millisecond before the deadline
and exactly on it, in a winter-time zone, a summer-time zone and across a change of clocks.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine

from drafting.auth.policy import NotAllowed
from drafting.consultations import commenting, refusals, rounds
from drafting.consultations.models import Comment, CommentStatus
from drafting.extensions import db
from drafting.times import DeadlineError, countdown, format_instant, to_utc
from tests.consultations.conftest import delegation, paragraph

MS = timedelta(milliseconds=1)


def _comment(people, consultation, version, **kwargs):
    return commenting.create_comment(
        people.aut,
        consultation,
        kind="paragraph",
        paragraph_uid=paragraph(version, "1.").uid,
        body="We suggest a firmer wording.",
        submit=True,
        **kwargs,
    )


CASES = {
    # 18:00 in Vienna in winter (CET, UTC+1) is 17:00 UTC.
    "winter": ("Europe/Vienna", date(2029, 12, 22), datetime(2029, 12, 22, 17, 0, tzinfo=UTC)),
    # 18:00 in Vienna in summer (CEST, UTC+2) is 16:00 UTC.
    "summer": ("Europe/Vienna", date(2030, 7, 15), datetime(2030, 7, 15, 16, 0, tzinfo=UTC)),
    # Sydney's summer time is in January: 18:00 AEDT (UTC+11) is 07:00 UTC.
    "southern summer": (
        "Australia/Sydney",
        date(2030, 1, 20),
        datetime(2030, 1, 20, 7, 0, tzinfo=UTC),
    ),
    # 18:00 in New York in winter (EST, UTC-5) is 23:00 UTC, on the same day.
    "west of UTC": (
        "America/New_York",
        date(2029, 12, 3),
        datetime(2029, 12, 3, 23, 0, tzinfo=UTC),
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_one_millisecond_before_the_deadline_is_accepted_and_on_it_refused(
    open_round, people, published, case
):
    zone, day, expected_utc = CASES[case]
    deadline = to_utc(day, time(18, 0), zone)
    assert deadline == expected_utc
    with time_machine.travel(deadline - timedelta(days=20), tick=False):
        consultation = open_round(closes_dt=deadline, timezone=zone)
    with time_machine.travel(deadline - MS, tick=False):
        comment, created = _comment(people, consultation, published)
        db.session.commit()
        assert created and comment.is_submitted and not comment.is_late
        assert comment.submitted_dt == deadline - MS
    with time_machine.travel(deadline, tick=False):
        with pytest.raises(refusals.DeadlineRefused) as refused:
            _comment(people, consultation, published)
        assert refused.value.now == deadline
        db.session.rollback()
    with time_machine.travel(deadline + timedelta(seconds=1), tick=False):
        with pytest.raises(refusals.DeadlineRefused):
            _comment(people, consultation, published)
        db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(Comment.id))) == 1


def test_a_round_spanning_a_change_of_clocks_closes_at_the_local_time_announced(
    open_round, people, published
):
    # Opened in winter time, closing on 2 April 2030 at 18:00 Vienna, after the change to
    # summer time on 31 March: the deadline is 16:00 UTC, not the 17:00 a fixed offset would give.
    zone = "Europe/Vienna"
    deadline = to_utc(date(2030, 4, 2), time(18, 0), zone)
    assert deadline == datetime(2030, 4, 2, 16, 0, tzinfo=UTC)
    with time_machine.travel(datetime(2030, 3, 20, 9, 0, tzinfo=UTC), tick=False):
        consultation = open_round(closes_dt=deadline, timezone=zone)
        assert format_instant(consultation.closes_dt, zone) == (
            "2 April 2030, 18:00 CEST (Europe/Vienna)"
        )
    with time_machine.travel(deadline - MS, tick=False):
        _comment(people, consultation, published)
        db.session.commit()
    with time_machine.travel(deadline, tick=False), pytest.raises(refusals.DeadlineRefused):
        _comment(people, consultation, published)


@pytest.mark.parametrize(
    ("day", "at", "message"),
    [
        (date(2030, 3, 31), time(2, 30), "does not exist"),  # clocks jump from 02:00 to 03:00
        (date(2030, 10, 27), time(2, 30), "happens twice"),  # clocks go back from 03:00 to 02:00
    ],
)
def test_a_deadline_the_clocks_skip_or_repeat_is_refused(day, at, message):
    with pytest.raises(DeadlineError, match=message):
        to_utc(day, at, "Europe/Vienna")


def test_an_unknown_time_zone_is_refused():
    with pytest.raises(DeadlineError, match="not a time zone"):
        to_utc(date(2030, 1, 1), time(12, 0), "Europe/Atlantis")


def test_a_round_not_yet_open_refuses_comments_with_its_opening_time(open_round, people, published):
    opens = datetime(2030, 1, 10, 8, 0, tzinfo=UTC)
    with time_machine.travel(opens - timedelta(days=2), tick=False):
        consultation = open_round(opens_dt=opens, closes_dt=opens + timedelta(days=10))
        with pytest.raises(refusals.DeadlineRefused, match="opens on 10 January 2030, 09:00"):
            _comment(people, consultation, published)
    with time_machine.travel(opens, tick=False):
        _comment(people, consultation, published)


def test_late_comments_are_accepted_and_flagged_where_the_round_says_so(
    open_round, people, published
):
    deadline = datetime(2030, 2, 1, 17, 0, tzinfo=UTC)
    with time_machine.travel(deadline - timedelta(days=5), tick=False):
        consultation = open_round(closes_dt=deadline, late_rule="accept")
    with time_machine.travel(deadline - MS, tick=False):
        on_time, _ = _comment(people, consultation, published)
    with time_machine.travel(deadline, tick=False):
        late, _ = _comment(people, consultation, published)
    db.session.commit()
    assert (on_time.is_late, late.is_late) == (False, True)


def test_an_extension_moves_one_delegations_deadline_only(open_round, people, published):
    deadline = datetime(2030, 2, 1, 17, 0, tzinfo=UTC)
    with time_machine.travel(deadline - timedelta(days=5), tick=False):
        consultation = open_round(closes_dt=deadline)
        rounds.grant_extension(
            people.secretariat,
            consultation,
            delegation("AUT"),
            deadline + timedelta(days=2),
            reason="Capital consultations",
        )
        db.session.commit()
    with time_machine.travel(deadline + timedelta(days=1), tick=False):
        _comment(people, consultation, published)  # AUT: within its extension
        with pytest.raises(refusals.DeadlineRefused):
            commenting.create_comment(
                people.pak, consultation, kind="general", body="Late.", submit=True
            )
    with (
        time_machine.travel(deadline + timedelta(days=2), tick=False),
        pytest.raises(refusals.DeadlineRefused),
    ):
        _comment(people, consultation, published)


def test_an_extension_must_end_after_the_deadline_and_only_for_invited_delegations(
    open_round, people
):
    consultation = open_round(invited=("AUT", "PAK"))
    with pytest.raises(refusals.ConsultationError, match="must end after"):
        rounds.grant_extension(
            people.secretariat, consultation, delegation("AUT"), consultation.closes_dt
        )
    with pytest.raises(refusals.ConsultationError, match="not invited"):
        rounds.grant_extension(
            people.secretariat,
            consultation,
            delegation("TUR"),
            consultation.closes_dt + timedelta(days=1),
        )
    with pytest.raises(NotAllowed):
        rounds.grant_extension(
            people.aut, consultation, delegation("AUT"), consultation.closes_dt + timedelta(days=1)
        )


def test_closing_early_refuses_everyone_extensions_included(open_round, people, published):
    consultation = open_round()
    rounds.grant_extension(
        people.secretariat,
        consultation,
        delegation("AUT"),
        consultation.closes_dt + timedelta(days=3),
    )
    rounds.close_early(people.secretariat, consultation)
    db.session.commit()
    with pytest.raises(refusals.DeadlineRefused, match="closed this round"):
        _comment(people, consultation, published)
    with pytest.raises(refusals.ConsultationError, match="already closed"):
        rounds.close_early(people.secretariat, consultation)


def test_a_late_rule_does_not_reopen_a_round_closed_early(open_round, people, published):
    consultation = open_round(late_rule="accept")
    rounds.close_early(people.secretariat, consultation)
    with pytest.raises(refusals.DeadlineRefused, match="closed this round"):
        _comment(people, consultation, published)


def test_edits_and_withdrawals_also_stop_at_the_deadline(open_round, people, published):
    deadline = datetime(2030, 2, 1, 17, 0, tzinfo=UTC)
    with time_machine.travel(deadline - timedelta(days=5), tick=False):
        consultation = open_round(closes_dt=deadline)
        comment, _ = _comment(people, consultation, published)
        db.session.commit()
    with time_machine.travel(deadline, tick=False):
        with pytest.raises(refusals.DeadlineRefused):
            commenting.edit_comment(
                people.aut, comment, base_revision=comment.revision, body="Changed."
            )
        db.session.rollback()
        with pytest.raises(refusals.DeadlineRefused):
            commenting.withdraw_comment(people.aut, comment)
        db.session.rollback()
    db.session.refresh(comment)
    assert comment.status == CommentStatus.SUBMITTED
    assert comment.body == "We suggest a firmer wording."


@pytest.mark.parametrize(
    ("left", "text"),
    [
        (timedelta(days=3, hours=4, minutes=5), "3 days 4 hours"),
        (timedelta(days=1), "1 day"),
        (timedelta(hours=2, minutes=1), "2 hours 1 minute"),
        (timedelta(minutes=25, seconds=30), "25 minutes"),
        (timedelta(seconds=20), "less than a minute"),
        (timedelta(0), "closed"),
    ],
)
def test_the_countdown_reads_as_a_person_says_it(left, text):
    now = datetime(2030, 1, 1, tzinfo=UTC)
    assert countdown(now, now + left) == text


def test_no_extension_once_a_sealed_round_has_revealed_its_comments(open_round, people):
    deadline = datetime(2030, 2, 1, 17, 0, tzinfo=UTC)
    with time_machine.travel(deadline - timedelta(days=5), tick=False):
        sealed = open_round(closes_dt=deadline)
        open_ = open_round(closes_dt=deadline, visibility="open")
    with time_machine.travel(deadline + timedelta(hours=1), tick=False):
        with pytest.raises(refusals.ConsultationError, match="read them before writing"):
            rounds.grant_extension(
                people.secretariat, sealed, delegation("AUT"), deadline + timedelta(days=1)
            )
        # Where all see all anyway, a late extension reveals nothing new.
        rounds.grant_extension(
            people.secretariat, open_, delegation("AUT"), deadline + timedelta(days=1)
        )
