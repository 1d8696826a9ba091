"""The audit trail's hash chain: every event chains to the one before it, and `drafting verify`
names the first event rewritten, deleted or slipped in behind the service's back."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import JSON, bindparam, select, text
from sqlalchemy.exc import DatabaseError, IntegrityError

from config import TestConfig
from drafting.app import create_app
from drafting.audit.chain import GENESIS, event_hash, verify_chain
from drafting.audit.models import AuditEvent
from drafting.audit.operations import record_event
from drafting.database import UTCDateTime
from drafting.extensions import db

from .conftest import record


def events() -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id)))


def fields(event: AuditEvent) -> dict:
    return {
        "id": event.id,
        "created_dt": event.created_dt,
        "actor_id": event.actor_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "details": event.details,
    }


def assert_unbroken(trail: list[AuditEvent]) -> None:
    previous = GENESIS
    for event in trail:
        assert event.prev_hash == previous
        assert event.hash == event_hash(previous, **fields(event))
        previous = event.hash


INSERT = text(
    "INSERT INTO audit_events (id, created_dt, actor_id, action, object_type, object_id,"
    " details, prev_hash, hash) VALUES (:id, :created_dt, :actor_id, :action, :object_type,"
    " :object_id, :details, :prev_hash, :hash)"
).bindparams(bindparam("created_dt", type_=UTCDateTime), bindparam("details", type_=JSON))


def tamper(*statements) -> None:
    """Run SQL on audit_events as an intruder could: with the append-only trigger out of the way.

    Each statement is SQL text, or (SQL, parameters).
    """
    db.session.commit()
    postgres = db.engine.dialect.name == "postgresql"
    with db.engine.begin() as conn:
        if postgres:
            conn.execute(text("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only"))
        else:
            conn.execute(text("DROP TRIGGER IF EXISTS audit_events_no_update"))
            conn.execute(text("DROP TRIGGER IF EXISTS audit_events_no_delete"))
        for statement in statements:
            sql, params = statement if isinstance(statement, tuple) else (statement, {})
            conn.execute(text(sql) if isinstance(sql, str) else sql, params)
        if postgres:
            conn.execute(text("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only"))


def test_each_event_carries_the_hash_of_the_one_before(trail, people):
    record(people.secretariat, "test.unicode", None, note="Ελληνικά – «quoted»", n=[1, 2.5])
    trail_events = events()
    assert len(trail_events) > 5
    assert trail_events[0].prev_hash == GENESIS
    assert_unbroken(trail_events)
    assert len({e.hash for e in trail_events}) == len(trail_events)


def test_events_added_in_one_flush_chain_in_the_order_they_were_recorded(people):
    first = record_event(people.chair, "test.first")
    second = record_event(people.chair, "test.second", None, n=2)
    third = record_event(people.chair, "test.third")
    db.session.commit()
    assert first.id < second.id < third.id
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert_unbroken(events())


def test_events_flushed_with_other_rows_are_chained_at_their_insert(people):
    """The chain's lock and head are taken at the first event's INSERT (a before_insert hook),
    not before the flush: the rows an event depends on (here a new person, its actor) are
    written before the lock is asked for, and events flushed together with other rows, and
    events of flushes in turn within one transaction, are chained each once, with the hash of
    what was stored; on PostgreSQL only the chain's own reads come between the lock and the
    first event's INSERT."""
    from sqlalchemy import event as sqlalchemy_event

    from drafting.auth.models import User
    from drafting.notifications.models import OutboxMessage

    seen: list[str] = []

    def note(_conn, _cursor, statement, *_args):
        seen.append(" ".join(statement.split())[:40])

    sqlalchemy_event.listen(db.engine, "before_cursor_execute", note)
    try:
        newcomer = User(
            email="newcomer@example.org",
            name="Newcomer",
            password_hash="x",
            role=people.chair.role,
            delegation_id=people.chair.delegation_id,
        )
        message = OutboxMessage(
            user_id=people.chair.id, to_address="chair@example.org", subject="s", body="b", kind="k"
        )
        first = AuditEvent(actor=newcomer, action="test.with_a_row", object_type="system")
        db.session.add_all([newcomer, message, first])
        second = record_event(people.chair, "test.with_a_row", None, n=2)
        db.session.flush()
        third = record_event(people.chair, "test.next_flush")
        db.session.commit()
    finally:
        sqlalchemy_event.remove(db.engine, "before_cursor_execute", note)
    assert message.id is not None and first.actor_id == newcomer.id
    assert first.id + 1 == second.id and second.id < third.id
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert_unbroken(events())
    assert verify_chain().problems == []
    if db.engine.dialect.name == "postgresql":
        lock = seen.index("SELECT pg_advisory_xact_lock(%(key)s)")
        person = next(n for n, s in enumerate(seen) if s.startswith("INSERT INTO users"))
        insert = next(n for n, s in enumerate(seen) if s.startswith("INSERT INTO audit_events"))
        # The person first, then the lock; only the chain's own reads before the first event.
        assert person < lock < insert and len(seen[lock + 1 : insert]) == 2
        assert all(s.startswith("SELECT") for s in seen[lock + 1 : insert])


