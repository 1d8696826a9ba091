"""What is done with people and delegations: add them, log them in and out."""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import func, select

from drafting.audit.operations import record_event
from drafting.auth.models import Delegation, DelegationKind, LoginSession, Role, User
from drafting.auth.policy import authorize
from drafting.consultations.deadlines import DeadlineError, zone
from drafting.database import utcnow
from drafting.extensions import db
from drafting.names import name_problem

MIN_PASSWORD_LENGTH = 12
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_STATE_CODE = re.compile(r"^[A-Z]{3}$")
_ORG_CODE = re.compile(r"^[A-Z][A-Z0-9-]{1,15}$")


# The columns' lengths (PostgreSQL refuses longer text with an error; SQLite would store it).
MAX_NAME_LENGTH = 200
MAX_EMAIL_LENGTH = 254


class PeopleError(ValueError):
    """A request about people or delegations that cannot be done; the message says why."""


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
    email = email.strip().lower()
    if not _EMAIL.match(email):
        raise PeopleError("Give a valid e-mail address, e.g. name@example.org.")
    if not name.strip():
        raise PeopleError("Give the person's name.")
    if problem := name_problem(name):
        raise PeopleError(f"The name {problem}.")
    if len(name.strip()) > MAX_NAME_LENGTH:
        raise PeopleError(f"A name may have at most {MAX_NAME_LENGTH} characters.")
    if len(email) > MAX_EMAIL_LENGTH:
        raise PeopleError(f"An e-mail address may have at most {MAX_EMAIL_LENGTH} characters.")
    try:
        role_value = Role(role)
    except ValueError:
        raise PeopleError("The role must be secretariat, chair, delegate or observer.") from None
    if delegation is None:
        raise PeopleError("Choose the delegation this person belongs to.")
    if password_hash is None and len(password) < MIN_PASSWORD_LENGTH:
        raise PeopleError(f"The password must have at least {MIN_PASSWORD_LENGTH} characters.")
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


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None. Timing does not reveal which."""
    user = db.session.scalar(select(User).where(User.email == (email or "").strip().lower()))
    hasher = password_hasher()
    if user is None or not user.is_active:
        # Hash anyway so that an unknown address takes as long as a wrong password.
        hasher.hash(password or "")
        return None
    try:
        hasher.verify(user.password_hash, password or "")
    except (VerificationError, InvalidHashError):
        return None
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    return user


def start_login_session(user: User) -> str:
    """Open a new login session and return its token (what the cookie carries)."""
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
    try:
        zone(zone_name)
    except DeadlineError as exc:
        raise PeopleError(str(exc)) from None
    previous = user.timezone
    if zone_name == previous:
        return
    user.timezone = zone_name
    record_event(actor, "user.timezone_changed", user, timezone=zone_name, previous=previous)
