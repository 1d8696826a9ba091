"""The deadline rule, alone: the window a delegation's write falls in at one instant, the round's
state as each reader lives it, and the words that say why a write is not taken. No database:
the rule reads a round's times, its extensions and its late rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from drafting.consultations import deadlines
from drafting.consultations.deadlines import LateRule, RoundState, Window
from drafting.consultations.models import Consultation, Extension

OPENS = datetime(2029, 12, 1, 8, 0, tzinfo=UTC)
CLOSES = datetime(2029, 12, 22, 17, 0, tzinfo=UTC)  # 18:00 in Vienna
AUT, PAK = 1, 2
MS = timedelta(milliseconds=1)


def a_round(*, late_rule=LateRule.REFUSE, extended_to=None, closed_early=None) -> Consultation:
    extensions = [Extension(delegation_id=AUT, closes_dt=extended_to)] if extended_to else []
    return Consultation(
        opens_dt=OPENS,
        closes_dt=CLOSES,
        timezone="Europe/Vienna",
        late_rule=late_rule,
        closed_early_dt=closed_early,
        extensions=extensions,
    )


@pytest.mark.parametrize(
    ("at", "window"),
    [
        (OPENS - MS, Window.NOT_OPEN),
        (OPENS, Window.ON_TIME),
        (CLOSES - MS, Window.ON_TIME),
        (CLOSES, Window.CLOSED),
    ],
)
def test_a_round_that_refuses_late_comments_is_open_between_its_two_instants(at, window):
    assert deadlines.window(a_round(), AUT, at, late_ok=True) == window


def test_a_round_that_accepts_late_comments_takes_new_ones_late_but_no_changes():
    consultation = a_round(late_rule=LateRule.ACCEPT)
    assert consultation.window_for(AUT, CLOSES, late_ok=True) == Window.LATE_ACCEPTED
    assert consultation.window_for(AUT, CLOSES, late_ok=False) == Window.CLOSED


def test_an_extension_moves_one_delegations_window_only():
    consultation = a_round(extended_to=CLOSES + timedelta(days=2))
    assert consultation.window_for(AUT, CLOSES, late_ok=True) == Window.ON_TIME
    assert consultation.window_for(PAK, CLOSES, late_ok=True) == Window.CLOSED


def test_an_early_close_ends_every_window_late_rule_and_extensions_included():
    early = CLOSES - timedelta(days=5)
    consultation = a_round(
        late_rule=LateRule.ACCEPT, extended_to=CLOSES + timedelta(days=2), closed_early=early
    )
    for delegation in (AUT, PAK):
        assert consultation.window_for(delegation, early - MS, late_ok=True) == Window.ON_TIME
        assert consultation.window_for(delegation, early, late_ok=True) == Window.CLOSED_EARLY


@pytest.mark.parametrize(
    ("window", "takes"),
    [
        (Window.NOT_OPEN, False),
        (Window.ON_TIME, True),
        (Window.LATE_ACCEPTED, True),
        (Window.CLOSED, False),
        (Window.CLOSED_EARLY, False),
    ],
)
def test_only_on_time_and_late_accepted_take_writes(window, takes):
    assert window.takes_writes is takes


def test_a_delegation_sees_the_round_close_at_its_deadline_the_secretariat_at_the_last():
    consultation = a_round(extended_to=CLOSES + timedelta(days=2))
    assert consultation.state(OPENS - MS) == RoundState.UPCOMING
    assert consultation.state_for(PAK, CLOSES) == RoundState.CLOSED
    assert consultation.state_for(AUT, CLOSES) == RoundState.OPEN
    assert consultation.state(CLOSES) == RoundState.OPEN
    assert consultation.state(CLOSES + timedelta(days=2)) == RoundState.CLOSED


@pytest.mark.parametrize(
    ("consultation", "at", "late_ok", "words"),
    [
        (a_round(), OPENS - MS, True, "This round opens on 1 December 2029, 09:00 CET"),
        (
            a_round(),
            CLOSES,
            True,
            "The deadline passed on 22 December 2029, 18:00 CET (Europe/Vienna): comments can "
            "no longer be written, changed or withdrawn.",
        ),
        (
            a_round(late_rule=LateRule.ACCEPT),
            CLOSES,
            False,
            "New comments are still accepted, marked late.",
        ),
        (
            a_round(closed_early=CLOSES - timedelta(days=1)),
            CLOSES,
            True,
            "The secretariat closed this round on 21 December 2029, 18:00 CET",
        ),
    ],
)
def test_a_write_not_taken_is_told_why_in_the_rounds_zone(consultation, at, late_ok, words):
    assert words in deadlines.why_closed(consultation, AUT, at, late_ok=late_ok)


def test_a_write_taken_needs_no_reason():
    assert deadlines.why_closed(a_round(), AUT, CLOSES - MS, late_ok=False) is None
