"""The permission policy: the one place that says who may see and do what, and why not.

Every view and every operation asks `can(user, action, target)`. The rules are registered by the
domain they judge (`documents.policy`, `consultations.policy`), each in the layer that knows its
objects; this module holds the mechanism and the rules about people. Views turn a refusal into
404 when the user may not even know the object exists, and 403 when they may see it but not act.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from drafting.auth.models import Role, User

Rule = Callable[[Any, Any], bool]

# action -> rule(user, target) -> bool; filled by each domain's policy module as it is imported.
RULES: dict[str, Rule] = {}


def rules(table: dict[str, Rule]) -> None:
    """Register a domain's rules; an action is judged in one place only."""
    taken = RULES.keys() & table.keys()
    if taken:
        raise ValueError(f"actions already judged elsewhere: {sorted(taken)}")
    RULES.update(table)


def is_secretariat(user: User | None) -> bool:
    return user is not None and user.is_authenticated and user.role == Role.SECRETARIAT


def is_delegate_of(user, delegation_id) -> bool:
    return (
        user is not None
        and user.is_authenticated
        and user.role == Role.DELEGATE
        and user.delegation_id == delegation_id
    )


rules(
    {
        "document.list": lambda user, _t: user is not None and user.is_authenticated,
        "document.create": lambda user, _t: is_secretariat(user),
        "people.manage": lambda user, _t: is_secretariat(user),
        "audit.view": lambda user, _t: is_secretariat(user),
        "outbox.view": lambda user, _t: is_secretariat(user),
    }
)


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
        rule = RULES[action]
    except KeyError:
        raise ValueError(f"unknown action {action!r}") from None
    return bool(rule(user, target))
