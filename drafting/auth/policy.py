"""The permission policy: the one place that says who may see and do what, and why not.

Every view and every operation asks `can(user, action, target)`, or `why_not(...)` for the
reason in words a person understands ("The deadline passed on 22 December 2029, 18:00 CET
(Europe/Vienna): comments can no longer be written, changed or withdrawn."), which pages and
the API show alike. The rules are registered by the domain they judge (`documents.policy`,
`consultations.policy`), each in the layer that knows its objects; this module holds the
mechanism and the rules about people. Views turn a refusal into 404 when the user may not even
know the object exists, and 403 with its reason when they may see it but not act.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import lazy_gettext as _l

from drafting.auth.models import Role, User

# A rule answers why ``user`` may not do its action on ``target``, or None when they may.
Rule = Callable[[Any, Any], "str | None"]
Reason = Any  # words (a str or a lazy translation), or a function of user and target giving them

# What a refusal says when its rule has nothing more particular to say.
ROLE_REFUSAL = _l("Your role does not allow this action.")

# action -> rule(user, target); filled by each domain's policy module as it is imported.
RULES: dict[str, Rule] = {}


def rules(table: dict[str, Rule]) -> None:
    """Register a domain's rules; an action is judged in one place only."""
    taken = RULES.keys() & table.keys()
    if taken:
        raise ValueError(f"actions already judged elsewhere: {sorted(taken)}")
    RULES.update(table)


def when(allows: Callable[[Any, Any], bool], reason: Reason = ROLE_REFUSAL) -> Rule:
    """A rule from a yes-or-no test and the reason it gives when the answer is no (words, or
    a function of the user and the target that returns them)."""

    def rule(user, target) -> str | None:
        if allows(user, target):
            return None
        return str(reason(user, target) if callable(reason) else reason)

    return rule


def is_secretariat(user: User | None) -> bool:
    return user is not None and user.is_authenticated and user.role == Role.SECRETARIAT


def is_delegate_of(user, delegation_id) -> bool:
    return (
        user is not None
        and user.is_authenticated
        and user.role == Role.DELEGATE
        and user.delegation_id == delegation_id
    )


def _logged_in(user, _target) -> bool:
    return user is not None and user.is_authenticated


def _secretariat(user, _target) -> bool:
    return is_secretariat(user)


rules(
    {
        "document.list": when(_logged_in, _l("Please log in to continue.")),
        "document.create": when(_secretariat),
        "people.manage": when(_secretariat),
        "audit.view": when(_secretariat),
        "outbox.view": when(_secretariat),
    }
)


class NotAllowed(PermissionError):
    """An operation was asked for by someone the policy does not allow to do it; ``reason``
    says why, in the words the page and the API show."""

    def __init__(self, reason: str = ROLE_REFUSAL, action: str | None = None):
        reason = str(reason)  # said in the language of the request that asked
        super().__init__(reason)
        self.reason = reason
        self.action = action


def authorize(actor: User | None, action: str, target: Any = None) -> None:
    """What every operation asks before it changes anything. ``None`` is the system itself
    (the `drafting` command, run by whoever administers the server), which may do anything."""
    if actor is None:
        return
    reason = why_not(actor, action, target)
    if reason is not None:
        raise NotAllowed(reason, action)


def why_not(user: User | None, action: str, target: Any = None) -> str | None:
    """Why ``user`` may not do ``action`` on ``target``, or None when they may. Unknown
    actions are refused loudly."""
    try:
        rule = RULES[action]
    except KeyError:
        raise ValueError(f"unknown action {action!r}") from None
    reason = rule(user, target)
    return None if reason is None else str(reason)


def can(user: User | None, action: str, target: Any = None) -> bool:
    """Whether ``user`` may do ``action`` on ``target``."""
    return why_not(user, action, target) is None
