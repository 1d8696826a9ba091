"""Creating a comment through the API: the page's operation, deadline and idempotency."""

from __future__ import annotations

from sqlalchemy import func, select

from drafting.consultations.models import Comment
from drafting.extensions import db
from tests.api.conftest import paragraph


def test_delegate_creates_a_submitted_comment(people, published, open_round, api_as):
    consultation = open_round()
    uid = paragraph(published, "1.").uid
    response = api_as(people.aut).post(
        f"/consultations/{consultation.id}/comments",
        json={"kind": "paragraph", "paragraph_uid": uid, "body": "Add “fair”."},
    )
    assert response.status_code == 201, response.get_json()
    data = response.get_json()
    assert response.headers["Location"] == f"/api/v1/comments/{data['id']}"
    assert data["delegation"] == "AUT"
    assert data["status"] == "submitted"
    assert data["paragraph_uid"] == uid
    assert data["submitted_dt"].endswith("Z")


def test_same_idempotency_key_gives_the_same_comment(people, open_round, api_as):
    consultation = open_round()
    api = api_as(people.aut)
    key = {"Idempotency-Key": "retry-key-0000000001"}
    body = {"kind": "general", "body": "Once only."}
    first = api.post(f"/consultations/{consultation.id}/comments", json=body, headers=key)
    again = api.post(f"/consultations/{consultation.id}/comments", json=body, headers=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.get_json()["id"] == again.get_json()["id"]
    assert db.session.scalar(select(func.count(Comment.id))) == 1
