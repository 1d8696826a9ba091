"""API tokens through the page: created with a name, shown once, stored hashed, listed,
revoked (then refused), every change audited; refused for a person no longer active."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select, text

from drafting.api.models import ApiToken
from drafting.audit.models import AuditEvent
from drafting.database import utcnow
from drafting.extensions import db

TOKEN = re.compile(r"dft_[A-Za-z0-9_-]{43}")


def create_through_page(client, name: str = "Our sync script") -> str:
    response = client.post("/settings/tokens", data={"name": name})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    return TOKEN.search(response.get_data(as_text=True)).group(0)


def test_token_created_in_the_page_works_and_is_shown_once(people, auth, client):
    auth.login(people.aut)
    secret = create_through_page(client)
    page = client.get("/settings/tokens").get_data(as_text=True)
    assert secret not in page
    assert "Our sync script" in page and secret[:12] in page
    response = client.get("/api/v1/documents", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200


def test_the_database_never_holds_the_token(people, auth, client):
    auth.login(people.aut)
    secret = create_through_page(client)
    token = db.session.scalar(select(ApiToken))
    assert token.token_hash == ApiToken.hash_token(secret) != secret
    assert token.prefix == secret[:12]
    for table in ("api_tokens", "audit_events"):
        rows = db.session.execute(text(f"SELECT * FROM {table}")).all()  # noqa: S608
        assert secret not in repr(rows)


def test_revoked_token_is_refused_and_both_changes_audited(people, auth, client):
    auth.login(people.aut)
    secret = create_through_page(client)
    token = db.session.scalar(select(ApiToken))
    response = client.post(f"/settings/tokens/{token.id}/revoke", data={})
    assert response.status_code == 303
    refused = client.get("/api/v1/documents", headers={"Authorization": f"Bearer {secret}"})
    assert refused.status_code == 401
    assert refused.mimetype == "application/problem+json"
    events = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == token.id))
    assert sorted(e for e in events if e.startswith("token.")) == ["token.created", "token.revoked"]
    page = client.get("/settings/tokens").get_data(as_text=True)
    assert "is revoked" in page and "<td>Our sync script</td>" not in page


def test_nobody_revokes_another_persons_token(people, auth, client, token_for):
    token_for(people.pak)
    token = db.session.scalar(select(ApiToken))
    auth.login(people.aut)
    assert client.post(f"/settings/tokens/{token.id}/revoke", data={}).status_code == 404
    db.session.refresh(token)
    assert token.revoked_dt is None


def test_revoking_needs_the_form_token(people, auth, client, token_for):
    auth.login(people.aut)
    token_for(people.aut)
    token = db.session.scalar(select(ApiToken))
    response = client.post(f"/settings/tokens/{token.id}/revoke", data={"csrf_token": None})
    assert response.status_code == 400
    db.session.refresh(token)
    assert token.revoked_dt is None


def test_a_token_needs_a_name(people, auth, client):
    auth.login(people.aut)
    response = client.post("/settings/tokens", data={"name": "   "})
    assert response.status_code == 422
    assert "Give the token a name" in response.get_data(as_text=True)
    assert db.session.scalar(select(ApiToken)) is None


def test_tokens_page_needs_a_login(client):
    assert client.get("/settings/tokens").status_code == 302


def test_token_of_a_deactivated_person_is_refused(people, api_as):
    api = api_as(people.aut)
    assert api.get("/documents").status_code == 200
    people.aut.is_active = False
    db.session.commit()
    assert api.get("/documents").status_code == 401


def test_last_use_is_noted_at_most_once_a_minute(people, api_as):
    api = api_as(people.aut)
    with time_machine.travel(utcnow(), tick=False) as clock:
        api.get("/documents")
        token = db.session.scalar(select(ApiToken))
        first = token.last_used_dt
        assert first is not None
        clock.shift(timedelta(seconds=30))
        api.post("/consultations/999/comments", json={})
        api.get("/documents")
        db.session.refresh(token)
        assert token.last_used_dt == first
        clock.shift(timedelta(seconds=31))
        api.get("/documents")
        db.session.refresh(token)
        assert token.last_used_dt > first


# ---------------------------------------------------------------------------------------------
# Expiry: chosen at creation (30, 90 or 365 days), shown on the page, refused after it


def test_a_token_lasts_ninety_days_unless_another_lifetime_is_chosen(people, auth, client):
    auth.login(people.aut)
    page = client.get("/settings/tokens").get_data(as_text=True)
    assert '<option selected value="90">90 days</option>' in page
    assert '<option value="30">' in page and '<option value="365">' in page
    with time_machine.travel(utcnow(), tick=False):
        response = client.post("/settings/tokens", data={"name": "Yearly report", "days": "365"})
        token = db.session.scalar(select(ApiToken))
        assert token.expires_dt == token.created_dt + timedelta(days=365)
    assert "works until" in response.get_data(as_text=True)


def test_a_lifetime_not_offered_is_refused_and_the_name_is_kept(people, auth, client):
    auth.login(people.aut)
    response = client.post("/settings/tokens", data={"name": "Forever script", "days": "36500"})
    assert response.status_code == 422
    assert 'value="Forever script"' in response.get_data(as_text=True)
    assert db.session.scalar(select(ApiToken)) is None


def test_an_expired_token_is_refused_with_a_problem_saying_it_expired(people, api_as):
    api = api_as(people.aut)
    assert api.get("/documents").status_code == 200
    with time_machine.travel(utcnow() + timedelta(days=91)):
        refused = api.get("/documents")
    assert refused.status_code == 401
    assert refused.mimetype == "application/problem+json"
    assert "expired" in refused.get_json()["detail"]
    assert "Settings → API tokens" in refused.get_json()["detail"]


def test_a_token_still_works_the_day_before_it_expires(people, api_as):
    api = api_as(people.aut)
    with time_machine.travel(utcnow() + timedelta(days=89)):
        assert api.get("/documents").status_code == 200


def test_the_tokens_page_shows_when_each_token_expires_and_which_have(
    people, auth, client, token_for
):
    token_for(people.aut, "Old script")
    with time_machine.travel(utcnow() + timedelta(days=91)):
        auth.login(people.aut)
        page = client.get("/settings/tokens").get_data(as_text=True)
    assert '<th scope="col">Expires</th>' in page
    assert "<strong>expired</strong>" in page


def test_expired_tokens_do_not_count_against_the_limit_of_twenty(people, token_for):
    from drafting.api.operations import MAX_ACTIVE_TOKENS, TokenError, create_token

    for n in range(MAX_ACTIVE_TOKENS):
        token_for(people.aut, f"Script {n}")
    with pytest.raises(TokenError, match="revoke one"):
        create_token(people.aut, "One too many")
    with time_machine.travel(utcnow() + timedelta(days=91)):
        create_token(people.aut, "After the others expired")
