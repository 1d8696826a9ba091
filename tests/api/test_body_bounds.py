"""What a client sends is bounded and read safely: a chunked body meets the same size limit as
one with a Content-Length, and a lone surrogate in JSON is refused, not a 500."""

from __future__ import annotations

import io
import json

import pytest

from tests.api.test_errors import assert_problem


def _post_chunked(api, path: str, body: bytes):
    """POST as a client streaming ``body`` with Transfer-Encoding: chunked (no Content-Length);
    the server (gunicorn, werkzeug's) has already undone the chunking, as WSGI says."""
    return api.client.post(
        f"/api/v1{path}",
        input_stream=io.BytesIO(body),
        content_type="application/json",
        headers=api.headers({"Transfer-Encoding": "chunked"}),
        environ_overrides={"wsgi.input_terminated": True},
    )


def test_a_chunked_body_over_the_limit_is_413_and_nothing_is_stored(
    app, people, open_round, api_as
):
    app.config["API_MAX_BODY_BYTES"] = 1000
    consultation = open_round()
    body = json.dumps({"kind": "general", "body": "x" * 5000}).encode()
    api = api_as(people.aut)
    response = _post_chunked(api, f"/consultations/{consultation.id}/comments", body)
    assert "larger than 1,000 bytes" in assert_problem(response, 413)["detail"]
    assert api.get(f"/consultations/{consultation.id}/comments").get_json()["comments"] == []


def test_a_chunked_body_within_the_limit_is_read(app, people, open_round, api_as):
    consultation = open_round()
    body = json.dumps({"kind": "general", "body": "Streamed."}).encode()
    response = _post_chunked(api_as(people.aut), f"/consultations/{consultation.id}/comments", body)
    assert response.status_code == 201, response.get_data(as_text=True)


@pytest.mark.parametrize(
    "raw", ['{"kind": "general", "body": "\\ud800"}', '{"kind": "general", "\\udfff": "x"}']
)
def test_a_lone_surrogate_in_json_is_refused_with_a_problem(people, open_round, api_as, raw):
    consultation = open_round()
    api = api_as(people.aut)
    response = api.client.post(
        f"/api/v1/consultations/{consultation.id}/comments",
        data=raw,
        content_type="application/json",
        headers=api.headers(),
    )
    assert "surrogate" in assert_problem(response, 422)["detail"]
