"""What is done with people and delegations: add them, log them in and out, change and reset
passwords, deactivate and reactivate accounts."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from blinker import Namespace
from flask import current_app
from sqlalchemy import delete, func, select, update

from drafting.audit.operations import record_event
from drafting.auth.models import Delegation, DelegationKind, LoginSession, Role, User
from drafting.auth.policy import authorize
from drafting.database import utcnow
from drafting.extensions import db
from drafting.notifications.models import OutboxMessage
from drafting.notifications.operations import absolute_url, queue_mail
from drafting.text.names import email_problem, name_problem, normal_email
from drafting.times import DeadlineError, zone

# NIST SP 800-63B asks for at least 8 characters and no composition rules; the service has
# always asked for 12, and keeps that. 64 or more must be accepted: 1,024 are.
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024
# A temporary password: 4 groups of 4 from an alphabet without look-alikes (0/O, 1/l/I).
_TEMPORARY_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"

# Sent with (user, actor) whenever every credential of a person must stop working at once (a
# reset, a deactivation): the API's tokens live a floor above this module and listen to it.
signals = Namespace()
credentials_revoked = signals.signal("credentials-revoked")

_STATE_CODE = re.compile(r"^[A-Z]{3}$")
_ORG_CODE = re.compile(r"^[A-Z][A-Z0-9-]{1,15}$")


# The columns' lengths (PostgreSQL refuses longer text with an error; SQLite would store it).
MAX_NAME_LENGTH = 200


class PeopleError(ValueError):
    """A request about people or delegations that cannot be done; the message says why."""


class WrongPassword(PeopleError):
    """The current password given to change it is not the right one."""


def password_hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(
        time_cost=config["ARGON2_TIME_COST"],
        memory_cost=config["ARGON2_MEMORY_KIB"],
        parallelism=config["ARGON2_PARALLELISM"],
    )


def hash_password(password: str) -> str:
    return password_hasher().hash(password)


def create_delegation(actor: User | None, *, name: str, code: str, kind: str) -> Delegation:
    authorize(actor, "people.manage")
    for what, text in (("name", name), ("code", code)):
        if problem := name_problem(text):
            raise PeopleError(f"The delegation's {what} {problem}.")
    name, code = name.strip(), code.strip().upper()
    try:
        kind_value = DelegationKind(kind)
    except ValueError:
        raise PeopleError("The kind must be 'state' or 'organisation'.") from None
    if not name:
        raise PeopleError("A delegation needs a name.")
    if len(name) > MAX_NAME_LENGTH:
        raise PeopleError(f"A delegation's name may have at most {MAX_NAME_LENGTH} characters.")
    pattern = _STATE_CODE if kind_value == DelegationKind.STATE else _ORG_CODE
    if not pattern.match(code):
        raise PeopleError(
            "A state's code is its ISO 3166 alpha-3 code (three letters, e.g. AUT)."
            if kind_value == DelegationKind.STATE
            else "An organisation's code is its acronym: 2 to 16 capital letters or digits."
        )
    clash = db.session.scalar(
        select(Delegation).where(
            (Delegation.code == code) | (func.lower(Delegation.name) == name.lower())
        )
    )
    if clash:
        raise PeopleError(
            f"A delegation with this code or name exists already: {clash.name} ({clash.code})."
        )
    delegation = Delegation(name=name, code=code, kind=kind_value)
    db.session.add(delegation)
    record_event(actor, "delegation.created", delegation, code=code)
    return delegation


def create_user(
    actor: User | None,
    *,
    email: str,
    name: str,
    role: str,
    delegation: Delegation | None,
    password: str,
    password_hash: str | None = None,
) -> User:
    """Add a person. ``password_hash`` lets a loader reuse a hash it has already computed."""
    authorize(actor, "people.manage")
    email = normal_email(email)
    if problem := email_problem(email):
        raise PeopleError(problem)
    if not name.strip():
        raise PeopleError("Give the person's name.")
    if problem := name_problem(name):
        raise PeopleError(f"The name {problem}.")
    if len(name.strip()) > MAX_NAME_LENGTH:
        raise PeopleError(f"A name may have at most {MAX_NAME_LENGTH} characters.")
    try:
        role_value = Role(role)
    except ValueError:
        raise PeopleError("The role must be secretariat, chair, delegate or observer.") from None
    if delegation is None:
        raise PeopleError("Choose the delegation this person belongs to.")
    if password_hash is None:
        check_new_password(password, email)
    if db.session.scalar(select(User.id).where(User.email == email)):
        raise PeopleError(f"There is already an account for {email}.")
    user = User(
        email=email,
        name=name.strip(),
        role=role_value,
        delegation=delegation,
        password_hash=password_hash or hash_password(password),
    )
    db.session.add(user)
    record_event(actor, "user.created", user, email=email, role=role_value.value)
    return user


def authenticate(email: str, password: str) -> tuple[User | None, str | None]:
    """The active user with this e-mail and password, or None; and, when the stored hash was
    made with weaker settings than today's, the password's new hash for start_login_session
    to store. It only reads, so that the slow hashing holds no write lock: logins would
    otherwise make every writer wait. Timing does not reveal whether the address exists."""
    user = db.session.scalar(select(User).where(User.email == normal_email(email)))
    hasher = password_hasher()
    if user is None or not user.is_active:
        # Hash anyway so that an unknown address takes as long as a wrong password.
        hasher.hash(password or "")
        return None, None
    try:
        hasher.verify(user.password_hash, password or "")
    except (VerificationError, InvalidHashError):
        return None, None
    if hasher.check_needs_rehash(user.password_hash):
        return user, hasher.hash(password)
    return user, None


def check_new_password(password: str, email: str) -> None:
    """The one rule for every new password (NIST SP 800-63B): long enough, no composition
    rules, and not the person's own e-mail address or the part of it before the @."""
    password = password or ""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PeopleError(
            f"The password must have at least {MIN_PASSWORD_LENGTH} characters: a few words "
            "that belong together only for you make a good one."
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise PeopleError(f"The password may have at most {MAX_PASSWORD_LENGTH} characters.")
    email = normal_email(email)
    if password.strip().lower() in {email, email.partition("@")[0]}:
        raise PeopleError("The e-mail address is no password: anyone who knows it could log in.")


def _password_is(user: User, password: str) -> bool:
    try:
        return password_hasher().verify(user.password_hash, password or "")
    except (VerificationError, InvalidHashError):
        return False


def change_password(user: User, *, current: str, new: str, confirmation: str) -> int:
    """A person changes their own password: the current one first, the new one twice. Every
    other login session of theirs ends (a stolen cookie stops working); this one goes on.
    Returns how many sessions ended."""
    if not _password_is(user, current):
        raise WrongPassword("Your current password is not right; nothing was changed.")
    if new != confirmation:
        raise PeopleError("The two new passwords are not the same: type the new one twice.")
    check_new_password(new, user.email)
    if new == current:
        raise PeopleError("The new password must differ from the current one.")
    user.password_hash = hash_password(new)
    user.must_change_password = False
    ended = end_sessions(user, keep_token=user.login_token)
    record_event(user, "user.password_changed", user, sessions_ended=ended)
    return ended


def end_sessions(user: User, *, keep_token: str | None = None) -> int:
    """End every live login session of ``user`` (but the one of ``keep_token``) at once, in
    every browser and on every instance: the sessions are rows, so a copied cookie dies too."""
    stmt = update(LoginSession).where(
        LoginSession.user_id == user.id, LoginSession.ended_dt.is_(None)
    )
    if keep_token:
        stmt = stmt.where(LoginSession.token_hash != LoginSession.hash_token(keep_token))
    return db.session.execute(stmt.values(ended_dt=utcnow())).rowcount or 0


def _temporary_password() -> str:
    groups = ("".join(secrets.choice(_TEMPORARY_ALPHABET) for _ in range(4)) for _ in range(4))
    return "-".join(groups)


def reset_password(actor: User | None, user: User) -> str:
    """The secretariat gives a person who lost their password a temporary one, returned here
    to be shown once and told to them by another channel. They must choose their own at their
    next login; meanwhile every session, API token and feed address of theirs is revoked."""
    authorize(actor, "people.manage")
    if actor is not None and actor.id == user.id:
        raise PeopleError("Change your own password under Settings, with your current one.")
    if not user.is_active:
        raise PeopleError(f"{user.name}'s account is deactivated: reactivate it first.")
    temporary = _temporary_password()
    user.password_hash = hash_password(temporary)
    user.must_change_password = True
    user.feed_secret = new_feed_secret()
    ended = end_sessions(user)
    credentials_revoked.send(user, actor=actor, reason="password reset")
    record_event(actor, "user.password_reset", user, sessions_ended=ended)
    queue_mail(
        user,
        subject="Your password was reset",
        body=(
            f"The secretariat has reset the password of your account ({user.email}). It will "
            "give you a temporary password by another channel; choose your own when you next "
            "log in. Every login and API token you had has ended.\n\n"
            "If you did not ask for this, tell the secretariat.\n\n"
            f"{absolute_url('auth.login')}\n"
        ),
        kind="user.password_reset",
    )
    return temporary


def deactivate_user(actor: User | None, user: User) -> None:
    """Close a person's account: no login, their sessions end now, their API tokens and feed
    addresses are revoked and no more mail goes to them (what was waiting is dropped). What
    they wrote stays: comments belong to their delegation."""
    authorize(actor, "people.manage")
    if not user.is_active:
        return
    if actor is not None and actor.id == user.id:
        raise PeopleError(
            "You cannot deactivate your own account: another member of the secretariat can."
        )
    if user.is_secretariat and not _other_active_secretariat(user):
        raise PeopleError(f"{user.name} is the last active secretariat account; it must stay.")
    user.is_active = False
    user.feed_secret = new_feed_secret()
    ended = end_sessions(user)
    credentials_revoked.send(user, actor=actor, reason="account deactivated")
    dropped = db.session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.user_id == user.id, OutboxMessage.sent_dt.is_(None)
        )
    ).rowcount
    record_event(
        actor, "user.deactivated", user, sessions_ended=ended, unsent_mail_dropped=dropped or 0
    )


