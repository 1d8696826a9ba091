"""Many servers, one database: two gunicorn instances on two ports share one PostgreSQL.

Nothing the app needs is kept in its processes: idempotency keys, revisions, login sessions
all live in the database, so two instances behind a load balancer keep every invariant. Here
they are driven at once: the same Idempotency-Key sent to both gives one comment; many
comments spread over both are all there once; two edits from the same revision, one to each,
give one winner and one 409 and lose nothing; a login on one instance is a login on the other,
and a logout on the other ends it on the first. Only the shared SECRET_KEY is common to them,
as behind any load balancer.

On PostgreSQL only (TEST_DATABASE_URL): SQLite is one file on one machine.
"""

from __future__ import annotations

import http.client
import threading
import urllib.parse
from http.cookies import SimpleCookie

import pytest

from drafting.api.models import IdempotencyKey
from drafting.consultations.models import Comment, CommentRevision
from drafting.extensions import db
from tests.conftest import ON_POSTGRES, PASSWORD, csrf_token_from
from tests.load.conftest import add_token

pytestmark = [
    pytest.mark.slow,  # gunicorn servers in subprocesses: CI runs it
    pytest.mark.skipif(
        not ON_POSTGRES,
        reason="two instances share one PostgreSQL: run with TEST_DATABASE_URL=postgresql://...",
    ),
]

ROUNDS = 20


@pytest.fixture
def pair(database_url, tmp_path, round_with_tokens, servers):
    round_ = round_with_tokens()
    first = servers(database_url, tmp_path / "a")
    second = servers(database_url, tmp_path / "b")
    assert first.port != second.port
    return round_, first, second