def test_an_event_another_hook_adds_to_the_flush_is_chained_after_the_others(people):
    """An event added to a flush after the chain noted its events (by a before_flush hook
    registered later) is chained after them in the same flush: the others are not inserted
    yet when it is chained, so it goes on from them, not from the stored head."""
    from sqlalchemy import event as sqlalchemy_event
    from sqlalchemy.orm import Session

    def late(session, _context, _instances):
        if any(isinstance(o, AuditEvent) and o.action == "test.first" for o in session.new):
            session.add(AuditEvent(action="test.late", object_type="system", details={}))

    sqlalchemy_event.listen(Session, "before_flush", late)
    try:
        first = record_event(people.chair, "test.first")
        second = record_event(people.chair, "test.second")
        db.session.commit()
    finally:
        sqlalchemy_event.remove(Session, "before_flush", late)
    late_event = db.session.scalars(select(AuditEvent).filter_by(action="test.late")).one()
    assert first.id < second.id < late_event.id
    assert second.prev_hash == first.hash and late_event.prev_hash == second.hash
    assert_unbroken(events())
    assert verify_chain().problems == []


def test_an_event_given_its_time_before_it_is_stored_is_hashed_with_that_time(people):
    from datetime import UTC, datetime

    at = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)
    event = record(people.chair, "test.backdated", None, at=at)
    assert event.created_dt == at
    assert_unbroken(events())
    assert not verify_chain().problems


def test_verify_walks_an_untampered_trail(trail, runner):
    count = len(events())
    result = runner.invoke(args=["verify"])
    assert result.exit_code == 0, result.output
    assert f"All {count} audit events form an unbroken hash chain" in result.output
    assert events()[-1].hash in result.output


def test_verify_of_an_empty_trail(runner):
    result = runner.invoke(args=["verify"])
    assert result.exit_code == 0, result.output
    assert "All 0 audit events form an unbroken hash chain" in result.output


def test_verify_names_an_event_whose_details_were_rewritten(trail, runner):
    target = events()[3]
    later = events()[5]
    tamper(
        (
            "UPDATE audit_events SET details = :forged WHERE id = :id",
            {"forged": '{"forged": true}', "id": target.id},
        )
    )
    result = runner.invoke(args=["verify"])
    assert result.exit_code != 0
    assert f"TAMPERED event #{target.id} ({target.action}): hash mismatch" in result.output
    assert f"first tampered event is #{target.id} ({target.action}): hash mismatch" in (
        result.output
    )
    assert f"{len(events())} events checked" in result.output
    # Only that one: the events after it still link to its stored hash.
    assert f"event #{later.id}" not in result.output


def test_verify_names_an_event_rewritten_with_a_recomputed_hash_by_the_broken_link_after_it(
    trail, runner
):
    target, after = events()[2], events()[3]
    forged = dict(fields(target), details={"forged": True})
    new_hash = event_hash(target.prev_hash, **forged)
    tamper(
        (
            "UPDATE audit_events SET details = :details, hash = :hash WHERE id = :id",
            {"details": '{"forged":true}', "hash": new_hash, "id": target.id},
        )
    )
    result = runner.invoke(args=["verify"])
    assert result.exit_code != 0
    assert f"first tampered event is #{after.id} ({after.action}): broken link" in result.output
    assert f"not the hash of event #{target.id}" in result.output


def test_verify_names_the_event_after_one_deleted_from_the_middle(trail, runner):
    trail_events = events()
    deleted, after = trail_events[2], trail_events[3]
    tamper(("DELETE FROM audit_events WHERE id = :id", {"id": deleted.id}))
    result = runner.invoke(args=["verify"])
    assert result.exit_code != 0
    assert f"first tampered event is #{after.id} ({after.action}): broken link" in result.output
    assert f"{len(trail_events) - 1} events checked" in result.output


