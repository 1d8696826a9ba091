"""The API is described once: the OpenAPI document, the check of request bodies and the answers
all come from drafting/api/schemas.py, so they cannot say different things."""

from __future__ import annotations

import pytest

from drafting.api import schemas

BODIES = {
    ("post", "/api/v1/consultations/{consultation_id}/comments"): schemas.NewComment,
    ("patch", "/api/v1/comments/{comment_id}"): schemas.CommentChange,
    ("post", "/api/v1/comments/{comment_id}/submit"): schemas.BaseRevision,
    ("post", "/api/v1/comments/{comment_id}/withdraw"): schemas.BaseRevision,
}


@pytest.fixture
def described(client) -> dict:
    return client.get("/api/v1/openapi.json").get_json()


def _body_schema(document: dict, method: str, path: str) -> dict:
    content = document["paths"][path][method]["requestBody"]["content"]
    name = content["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    return document["components"]["schemas"][name]


@pytest.mark.parametrize(("method", "path"), list(BODIES))
def test_each_body_is_described_by_the_schema_that_reads_it(described, method, path):
    body = _body_schema(described, method, path)
    schema = BODIES[method, path]()
    assert list(body["properties"]) == sorted(schema.fields)
    assert sorted(body["required"]) == sorted(n for n, f in schema.fields.items() if f.required)
    assert body["additionalProperties"] is False


def test_an_unknown_field_is_refused_naming_the_described_ones(
    people, open_round, api_as, described
):
    consultation = open_round()
    response = api_as(people.aut).post(
        f"/consultations/{consultation.id}/comments", json={"kind": "general", "colour": "red"}
    )
    assert response.status_code == 422
    accepted = _body_schema(described, "post", "/api/v1/consultations/{consultation_id}/comments")
    message = response.get_json()["errors"][0]["message"]
    assert message.startswith("“colour” is not a field of this request; it accepts ")
    assert sorted(message.split("accepts ")[1].rstrip(".").split(", ")) == sorted(
        accepted["properties"]
    )


def test_every_answer_field_is_required_and_no_other_allowed(described):
    for name in ("Comment", "Consultation", "Document", "Version", "Comparison"):
        answer = described["components"]["schemas"][name]
        assert sorted(answer["required"]) == sorted(answer["properties"]), name
        assert answer["additionalProperties"] is False, name


def test_creating_a_comment_still_reads_first_under_its_description(app):
    """The description's decorators keep the mark that begins the request with a read."""
    assert app.view_functions["api.create_comment"].reads_first is True
