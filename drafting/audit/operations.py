"""Writing to the audit trail, in the same transaction as the change it records.

Each event is chained to the one before it when it is flushed (see drafting.audit.chain).
"""

from __future__ import annotations

from typing import Any

from drafting.audit import chain  # noqa: F401 - registers the hook that chains new events
from drafting.audit.models import AuditEvent
from drafting.database import utcnow
from drafting.extensions import db


def record_event(actor, action: str, target: Any = None, **details: Any) -> AuditEvent:
    """Add an audit event for ``action`` on ``target`` by ``actor`` (a User or None for the system).

    The target must have been flushed so that it has an id. The event gets its id, prev_hash
    and hash when it is flushed; its fields must not change after that (the database refuses).
    """
    if target is not None and getattr(target, "id", None) is None:
        db.session.flush()
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        action=action,
        object_type=type(target).__name__.lower() if target is not None else "system",
        object_id=getattr(target, "id", None),
        details=details,
        created_dt=utcnow(),
    )
    db.session.add(event)
    return event
