"""Support and objection through the API: the draft page's policy and operations, described
in the OpenAPI document."""

from __future__ import annotations

from drafting.consultations.models import AmendmentStance
from drafting.extensions import db
from tests.api.test_errors import assert_problem
from tests.consultations.test_stances import amend


def put(api, comment, **body):
    return api.client.put(f"/api/v1/comments/{comment.id}/stance", json=body, headers=api.headers())


def test_delegation_objects_through_the_api_then_withdraws(people, open_round, api_as):
    amendment = amend(people.aut, open_round(visibility="open"))
    api = api_as(people.pak)
    answer = put(api, amendment, kind="objection", reason="Too weak.")
    assert answer.status_code == 200
    assert answer.get_json() == {
        "comment_id": amendment.id,
        "delegation": "PAK",
        "kind": "objection",
        "reason": "Too weak.",
        "stated_dt": answer.get_json()["stated_dt"],
    }
    gone = api.client.delete(f"/api/v1/comments/{amendment.id}/stance", headers=api.headers())
    assert gone.status_code == 204
    assert db.session.scalar(db.select(db.func.count(AmendmentStance.id))) == 0


def test_the_api_refuses_a_stance_on_the_delegations_own_amendment(people, open_round, api_as):
    amendment = amend(people.aut, open_round(visibility="open"))
    problem = assert_problem(put(api_as(people.aut2), amendment, kind="support"), 403)
    assert "Your delegation proposed this amendment" in problem["detail"]


def test_a_sealed_amendment_is_not_found_before_the_deadline(people, open_round, api_as):
    amendment = amend(people.aut, open_round(visibility="sealed"))
    assert_problem(put(api_as(people.pak), amendment, kind="objection"), 404)


def test_the_api_refuses_an_unknown_kind_and_a_long_reason(people, open_round, api_as):
    amendment = amend(people.aut, open_round(visibility="open"))
    api = api_as(people.pak)
    assert_problem(put(api, amendment, kind="veto"), 422)
    assert_problem(put(api, amendment, kind="support", reason="x" * 1001), 422)


def test_the_stance_endpoints_are_described(api_as, people):
    paths = api_as(people.pak).get("/openapi.json").get_json()["paths"]
    stance = paths["/api/v1/comments/{comment_id}/stance"]
    assert stance["put"]["operationId"] == "stateStance"
    assert stance["delete"]["operationId"] == "withdrawStance"
