"""Migration 0006 keeps each decision recorded before it as the first revision of its history,
and makes that history append-only."""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from drafting.consultations import commenting, decisions
from drafting.consultations.models import Decision, DecisionRevision
from drafting.extensions import db


def test_each_existing_decision_becomes_the_first_of_its_history(people, open_round):
    consultation = open_round()
    comment, _ = commenting.create_comment(
        people.aut, consultation, kind="general", body="Our view.", submit=True
    )
    decisions.record_decision(people.secretariat, comment, outcome="noted", justification="Kept.")
    comment_id = comment.id
    db.session.commit()
    db.session.remove()
    downgrade(revision="0005")
    upgrade()
    [first] = db.session.scalars(select(DecisionRevision)).all()
    assert (first.comment_id, first.revision, first.action) == (comment_id, 1, "recorded")
    assert (first.outcome.value, first.justification) == ("noted", "Kept.")
    assert db.session.scalar(select(Decision.revision)) == 1
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(text("DELETE FROM decision_revisions"))
    db.session.rollback()
