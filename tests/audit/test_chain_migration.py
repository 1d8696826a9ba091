"""Migration 0005 chains the events written before the chain existed, then keeps the trail
append-only: the same hashes as the service computes, and the triggers back in place."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import JSON, Integer, String, column, table, text
from sqlalchemy.exc import DatabaseError, IntegrityError

from drafting.audit.chain import GENESIS, verify_chain
from drafting.audit.models import AuditEvent
from drafting.audit.operations import record_event
from drafting.database import UTCDateTime
from drafting.extensions import db

OLD_EVENTS = table(
    "audit_events",
    column("created_dt", UTCDateTime),
    column("actor_id", Integer),
    column("action", String),
    column("object_type", String),
    column("object_id", Integer),
    column("details", JSON),
)


def test_the_migration_hashes_existing_events_in_id_order(app, create_user):
    user = create_user("secretariat", "MDS", kind="organisation")
    user_id = user.id
    db.session.commit()
    db.session.remove()
    downgrade(revision="0004")
    start = datetime(2026, 1, 5, 8, 0, 0, 1, tzinfo=UTC)
    with db.engine.begin() as conn:
        conn.execute(
            OLD_EVENTS.insert(),
            [
                {
                    "created_dt": start + timedelta(seconds=n, microseconds=n * 7),
                    "actor_id": user_id if n % 2 else None,
                    "action": f"old.event{n}",
                    "object_type": "system",
                    "object_id": n,
                    "details": {"n": n, "note": "Déclaration – «ébauche»", "list": [1, 2.5]},
                }
                for n in range(6)
            ],
        )
    upgrade()

    events = list(db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id)))
    assert len(events) == 8  # the delegation and the user, then the six old ones
    assert events[0].prev_hash == GENESIS
    report = verify_chain()
    assert report.checked == 8 and not report.problems
    # New events chain on from the backfilled ones.
    new = record_event(None, "test.after_migration")
    db.session.commit()
    assert new.prev_hash == events[-1].hash
    assert not verify_chain().problems
    # The append-only triggers are back, and hashes are required.
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(text("UPDATE audit_events SET details = '{}'"))
    db.session.rollback()
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(text("DELETE FROM audit_events"))
    db.session.rollback()
    with pytest.raises(IntegrityError), db.engine.begin() as conn:
        conn.execute(
            OLD_EVENTS.insert(),
            {"action": "x", "object_type": "system", "created_dt": start, "details": {}},
        )
