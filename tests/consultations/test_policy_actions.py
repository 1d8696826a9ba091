"""The role shortcuts that pages and templates once wrote themselves, now named actions of the
policy: who keeps withdrawn comments on record, who learns of other delegations' extensions,
who is offered "what changed since the draft we commented on"."""

from __future__ import annotations

from datetime import timedelta

import pytest

from drafting.auth.policy import can, why_not
from drafting.consultations import commenting, decisions, rounds
from drafting.consultations.deadlines import RoundState
from drafting.database import utcnow
from drafting.extensions import db
from tests.consultations.conftest import delegation


@pytest.mark.parametrize(
    ("role", "may"),
    [("secretariat", True), ("chair", False), ("aut", False), ("observer", False)],
)
def test_only_the_secretariat_keeps_withdrawn_comments_on_record(people, open_round, role, may):
    assert can(getattr(people, role), "comment.view_withdrawn", open_round()) is may


@pytest.mark.parametrize(
    ("role", "may"),
    [("secretariat", True), ("chair", False), ("aut", False), ("pak", False)],
)
def test_only_the_secretariat_learns_of_other_delegations_extensions(people, open_round, role, may):
    assert can(getattr(people, role), "consultation.view_extensions", open_round()) is may


def test_a_delegation_without_an_extension_sees_the_round_closed_at_its_deadline(
    people, open_round
):
    consultation = open_round()
    extended = consultation.closes_dt + timedelta(days=2)
    rounds.grant_extension(people.secretariat, consultation, delegation("AUT"), extended)
    db.session.commit()
    after = consultation.closes_dt + timedelta(hours=1)
    assert consultation.state_for(people.pak.delegation_id, after) == RoundState.CLOSED
    assert consultation.state(after) == RoundState.OPEN


@pytest.mark.parametrize(
    ("role", "may"),
    [("aut", True), ("secretariat", False), ("chair", False), ("observer", False)],
)
def test_delegates_are_offered_what_changed_since_they_commented(people, published, role, may):
    assert can(getattr(people, role), "comment.follow_own", published) is may


def test_a_decided_comment_can_no_longer_change_and_says_so(people, open_round):
    consultation = open_round()
    comment, _ = commenting.create_comment(
        people.aut, consultation, kind="general", body="Ours.", submit=True
    )
    assert can(people.aut, "comment.edit_now", comment)
    decisions.record_decision(people.secretariat, comment, outcome="noted")
    assert utcnow() < consultation.closes_dt  # decided, not late
    assert "already decided" in why_not(people.aut, "comment.edit_now", comment)