def test_verify_names_a_forged_event_slipped_into_the_middle(trail, people, runner):
    """The intruder makes room by renumbering the later events: the ids are in the hash, so the
    renumbered events no longer match, and the forged one is named as not part of the chain."""
    trail_events = events()
    before, moved = trail_events[1], trail_events[2:]
    displaced = (moved[0].id + 1, moved[0].action)
    forged = {
        "id": moved[0].id,
        "created_dt": moved[0].created_dt,
        "actor_id": people.secretariat.id,
        "action": "comment.withdrawn",
        "object_type": "comment",
        "object_id": 1,
        "details": {"revision": 9},
    }
    forged_row = dict(forged, prev_hash=before.hash, hash=event_hash(before.hash, **forged))
    # Each later event moves one place up, keeping its stored links and hashes.
    moved_rows = [dict(fields(e), id=e.id + 1, prev_hash=e.prev_hash, hash=e.hash) for e in moved]
    # The forged event and the one it displaces link to the same event, which the database
    # refuses too: the intruder drops that unique index as well.
    tamper(
        "DROP INDEX uq_audit_events_prev_hash",
        ("DELETE FROM audit_events WHERE id >= :id", {"id": moved[0].id}),
        *[(INSERT, row) for row in [forged_row, *moved_rows]],
    )
    try:
        result = runner.invoke(args=["verify"])
    finally:  # leave the schema whole for the next test (PostgreSQL's database is shared)
        tamper(
            "DELETE FROM audit_events",
            "CREATE UNIQUE INDEX uq_audit_events_prev_hash ON audit_events (prev_hash)",
        )
    assert result.exit_code != 0
    assert f"first tampered event is #{forged['id']} (comment.withdrawn): inserted" in result.output
    # The renumbered events do not match their hashes any more.
    assert "TAMPERED event #{} ({}): hash mismatch".format(*displaced) in result.output


def test_a_forged_event_appended_with_a_wrong_link_is_named(trail, people, runner):
    last = events()[-1]
    forged = dict(fields(last), id=last.id + 1, action="user.created", details={})
    tamper((INSERT, dict(forged, prev_hash="f" * 64, hash=event_hash("f" * 64, **forged))))
    result = runner.invoke(args=["verify"])
    assert result.exit_code != 0
    assert f"first tampered event is #{last.id + 1} (user.created)" in result.output


def test_the_database_refuses_two_events_chained_to_the_same_one(trail):
    last = events()[-1]
    forged = dict(fields(last), id=last.id + 1, action="user.created")
    # A correct hash, but the link is the last event's own: a fork of the chain.
    row = dict(forged, prev_hash=last.prev_hash, hash=event_hash(last.prev_hash, **forged))
    db.session.commit()
    with pytest.raises(IntegrityError):
        db.session.execute(INSERT, row)
    db.session.rollback()


def test_the_database_refuses_to_rewrite_or_delete_the_chain(trail):
    for statement in (
        "UPDATE audit_events SET hash = prev_hash",
        "UPDATE audit_events SET details = '{}'",
        "DELETE FROM audit_events WHERE id = (SELECT max(id) FROM audit_events)",
    ):
        with pytest.raises(DatabaseError, match="append-only"):
            db.session.execute(text(statement))
        db.session.rollback()
    assert_unbroken(events())


def test_twenty_writers_at_once_make_one_unbroken_chain(database_url, people):
    threads_count = 20
    db.session.commit()
    app = create_app(
        TestConfig, SQLALCHEMY_DATABASE_URI=database_url, SQLITE_BEGIN_OUTSIDE_REQUESTS="IMMEDIATE"
    )
    barrier = threading.Barrier(threads_count)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        with app.app_context():
            try:
                barrier.wait()
                for i in range(3):
                    record_event(None, "test.concurrent", None, writer=n, i=i)
                    db.session.commit()
            except BaseException as exc:  # noqa: BLE001 - reported by the test thread
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with app.app_context():
        db.engine.dispose()

    assert not errors
    trail_events = events()
    assert sum(e.action == "test.concurrent" for e in trail_events) == threads_count * 3
    assert_unbroken(trail_events)
    report = verify_chain()
    assert report.checked == len(trail_events) and not report.problems
