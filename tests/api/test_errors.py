"""Every refusal of the API is problem details (RFC 9457), never an HTML page."""

from __future__ import annotations

import pytest
from flask import has_request_context
from sqlalchemy import exc as sqlalchemy_errors

from drafting.consultations.models import Comment
from drafting.extensions import db

PROBLEM = "application/problem+json"


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    problem = response.get_json()
    assert problem["status"] == status
    assert problem["type"] == "about:blank"
    assert problem["title"] and problem["detail"]
    return problem


def test_no_token_is_401_with_bearer_challenge(people, api_as):
    response = api_as(None).get("/documents")
    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "header", ["Bearer dft_" + "x" * 43, "Bearer nonsense", "Basic dXNlcjpwYXNz", "Bearer"]
)
def test_unknown_or_malformed_token_is_401(people, client, header):
    response = client.get("/api/v1/documents", headers={"Authorization": header})
    assert_problem(response, 401)


def test_login_cookie_is_not_accepted(people, auth, client):
    auth.login(people.aut)
    assert client.get("/").status_code == 200
    assert_problem(client.get("/api/v1/documents"), 401)


def test_unknown_path_and_method_are_problems(people, api_as):
    api = api_as(people.aut)
    assert_problem(api.get("/nothing/here"), 404)
    assert_problem(api.get("/documents/0"), 404)
    response = api.client.delete("/api/v1/documents", headers=api.headers())
    assert_problem(response, 405)
    assert "GET" in response.headers["Allow"]


def test_body_not_json_is_415(people, open_round, api_as):
    consultation = open_round()
    response = api_as(people.aut).client.post(
        f"/api/v1/consultations/{consultation.id}/comments",
        data={"kind": "general", "body": "x"},
        headers=api_as(people.aut).headers(),
    )
    assert_problem(response, 415)


def test_malformed_json_is_400(people, open_round, api_as):
    consultation = open_round()
    api = api_as(people.aut)
    response = api.client.post(
        f"/api/v1/consultations/{consultation.id}/comments",
        data='{"kind": "general", "body": ',
        content_type="application/json",
        headers=api.headers(),
    )
    assert "not valid JSON" in assert_problem(response, 400)["detail"]


def test_unknown_field_is_422_naming_it(people, open_round, api_as):
    consultation = open_round()
    response = api_as(people.aut).post(
        f"/consultations/{consultation.id}/comments",
        json={"kind": "general", "body": "x", "delegation": "PAK"},
    )
    problem = assert_problem(response, 422)
    assert [e["field"] for e in problem["errors"]] == ["delegation"]


@pytest.mark.parametrize(
    ("field", "value"),
    [("kind", 3), ("body", ["x"]), ("submit", "yes"), ("paragraph_uid", 12), ("quote", None)],
)
def test_wrong_type_is_422_naming_the_field(people, open_round, api_as, field, value):
    consultation = open_round()
    body = {"kind": "general", "body": "A remark.", field: value}
    response = api_as(people.aut).post(f"/consultations/{consultation.id}/comments", json=body)
    problem = assert_problem(response, 422)
    assert [e["field"] for e in problem["errors"]] == [field]


def test_body_over_the_limit_is_413_problem(app, people, open_round, api_as):
    app.config["API_MAX_BODY_BYTES"] = 1000
    consultation = open_round()
    response = api_as(people.aut).post(
        f"/consultations/{consultation.id}/comments", json={"kind": "general", "body": "x" * 2000}
    )
    assert_problem(response, 413)


def test_operation_refusal_keeps_its_message(people, open_round, api_as):
    consultation = open_round()
    response = api_as(people.aut).post(
        f"/consultations/{consultation.id}/comments", json={"kind": "general", "body": "  "}
    )
    problem = assert_problem(response, 422)
    assert problem["detail"] == "The comment is empty: write what your delegation wants to say."


@pytest.mark.parametrize("number", ["2147483648", "1000353907021226", "0", "007"])
def test_an_impossible_id_is_404_whatever_the_method(people, api_as, number):
    """Found by schemathesis: PATCH to an id beyond what the database holds was answered 405
    by the GET rule beside it (the bound was checked after werkzeug looked for other methods);
    it is no such comment, for every method."""
    api = api_as(people.aut)
    for response in (
        api.get(f"/comments/{number}"),
        api.patch(f"/comments/{number}", json={"base_revision": 1}),
        api.post(f"/comments/{number}/submit", json={"base_revision": 1}),
    ):
        assert response.status_code == 404, (number, response.get_json())
        assert response.get_json()["status"] == 404
    assert api.patch("/comments/2147483647", json={"base_revision": 1}).status_code == 404


def test_the_id_pattern_takes_exactly_the_numbers_the_database_holds():
    import re

    from drafting.web import MAX_ID, numbers_up_to

    for limit in (1, 9, 10, 305, 1000, MAX_ID):
        pattern = re.compile(numbers_up_to(limit) + r"\Z")
        probes = {0, 1, limit - 1, limit, limit + 1, limit * 10, *range(0, 1200)}
        for number in probes:
            assert bool(pattern.match(str(number))) == (1 <= number <= limit), (limit, number)
        assert not pattern.match("01")


class _Refused(Exception):
    """What the database says when it refuses the request's commit."""


@pytest.mark.parametrize(
    ("error", "status", "words"),
    [
        ("IntegrityError", 409, "Someone else changed the same thing at the same moment"),
        ("OperationalError", 503, "The database is busy; nothing was saved."),
    ],
)
def test_a_refused_commit_is_a_problem_and_saves_nothing(
    people, open_round, api_as, monkeypatch, error, status, words
):
    """The one commit at the end of every request (drafting/web) answers the API in problem
    details, with the API's headers, and keeps nothing of what the request wrote."""
    consultation = open_round()
    api = api_as(people.aut)

    commit = db.session.commit

    def refuse_in_requests():
        if not has_request_context():
            return commit()
        raise getattr(sqlalchemy_errors, error)("COMMIT", {}, _Refused("refused"))

    monkeypatch.setattr(db.session, "commit", refuse_in_requests)
    response = api.post(
        f"/consultations/{consultation.id}/comments", json={"kind": "general", "body": "Lost."}
    )
    problem = assert_problem(response, status)
    assert words in problem["detail"]
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    if status == 503:
        assert response.headers["Retry-After"] == "1"
    monkeypatch.undo()
    db.session.expire_all()
    assert db.session.query(Comment).filter_by(body="Lost.").count() == 0


def test_a_refusal_after_a_write_rolls_the_write_back(people, open_round, api_as):
    """A request answered with an error commits nothing, even what it flushed before."""
    consultation = open_round()
    api = api_as(people.aut)
    made = api.post(
        f"/consultations/{consultation.id}/comments",
        json={"kind": "general", "body": "Kept.", "submit": False},
    ).get_json()
    stale = api.patch(
        f"/comments/{made['id']}", json={"base_revision": made["revision"] + 5, "body": "No."}
    )
    assert_problem(stale, 409)
    db.session.expire_all()
    assert db.session.get(Comment, made["id"]).body == "Kept."
