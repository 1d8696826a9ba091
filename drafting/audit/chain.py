"""The audit trail's hash chain: each event carries the hash of the one before it.

``hash = SHA-256(prev_hash + canonical(event))`` in hexadecimal, where ``prev_hash`` is the hash
of the event with the highest id before it (64 zeros for the first event) and ``canonical`` is
compact JSON with sorted keys of the event's own fields: id, created_dt (ISO 8601 in UTC with
microseconds), actor_id, action, object_type, object_id and details. Rewriting an event's fields
breaks its hash; deleting or inserting an event breaks the next event's link; `drafting verify`
walks the chain and names the first event where either happens.

The id is part of the hash, so it must be known before the row is inserted (the database
refuses every UPDATE of audit_events, so the hash cannot be filled in afterwards). A
``before_flush`` hook notes the new events of each flush, in the order they were added; at the
first one's INSERT (a ``before_insert`` hook, so that the flush is planned, and its other rows
written when they come first, before the lock is asked for), for each of them in that order:

1. takes the chain lock: on PostgreSQL ``pg_advisory_xact_lock(CHAIN_LOCK_KEY)``; on SQLite the
   writing transaction already holds the database's write lock (BEGIN IMMEDIATE for every request
   that writes and every command, see drafting.database.configure_sqlite);
2. reads the last stored event's hash (and on SQLite its id);
3. gives each new event its id itself, under the lock: on PostgreSQL the next value of the
   table's sequence, drawn by the same statement that reads the head for the first event (only
   lock holders draw from it, so ids grow in chain order; a rolled-back transaction leaves a
   gap, which the chain does not mind), on SQLite the last id + 1 (what SQLite would have
   chosen), then its created_dt if unset, its prev_hash and its hash.

Two transactions can therefore never chain to the same previous event; the database would refuse
it anyway, since both hash and prev_hash are unique (migration 0005).

The lock is held from the first flush that writes an event until commit or rollback, so every
transaction that records an event is serialised from that point. Operations record their event
last, after taking their row locks; one that took a row lock after recording an event could
deadlock (PostgreSQL detects it and aborts one transaction). Rows flushed together with an
event and inserted before it already hold their index locks while it waits for the chain's
lock: another transaction holding the chain's lock that then wrote a conflicting row would
deadlock the same way (no operation does; the submission path flushes its event alone).

Limits: the chain proves the trail was not rewritten *in the middle*. Someone who can write SQL
can drop the last events, or append forged ones with correct hashes; `drafting verify` prints the
head of the chain so that it can be noted down outside the database and compared later.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, func, inspect, select, text
from sqlalchemy.orm import Session

from drafting.audit.models import AuditEvent
from drafting.database import utcnow
from drafting.extensions import db

GENESIS = "0" * 64
# pg_advisory_xact_lock's key for the audit chain: "audit" in ASCII, any fixed bigint would do.
CHAIN_LOCK_KEY = 0x6175646974


def canonical(
    *,
    id: int,  # noqa: A002 - the column's name
    created_dt: datetime,
    actor_id: int | None,
    action: str,
    object_type: str,
    object_id: int | None,
    details: Any,
) -> str:
    """The event's own fields as one string, the same before it is stored and after."""
    return json.dumps(
        {
            "id": id,
            "created_dt": created_dt.astimezone(UTC).isoformat(timespec="microseconds"),
            "actor_id": actor_id,
            "action": action,
            "object_type": object_type,
            "object_id": object_id,
            "details": details,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )


def fingerprint(fields: dict[str, Any]) -> str:
    """SHA-256 of ``fields`` as compact JSON with sorted keys (datetimes in UTC to the
    microsecond): what an event records of a row, so that `drafting verify` can tell whether
    the row still says what the event saw."""
    canonical_fields = json.dumps(
        fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_instant
    )
    return hashlib.sha256(canonical_fields.encode("utf-8")).hexdigest()


def _instant(value: Any) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    raise TypeError(f"{type(value).__name__} cannot be fingerprinted")


def event_hash(prev_hash: str, **fields: Any) -> str:
    return hashlib.sha256((prev_hash + canonical(**fields)).encode("utf-8")).hexdigest()


def _fields(row) -> dict[str, Any]:
    return {
        "id": row.id,
        "created_dt": row.created_dt,
        "actor_id": row.actor_id,
        "action": row.action,
        "object_type": row.object_type,
        "object_id": row.object_id,
        "details": row.details,
    }


_NEXT_EVENT_ID = func.nextval(func.pg_get_serial_sequence("audit_events", "id"))
# The statements run under the chain's lock, built once rather than while others wait for it.
_LOCK = text("SELECT pg_advisory_xact_lock(:key)")
# On PostgreSQL the head and the first event's id in one statement (its snapshot is taken after
# the lock was granted, so it sees the previous holder's event): one round trip fewer while
# every writer of every app server waits for this lock.
_PG_HEAD = select(
    _NEXT_EVENT_ID,
    select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1).scalar_subquery(),
)
_NEXT_ID = select(_NEXT_EVENT_ID)
_HEAD = select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)


