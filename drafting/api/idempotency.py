"""Idempotency-Keys for creating comments ("The Idempotency-Key HTTP Header Field", IETF draft):
a client that retries after a lost answer gets the comment it created, never a second one.

A key is scoped to the delegation and the round it was sent to, and remembered with the
fingerprint of its request: the same key with the same request gives the same comment back;
the same key with another request is refused (KeyReused), never replayed as if it were the first.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from drafting.api.models import IdempotencyKey
from drafting.audit.chain import fingerprint
from drafting.auth.models import User
from drafting.consultations.commenting import create_comment
from drafting.consultations.models import Comment, Consultation
from drafting.database import utcnow
from drafting.extensions import db


class KeyReused(ValueError):
    """The key was used in this round with another request."""

    def __init__(self, comment: Comment):
        super().__init__(
            "Idempotency-Key reused with a different request: this key already created a "
            "comment in this round from another request. Nothing was saved; send a new key "
            "for a new comment."
        )
        self.comment = comment


def _find(actor: User, consultation: Consultation, key: str) -> IdempotencyKey | None:
    return db.session.scalar(
        select(IdempotencyKey).where(
            IdempotencyKey.delegation_id == actor.delegation_id,
            IdempotencyKey.consultation_id == consultation.id,
            IdempotencyKey.key == key,
        )
    )


def _replay(found: IdempotencyKey, request_fingerprint: str) -> tuple[Comment, bool]:
    comment = db.session.get(Comment, found.comment_id)
    if found.fingerprint != request_fingerprint:
        raise KeyReused(comment)
    return comment, False


def create_comment_once(
    actor: User, consultation: Consultation, key: str | None, request: dict[str, Any]
) -> tuple[Comment, bool]:
    """create_comment with ``request``'s fields, at most once per key in this round; returns
    the comment and whether it was created now."""
    if key is None:
        return create_comment(actor, consultation, **request)
    request_fingerprint = fingerprint(request)
    found = _find(actor, consultation, key)
    if found is not None:
        return _replay(found, request_fingerprint)

    def claim(comment: Comment) -> IdempotencyKey:
        return IdempotencyKey(
            delegation_id=actor.delegation_id,
            consultation_id=consultation.id,
            key=key,
            fingerprint=request_fingerprint,
            comment=comment,
            created_dt=utcnow(),
        )

    try:
        return create_comment(actor, consultation, claim=claim, **request)
    except IntegrityError:
        # The same key at the same moment from another request, which stored it first.
        found = _find(actor, consultation, key)
        if found is None:
            raise
        return _replay(found, request_fingerprint)
