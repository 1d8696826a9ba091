"""Comments through the API, under the pages' policy and operations: who may write, the
deadline (with the page's own message), sealing, idempotency, stale edits, submit, withdraw."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from drafting.consultations.models import Comment
from drafting.extensions import db
from tests.api.conftest import paragraph
from tests.api.test_errors import assert_problem

KEY = {"Idempotency-Key": "client-generated-key-42"}


def comments_url(consultation) -> str:
    return f"/consultations/{consultation.id}/comments"


def post(api, consultation, submit=True, headers=None, **fields):
    body = {"kind": "general", "body": "Our remark.", "submit": submit, **fields}
    return api.post(comments_url(consultation), json=body, headers=headers)


def count_comments() -> int:
    return db.session.scalar(select(func.count(Comment.id)))


@pytest.mark.parametrize("role", ["secretariat", "chair", "observer"])
def test_only_delegates_write(people, open_round, api_as, role):
    consultation = open_round()
    problem = assert_problem(post(api_as(getattr(people, role)), consultation), 403)
    assert "delegates of the invited delegations" in problem["detail"]
    assert count_comments() == 0


def test_delegate_of_a_delegation_not_invited_is_refused(people, open_round, api_as):
    consultation = open_round(invited=("AUT", "PAK"))
    problem = assert_problem(post(api_as(people.tur), consultation), 403)
    assert "not invited" in problem["detail"]


def test_closed_round_refuses_with_the_pages_message(people, open_round, api_as, auth, client):
    now = datetime.now(UTC)
    consultation = open_round(closes_dt=now + timedelta(hours=1))
    api = api_as(people.aut)
    with time_machine.travel(now + timedelta(hours=2), tick=False):
        problem = assert_problem(post(api, consultation), 409)
        auth.login(people.aut)
        page = client.post(
            f"/consultations/{consultation.id}/comments/new",
            data={
                "kind": "general",
                "body": "Our remark.",
                "form_token": "page-form-token-0001",
                "delegation_id": str(people.aut.delegation_id),
                "action": "submit",
            },
        )
    assert problem["detail"].startswith("The deadline passed on ")
    assert page.status_code == 409
    assert html.escape(problem["detail"], quote=False) in page.get_data(as_text=True)
    assert count_comments() == 0


def test_late_comment_accepted_and_flagged_where_the_round_says_so(people, open_round, api_as):
    now = datetime.now(UTC)
    consultation = open_round(closes_dt=now + timedelta(hours=1), late_rule="accept")
    with time_machine.travel(now + timedelta(hours=2), tick=False):
        response = post(api_as(people.aut), consultation)
    assert response.status_code == 201
    assert response.get_json()["is_late"] is True


def test_sealed_round_hides_other_delegations_until_the_deadline(people, open_round, api_as):
    now = datetime.now(UTC)
    consultation = open_round(closes_dt=now + timedelta(hours=1))
    theirs = post(api_as(people.pak), consultation, body="PAK's view.").get_json()
    draft = post(api_as(people.aut), consultation, submit=False, body="AUT's draft.").get_json()
    aut, aut2 = api_as(people.aut), api_as(people.aut2)
    assert [c["id"] for c in aut.get(comments_url(consultation)).get_json()["comments"]] == [
        draft["id"]
    ]
    assert aut2.get(f"/comments/{draft['id']}").status_code == 200  # a colleague's draft
    assert_problem(aut.get(f"/comments/{theirs['id']}"), 404)
    secretariat = api_as(people.secretariat).get(comments_url(consultation)).get_json()
    assert [c["id"] for c in secretariat["comments"]] == [theirs["id"]]  # drafts stay private
    with time_machine.travel(now + timedelta(hours=2), tick=False):
        listed = aut.get(comments_url(consultation)).get_json()["comments"]
        assert {c["id"] for c in listed} == {theirs["id"], draft["id"]}
        assert aut.get(f"/comments/{theirs['id']}").status_code == 200


def test_idempotency_key_with_other_text_is_422_and_stores_nothing(people, open_round, api_as):
    consultation = open_round()
    api = api_as(people.aut)
    first = post(api, consultation, headers=KEY, body="First text.")
    problem = assert_problem(post(api, consultation, headers=KEY, body="Other text."), 422)
    assert problem["detail"].startswith("Idempotency-Key reused with a different request")
    assert problem["comment_id"] == first.get_json()["id"]
    assert count_comments() == 1


def test_idempotency_key_is_per_delegation(people, open_round, api_as):
    consultation = open_round()
    ours = post(api_as(people.aut), consultation, headers=KEY).get_json()
    theirs = post(api_as(people.pak), consultation, headers=KEY).get_json()
    assert ours["id"] != theirs["id"]


def test_malformed_idempotency_key_is_422(people, open_round, api_as):
    consultation = open_round()
    problem = assert_problem(
        post(api_as(people.aut), consultation, headers={"Idempotency-Key": "short"}), 422
    )
    assert problem["errors"][0]["field"] == "Idempotency-Key"


def test_paragraph_amendment_validated_as_in_the_page(people, published, open_round, api_as):
    consultation = open_round()
    first = paragraph(published, "1.")
    same = post(
        api_as(people.aut),
        consultation,
        kind="replace",
        paragraph_uid=first.uid,
        proposed_text=first.text,
    )
    assert (
        assert_problem(same, 422)["detail"] == "The proposed text is the same as the current text."
    )


def test_edit_from_current_revision_then_stale_is_409(people, open_round, api_as):
    consultation = open_round()
    made = post(api_as(people.aut), consultation, submit=False).get_json()
    edited = api_as(people.aut2).patch(
        f"/comments/{made['id']}", json={"base_revision": 1, "body": "Better."}
    )
    assert edited.status_code == 200
    assert (edited.get_json()["body"], edited.get_json()["revision"]) == ("Better.", 2)
    stale = api_as(people.aut).patch(
        f"/comments/{made['id']}", json={"base_revision": 1, "body": "Mine."}
    )
    problem = assert_problem(stale, 409)
    assert problem["revision"] == 2
    db.session.expire_all()
    assert db.session.get(Comment, made["id"]).body == "Better."


def test_patch_needs_base_revision(people, open_round, api_as):
    consultation = open_round()
    made = post(api_as(people.aut), consultation).get_json()
    problem = assert_problem(
        api_as(people.aut).patch(f"/comments/{made['id']}", json={"body": "x"}), 422
    )
    assert problem["errors"] == [
        {"field": "base_revision", "message": "“base_revision” is required."}
    ]


def test_other_delegation_cannot_change_a_visible_comment(people, open_round, api_as):
    consultation = open_round(visibility="open")
    made = post(api_as(people.pak), consultation).get_json()
    api = api_as(people.aut)
    assert api.get(f"/comments/{made['id']}").status_code == 200
    assert_problem(
        api.patch(f"/comments/{made['id']}", json={"base_revision": 1, "body": "x"}), 403
    )
    assert_problem(api.post(f"/comments/{made['id']}/withdraw", json={"base_revision": 1}), 403)


def test_submit_a_draft_then_withdraw_it(people, open_round, api_as):
    consultation = open_round()
    api = api_as(people.aut)
    made = post(api, consultation, submit=False).get_json()
    assert made["status"] == "draft"
    submitted = api.post(f"/comments/{made['id']}/submit", json={"base_revision": 1}).get_json()
    assert (submitted["status"], submitted["revision"]) == ("submitted", 2)
    again = api.post(f"/comments/{made['id']}/submit", json={"base_revision": 1})
    assert again.get_json()["revision"] == 2  # already submitted: nothing changes
    withdrawn = api.post(f"/comments/{made['id']}/withdraw", json={"base_revision": 2}).get_json()
    assert withdrawn["status"] == "withdrawn"
    assert (
        api.post(f"/comments/{made['id']}/withdraw", json={"base_revision": 2}).status_code == 200
    )
    edit = api.patch(f"/comments/{made['id']}", json={"base_revision": 3, "body": "x"})
    assert_problem(edit, 409)


def test_withdraw_after_the_deadline_is_refused(people, open_round, api_as):
    now = datetime.now(UTC)
    consultation = open_round(closes_dt=now + timedelta(hours=1))
    api = api_as(people.aut)
    made = post(api, consultation).get_json()
    with time_machine.travel(now + timedelta(hours=2), tick=False):
        problem = assert_problem(
            api.post(f"/comments/{made['id']}/withdraw", json={"base_revision": 1}), 409
        )
    assert problem["detail"].startswith("The deadline passed on ")


def test_every_change_is_audited(people, open_round, api_as):
    from drafting.audit.models import AuditEvent

    consultation = open_round()
    api = api_as(people.aut)
    made = post(api, consultation, submit=False).get_json()
    api.patch(f"/comments/{made['id']}", json={"base_revision": 1, "body": "Better."})
    api.post(f"/comments/{made['id']}/submit", json={"base_revision": 2})
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_type == "comment").order_by(AuditEvent.id)
    ).all()
    assert actions == ["comment.created", "comment.edited", "comment.submitted"]
