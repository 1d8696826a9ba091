"""The zone picker (Settings, and a new round): canonical zones only, UTC first, grouped by
region; a person whose stored zone is an old alias still reads and saves it."""

from __future__ import annotations

import re

from drafting.auth.models import User
from drafting.extensions import db
from tests.consultations.conftest import people, published

__all__ = ["people", "published"]


def _options(html: str) -> list[str]:
    select = html.split('id="timezone"', 1)[1].split("</select>", 1)[0]
    return re.findall(r'value="([^"]+)"', select)


def _settings(client, auth, user) -> str:
    auth.login(user)
    return client.get("/settings").get_data(as_text=True)


def test_the_picker_offers_canonical_zones_only_with_utc_first(client, auth, create_user):
    options = _options(_settings(client, auth, create_user("delegate", "GEO")))

    assert options[0] == "UTC"
    assert {"Europe/Vienna", "Asia/Kolkata", "Europe/Kyiv", "America/New_York"} <= set(options)
    deprecated = {"US/Eastern", "Etc/GMT+3", "GB", "Asia/Calcutta", "Europe/Kiev", "Etc/UTC"}
    assert not deprecated & set(options)
    assert len(options) < 450


def test_the_picker_groups_zones_by_region_and_can_be_searched(client, auth, create_user):
    html = _settings(client, auth, create_user("delegate", "GEO"))

    assert '<optgroup label="Europe">' in html and '<optgroup label="America">' in html
    assert re.search(r'<option value="Europe/Vienna">Vienna</option>', html)
    assert 'src="/static/zone-picker.js"' in html


def test_a_stored_alias_shows_as_its_canonical_zone_and_still_gives_times(
    client, auth, create_user
):
    person = create_user("delegate", "GEO")
    person.timezone = "US/Eastern"
    db.session.commit()

    html = _settings(client, auth, person)
    assert '<option selected value="America/New_York">' in html
    assert "(US/Eastern)" in html  # the time now, in the zone as stored


def test_a_stored_zone_without_a_canonical_equal_is_kept_when_saving(client, auth, create_user):
    person = create_user("delegate", "GEO")
    person.timezone = "Etc/GMT+3"
    db.session.commit()

    html = _settings(client, auth, person)
    assert '<option selected value="Etc/GMT+3">Etc/GMT+3 (as chosen before)</option>' in html
    assert client.post("/settings", data={"timezone": "Etc/GMT+3"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, person.id).timezone == "Etc/GMT+3"


def test_the_new_round_form_uses_the_same_picker(client, auth, people, published):
    auth.login(people.secretariat)
    html = client.get(f"/versions/{published.id}/consultations/new").get_data(as_text=True)

    options = _options(html)
    assert options[0] == "UTC" and "US/Eastern" not in options
