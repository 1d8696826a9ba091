"""Fifty delegates submitting around the deadline, at once: none accepted late, none refused early.

Each thread has its own app context and database session, as each request does in production,
and writing transactions lock at their start (BEGIN IMMEDIATE on SQLite, as for every request
that writes). Each records the clock before it starts and after it is told the outcome.

The clock is arranged so that both outcomes happen on any machine, however slow: it stands still
a second before the deadline until twenty submissions have been answered, then moves to the
deadline while the others are still queued for the round's lock; the last ten start only after
it moved. (A stopped clock, not a ticking one started minutes early: a jump of minutes would cut
short the threads' 30-second waits for a pooled connection, which SQLAlchemy times by the clock.)
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import time_machine

from config import TestConfig
from drafting.app import create_app
from drafting.auth.models import User
from drafting.consultations import commenting, refusals
from drafting.consultations.models import Comment, Consultation
from drafting.extensions import db

THREADS = 50
EARLY = 20  # answered before the clock jumps to the deadline: accepted
LATE = 10  # started after the jump: refused


def test_fifty_submissions_around_the_deadline_are_decided_by_the_server_clock(
    database_url, open_round, people
):
    deadline = datetime.now(UTC) + timedelta(hours=1)
    consultation = open_round(closes_dt=deadline, invited=("AUT", "PAK", "TUR"))
    consultation_id = consultation.id
    delegates = [people.aut.id, people.aut2.id, people.pak.id, people.tur.id]
    db.session.commit()

    app = create_app(
        TestConfig, SQLALCHEMY_DATABASE_URI=database_url, SQLITE_BEGIN_OUTSIDE_REQUESTS="IMMEDIATE"
    )
    barrier = threading.Barrier(THREADS)
    answered = threading.Semaphore(0)
    jumped = threading.Event()
    outcomes: list[tuple] = [None] * THREADS

    def submit(n: int) -> None:
        with app.app_context():
            barrier.wait()
            if n >= THREADS - LATE:
                jumped.wait(timeout=120)
            before = datetime.now(UTC)
            try:
                actor = db.session.get(User, delegates[n % len(delegates)])
                round_ = db.session.get(Consultation, consultation_id)
                comment, _ = commenting.create_comment(
                    actor, round_, kind="general", body=f"Comment number {n}.", submit=True
                )
                decided = comment.submitted_dt
                db.session.commit()
                outcome = ("accepted", decided)
            except refusals.DeadlineRefused as exc:
                db.session.rollback()
                outcome = ("refused", exc.now)
            finally:
                db.session.remove()
                answered.release()
            outcomes[n] = (*outcome, before, datetime.now(UTC))

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(THREADS)]
    with time_machine.travel(deadline - timedelta(seconds=1), tick=False) as clock:
        for thread in threads:
            thread.start()
        for _ in range(EARLY):
            assert answered.acquire(timeout=120), "the early submissions were answered"
        clock.move_to(deadline)
        jumped.set()
        for thread in threads:
            thread.join()
    with app.app_context():
        db.engine.dispose()

    assert all(outcomes), "every thread reported"
    accepted = [o for o in outcomes if o[0] == "accepted"]
    refused = [o for o in outcomes if o[0] == "refused"]
    for _, decided_at, before, _after in accepted:
        assert decided_at < deadline, "accepted after the deadline"
        assert before < deadline
    for _, decided_at, _before, after in refused:
        assert decided_at >= deadline, "refused before the deadline"
        assert after >= deadline
    assert len(accepted) >= EARLY and len(refused) >= LATE, "both outcomes happened"
    # An attempt over before the deadline was accepted and one begun after it was refused.
    for kind, _decided, before, after in outcomes:
        if after < deadline:
            assert kind == "accepted"
        if before >= deadline:
            assert kind == "refused"
    stored = db.session.scalar(
        db.select(db.func.count(Comment.id)).where(Comment.consultation_id == consultation_id)
    )
    assert stored == len(accepted)
    latest = db.session.scalar(
        db.select(db.func.max(Comment.submitted_dt)).where(
            Comment.consultation_id == consultation_id
        )
    )
    assert latest is None or latest.replace(tzinfo=UTC) < deadline
