"""A delegation's draft comment is its private work: the audit trail, its filters and its
exports say nothing of it (not even that it exists) until the delegation submits it."""

from __future__ import annotations

import json

from drafting.consultations import commenting
from drafting.extensions import db
from tests.audit.conftest import shown


def private_draft(people, trail, **fields):
    draft, _ = commenting.create_comment(
        people.aut, trail.consultation, kind="general", body="Our red lines.", **fields
    )
    db.session.commit()
    return draft


def test_the_secretariat_sees_no_event_of_a_delegations_private_draft(client, auth, people, trail):
    draft = private_draft(people, trail)
    commenting.edit_comment(people.aut, draft, base_revision=1, body="Our softer red lines.")
    db.session.commit()
    auth.login(people.secretariat)
    html = client.get("/audit").get_data(as_text=True)
    assert f"comment {draft.id}" not in html
    assert "comment.created" not in html and "comment.edited" not in html
    assert "Our red lines" not in html


def test_the_exports_leave_out_private_drafts_too(client, auth, people, trail):
    draft = private_draft(people, trail)
    auth.login(people.secretariat)
    data = json.loads(client.get("/audit.json").get_data(as_text=True))
    csv_text = client.get("/audit.csv").get_data().decode("utf-8-sig")
    assert all(
        not (e["object_type"] == "comment" and e["object_id"] == draft.id) for e in data["events"]
    )
    assert "comment.created" not in csv_text and "comment.created" not in json.dumps(data)


def test_a_search_or_a_filter_does_not_find_a_private_draft(client, auth, people, trail):
    draft = private_draft(people, trail)
    auth.login(people.secretariat)
    html = client.get("/audit", query_string={"action": "comment.created"}).get_data(as_text=True)
    assert shown(html) == [] and f"comment {draft.id}" not in html
    assert '<option value="comment.created"' not in client.get("/audit").get_data(as_text=True)


def test_once_submitted_the_comments_story_is_in_the_trail(client, auth, people, trail):
    draft = private_draft(people, trail)
    commenting.submit_comment(people.aut, draft)
    db.session.commit()
    auth.login(people.secretariat)
    html = client.get("/audit").get_data(as_text=True)
    assert "comment.created" in html and f'href="/comments/{draft.id}/history"' in html


def test_a_draft_withdrawn_before_it_was_ever_submitted_stays_private(client, auth, people, trail):
    draft = private_draft(people, trail)
    commenting.withdraw_comment(people.aut, draft)
    db.session.commit()
    auth.login(people.secretariat)
    html = client.get("/audit").get_data(as_text=True)
    assert f"comment {draft.id}" not in html and "comment.withdrawn" not in html
