"""A login starts a new session and a logout kills it: a cookie captured before either opens
nothing afterwards. Cookies are Secure when the service is served over HTTPS."""

from __future__ import annotations

import pytest
from flask import url_for

from drafting.auth.models import LoginSession
from drafting.extensions import db
from tests.conftest import PASSWORD, csrf_token_from


def session_cookie(client) -> str:
    return client.get_cookie("session").value


def replay(app, cookie: str):
    """A stranger's browser sending a copied cookie."""
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other


def decoded(app, cookie: str) -> dict:
    return app.session_interface.get_signing_serializer(app).loads(cookie)


def test_login_issues_a_new_cookie_and_the_one_from_before_opens_nothing(
    app, client, auth, create_user
):
    user = create_user("delegate")
    client.get("/login")
    planted = session_cookie(client)  # e.g. set in the victim's browser by an attacker
    auth.login(user)
    assert session_cookie(client) != planted
    assert client.get("/").status_code == 200
    response = replay(app, planted).get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_nothing_from_before_the_login_survives_in_the_session(app, client, auth, create_user):
    user = create_user("delegate")
    client.get("/login")
    before = decoded(app, session_cookie(client))
    auth.login(user)
    after = decoded(app, session_cookie(client))
    assert after.get("csrf_token") != before.get("csrf_token")


def test_after_logout_the_cookie_captured_before_it_gets_the_login_page(
    app, client, auth, create_user
):
    user = create_user("delegate")
    auth.login(user)
    captured = session_cookie(client)
    assert auth.logout().status_code == 302
    thief = replay(app, captured)
    response = thief.get("/", follow_redirects=True)
    assert response.request.path == "/login"
    assert 'name="password"' in response.get_data(as_text=True)
    assert thief.post("/settings", data={"timezone": "Asia/Tbilisi"}).status_code in (302, 400)
    db.session.refresh(user)
    assert user.timezone == "UTC"


def test_a_second_login_over_the_first_ends_the_first(app, client, auth, create_user):
    first = create_user("delegate")
    second = create_user("delegate", "PAK")
    auth.login(first)
    captured = session_cookie(client)
    auth.login(second)
    assert replay(app, captured).get("/").status_code == 302
    assert client.get("/").status_code == 200


def test_the_cookie_carries_a_random_token_and_the_database_only_its_hash(
    app, client, auth, create_user
):
    user = create_user("delegate")
    auth.login(user)
    token = decoded(app, session_cookie(client))["_user_id"]
    assert len(token) >= 43 and str(user.id) != token
    stored = db.session.scalars(db.select(LoginSession).filter_by(user_id=user.id)).one()
    assert stored.token_hash == LoginSession.hash_token(token) != token
    auth.logout()
    db.session.refresh(stored)
    assert stored.ended_dt is not None


def test_each_login_gets_its_own_token(app, client, auth, create_user):
    user = create_user("delegate")
    tokens = set()
    for _ in range(2):
        auth.login(user)
        tokens.add(decoded(app, session_cookie(client))["_user_id"])
        auth.logout()
    assert len(tokens) == 2


def _login_cookie_header(app, base_url: str = "https://localhost") -> str:
    client = app.test_client()
    page = client.get("/login", base_url=base_url).get_data(as_text=True)
    response = client.post(
        "/login",
        base_url=base_url,
        # Over HTTPS the CSRF check also wants the page the form came from, as browsers send.
        headers={"Referer": f"{base_url}/login"},
        data={
            "email": "delegate.aut@example.org",
            "password": PASSWORD,
            "csrf_token": csrf_token_from(page),
        },
    )
    assert response.status_code == 302
    return next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))


@pytest.mark.parametrize(
    ("settings", "secure"),
    [
        ({}, False),
        ({"SESSION_COOKIE_SECURE": True}, True),
        ({"HTTPS_ONLY": True}, True),
    ],
    ids=["plain", "session-cookie-secure", "https-only"],
)
def test_cookies_are_secure_when_served_over_https(create_user, make_app, settings, secure):
    create_user("delegate")
    cookie = _login_cookie_header(make_app(**settings))
    assert ("; Secure" in cookie) is secure
    assert "; HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_https_only_secures_every_cookie_and_link(make_app):
    app = make_app(HTTPS_ONLY=True)
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    with app.test_request_context():
        assert url_for("auth.login", _external=True) == "https://localhost/login"