# Where _note_new_events leaves a flush's new events, in the order they were added.
_PENDING = "audit_chain_pending"
# The last event this flush chained (its id and hash), for an event a later hook adds to it.
_TAIL = "audit_chain_tail"


@event.listens_for(Session, "before_flush")
def _note_new_events(session: Session, _flush_context, _instances) -> None:
    """Before the flush, outside the lock: the flush's new events in the order they were
    added, with their time and details filled in."""
    session.info.pop(_TAIL, None)
    new = [obj for obj in session.new if isinstance(obj, AuditEvent)]
    if not new:
        session.info.pop(_PENDING, None)
        return
    new.sort(key=lambda obj: inspect(obj).insert_order)
    for obj in new:
        if obj.created_dt is None:
            obj.created_dt = utcnow()
        if obj.details is None:
            obj.details = {}
    session.info[_PENDING] = new


@event.listens_for(AuditEvent, "before_insert")
def _chain_new_events(_mapper, conn, target: AuditEvent) -> None:
    """At the first new event's INSERT, once the rest of the flush is planned (and its other
    rows written when they come first): the chain's lock, its head, and every new event of
    the flush chained to it in turn. The flush's own work before its INSERTs is so done
    before the lock, not while every other writer waits for it."""
    if target.hash is not None:
        return  # chained with the first event of its flush
    session = inspect(target).session
    pending = session.info.pop(_PENDING, None) or []
    if target not in pending:  # added after before_flush (by another hook): chained too
        pending.append(target)
    postgres = conn.dialect.name == "postgresql"
    tail = session.info.get(_TAIL)
    if tail is not None:
        # This flush's first events are chained but not inserted yet (the ORM runs every
        # before_insert first): the lock is held, and the chain goes on from them.
        last_id, prev_hash = tail
    elif postgres:
        conn.execute(_LOCK, {"key": CHAIN_LOCK_KEY})
        next_id, last_hash = conn.execute(_PG_HEAD).one()
        last_id, prev_hash = next_id - 1, last_hash or GENESIS
    else:
        last = conn.execute(_HEAD).first()
        last_id, prev_hash = (last.id, last.hash) if last else (0, GENESIS)
    for number, obj in enumerate(pending):
        if postgres and (number or tail is not None):
            obj.id = conn.execute(_NEXT_ID).scalar_one()
        else:
            obj.id = last_id + 1
        last_id = obj.id
        if obj.created_dt is None:
            obj.created_dt = utcnow()
        if obj.details is None:
            obj.details = {}
        obj.prev_hash = prev_hash
        obj.hash = event_hash(prev_hash, **_fields(obj))
        prev_hash = obj.hash
    session.info[_TAIL] = (last_id, prev_hash)


@dataclass(frozen=True)
class ChainProblem:
    """One place where the trail differs from what was written: the event and what differs."""

    event_id: int
    action: str
    kind: str  # "hash mismatch", "broken link", "inserted", "no hash"
    detail: str

    def __str__(self) -> str:
        return f"event #{self.event_id} ({self.action}): {self.kind}: {self.detail}"


@dataclass
class ChainReport:
    checked: int
    problems: list[ChainProblem]
    head: str  # the last event's hash, GENESIS for an empty trail

    @property
    def first(self) -> ChainProblem | None:
        return self.problems[0] if self.problems else None


def _rows() -> Iterator:
    stmt = select(
        AuditEvent.id,
        AuditEvent.created_dt,
        AuditEvent.actor_id,
        AuditEvent.action,
        AuditEvent.object_type,
        AuditEvent.object_id,
        AuditEvent.details,
        AuditEvent.prev_hash,
        AuditEvent.hash,
    ).order_by(AuditEvent.id)
    return db.session.execute(stmt.execution_options(yield_per=1000))


def verify_chain() -> ChainReport:
    """Walk the trail in id order: recompute each hash and check each link to the one before."""
    problems: list[ChainProblem] = []
    checked = 0
    expected_prev = GENESIS
    previous = None
    for row in _rows():
        checked += 1
        if row.hash is None:
            problems.append(ChainProblem(row.id, row.action, "no hash", "it has no hash"))
        elif event_hash(row.prev_hash or "", **_fields(row)) != row.hash:
            problems.append(
                ChainProblem(
                    row.id,
                    row.action,
                    "hash mismatch",
                    "its fields are not the ones its hash was computed from (rewritten)",
                )
            )
        if row.prev_hash != expected_prev:
            if previous is not None and row.prev_hash == previous.prev_hash:
                # This event chains to the one before the previous: the previous was slipped in.
                problems.append(
                    ChainProblem(
                        previous.id,
                        previous.action,
                        "inserted",
                        f"it is not part of the chain: event #{row.id} links past it "
                        f"to the event before it",
                    )
                )
            else:
                what = f"event #{previous.id}" if previous else "the start of the chain"
                problems.append(
                    ChainProblem(
                        row.id,
                        row.action,
                        "broken link",
                        f"its prev_hash is not the hash of {what}: an event "
                        f"before it was deleted or inserted, or {what} was given a new hash",
                    )
                )
        expected_prev = row.hash
        previous = row
    problems.sort(key=lambda p: p.event_id)
    return ChainReport(checked=checked, problems=problems, head=expected_prev or GENESIS)
