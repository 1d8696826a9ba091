"""Logging in and out, and the secretariat's pages for delegations and people."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from drafting.auth import operations
from drafting.auth.forms import DelegationForm, LoginForm, UserForm
from drafting.auth.models import Delegation, Role, User
from drafting.extensions import db
from drafting.web import require

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    # Only same-site paths: an absolute or scheme-relative URL would be an open redirect.
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("documents.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = operations.authenticate(form.email.data, form.password.data)
        if user is None:
            flash("The e-mail address or the password is not right.", "error")
            return render_template("auth/login.html", form=form), 401
        session.clear()  # a new session at login: nothing from before it survives
        operations.start_login_session(user)
        login_user(user)
        flash(f"Welcome, {user.name}.", "success")
        return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        operations.end_login_session(current_user.get_id(), current_user)
    logout_user()
    session.clear()
    flash("You have logged out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/people")
@login_required
def people():
    require("people.manage")
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
    users = db.session.scalars(stmt).all()
    delegations = db.session.scalars(select(Delegation).order_by(Delegation.name)).all()
    return render_template(
        "auth/people.html",
        users=users,
        delegations=delegations,
        query=query,
        role=role,
        roles=list(Role),
        user_form=_user_form(),
        delegation_form=DelegationForm(),
    )


def _user_form() -> UserForm:
    form = UserForm()
    form.delegation_id.choices = [
        SelectChoice(d.id, f"{d.name} ({d.code})")
        for d in db.session.scalars(select(Delegation).order_by(Delegation.name))
    ]
    return form


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
            flash(f"Delegation {delegation.name} ({delegation.code}) added.", "success")
            return redirect(url_for("auth.people"))
    return _people_with_errors(delegation_form=form)


@bp.route("/people/users", methods=["POST"])
@login_required
def add_user():
    require("people.manage")
    form = _user_form()
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
            flash(f"{user.name} ({user.email}) can now log in as {user.role.value}.", "success")
            return redirect(url_for("auth.people"))
    return _people_with_errors(user_form=form)


def _people_with_errors(**forms):
    users = db.session.scalars(
        select(User).join(User.delegation).order_by(Delegation.name, User.name)
    ).all()
    delegations = db.session.scalars(select(Delegation).order_by(Delegation.name)).all()
    forms.setdefault("user_form", _user_form())
    forms.setdefault("delegation_form", DelegationForm())
    return render_template(
        "auth/people.html",
        users=users,
        delegations=delegations,
        query="",
        role="",
        roles=list(Role),
        **forms,
    ), 422
