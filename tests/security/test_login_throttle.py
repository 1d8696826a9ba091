"""Logins are rate-limited per e-mail address and client address together, and per client
address, in the database, so that every instance of the service counts the same attempts; and
nobody's failures lock the rightful person out."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from drafting.audit.models import AuditEvent
from drafting.auth.models import LoginAttempt
from drafting.extensions import db
from tests.conftest import PASSWORD
from tests.security.conftest import snapshot

WRONG = "not the password at all"
NOW = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)


def attempt(client, email: str, password: str = WRONG, **kwargs):
    return client.post("/login", data={"email": email, "password": password}, **kwargs)


def add_failures(email: str, count: int, *, remote_addr: str = "127.0.0.1", at=None) -> None:
    """Failed attempts made earlier (by any instance): rows, as the login leaves them."""
    at = at or datetime.now(UTC) - timedelta(minutes=1)
    for _ in range(count):
        db.session.add(
            LoginAttempt(email=email, remote_addr=remote_addr, succeeded=False, created_dt=at)
        )
    db.session.commit()


def without_token(response) -> str:
    """The page without its CSRF token, which is signed with the time of the request."""
    return re.sub(r'name="csrf_token"[^>]*>', "", response.get_data(as_text=True))


def attempts(**where) -> list[LoginAttempt]:
    db.session.commit()
    return db.session.scalars(db.select(LoginAttempt).filter_by(**where)).all()


def test_five_failures_refuse_that_client_even_the_right_password_with_when_to_come_back(
    client, create_user
):
    user = create_user("delegate")
    with time_machine.travel(NOW, tick=False):
        for _ in range(5):
            assert attempt(client, user.email).status_code == 401
        response = attempt(client, user.email, PASSWORD)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == str(15 * 60)
    page = response.get_data(as_text=True)
    assert "Try again in 15 minutes" in page and "4 March 2030, 09:15" in page
    assert f'value="{user.email}"' in page  # what was typed is kept
    assert client.get("/").status_code == 302  # not logged in


def test_an_attacker_failing_50_times_does_not_lock_the_delegate_out(client, create_user):
    delegate = create_user("delegate")
    answers = [attempt(client, delegate.email).status_code for _ in range(50)]
    assert answers == [401] * 5 + [429] * 45
    elsewhere = {"REMOTE_ADDR": "198.51.100.9"}
    assert attempt(client, delegate.email, PASSWORD, environ_base=elsewhere).status_code == 302


def test_an_account_failing_from_many_clients_lets_in_a_client_that_has_not_failed(
    client, create_user
):
    delegate = create_user("delegate")
    for n in range(60):
        add_failures(delegate.email, 1, remote_addr=f"203.0.113.{n}")
    guessing = {"REMOTE_ADDR": "203.0.113.7"}
    assert attempt(client, delegate.email, PASSWORD, environ_base=guessing).status_code == 429
    assert attempt(client, delegate.email, PASSWORD).status_code == 302


def test_logins_are_accepted_again_once_the_failures_leave_the_window(client, create_user):
    user = create_user("delegate")
    with time_machine.travel(NOW, tick=False) as traveller:
        for minute in range(5):
            traveller.move_to(NOW + timedelta(minutes=minute))
            attempt(client, user.email)
        traveller.move_to(NOW + timedelta(minutes=10))
        response = attempt(client, user.email, PASSWORD)
        assert response.headers["Retry-After"] == str(5 * 60)  # the first failure leaves at 15
        traveller.move_to(NOW + timedelta(minutes=15))
        assert attempt(client, user.email, PASSWORD).status_code == 302


def test_an_unknown_address_gets_the_same_answers_and_the_same_limit(client, create_user):
    user = create_user("delegate")
    unknown = "nobody.here@example.org"
    with time_machine.travel(NOW, tick=False):  # Retry-After counts seconds from now
        for _ in range(5):
            known_page = attempt(client, user.email)
            unknown_page = attempt(client, unknown)
            assert unknown_page.status_code == known_page.status_code == 401
            shown = without_token(unknown_page).replace(unknown, user.email)
            assert shown == without_token(known_page)
        known_page, unknown_page = attempt(client, user.email), attempt(client, unknown)
    assert unknown_page.status_code == known_page.status_code == 429
    assert unknown_page.headers["Retry-After"] == known_page.headers["Retry-After"]


def test_a_success_keeps_the_history_but_earlier_failures_stop_counting(client, create_user):
    user = create_user("delegate")
    for _ in range(4):
        attempt(client, user.email)
    assert attempt(client, user.email, PASSWORD).status_code == 302
    client.post("/logout", data={})
    for _ in range(4):
        assert attempt(client, user.email).status_code == 401
    assert attempt(client, user.email, PASSWORD).status_code == 302
    assert len(attempts(email=user.email)) == 10
    assert len(attempts(email=user.email, succeeded=True)) == 2


def test_the_address_is_counted_as_the_login_reads_it(client, create_user):
    user = create_user("delegate")
    add_failures(user.email, 5)
    assert attempt(client, f"  {user.email.upper()} ", PASSWORD).status_code == 429


def test_twenty_failures_from_one_client_refuse_it_for_any_address(client, create_user):
    user = create_user("delegate")
    for n in range(20):
        add_failures(f"guess{n}@example.org", 1, remote_addr="127.0.0.1")
    response = attempt(client, user.email, PASSWORD)
    assert response.status_code == 429
    assert "too many failed logins from your network" in response.get_data(as_text=True)
    # Another client logs in with the same account at once.
    other = attempt(client, user.email, PASSWORD, environ_base={"REMOTE_ADDR": "198.51.100.9"})
    assert other.status_code == 302


def test_failures_are_counted_across_instances_of_the_service(client, create_user, make_app):
    """Two servers on one database: the second refuses after failures made on the first."""
    user = create_user("delegate")
    for _ in range(5):
        assert attempt(client, user.email).status_code == 401
    second = make_app().test_client()
    assert attempt(second, user.email, PASSWORD).status_code == 429


def test_every_checked_attempt_is_kept_though_a_failure_rolls_back(client, create_user):
    user = create_user("delegate")
    attempt(client, user.email)
    attempt(client, user.email, PASSWORD)
    kept = attempts(email=user.email)
    assert [a.succeeded for a in sorted(kept, key=lambda a: a.id)] == [False, True]
    assert {a.remote_addr for a in kept} == {"127.0.0.1"}


def test_a_refused_login_stores_nothing_and_is_not_audited(client, create_user):
    user = create_user("delegate")
    add_failures(user.email, 5)
    before = snapshot()
    assert attempt(client, user.email, PASSWORD).status_code == 429
    assert snapshot() == before
    assert not db.session.scalars(db.select(AuditEvent).filter_by(actor_id=user.id)).all()


def test_a_form_refused_for_its_csrf_token_is_no_attempt(client, create_user):
    user = create_user("delegate")
    response = client.post(
        "/login", data={"email": user.email, "password": WRONG, "csrf_token": None}
    )
    assert response.status_code == 400
    assert attempts() == []


def test_attempts_older_than_a_day_are_deleted_as_new_ones_come(client, create_user):
    user = create_user("delegate")
    now = datetime.now(UTC)
    add_failures("old@example.org", 3, at=now - timedelta(days=1, minutes=1))
    add_failures("recent@example.org", 2, at=now - timedelta(hours=23))
    attempt(client, user.email)
    assert {a.email for a in attempts()} == {"recent@example.org", user.email}


@pytest.mark.parametrize(
    ("proxies", "expected"), [(0, "127.0.0.1"), (1, "203.0.113.7")], ids=["direct", "proxied"]
)
def test_the_client_address_comes_from_a_proxy_only_when_configured(
    create_user, make_app, proxies, expected
):
    user = create_user("delegate")
    client = make_app(TRUSTED_PROXIES=proxies).test_client()
    attempt(client, user.email, headers={"X-Forwarded-For": "203.0.113.7"})
    assert [a.remote_addr for a in attempts()] == [expected]


def test_the_limits_are_settings(create_user, make_app):
    user = create_user("delegate")
    client = make_app(LOGIN_MAX_FAILURES_PER_ACCOUNT=2, LOGIN_WINDOW_MINUTES=60).test_client()
    add_failures(user.email, 2, at=NOW - timedelta(minutes=45))
    with time_machine.travel(NOW, tick=False):
        response = attempt(client, user.email, PASSWORD)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == str(15 * 60)
