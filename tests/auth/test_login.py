import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from argon2 import extract_parameters

from drafting.audit.models import AuditEvent
from drafting.extensions import db
from tests.conftest import PASSWORD


def test_a_delegate_logs_in_and_sees_the_documents_page(client, auth, create_user):
    user = create_user("delegate")
    response = auth.login(user)
    assert response.status_code == 302
    assert "Documents" in client.get("/").get_data(as_text=True)


def test_a_wrong_password_is_refused_and_the_email_is_kept(client, create_user):
    user = create_user("delegate")
    response = client.post("/login", data={"email": user.email, "password": "not the password"})
    assert response.status_code == 401
    page = response.get_data(as_text=True)
    assert "not right" in page and user.email in page


def test_pages_ask_anonymous_visitors_to_log_in(client):
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_session_is_renewed_at_login(client, auth, create_user):
    user = create_user("delegate")
    client.get("/login")
    before = client.get_cookie("session").value
    auth.login(user)
    after = client.get_cookie("session").value
    assert before != after


def test_a_session_is_dead_after_logout_even_if_its_cookie_was_copied(
    app, client, auth, create_user
):
    user = create_user("delegate")
    auth.login(user)
    stolen = client.get_cookie("session").value
    auth.logout()
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/").status_code == 302


def test_login_and_logout_leave_audit_events(auth, create_user):
    user = create_user("delegate")
    auth.login(user)
    auth.logout()
    actions = db.session.scalars(
        db.select(AuditEvent.action).where(AuditEvent.actor_id == user.id)
    ).all()
    assert actions == ["user.logged_in", "user.logged_out"]


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/",
        "https://evil.example/",
        "/%09/evil.example",
        "/%0a/evil.example",
        "/%0d/evil.example",
        "/\\evil.example",
        "evil.example",
    ],
)
def test_login_does_not_redirect_to_another_site(client, create_user, target):
    user = create_user("delegate")
    response = client.post(
        f"/login?next={target}", data={"email": user.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/"


def test_login_returns_to_the_page_that_asked_for_it(client, create_user):
    user = create_user("delegate")
    response = client.post(
        "/login?next=/documents/1", data={"email": user.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/documents/1"


def test_passwords_are_hashed_with_argon2id_at_or_above_owasp_minimums(app, create_user):
    from drafting.auth.operations import hash_password

    hashed = hash_password("a long enough password")
    params = extract_parameters(hashed)
    assert hashed.startswith("$argon2id$")
    assert params.memory_cost >= 19 * 1024 and params.time_cost >= 2 and params.parallelism >= 1


def test_production_settings_are_above_the_owasp_minimum():
    from config import Config

    assert Config.ARGON2_MEMORY_KIB >= 19 * 1024 and Config.ARGON2_TIME_COST >= 2


def test_a_form_without_its_csrf_token_is_refused(client, create_user):
    user = create_user("delegate")
    response = client.post(
        "/login", data={"email": user.email, "password": "x", "csrf_token": None}
    )
    assert response.status_code == 400
    assert "not sent from a page of this service" in response.get_data(as_text=True)


def test_a_login_ends_by_itself_after_its_lifetime(app, client, auth, create_user):
    user = create_user("delegate")
    with time_machine.travel(datetime.now(UTC), tick=False) as traveller:
        auth.login(user)
        assert client.get("/").status_code == 200
        traveller.shift(timedelta(hours=app.config["LOGIN_SESSION_HOURS"] + 1))
        assert client.get("/").status_code == 302


class PasswordCheckWatch:
    """Whether SQLite's write lock is free while the password is checked: another connection
    tries to take it then, without waiting, as a second writer would."""

    def __init__(self, hasher, database_path: str):
        self.hasher, self.database_path, self.lock_was_free = hasher, database_path, []

    def __getattr__(self, name):
        return getattr(self.hasher, name)

    def verify(self, *args):
        other = sqlite3.connect(self.database_path, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            self.lock_was_free.append(True)
        except sqlite3.OperationalError:
            self.lock_was_free.append(False)
        finally:
            other.close()
        return self.hasher.verify(*args)


@pytest.mark.parametrize("password", [PASSWORD, "not the password"], ids=["right", "wrong"])
def test_the_password_is_checked_while_writers_may_write(
    client, create_user, database_url, monkeypatch, password
):
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's write lock; PostgreSQL locks rows")
    from drafting.auth import operations

    watch = PasswordCheckWatch(operations.password_hasher(), database_url[len("sqlite:///") :])
    monkeypatch.setattr(operations, "password_hasher", lambda: watch)
    user = create_user("delegate")
    response = client.post("/login", data={"email": user.email, "password": password})
    assert response.status_code in (302, 401)
    assert watch.lock_was_free == [True]


def test_a_password_hashed_with_older_settings_is_rehashed_at_login(
    client, auth, create_user, monkeypatch
):
    from drafting.auth import operations

    user = create_user("delegate")
    monkeypatch.setitem(client.application.config, "ARGON2_TIME_COST", 4)
    assert auth.login(user).status_code == 302
    db.session.expire_all()
    assert extract_parameters(db.session.get(type(user), user.id).password_hash).time_cost == 4
    assert operations.password_hasher().verify(user.password_hash, PASSWORD)