def at_once(calls):
    """Run each call in its own thread, released together; their results in order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)
    errors = []

    def run(index, call):
        barrier.wait()
        try:
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 - reported below, with the others
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(n, c)) for n, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return results


def comments_by_key(consultation_id: int) -> dict[str, list[int]]:
    rows = db.session.execute(
        db.select(IdempotencyKey.key, Comment.id)
        .join(IdempotencyKey, IdempotencyKey.comment_id == Comment.id)
        .where(Comment.consultation_id == consultation_id)
    ).all()
    db.session.rollback()
    by_key: dict[str, list[int]] = {}
    for key, comment_id in rows:
        by_key.setdefault(key, []).append(comment_id)
    return by_key


def test_the_same_key_sent_to_both_instances_gives_one_comment(pair):
    round_, first, second = pair
    for number in range(ROUNDS):
        key = f"same-key-on-both-{number:04d}"
        payload = {"kind": "general", "body": f"One comment, sent eight times ({number})."}

        def send(server, payload=payload, key=key):
            return server.request("POST", round_.path(), payload, round_.headers("AUT", key))

        answers = at_once([lambda s=server: send(s) for server in (first, second) * 4])
        statuses = sorted(status for status, _ in answers)
        assert statuses == [200] * 7 + [201], answers
        assert len({answer["id"] for _, answer in answers}) == 1
    stored = comments_by_key(round_.consultation_id)
    assert len(stored) == ROUNDS
    assert all(len(ids) == 1 for ids in stored.values())


def test_comments_spread_over_both_instances_are_all_stored_once(pair):
    round_, first, second = pair
    codes = sorted(round_.tokens)
    per_client = 25

    def client(n):
        acknowledged = {}
        code = codes[n % len(codes)]
        for number in range(per_client):
            server = (first, second)[(n + number) % 2]
            key = f"spread-{n:02d}-{number:04d}-over-both"
            payload = {
                "kind": "paragraph",
                "paragraph_uid": round_.paragraph_uids[number % len(round_.paragraph_uids)],
                "body": f"Client {n}, comment {number}.",
            }
            status, answer = server.request(
                "POST", round_.path(), payload, round_.headers(code, key)
            )
            assert status == 201, answer
            acknowledged[key] = (answer["id"], payload["body"])
        return acknowledged

    acknowledged = {}
    for result in at_once([lambda n=n: client(n) for n in range(8)]):
        acknowledged.update(result)
    assert len(acknowledged) == 8 * per_client
    stored = comments_by_key(round_.consultation_id)
    assert set(stored) == set(acknowledged)
    for key, (comment_id, _body) in acknowledged.items():
        assert stored[key] == [comment_id]
    # Each is readable from either instance, with its text.
    key, (comment_id, body) = next(iter(acknowledged.items()))
    code = codes[int(key.split("-")[1]) % len(codes)]
    for server in (first, second):
        status, answer = server.request(
            "GET", f"/api/v1/comments/{comment_id}", None, round_.headers(code)
        )
        assert (status, answer["body"]) == (200, body)


def test_two_edits_from_one_revision_on_two_instances_one_wins_none_is_lost(pair, create_user):
    round_, first, second = pair
    colleague = create_user("delegate", "AUT", email="colleague.aut@example.org")
    colleague_token = add_token(colleague)
    db.session.commit()
    db.session.remove()
    colleague_headers = {"Authorization": f"Bearer {colleague_token}"}
    status, created = first.request(
        "POST",
        round_.path(),
        {"kind": "general", "body": "The text both colleagues start from."},
        round_.headers("AUT", "edited-on-two-instances"),
    )
    assert status == 201, created
    path = f"/api/v1/comments/{created['id']}"
    revision = created["revision"]
    winners = []
    for number in range(ROUNDS):

        def edit(server, headers, who, number=number, revision=revision):
            body = {"base_revision": revision, "body": f"Round {number}: {who}'s wording."}
            return server.request("PATCH", path, body, headers)

        answers = at_once(
            [
                lambda: edit(first, round_.headers("AUT"), "the first delegate"),
                lambda: edit(second, colleague_headers, "the colleague"),
            ]
        )
        statuses = sorted(status for status, _ in answers)
        assert statuses == [200, 409], answers
        (winner,) = [answer for status, answer in answers if status == 200]
        assert winner["revision"] == revision + 1
        # Whoever asks, on either instance, reads the winner's text: nothing was overwritten.
        for server in (second, first):
            status, now = server.request("GET", path, None, colleague_headers)
            assert (status, now["body"], now["revision"]) == (200, winner["body"], revision + 1)
        winners.append(winner["body"])
        revision += 1
    history = db.session.scalars(
        db.select(CommentRevision.body)
        .where(CommentRevision.comment_id == created["id"])
        .order_by(CommentRevision.revision)
    ).all()
    db.session.rollback()
    assert history[1:] == winners


class Browser:
    """A person's browser: the cookies it holds, sent to whichever instance it talks to."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def open(self, server, method, path, form=None):
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body, headers)
            response = conn.getresponse()
            html = response.read().decode()
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.getheader("Location", ""), html


def test_a_login_on_one_instance_holds_on_the_other_and_a_logout_there_ends_it(pair):
    round_, first, second = pair
    browser = Browser()
    _status, _location, page = browser.open(first, "GET", "/login")
    status, _location, _page = browser.open(
        first,
        "POST",
        "/login",
        {"email": round_.emails["AUT"], "password": PASSWORD, "csrf_token": csrf_token_from(page)},
    )
    assert status == 302, "logged in on the first instance"
    logged_in = dict(browser.cookies)

    status, _location, page = browser.open(second, "GET", "/settings")
    assert status == 200, "the second instance knows the login"
    assert "Log out" in page

    status, _location, _page = browser.open(
        second, "POST", "/logout", {"csrf_token": csrf_token_from(page)}
    )
    assert status == 302
    # The cookie from before the logout, replayed on the first instance: the login is over.
    replay = Browser()
    replay.cookies = logged_in
    status, location, _page = replay.open(first, "GET", "/settings")
    assert status == 302 and "/login" in location, "the logout on one instance ends it on all"
    status, location, _page = browser.open(first, "GET", "/settings")
    assert status == 302 and "/login" in location
