"""Logging in and out, and the secretariat's pages for delegations and people."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from drafting.auth import operations, throttle
from drafting.auth.forms import (
    AccountForm,
    DelegationForm,
    LoginForm,
    PasswordChangeForm,
    SettingsForm,
    UserForm,
    delegation_choices,
)
from drafting.auth.models import Delegation, Role, User
from drafting.database import begin_writing, reads_first, utcnow
from drafting.extensions import db
from drafting.times import canonical_zone
from drafting.web import require
from drafting.web.loading import load

bp = Blueprint("auth", __name__)

# What a person whose password was reset may still open before choosing a new one.
_BEFORE_NEW_PASSWORD = {"auth.change_password", "auth.logout", "auth.login", "static"}


def _safe_next(target: str | None) -> str:
    """Only a path on this site: anything a browser could read as another host goes home.

    Control characters are refused outright because URL parsers drop them ("/\t/evil.example"
    becomes "//evil.example"), and backslashes because browsers read them as slashes.
    """
    home = url_for("documents.index")
    if not target or any(ord(ch) < 0x20 or ch == "\\" for ch in target):
        return home
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return home
    return target


@dataclass(frozen=True)
class LoginAttempt:
    """What a login form came to: ``user`` logged in (with the password's new hash when the
    stored one is weaker than today's), ``refusal`` when logins are paused, or neither when
    the address or the password is wrong."""

    user: User | None = None
    new_hash: str | None = None
    refusal: throttle.LoginRefusal | None = None


def attempt_login(email: str, password: str) -> LoginAttempt:
    """Check the password (slow, on purpose) before taking the write lock, then write the
    attempt quickly: logins must not hold up the writers. A failure is committed at once."""
    refusal = throttle.login_refusal(email, request.remote_addr)
    if refusal is not None:
        return LoginAttempt(refusal=refusal)
    user, new_hash = operations.authenticate(email, password)
    begin_writing()
    # Asked again under the lock: parallel guesses checked meanwhile counted too.
    refusal = throttle.login_refusal(email, request.remote_addr)
    if refusal is not None:
        return LoginAttempt(refusal=refusal)
    throttle.record_attempt(email, request.remote_addr, succeeded=user is not None)
    if user is None:
        db.session.commit()  # the 401 rolls back at the edge, but the failure must count
    return LoginAttempt(user, new_hash)


@bp.route("/login", methods=["GET", "POST"])
@reads_first
def login():
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form)
    attempt = attempt_login(form.email.data, form.password.data)
    if attempt.refusal is not None:
        return _login_refused(form, attempt.refusal)
    if attempt.user is None:
        flash(_("The e-mail address or the password is not right."), "error")
        return render_template("auth/login.html", form=form), 401
    if current_user.is_authenticated:
        # Logging in over another login ends it: its cookie, if copied, opens nothing more.
        operations.end_login_session(current_user.get_id(), current_user)
    language = session.get("lang")
    session.clear()  # a new session at login: nothing from before it survives
    if language:
        session["lang"] = language  # but the language chosen on the login page
    operations.start_login_session(attempt.user, attempt.new_hash)
    login_user(attempt.user)
    flash(_("Welcome, %(name)s.", name=attempt.user.name), "success")
    return redirect(_safe_next(request.args.get("next")))


def _login_refused(form: LoginForm, refusal: throttle.LoginRefusal):
    """429: too many failures; when to come back, in the page and in Retry-After. The password
    was not checked, and the attempt is not counted."""
    now = utcnow()
    page = render_template(
        "auth/login.html", form=form, refusal=refusal, minutes=refusal.minutes(now)
    )
    return page, 429, {"Retry-After": str(refusal.retry_after_seconds(now))}


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        operations.end_login_session(current_user.get_id(), current_user)
    logout_user()
    session.clear()
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.before_app_request
def _new_password_first():
    """After a reset by the secretariat, the temporary password opens one page: the one where
    the person chooses their own."""
    if (
        request.endpoint not in _BEFORE_NEW_PASSWORD
        and request.blueprint != "api"  # bearer tokens, all revoked by the reset
        and current_user.is_authenticated
        and current_user.must_change_password
    ):
        return redirect(url_for("auth.change_password"))
    return None


def _people_page(
    user_form: UserForm | None = None,
    delegation_form=None,
    status: int = 200,
    temporary: tuple[User, str] | None = None,
):
    """The people page: the filtered list, every delegation, and the two forms (which keep what
    was typed when they come back with errors)."""
    query = request.args.get("q", "").strip()
    role = request.args.get("role", "")
    stmt = select(User).join(User.delegation).order_by(Delegation.name, User.name)
    if query:
        like = f"%{query.lower()}%"
        stmt = stmt.where(
            User.name.ilike(like) | User.email.ilike(like) | Delegation.code.ilike(like)
        )
    if role in {r.value for r in Role}:
        stmt = stmt.where(User.role == Role(role))
    if user_form is None:
        user_form = UserForm()
        user_form.delegation_id.choices = delegation_choices()
    return render_template(
        "auth/people.html",
        users=db.session.scalars(stmt).all(),
        delegations=db.session.scalars(select(Delegation).order_by(Delegation.name)).all(),
        query=query,
        role=role,
        roles=list(Role),
        user_form=user_form,
        delegation_form=delegation_form or DelegationForm(),
        account_form=AccountForm(),
        temporary=temporary,
    ), status


@bp.route("/people")
@login_required
def people():
    require("people.manage")
    return _people_page()


@bp.route("/people/delegations", methods=["POST"])
@login_required
def add_delegation():
    require("people.manage")
    form = DelegationForm()
    if form.validate_on_submit():
        try:
            delegation = operations.create_delegation(
                current_user, name=form.name.data, code=form.code.data, kind=form.kind.data
            )
        except operations.PeopleError as exc:
            form.code.errors = [str(exc)]
        else:
            said = _(
                "Delegation %(name)s (%(code)s) added.", name=delegation.name, code=delegation.code
            )
            flash(said, "success")
            return redirect(url_for("auth.people"))
    return _people_page(delegation_form=form, status=422)


@bp.route("/people/users", methods=["POST"])
@login_required
def add_user():
    require("people.manage")
    form = UserForm()
    form.delegation_id.choices = delegation_choices()
    if form.validate_on_submit():
        try:
            user = operations.create_user(
                current_user,
                email=form.email.data,
                name=form.name.data,
                role=form.role.data,
                delegation=db.session.get(Delegation, form.delegation_id.data),
                password=form.password.data,
            )
        except operations.PeopleError as exc:
            form.email.errors = [str(exc)]
        else:
            said = _(
                "%(name)s (%(email)s) can now log in as %(role)s.",
                name=user.name,
                email=user.email,
                role=user.role.value,
            )
            flash(said, "success")
            return redirect(url_for("auth.people"))
    return _people_page(user_form=form, status=422)


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    """A person's own settings: the time zone in which they read deadlines, and the language
    of the interface."""
    own = current_user.timezone or "UTC"
    # A form sent without the language (an older page) keeps the one chosen before.
    form = SettingsForm(kept_zone=own, locale=current_user.locale or "")
    if not form.is_submitted():
        form.timezone.data = canonical_zone(own) or own  # "US/Eastern" is America/New_York
    elif form.validate():
        try:
            operations.set_timezone(current_user, current_user, form.timezone.data)
            operations.set_locale(current_user, current_user, form.locale.data)
            session.pop("lang", None)  # the saved choice holds from the next page on
        except operations.PeopleError as exc:
            form.timezone.errors = [*form.timezone.errors, str(exc)]
        else:
            said = _("Times are now shown to you in %(zone)s as well.", zone=current_user.timezone)
            flash(said, "success")
            return redirect(url_for("auth.settings"))
    status = 422 if form.errors else 200
    return render_template("auth/settings.html", form=form, now=utcnow()), status


def _person(user_id: int) -> User:
    require("people.manage")
    user = load(User, user_id)
    if not AccountForm().validate_on_submit():
        abort(400, description="This form was not sent from the people page; nothing changed.")
    return user


@bp.route("/people/<id:user_id>/reset-password", methods=["POST"])
@login_required
def reset_password(user_id: int):
    """A temporary password, shown in this answer only (never stored, never mailed)."""
    user = _person(user_id)
    try:
        temporary = operations.reset_password(current_user, user)
    except operations.PeopleError as exc:
        flash(str(exc), "error")
        return _people_page(status=409)
    page, status = _people_page(temporary=(user, temporary))
    # The temporary password is in this page and nowhere else: keep it out of every cache.
    return page, status, {"Cache-Control": "no-store"}


@bp.route("/people/<id:user_id>/deactivate", methods=["POST"])
@login_required
def deactivate(user_id: int):
    user = _person(user_id)
    try:
        operations.deactivate_user(current_user, user)
    except operations.PeopleError as exc:
        flash(str(exc), "error")
        return _people_page(status=409)
    flash(
        _(
            "%(name)s's account is deactivated: every login and token of theirs has ended.",
            name=user.name,
        ),
        "success",
    )
    return redirect(url_for("auth.people"), 303)


@bp.route("/people/<id:user_id>/reactivate", methods=["POST"])
@login_required
def reactivate(user_id: int):
    user = _person(user_id)
    operations.reactivate_user(current_user, user)
    flash(_("%(name)s (%(email)s) can log in again.", name=user.name, email=user.email), "success")
    return redirect(url_for("auth.people"), 303)


@bp.route("/settings/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        refusal = throttle.login_refusal(current_user.email, request.remote_addr)
        if refusal is not None:
            return _password_refused(form, refusal)
        try:
            ended = operations.change_password(
                current_user,
                current=form.current_password.data,
                new=form.new_password.data,
                confirmation=form.confirmation.data,
            )
        except operations.PeopleError as exc:
            _refused_change(form, exc)
        else:
            said = _("Your password is changed.")
            if ended:
                said += " " + ngettext(
                    "Your %(num)d other login ended.", "Your %(num)d other logins ended.", ended
                )
            flash(said, "success")
            return redirect(url_for("auth.settings"), 303)
    status = 422 if form.errors else 200
    return render_template("auth/password.html", form=form), status


def _refused_change(form: PasswordChangeForm, exc: operations.PeopleError) -> None:
    """The reason beside the field at fault. A wrong current password counts as a failed login,
    so a stolen session cannot try passwords here faster than at the login page."""
    if isinstance(exc, operations.WrongPassword):
        throttle.record_attempt(current_user.email, request.remote_addr, succeeded=False)
        db.session.commit()  # the 422 rolls back at the edge, but the failure must count
        form.current_password.errors = [*form.current_password.errors, str(exc)]
    else:
        form.new_password.errors = [*form.new_password.errors, str(exc)]


def _password_refused(form: PasswordChangeForm, refusal: throttle.LoginRefusal):
    """429, as at the login page: the current password was not checked."""
    now = utcnow()
    minutes = refusal.minutes(now)
    form.current_password.errors = [
        "There have been too many wrong passwords for your account, so changing it is paused. "
        f"Try again in {minutes} minute{'s' if minutes != 1 else ''}."
    ]
    page = render_template("auth/password.html", form=form)
    return page, 429, {"Retry-After": str(refusal.retry_after_seconds(now))}


@bp.route("/settings/feeds", methods=["POST"])
@login_required
def renew_feeds():
    if not AccountForm().validate_on_submit():
        abort(400, description="This form was not sent from the settings page; nothing changed.")
    operations.renew_feed_addresses(current_user)
    flash(
        _(
            "Your private feed addresses are new: the old ones no longer work. Copy the new "
            "address of each document from its page into your feed reader."
        ),
        "success",
    )
    return redirect(url_for("auth.settings"), 303)
