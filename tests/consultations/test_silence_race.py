"""Eight settlings of one silence procedure at once, after its deadline (cron and readers of
the document together): one adoption, one audit event, no error. Each thread has its own app
context and session, as each request and command does."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import time_machine

from config import TestConfig
from drafting.app import create_app
from drafting.audit.models import AuditEvent
from drafting.consultations.silence import operations
from drafting.consultations.silence.models import Adoption
from drafting.extensions import db

THREADS = 8


def test_settling_at_once_from_eight_places_adopts_once(database_url, published, people):
    deadline = datetime.now(UTC) + timedelta(hours=1)
    operations.start_silence(people.secretariat, published, deadline_dt=deadline, timezone="UTC")
    db.session.commit()
    app = create_app(
        TestConfig, SQLALCHEMY_DATABASE_URI=database_url, SQLITE_BEGIN_OUTSIDE_REQUESTS="IMMEDIATE"
    )
    barrier = threading.Barrier(THREADS)
    outcomes: list = [None] * THREADS

    def settle(n: int) -> None:
        with app.app_context():
            barrier.wait()
            try:
                outcomes[n] = len(operations.settle_due())
                db.session.commit()
            except Exception as exc:  # noqa: BLE001 - any error is the test's failure
                outcomes[n] = exc
            finally:
                db.session.remove()

    threads = [threading.Thread(target=settle, args=(n,)) for n in range(THREADS)]
    with time_machine.travel(deadline + timedelta(seconds=1), tick=False):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    with app.app_context():
        db.engine.dispose()
    assert sorted(outcomes) == [0] * (THREADS - 1) + [1]
    assert db.session.scalar(db.select(db.func.count(Adoption.id))) == 1
    adopted = db.select(db.func.count(AuditEvent.id)).where(AuditEvent.action == "version.adopted")
    assert db.session.scalar(adopted) == 1
