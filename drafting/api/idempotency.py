"""Idempotency-Keys for creating comments ("The Idempotency-Key HTTP Header Field", IETF draft):
a client that retries after a lost answer gets the comment it created, never a second one.

A key is scoped to the delegation and the round it was sent to, and remembered with the
fingerprint of its request: the same key with the same request gives the same comment back;
the same key with another request is refused (KeyReused), never replayed as if it were the first.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Insert, bindparam, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from drafting.api.models import IdempotencyKey
from drafting.audit.chain import fingerprint
from drafting.auth.models import User
from drafting.consultations.commenting import ClaimTaken, create_comment
from drafting.consultations.models import Comment, Consultation
from drafting.consultations.refusals import ConsultationError
from drafting.database import utcnow
from drafting.extensions import db
from drafting.web.edge import CHANGED_MEANWHILE
from drafting.web.problems import Problem


class KeyReused(ValueError):
    """The key was used in this round with another request."""

    def __init__(self, comment: Comment):
        super().__init__(
            "Idempotency-Key reused with a different request: this key already created a "
            "comment in this round from another request. Nothing was saved; send a new key "
            "for a new comment."
        )
        self.comment = comment


def _find(delegation_id: int, consultation_id: int, key: str) -> IdempotencyKey | None:
    return db.session.scalar(
        select(IdempotencyKey).where(
            IdempotencyKey.delegation_id == delegation_id,
            IdempotencyKey.consultation_id == consultation_id,
            IdempotencyKey.key == key,
        )
    )


def _replay(found: IdempotencyKey, request_fingerprint: str) -> tuple[Comment, bool]:
    comment = db.session.get(Comment, found.comment_id)
    if found.fingerprint != request_fingerprint:
        raise KeyReused(comment)
    return comment, False


@cache
def _claim_statement(dialect: str) -> Insert:
    """INSERT … ON CONFLICT DO NOTHING RETURNING id for a key, built once per dialect, its
    values given at execution: building it anew cost a tenth of a millisecond per comment."""
    table = IdempotencyKey.__table__
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    return (
        insert(table)
        .values({name: bindparam(name) for name in _KEY_COLUMNS})
        .on_conflict_do_nothing(index_elements=["delegation_id", "consultation_id", "key"])
        .returning(table.c.id)
    )


_KEY_COLUMNS = (
    "delegation_id",
    "consultation_id",
    "key",
    "fingerprint",
    "comment_id",
    "created_dt",
)


def _claim(key_row: dict[str, Any]) -> bool:
    """Store the key, unless this delegation stored it in this round already: one INSERT … ON
    CONFLICT DO NOTHING, which on PostgreSQL waits for a request that holds the same key
    uncommitted. Whether it was stored now."""
    connection = db.session.connection()  # Core: the ORM's bulk insert machinery costs more
    statement = _claim_statement(connection.dialect.name)
    return connection.execute(statement, key_row).first() is not None


def create_comment_once(
    actor: User, consultation: Consultation, key: str | None, request: dict[str, Any]
) -> tuple[Comment, bool]:
    """create_comment with ``request``'s fields, at most once per key in this round; returns
    the comment and whether it was created now.

    The key is not looked up first: it is claimed right after the comment is inserted
    (``_claim``). Sent again, the comment's INSERT is rolled back and the first comment given
    back; refused (e.g. after the deadline), a key that created a comment still gives it."""
    if key is None:
        return create_comment(actor, consultation, **request)
    request_fingerprint = fingerprint(request)
    delegation_id, consultation_id = actor.delegation_id, consultation.id

    def claim(comment: Comment) -> bool:
        return _claim(
            {
                "delegation_id": delegation_id,
                "consultation_id": consultation_id,
                "key": key,
                "fingerprint": request_fingerprint,
                "comment_id": comment.id,
                "created_dt": utcnow(),
            }
        )

    try:
        return create_comment(actor, consultation, claim=claim, **request)
    except ClaimTaken:
        db.session.rollback()  # the comment inserted before the claim goes with it
    except ConsultationError:
        found = _find(delegation_id, consultation_id, key)
        if found is None:
            raise
        return _replay(found, request_fingerprint)
    found = _find(delegation_id, consultation_id, key)
    if found is None:  # the request that held it rolled back: nothing was stored
        raise Problem(409, f"{CHANGED_MEANWHILE} Send the request again.")
    return _replay(found, request_fingerprint)
