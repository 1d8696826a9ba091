"""Who sees which comments, for every role, before and after the deadline, under each rule.

Each case is checked twice: by the policy ("comment.view", asked by pages about one comment)
and by the SQL filter that lists comments (`visible_comments`), which must agree.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from drafting.auth.policy import can
from drafting.consultations import commenting, decisions, rounds
from drafting.consultations.models import Comment
from drafting.consultations.policy import visible_comments
from drafting.extensions import db

DEADLINE = datetime(2030, 3, 1, 17, 0, tzinfo=UTC)
BEFORE = DEADLINE - timedelta(days=1)
AFTER = DEADLINE + timedelta(seconds=1)

# Who sees AUT's submitted comment: (before the deadline, after it), per visibility rule.
# aut2 is AUT's second delegate; observer is UNHCR's, a participant not invited to comment;
# outsider is a delegate of a delegation that does not take part in the document.
SUBMITTED = {
    "sealed": {
        "aut": (True, True),
        "aut2": (True, True),
        "pak": (False, True),
        "tur": (False, True),
        "observer": (False, True),
        "chair": (False, True),
        "secretariat": (True, True),
        "outsider": (False, False),
    },
    "open": {
        "aut": (True, True),
        "aut2": (True, True),
        "pak": (True, True),
        "tur": (True, True),
        "observer": (True, True),
        "chair": (True, True),
        "secretariat": (True, True),
        "outsider": (False, False),
    },
    "secretariat": {
        "aut": (True, True),
        "aut2": (True, True),
        "pak": (False, False),
        "tur": (False, False),
        "observer": (False, False),
        "chair": (False, True),
        "secretariat": (True, True),
        "outsider": (False, False),
    },
}
ROLES = list(SUBMITTED["sealed"])


@pytest.fixture
def cast(people, create_user):
    outsider = create_user("delegate", "FRA")
    return {
        "aut": people.aut,
        "aut2": people.aut2,
        "pak": people.pak,
        "tur": people.tur,
        "observer": people.observer,
        "chair": people.chair,
        "secretariat": people.secretariat,
        "outsider": outsider,
    }


def _round_with_comments(open_round, people, visibility):
    with time_machine.travel(BEFORE - timedelta(days=5), tick=False):
        consultation = open_round(closes_dt=DEADLINE, visibility=visibility)
        submitted, _ = commenting.create_comment(
            people.aut, consultation, kind="general", body="Submitted by AUT.", submit=True
        )
        draft, _ = commenting.create_comment(
            people.aut, consultation, kind="general", body="A draft of AUT."
        )
        withdrawn, _ = commenting.create_comment(
            people.aut, consultation, kind="general", body="Withdrawn by AUT.", submit=True
        )
        commenting.withdraw_comment(people.aut, withdrawn)
        db.session.commit()
    return consultation, submitted, draft, withdrawn


def _listed(user, consultation) -> set[int]:
    stmt = visible_comments(user, db.select(Comment.id), [consultation])
    return set(db.session.scalars(stmt))


@pytest.mark.parametrize("visibility", list(SUBMITTED))
@pytest.mark.parametrize("role", ROLES)
def test_who_sees_a_submitted_comment_before_and_after_the_deadline(
    open_round, people, cast, visibility, role
):
    consultation, submitted, _draft, _withdrawn = _round_with_comments(
        open_round, people, visibility
    )
    user = cast[role]
    for moment, expected in zip((BEFORE, AFTER), SUBMITTED[visibility][role], strict=True):
        with time_machine.travel(moment, tick=False):
            assert can(user, "comment.view", submitted) is expected, (role, moment)
            assert (submitted.id in _listed(user, consultation)) is expected, (role, moment)


@pytest.mark.parametrize("visibility", list(SUBMITTED))
@pytest.mark.parametrize("role", ROLES)
def test_a_draft_stays_within_its_delegation_even_after_the_deadline(
    open_round, people, cast, visibility, role
):
    consultation, _submitted, draft, withdrawn = _round_with_comments(
        open_round, people, visibility
    )
    user = cast[role]
    own = role in ("aut", "aut2")
    for moment in (BEFORE, AFTER):
        with time_machine.travel(moment, tick=False):
            listed = _listed(user, consultation)
            assert can(user, "comment.view", draft) is own
            assert (draft.id in listed) is own
            # A withdrawn comment: its delegation and the secretariat keep seeing it.
            sees_withdrawn = own or role == "secretariat"
            assert can(user, "comment.view", withdrawn) is sees_withdrawn
            assert (withdrawn.id in listed) is sees_withdrawn


def test_an_extension_keeps_sealed_comments_sealed_until_the_last_deadline(open_round, people):
    with time_machine.travel(BEFORE - timedelta(days=5), tick=False):
        consultation = open_round(closes_dt=DEADLINE, visibility="sealed")
        comment, _ = commenting.create_comment(
            people.aut, consultation, kind="general", body="Ours.", submit=True
        )
        from tests.consultations.conftest import delegation

        rounds.grant_extension(
            people.secretariat, consultation, delegation("PAK"), DEADLINE + timedelta(days=2)
        )
        db.session.commit()
    # After the round's deadline but within PAK's extension, PAK must not read AUT's comment.
    with time_machine.travel(DEADLINE + timedelta(days=1), tick=False):
        assert not can(people.pak, "comment.view", comment)
        assert not can(people.tur, "comment.view", comment)
        assert comment.id not in _listed(people.pak, consultation)
    with time_machine.travel(DEADLINE + timedelta(days=2), tick=False):
        assert can(people.pak, "comment.view", comment)
        assert comment.id in _listed(people.tur, consultation)


def test_the_chair_reads_the_compilation_once_a_sealed_round_has_closed(open_round, people):
    with time_machine.travel(BEFORE, tick=False):
        consultation = open_round(closes_dt=DEADLINE)
        assert can(people.secretariat, "compilation.view", consultation)
        assert not can(people.chair, "compilation.view", consultation)
        assert not can(people.aut, "compilation.view", consultation)
    with time_machine.travel(AFTER, tick=False):
        assert can(people.chair, "compilation.view", consultation)
        assert not can(people.aut, "compilation.view", consultation)


def test_only_delegates_of_invited_delegations_may_write(open_round, people, cast):
    consultation = open_round(invited=("AUT", "PAK"))
    writers = {role for role, user in cast.items() if can(user, "comment.write", consultation)}
    assert writers == {"aut", "aut2", "pak"}


def test_an_internal_decision_is_seen_by_the_secretariat_and_the_chair_only(open_round, people):
    with time_machine.travel(BEFORE - timedelta(days=5), tick=False):
        consultation = open_round(closes_dt=DEADLINE, visibility="open")
        comment, _ = commenting.create_comment(
            people.aut, consultation, kind="general", body="Ours.", submit=True
        )
        decisions.record_decision(
            people.secretariat, comment, outcome="noted", is_shared=False, justification="Later."
        )
        db.session.commit()
    with time_machine.travel(AFTER, tick=False):
        seen = {
            name: can(user, "decision.view", comment)
            for name, user in (
                ("secretariat", people.secretariat),
                ("chair", people.chair),
                ("aut", people.aut),
                ("pak", people.pak),
            )
        }
        assert seen == {"secretariat": True, "chair": True, "aut": False, "pak": False}
        decisions.record_decision(people.secretariat, comment, outcome="noted", is_shared=True)
        assert can(people.aut, "decision.view", comment)
        assert can(people.pak, "decision.view", comment)


def test_a_draft_withdrawn_before_it_was_sent_stays_private(open_round, people):
    consultation = open_round(visibility="open")
    draft, _ = commenting.create_comment(
        people.aut, consultation, kind="general", body="Never sent."
    )
    commenting.withdraw_comment(people.aut, draft)
    db.session.commit()
    assert not can(people.secretariat, "comment.view", draft)
    assert draft.id not in _listed(people.secretariat, consultation)
    assert can(people.aut2, "comment.view", draft)


def test_the_system_can_record_a_decision(open_round, people):
    consultation = open_round()
    comment, _ = commenting.create_comment(
        people.aut, consultation, kind="general", body="Ours.", submit=True
    )
    decision = decisions.record_decision(None, comment, outcome="noted")
    db.session.commit()
    assert decision.decided_by is None
