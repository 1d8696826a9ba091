"""A person changes their own password under Settings: the current one, then the new one twice.
Their other logins end; the rule for a new password is NIST's (long enough, no composition
rules, not the e-mail address)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from drafting.audit.models import AuditEvent
from drafting.extensions import db
from tests.conftest import PASSWORD

NEW = "a fresh and rather long passphrase"


def change(client, current=PASSWORD, new=NEW, again=None):
    data = {"current_password": current, "new_password": new, "confirmation": again or new}
    return client.post("/settings/password", data=data)


def logs_in(app, user, password) -> bool:
    response = app.test_client().post("/login", data={"email": user.email, "password": password})
    return response.status_code == 302


def test_a_delegate_changes_their_password_under_settings(app, client, auth, create_user):
    delegate = create_user("delegate", "AUT")
    auth.login(delegate)
    assert 'href="/settings/password"' in client.get("/settings").get_data(as_text=True)
    response = change(client)
    assert response.status_code == 303 and response.headers["Location"] == "/settings"
    assert "Your password is changed." in client.get("/settings").get_data(as_text=True)
    assert logs_in(app, delegate, NEW) and not logs_in(app, delegate, PASSWORD)


def test_changing_it_ends_every_other_login_but_not_this_one(app, client, auth, create_user):
    delegate = create_user("delegate", "AUT")
    elsewhere = app.test_client()
    elsewhere.post("/login", data={"email": delegate.email, "password": PASSWORD})
    assert elsewhere.get("/").status_code == 200
    auth.login(delegate)
    change(client)
    assert client.get("/").status_code == 200
    response = elsewhere.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_change_is_in_the_audit_trail_without_any_password(client, auth, create_user):
    delegate = create_user("delegate", "AUT")
    auth.login(delegate)
    change(client)
    event = db.session.scalar(select(AuditEvent).filter_by(action="user.password_changed"))
    assert event.actor_id == delegate.id and event.object_id == delegate.id
    assert NEW not in repr(event.details) and PASSWORD not in repr(event.details)


def test_a_wrong_current_password_changes_nothing(app, client, auth, create_user):
    delegate = create_user("delegate", "AUT")
    auth.login(delegate)
    response = change(client, current="not my password at all")
    assert response.status_code == 422
    assert "Your current password is not right" in response.get_data(as_text=True)
    assert logs_in(app, delegate, PASSWORD)


@pytest.mark.parametrize(
    ("new", "again", "message"),
    [
        ("short one", None, "at least 12 characters"),
        (NEW, NEW + "!", "not the same"),
        ("delegate.aut@example.org", None, "The e-mail address is no password"),
        ("Delegate.AUT", "Delegate.AUT", "The e-mail address is no password"),
        (PASSWORD, None, "must differ from the current one"),
    ],
)
def test_a_new_password_that_breaks_the_rule_is_refused_with_the_reason(
    app, client, auth, create_user, new, again, message
):
    delegate = create_user("delegate", "AUT")
    auth.login(delegate)
    response = change(client, new=new, again=again)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert logs_in(app, delegate, PASSWORD)


def test_no_composition_rule_a_long_lowercase_phrase_is_enough(app, client, auth, create_user):
    delegate = create_user("delegate", "AUT")
    auth.login(delegate)
    assert change(client, new="twelve chars").status_code == 303
    assert logs_in(app, delegate, "twelve chars")


def test_changing_the_password_needs_the_csrf_token(app, client, auth, create_user):
    delegate = create_user("delegate", "AUT")
    auth.login(delegate)
    data = {"current_password": PASSWORD, "new_password": NEW, "confirmation": NEW}
    assert client.post("/settings/password", data={**data, "csrf_token": None}).status_code == 400
    assert logs_in(app, delegate, PASSWORD)


def test_guessing_the_current_password_is_throttled_like_logging_in(app, client, auth, create_user):
    delegate = create_user("delegate", "AUT")
    auth.login(delegate)
    for _ in range(5):
        assert change(client, current="a wrong guess at it").status_code == 422
    response = change(client)  # even the right password waits now
    assert response.status_code == 429 and "Retry-After" in response.headers
    assert "too many wrong passwords" in response.get_data(as_text=True)
    assert logs_in(app, delegate, PASSWORD) is False  # the account's logins wait too