def reactivate_user(actor: User | None, user: User) -> None:
    """Open a deactivated account again. Nothing revoked comes back: the person logs in anew,
    creates new tokens, and reads their feeds at new addresses."""
    authorize(actor, "people.manage")
    if user.is_active:
        return
    user.is_active = True
    record_event(actor, "user.reactivated", user)


def _other_active_secretariat(user: User) -> bool:
    return bool(
        db.session.scalar(
            select(func.count(User.id)).where(
                User.role == Role.SECRETARIAT, User.is_active, User.id != user.id
            )
        )
    )


def new_feed_secret() -> str:
    return secrets.token_urlsafe(16)


def renew_feed_addresses(user: User) -> None:
    """Void every private feed address ``user`` was given: they carry the old feed secret."""
    user.feed_secret = new_feed_secret()
    record_event(user, "user.feed_addresses_renewed", user)


def start_login_session(user: User, new_password_hash: str | None = None) -> str:
    """Open a new login session and return its token (what the cookie carries)."""
    if new_password_hash is not None:
        user.password_hash = new_password_hash
    token = secrets.token_urlsafe(32)
    db.session.add(LoginSession(user=user, token_hash=LoginSession.hash_token(token)))
    record_event(user, "user.logged_in", user)
    user.login_token = token
    return token


