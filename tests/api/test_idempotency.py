"""An Idempotency-Key means something only for its delegation in its round, with its request:
retried as sent it gives the same comment, sent with another request it is refused (422), and
sent to another round it never gives back, nor submits, that other round's comment."""

from __future__ import annotations

from sqlalchemy import func, select

from drafting.consultations.models import Comment, CommentStatus
from drafting.extensions import db
from tests.api.test_errors import assert_problem

KEY = {"Idempotency-Key": "one-key-for-two-rounds-1"}


def comments_url(consultation) -> str:
    return f"/consultations/{consultation.id}/comments"


def status_of(comment_id: int) -> CommentStatus:
    db.session.expire_all()
    return db.session.get(Comment, comment_id).status


def test_the_same_key_in_another_round_never_returns_its_private_draft(people, open_round, api_as):
    first, second = open_round(), open_round()
    api = api_as(people.aut)
    draft = {"kind": "general", "body": "Our private thoughts.", "submit": False}
    private = api.post(comments_url(first), json=draft, headers=KEY).get_json()
    sent = {"kind": "general", "body": "Our private thoughts."}
    response = api.post(comments_url(second), json=sent, headers=KEY)
    assert response.status_code == 201
    assert response.get_json()["id"] != private["id"]
    assert response.get_json()["consultation_id"] == second.id
    assert status_of(private["id"]) == CommentStatus.DRAFT


def test_the_same_key_with_another_request_is_422_and_saves_nothing(people, open_round, api_as):
    consultation = open_round()
    api = api_as(people.aut)
    first = api.post(
        comments_url(consultation), json={"kind": "general", "body": "A."}, headers=KEY
    )
    other = {"kind": "general", "body": "B."}
    problem = assert_problem(api.post(comments_url(consultation), json=other, headers=KEY), 422)
    assert problem["title"] == "Idempotency-Key reused with a different request"
    assert problem["comment_id"] == first.get_json()["id"]
    assert db.session.scalar(select(func.count(Comment.id))) == 1


def test_a_draft_sent_again_to_be_submitted_is_another_request(people, open_round, api_as):
    consultation = open_round()
    api = api_as(people.aut)
    body = {"kind": "general", "body": "A.", "submit": False}
    draft = api.post(comments_url(consultation), json=body, headers=KEY).get_json()
    again = api.post(comments_url(consultation), json={**body, "submit": True}, headers=KEY)
    assert_problem(again, 422)
    assert status_of(draft["id"]) == CommentStatus.DRAFT


def test_the_same_request_written_otherwise_is_the_same_request(people, open_round, api_as):
    consultation = open_round()
    api = api_as(people.aut)
    first = api.post(
        comments_url(consultation), json={"kind": "general", "body": "A."}, headers=KEY
    )
    spelled_out = {"submit": True, "body": "A.", "quote": "", "kind": "general"}
    again = api.post(comments_url(consultation), json=spelled_out, headers=KEY)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json()["id"] == first.get_json()["id"]


def test_a_page_form_of_another_round_is_refused_there(people, open_round, auth, client):
    first, second = open_round(), open_round()
    auth.login(people.aut)
    form = {"kind": "general", "body": "Our draft.", "form_token": "page-form-token-0001"}
    form["delegation_id"] = str(people.aut.delegation_id)
    client.post(f"/consultations/{first.id}/comments/new", data={**form, "action": "save"})
    response = client.post(
        f"/consultations/{second.id}/comments/new", data={**form, "action": "submit"}
    )
    assert "This form is damaged" in response.get_data(as_text=True)
    drafts = db.session.scalars(select(Comment)).all()
    assert [(c.consultation_id, c.status) for c in drafts] == [(first.id, CommentStatus.DRAFT)]


def test_a_key_sent_again_is_refused_by_its_insert_and_gives_the_first_comment(
    people, open_round, api_as, monkeypatch
):
    """The key is not looked up before the comment is written: its INSERT … ON CONFLICT DO
    NOTHING stores nothing, the comment written before it is rolled back, and the key is looked
    up once, afterwards."""
    from drafting.api import idempotency

    consultation = open_round()
    api = api_as(people.aut)
    body = {"kind": "general", "body": "A."}
    first = api.post(comments_url(consultation), json=body, headers=KEY).get_json()
    looks, real_find = [], idempotency._find

    def find(*args):
        looks.append(args)
        return real_find(*args)

    monkeypatch.setattr(idempotency, "_find", find)
    again = api.post(comments_url(consultation), json=body, headers=KEY)
    assert (again.status_code, again.get_json()["id"]) == (200, first["id"])
    assert db.session.scalar(select(func.count(Comment.id))) == 1 and len(looks) == 1


def test_a_key_whose_holder_rolled_back_is_409_and_saves_nothing(
    people, open_round, api_as, monkeypatch
):
    from drafting.api import idempotency

    consultation = open_round()
    api = api_as(people.aut)
    body = {"kind": "general", "body": "A."}
    api.post(comments_url(consultation), json=body, headers=KEY)
    monkeypatch.setattr(idempotency, "_find", lambda *args: None)
    again = api.post(comments_url(consultation), json=body, headers=KEY)
    assert again.status_code == 409
    assert db.session.scalar(select(func.count(Comment.id))) == 1


def test_a_key_sent_again_after_the_deadline_still_gives_its_comment(people, open_round, api_as):
    from datetime import UTC, datetime, timedelta

    import time_machine

    closes = datetime.now(UTC) + timedelta(hours=1)
    consultation = open_round(closes_dt=closes)
    api = api_as(people.aut)
    body = {"kind": "general", "body": "Just in time."}
    first = api.post(comments_url(consultation), json=body, headers=KEY).get_json()
    with time_machine.travel(closes + timedelta(minutes=5), tick=False):
        again = api.post(comments_url(consultation), json=body, headers=KEY)
        other = api.post(
            comments_url(consultation), json=body, headers={"Idempotency-Key": "k" * 20}
        )
    assert (again.status_code, again.get_json()["id"]) == (200, first["id"])
    assert other.status_code == 409
    assert db.session.scalar(select(func.count(Comment.id))) == 1
