"""Each person's own settings: the time zone in which they read deadlines."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from drafting.audit.models import AuditEvent
from drafting.auth import operations
from drafting.auth.models import User
from drafting.extensions import db


def zone_of(user: User) -> str:
    db.session.expire_all()
    return db.session.get(User, user.id).timezone


def test_a_delegate_chooses_their_time_zone_and_it_is_recorded(client, auth, create_user):
    delegate = create_user("delegate", "GEO")
    auth.login(delegate)
    page = client.get("/settings")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<option selected value="UTC">' in html
    assert '<optgroup label="Asia">' in html and 'value="Asia/Tbilisi"' in html
    response = client.post("/settings", data={"timezone": "Asia/Tbilisi"})
    assert response.status_code == 302
    assert zone_of(delegate) == "Asia/Tbilisi"
    html = client.get("/settings").get_data(as_text=True)
    assert "Times are now shown to you in Asia/Tbilisi as well." in html
    assert '<option selected value="Asia/Tbilisi">' in html
    assert "+04 (Asia/Tbilisi)" in html  # the time now, in the chosen zone
    [event] = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "user.timezone_changed")
    ).all()
    assert event.actor_id == delegate.id and event.object_id == delegate.id
    assert event.details == {"timezone": "Asia/Tbilisi", "previous": "UTC"}


@pytest.mark.parametrize("zone", ["Mars/Olympus", "", "US/Eastern", "Europe/Vienna<script>"])
def test_an_unknown_time_zone_is_refused_and_nothing_changes(client, auth, create_user, zone):
    delegate = create_user("delegate", "GEO")
    auth.login(delegate)
    response = client.post("/settings", data={"timezone": zone})
    assert response.status_code == 422
    assert "is not a time zone this service knows" in response.get_data(as_text=True)
    assert zone_of(delegate) == "UTC"
    assert (
        db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.timezone_changed"))
        is None
    )


def test_changing_the_time_zone_needs_the_csrf_token(client, auth, create_user):
    delegate = create_user("delegate", "GEO")
    auth.login(delegate)
    response = client.post("/settings", data={"timezone": "Asia/Tbilisi", "csrf_token": None})
    assert response.status_code == 400
    assert zone_of(delegate) == "UTC"


def test_the_settings_need_a_login_and_are_linked_from_every_page(client, auth, create_user):
    response = client.get("/settings")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    auth.login(create_user("observer", "IOM"))
    html = client.get("/").get_data(as_text=True)
    assert '<a href="/settings">Settings</a>' in html


def test_the_settings_page_offers_the_browsers_zone_only_with_javascript(client, auth, create_user):
    auth.login(create_user("delegate", "GEO"))
    html = client.get("/settings").get_data(as_text=True)
    assert '<script src="/static/settings.js" defer></script>' in html
    assert '<button type="button" id="use-browser-zone" hidden>' in html


def test_a_person_cannot_set_someone_elses_zone_but_the_secretariat_can(app, create_user):
    from drafting.auth.policy import NotAllowed

    delegate = create_user("delegate", "GEO")
    colleague = create_user("delegate", "GEO", email="colleague@example.org")
    secretariat = create_user("secretariat", "MDS")
    with pytest.raises(NotAllowed):
        operations.set_timezone(colleague, delegate, "Asia/Tbilisi")
    operations.set_timezone(secretariat, delegate, "Asia/Tbilisi")
    db.session.commit()
    assert zone_of(delegate) == "Asia/Tbilisi"
