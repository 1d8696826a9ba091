"""Paragraph status through the API: the version answer carries each paragraph's status, and
the chair or the secretariat sets it (PUT), under the same policy as the page."""

from __future__ import annotations

from drafting.documents.models import AgreementStatus
from drafting.documents.statuses import marks_of, set_paragraph_status
from tests.api.conftest import paragraph


def put_status(api, version, uid, body):
    return api.client.put(
        f"/api/v1/versions/{version.id}/paragraphs/{uid}/status", json=body, headers=api.headers()
    )


def test_the_version_answer_carries_each_paragraphs_status(people, published, api_as):
    uid = paragraph(published, "2.").uid
    set_paragraph_status(
        people.chair, published, paragraph(published, "2."), AgreementStatus.AGREED
    )
    answer = api_as(people.aut).get(f"/versions/{published.id}").get_json()
    by_uid = {p["uid"]: p for p in answer["paragraphs"]}
    assert by_uid[uid]["status"] == "agreed" and by_uid[uid]["status_reset_from"] is None
    assert by_uid[paragraph(published, "1.").uid]["status"] == "pending"
    assert answer["paragraphs"][0]["status"] is None  # the title


def test_the_chair_sets_a_status_through_the_api(people, published, api_as):
    uid = paragraph(published, "3.").uid
    response = put_status(
        api_as(people.chair), published, uid, {"status": "ad_referendum", "note": "capitals"}
    )
    assert response.status_code == 200
    assert response.get_json()["status"] == "ad_referendum"
    assert marks_of(published)[uid].note == "capitals"


def test_a_delegate_is_refused_and_a_bad_status_is_named(people, published, api_as):
    uid = paragraph(published, "3.").uid
    refused = put_status(api_as(people.aut), published, uid, {"status": "agreed"})
    assert refused.status_code == 403 and "Only the chair" in refused.get_json()["detail"]
    wrong = put_status(api_as(people.chair), published, uid, {"status": "settled"})
    assert wrong.status_code == 422 and wrong.get_json()["errors"][0]["field"] == "status"
    unknown = put_status(api_as(people.chair), published, "0" * 32, {"status": "agreed"})
    assert unknown.status_code == 404 and marks_of(published) == {}
