"""The secretariat's hold on accounts, on the people page: a password reset (a temporary
password shown once, to be replaced at the next login) and a deactivation. Both end every login
session and API token of the person at once: a copied cookie and a token stop working."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from drafting.api.operations import create_token
from drafting.audit.models import AuditEvent
from drafting.auth.models import User
from drafting.consultations.models import Comment
from drafting.extensions import db
from drafting.notifications.models import OutboxMessage
from drafting.notifications.operations import notify
from tests.conftest import PASSWORD

TEMPORARY = re.compile(r'<code class="new-token">([a-z2-9-]{19})</code>')


@pytest.fixture
def delegate_elsewhere(app, create_user):
    """A delegate logged in in their own browser, with an API token: (user, browser, token)."""
    delegate = create_user("delegate", "AUT")
    browser = app.test_client()
    browser.post("/login", data={"email": delegate.email, "password": PASSWORD})
    _token, secret = create_token(delegate, "Sync script")
    db.session.commit()
    return delegate, browser, secret


def api_answers(client, secret) -> int:
    return client.get(
        "/api/v1/documents", headers={"Authorization": f"Bearer {secret}"}
    ).status_code


def reload(user) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def test_the_secretariat_resets_a_password_and_sees_the_temporary_one_once(
    client, auth, create_user, delegate_elsewhere
):
    delegate, browser, secret = delegate_elsewhere
    auth.login(create_user("secretariat", "MDS"))
    response = client.post(f"/people/{delegate.id}/reset-password", data={})
    temporary = TEMPORARY.search(response.get_data(as_text=True)).group(1)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert temporary not in client.get("/people").get_data(as_text=True)
    assert browser.get("/").status_code == 302  # the delegate's login has ended
    assert api_answers(client, secret) == 401
    assert reload(delegate).must_change_password


def test_after_a_reset_the_temporary_password_only_opens_the_password_page(
    app, client, auth, create_user, delegate_elsewhere
):
    delegate, _browser, _secret = delegate_elsewhere
    auth.login(create_user("secretariat", "MDS"))
    page = client.post(f"/people/{delegate.id}/reset-password", data={}).get_data(as_text=True)
    temporary = TEMPORARY.search(page).group(1)
    person = app.test_client()
    person.post("/login", data={"email": delegate.email, "password": temporary})
    assert person.get("/").headers["Location"] == "/settings/password"
    assert person.get("/settings/tokens").headers["Location"] == "/settings/password"
    new = {"current_password": temporary, "new_password": "my own new passphrase"}
    person.post("/settings/password", data={**new, "confirmation": new["new_password"]})
    assert person.get("/").status_code == 200 and not reload(delegate).must_change_password


def test_the_person_is_told_by_mail_that_their_password_was_reset_but_not_the_password(
    client, auth, create_user, delegate_elsewhere
):
    delegate, _browser, _secret = delegate_elsewhere
    auth.login(create_user("secretariat", "MDS"))
    page = client.post(f"/people/{delegate.id}/reset-password", data={}).get_data(as_text=True)
    [mail] = db.session.scalars(select(OutboxMessage).filter_by(kind="user.password_reset"))
    assert mail.to_address == delegate.email and "reset" in mail.subject
    assert TEMPORARY.search(page).group(1) not in mail.body


def test_the_reset_and_each_token_it_revoked_are_audited(
    client, auth, create_user, delegate_elsewhere
):
    delegate, _browser, _secret = delegate_elsewhere
    secretariat = create_user("secretariat", "MDS")
    auth.login(secretariat)
    client.post(f"/people/{delegate.id}/reset-password", data={})
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.actor_id == secretariat.id)
    ).all()
    assert "user.password_reset" in actions and "token.revoked" in actions


def test_the_secretariat_deactivates_an_account_and_everything_of_it_stops_at_once(
    app, client, auth, create_user, delegate_elsewhere
):
    delegate, browser, secret = delegate_elsewhere
    auth.login(create_user("secretariat", "MDS"))
    response = client.post(f"/people/{delegate.id}/deactivate", data={})
    assert response.status_code == 303
    assert browser.get("/").status_code == 302  # their copied cookie opens nothing
    assert api_answers(client, secret) == 401
    login = app.test_client().post("/login", data={"email": delegate.email, "password": PASSWORD})
    assert login.status_code == 401
    assert "deactivated" in client.get("/people").get_data(as_text=True)


def test_reactivating_brings_back_no_old_login_nor_token(
    app, client, auth, create_user, delegate_elsewhere
):
    delegate, browser, secret = delegate_elsewhere
    auth.login(create_user("secretariat", "MDS"))
    client.post(f"/people/{delegate.id}/deactivate", data={})
    client.post(f"/people/{delegate.id}/reactivate", data={})
    assert reload(delegate).is_active
    assert browser.get("/").status_code == 302 and api_answers(client, secret) == 401
    login = app.test_client().post("/login", data={"email": delegate.email, "password": PASSWORD})
    assert login.status_code == 302


def test_a_deactivated_person_gets_no_mail_not_even_what_was_waiting(
    client, auth, create_user, delegate_elsewhere
):
    delegate, _browser, _secret = delegate_elsewhere
    notify([delegate], subject="Waiting", body="Queued before.", kind="test")
    db.session.commit()
    auth.login(create_user("secretariat", "MDS"))
    client.post(f"/people/{delegate.id}/deactivate", data={})
    notify([reload(delegate)], subject="After", body="Queued after.", kind="test")
    db.session.commit()
    assert db.session.scalars(select(OutboxMessage).filter_by(user_id=delegate.id)).all() == []


def test_what_a_deactivated_person_wrote_stays(client, auth, people, open_round):
    from drafting.consultations import commenting

    comment, _ = commenting.create_comment(
        people.aut, open_round(), kind="general", body="Our position.", submit=True
    )
    db.session.commit()
    auth.login(people.secretariat)
    client.post(f"/people/{people.aut.id}/deactivate", data={})
    db.session.expire_all()
    assert db.session.get(Comment, comment.id).body == "Our position."


def test_the_secretariat_cannot_deactivate_itself(client, auth, create_user):
    secretariat = create_user("secretariat", "MDS")
    create_user("secretariat", "MDS", email="colleague@example.org")
    auth.login(secretariat)
    response = client.post(f"/people/{secretariat.id}/deactivate", data={})
    assert response.status_code == 409
    assert "cannot deactivate your own account" in response.get_data(as_text=True)
    assert reload(secretariat).is_active


def test_the_last_active_secretariat_account_cannot_be_deactivated(app, create_user):
    from drafting.auth.operations import PeopleError, deactivate_user

    only = create_user("secretariat", "MDS")
    with pytest.raises(PeopleError, match="last active secretariat"):
        deactivate_user(None, only)


@pytest.mark.parametrize("action", ["reset-password", "deactivate", "reactivate"])
def test_only_the_secretariat_manages_accounts(client, auth, create_user, action):
    victim = create_user("delegate", "PAK")
    auth.login(create_user("delegate", "AUT"))
    assert client.post(f"/people/{victim.id}/{action}", data={}).status_code == 403
    assert reload(victim).is_active and not reload(victim).must_change_password


def test_the_people_page_shows_each_account_with_its_buttons(client, auth, create_user):
    secretariat = create_user("secretariat", "MDS")
    delegate = create_user("delegate", "AUT")
    auth.login(secretariat)
    html = client.get("/people").get_data(as_text=True)
    assert f'action="/people/{delegate.id}/deactivate"' in html
    assert f'action="/people/{delegate.id}/reset-password"' in html
    assert f'action="/people/{secretariat.id}/deactivate"' not in html


def test_the_administrator_resets_a_password_from_the_command_line(
    app, client, runner, create_user
):
    secretariat = create_user("secretariat", "MDS")
    result = runner.invoke(args=["users", "reset-password", secretariat.email])
    assert result.exit_code == 0, result.output
    temporary = result.output.split(": ", 1)[1].split()[0]
    response = app.test_client().post(
        "/login", data={"email": secretariat.email, "password": temporary}
    )
    assert response.status_code == 302 and reload(secretariat).must_change_password
