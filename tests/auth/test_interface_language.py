"""The interface in the reader's language: chosen under Settings (and recorded), or for a session
from the login page (?lang=ru), or the browser's Accept-Language; dates and countdowns follow it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from drafting.audit.models import AuditEvent
from drafting.auth.models import User
from drafting.extensions import db
from tests.consultations.conftest import open_round, people, published

__all__ = ["open_round", "people", "published"]  # fixtures

DEADLINE = datetime(2029, 12, 5, 17, 0, tzinfo=UTC)  # 18:00 in Vienna


def locale_of(user: User) -> str:
    db.session.expire_all()
    return db.session.get(User, user.id).locale


def test_a_delegate_chooses_russian_and_it_is_recorded(client, auth, create_user):
    delegate = create_user("delegate", "GEO")
    auth.login(delegate)
    assert "Language of the interface" in client.get("/settings").get_data(as_text=True)
    response = client.post("/settings", data={"timezone": "UTC", "locale": "ru"})
    assert response.status_code == 302 and locale_of(delegate) == "ru"
    html = client.get("/settings").get_data(as_text=True)
    assert '<html lang="ru">' in html and "Язык интерфейса" in html
    assert '<option selected value="ru">' in html
    [event] = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "user.locale_changed")
    ).all()
    assert event.actor_id == delegate.id and event.details == {"locale": "ru", "previous": ""}


def test_as_my_browser_prefers_follows_accept_language(client, auth, create_user):
    delegate = create_user("delegate", "GEO")
    auth.login(delegate)
    client.post("/settings", data={"timezone": "UTC", "locale": "ru"})
    client.post("/settings", data={"timezone": "UTC", "locale": ""})
    assert locale_of(delegate) == ""
    assert '<html lang="en">' in client.get("/settings").get_data(as_text=True)
    russian = client.get("/settings", headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"})
    assert '<html lang="ru">' in russian.get_data(as_text=True)


@pytest.mark.parametrize("locale", ["de", "ru<script>", "x" * 5000])
def test_a_language_the_service_does_not_have_is_refused(client, auth, create_user, locale):
    delegate = create_user("delegate", "GEO")
    auth.login(delegate)
    response = client.post("/settings", data={"timezone": "UTC", "locale": locale})
    assert response.status_code == 422 and locale_of(delegate) == ""
    assert "ru&lt;script" not in response.get_data(as_text=True).split("<select")[0]


def test_the_browser_asks_for_russian_and_the_login_page_answers_in_russian(client):
    html = client.get("/login", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    assert '<html lang="ru">' in html and "<h1>Вход</h1>" in html
    assert "<h1>Log in</h1>" in client.get("/login").get_data(as_text=True)  # no preference


def test_the_language_switch_of_the_login_page_is_kept_through_the_login(client, auth, create_user):
    html = client.get("/login?lang=ru").get_data(as_text=True)
    assert "<h1>Вход</h1>" in html and 'href="/login?lang=en"' in html
    assert "<h1>Вход</h1>" in client.get("/login").get_data(as_text=True)  # in the session
    auth.login(create_user("delegate", "GEO"))
    assert '<html lang="ru">' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("lang", ["de", "xx" * 3000, "ru%0A", "%00"])
def test_an_unknown_lang_in_the_address_changes_nothing(client, lang):
    client.get("/login?lang=ru")
    response = client.get(f"/login?lang={lang}")
    assert response.status_code in (200, 400)  # a NUL is refused at the door, never a 500
    assert "<h1>Вход</h1>" in client.get("/login").get_data(as_text=True)


def test_the_round_page_gives_its_deadline_and_countdown_in_russian(
    client, auth, people, open_round
):
    consultation = open_round(closes_dt=DEADLINE)
    people.aut.locale = "ru"
    db.session.commit()
    auth.login(people.aut)
    html = client.get(f"/consultations/{consultation.id}").get_data(as_text=True)
    assert "5 декабря 2029\u202fг., 18:00 CET (Europe/Vienna)" in html  # CLDR's narrow space
    assert "Осталось" in html and "Срок" in html
    assert any(word in html for word in ("дней", "дня", "день"))


def test_the_catalogue_is_found_once_per_request_and_follows_a_switched_locale(app, monkeypatch):
    """Flask-Babel finds the catalogue again for every message (a quarter of a long page's
    time); web.locale.RequestCatalogue finds it once per request, and again only when the
    locale is switched within the request, so every message is still in the right language."""
    from flask import render_template_string
    from flask_babel import Domain, force_locale, gettext, refresh

    found = []
    real = Domain.get_translations
    monkeypatch.setattr(Domain, "get_translations", lambda self: found.append(1) or real(self))
    template = "{% for i in range(200) %}{{ _('Language of the interface') }}|{% endfor %}"
    # Each request its own app context (its own ``g``), as in production and the test client.
    with app.app_context(), app.test_request_context("/", headers={"Accept-Language": "ru"}):
        shown = render_template_string(template)
        assert shown.count("Язык интерфейса|") == 200 and gettext("Settings") == "Настройки"
        assert len(found) == 1
        with force_locale("en"):
            assert render_template_string(template).count("Language of the interface|") == 200
            assert gettext("Settings") == "Settings"
        assert gettext("Settings") == "Настройки"
        refresh()  # the locale chosen again: found again, still Russian
        assert gettext("Language of the interface") == "Язык интерфейса"
        assert len(found) == 4
    with app.app_context(), app.test_request_context("/"):  # another request, in English
        assert gettext("Settings") == "Settings" and len(found) == 5