def end_login_session(token: str | None, user: User | None) -> None:
    if not token:
        return
    login = db.session.scalar(
        select(LoginSession).where(LoginSession.token_hash == LoginSession.hash_token(token))
    )
    if login is not None and login.ended_dt is None:
        login.ended_dt = utcnow()
        record_event(user, "user.logged_out", user)


def load_user_by_token(token: str) -> User | None:
    """The user of a live login session: not logged out, not older than its lifetime."""
    oldest = utcnow() - timedelta(hours=current_app.config["LOGIN_SESSION_HOURS"])
    login = db.session.scalar(
        select(LoginSession).where(
            LoginSession.token_hash == LoginSession.hash_token(token),
            LoginSession.ended_dt.is_(None),
            LoginSession.created_dt > oldest,
        )
    )
    if login is None or not login.user.is_active:
        return None
    login.user.login_token = token
    return login.user


def set_timezone(actor: User | None, user: User, zone_name: str) -> None:
    """Set the IANA zone in which ``user`` reads times. A person sets their own; the
    secretariat may set anyone's."""
    if actor is None or actor.id != user.id:
        authorize(actor, "people.manage")
    zone_name = (zone_name or "").strip()
    previous = user.timezone
    if zone_name == previous:
        return  # a zone chosen before only canonical zones were offered stays as it is
    try:
        zone(zone_name)
    except DeadlineError as exc:
        raise PeopleError(str(exc)) from None
    user.timezone = zone_name
    record_event(actor, "user.timezone_changed", user, timezone=zone_name, previous=previous)


def set_locale(actor: User | None, user: User, locale: str) -> None:
    """Set the language of ``user``'s interface: one of ``LANGUAGES``, or "" for whatever their
    browser prefers."""
    if actor is None or actor.id != user.id:
        authorize(actor, "people.manage")
    if locale and locale not in current_app.config["LANGUAGES"]:
        raise PeopleError(f"“{locale[:16]}” is not a language of this service.")
    previous = user.locale or ""
    if locale != previous:
        user.locale = locale
        record_event(actor, "user.locale_changed", user, locale=locale, previous=previous)


# Who hears about a round of comments or a new draft: everyone in a delegation who reads.
READERS = (Role.DELEGATE, Role.OBSERVER, Role.CHAIR)


def people_of(delegation_ids: Iterable[int], roles: Iterable[Role] = READERS) -> list[User]:
    """The active people of these delegations in these roles, in one query."""
    ids = list(delegation_ids)
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(User)
            .where(User.delegation_id.in_(ids), User.role.in_(list(roles)), User.is_active)
            .order_by(User.id)
        )
    )
