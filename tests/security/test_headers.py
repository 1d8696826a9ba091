"""Security headers on every response, HSTS and a redirect to https when served over HTTPS, and
the proxy headers trusted only when configured."""

from __future__ import annotations

from pathlib import Path

import pytest

from config import TestConfig
from drafting.app import create_app

STATIC = Path(__file__).resolve().parents[2] / "static"
HSTS = "max-age=31536000; includeSubDomains"


def _get_routes() -> list[tuple[str, str, tuple[str, ...]]]:
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI="sqlite://")
    return sorted(
        (rule.endpoint, rule.rule, tuple(sorted(rule.arguments)))
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and rule.endpoint != "static"
    )


def assert_protected(response) -> None:
    headers = response.headers
    csp = headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in headers["Permissions-Policy"]
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.parametrize(("endpoint", "rule", "arguments"), _get_routes(), ids=lambda v: str(v))
def test_every_page_carries_the_security_headers(
    app, world, auth, client, endpoint, rule, arguments
):
    values = {
        "document_id": world.document.id,
        "version_id": world.version.id,
        "consultation_id": world.round.id,
        "comment_id": world.amendment.id,
        "uid": world.uid,
        "token_id": world.api_token.id,
        "silence_id": world.silence.id,
        "language": "ru",
    }
    missing = set(arguments) - set(values)
    assert not missing, f"{rule}: add a value for {sorted(missing)} to this test"
    url = app.url_map.bind("localhost").build(endpoint, {a: values[a] for a in arguments})
    auth.login(world.people.secretariat)
    response = client.get(url)
    assert response.status_code < 500
    assert_protected(response)


@pytest.mark.parametrize(
    "name", sorted(p.relative_to(STATIC).as_posix() for p in STATIC.rglob("*") if p.is_file())
)
def test_every_static_file_carries_the_security_headers(client, name):
    response = client.get(f"/static/{name}")
    assert response.status_code == 200
    assert_protected(response)
    response.close()


@pytest.mark.parametrize("url", ["/login", "/no-such-page", "/documents/1", "/api/v1/documents"])
def test_anonymous_answers_and_errors_carry_them_too(client, url):
    assert_protected(client.get(url))


def test_hsts_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers
    response = client.get("/login", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"] == HSTS


def test_behind_a_tls_proxy_the_forwarded_scheme_counts_only_when_configured(make_app):
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
    direct = make_app().test_client().get("/login", headers=forwarded)
    assert "Strict-Transport-Security" not in direct.headers
    proxied = make_app(TRUSTED_PROXIES=1).test_client().get("/login", headers=forwarded)
    assert proxied.headers["Strict-Transport-Security"] == HSTS


@pytest.mark.parametrize(("method", "code"), [("GET", 301), ("POST", 308)])
def test_https_only_sends_plain_http_to_https(make_app, method, code):
    client = make_app(HTTPS_ONLY=True, TESTING=False).test_client()
    # The test client would follow PREFERRED_URL_SCHEME (https): ask for plain HTTP.
    response = client.open("/documents/1?x=1", method=method, base_url="http://localhost")
    assert response.status_code == code
    assert response.headers["Location"] == "https://localhost/documents/1?x=1"
    assert_protected(response)


def test_https_only_serves_https_and_forwarded_https(make_app):
    app = make_app(HTTPS_ONLY=True, TESTING=False, TRUSTED_PROXIES=1)
    client = app.test_client()
    assert client.get("/login", base_url="https://localhost").status_code == 200
    proxied = client.get(
        "/login", base_url="http://localhost", headers={"X-Forwarded-Proto": "https"}
    )
    assert proxied.status_code == 200 and proxied.headers["Strict-Transport-Security"] == HSTS


def test_https_only_is_not_applied_to_tests_on_plain_http(make_app):
    client = make_app(HTTPS_ONLY=True).test_client()
    assert client.get("/login", base_url="http://localhost").status_code == 200


def test_no_answer_to_a_logged_in_person_may_be_stored(app, world, auth, client):
    """Drafts under negotiation, comments and tokens: no browser or proxy cache keeps them."""
    auth.login(world.people.secretariat)
    values = {
        "document_id": world.document.id,
        "version_id": world.version.id,
        "consultation_id": world.round.id,
        "comment_id": world.amendment.id,
        "uid": world.uid,
        "token_id": world.api_token.id,
        "silence_id": world.silence.id,
        "language": "ru",
    }
    adapter = app.url_map.bind("localhost")
    for endpoint, _rule, arguments in _get_routes():
        url = adapter.build(endpoint, {a: values[a] for a in arguments})
        assert client.get(url).headers.get("Cache-Control") == "no-store", url


@pytest.mark.parametrize("authorization", [None, "Bearer dft_not-a-token"])
def test_no_api_answer_may_be_stored(client, world, authorization):
    headers = {"Authorization": authorization} if authorization else {}
    for url in ["/api/v1/documents", f"/api/v1/documents/{world.document.id}", "/api/v1/none"]:
        assert client.get(url, headers=headers).headers["Cache-Control"] == "no-store", url


def test_static_files_stay_cacheable_for_a_logged_in_person(world, auth, client):
    auth.login(world.people.secretariat)
    response = client.get("/static/drafting.css")
    assert "no-store" not in response.headers.get("Cache-Control", "")
    response.close()
