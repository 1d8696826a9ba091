"""The permission policy: the one place that says who may see and do what.

Every view and every operation asks `can(user, action, target)`. Views turn a refusal into 404
when the user may not even know the object exists, and 403 when they may see it but not act.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, false, select

from drafting.auth.models import Role, User


def _is_secretariat(user: User | None) -> bool:
    return user is not None and user.is_authenticated and user.role == Role.SECRETARIAT


def _takes_part(user: User | None, document) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return _is_secretariat(user) or document.has_participant(user.delegation_id)


def _can_view_version(user, version) -> bool:
    if _is_secretariat(user):
        return True
    return version.is_published and _takes_part(user, version.document)


_RULES = {
    "document.list": lambda user, _t: user is not None and user.is_authenticated,
    "document.create": lambda user, _t: _is_secretariat(user),
    "document.view": _takes_part,
    "document.manage": lambda user, _t: _is_secretariat(user),
    "version.view": _can_view_version,
    "version.import": lambda user, _t: _is_secretariat(user),
    "version.publish": lambda user, version: _is_secretariat(user) and not version.is_published,
    "people.manage": lambda user, _t: _is_secretariat(user),
}


class NotAllowed(PermissionError):
    """An operation was asked for by someone the policy does not allow to do it."""


def authorize(actor: User | None, action: str, target: Any = None) -> None:
    """What every operation asks before it changes anything. ``None`` is the system itself
    (the `drafting` command, run by whoever administers the server), which may do anything."""
    if actor is not None and not can(actor, action, target):
        raise NotAllowed(f"{actor.email} may not do {action}.")


def can(user: User | None, action: str, target: Any = None) -> bool:
    """Whether ``user`` may do ``action`` on ``target``. Unknown actions are refused loudly."""
    try:
        rule = _RULES[action]
    except KeyError:
        raise ValueError(f"unknown action {action!r}") from None
    return bool(rule(user, target))


def visible_documents(user: User, stmt: Select) -> Select:
    """Narrow a query of documents to those ``user`` may see: the same rule as "document.view",
    applied in SQL so that lists need no query per row."""
    from drafting.documents.models import Document, document_participants

    if _is_secretariat(user):
        return stmt
    if user is None or not user.is_authenticated:
        return stmt.where(false())
    taking_part = select(document_participants.c.document_id).where(
        document_participants.c.delegation_id == user.delegation_id
    )
    return stmt.where(Document.id.in_(taking_part))
