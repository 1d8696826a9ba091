"""In Chromium: a delegate chooses Русский under Settings and reads the draft and the round page
in Russian, with the round's deadline as a Russian date and the countdown moving in Russian; a
person not logged in switches the login page to Russian."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from drafting.auth.operations import create_user
from drafting.consultations import rounds
from drafting.extensions import db
from drafting.times import format_date, in_zone
from tests.conftest import PASSWORD


@pytest.fixture
def round_on_draft(sample):
    """A round of comments on the sample's Draft 1, due in five days, and a delegate of its first
    invited delegation."""
    version = next(v for v in sample.document.versions if v.label == "Draft 1")
    invited = [d for d in sample.document.participants if d.code != "MDS"]
    now = datetime.now(UTC)
    consultation = rounds.open_consultation(
        None,
        version,
        title="Written comments on Draft 1",
        opens_dt=now - timedelta(hours=1),
        closes_dt=now + timedelta(days=5, hours=3),
        timezone="Europe/Vienna",
        invited=invited,
    )
    delegate = create_user(
        None,
        email="reader.in.russian@example.org",
        name="Reader in Russian",
        role="delegate",
        delegation=invited[0],
        password=PASSWORD,
    )
    db.session.commit()
    return consultation, delegate


def test_a_delegate_chooses_russian_and_reads_the_draft_and_the_round_in_it(
    page, log_in, round_on_draft
):
    consultation, delegate = round_on_draft
    log_in(delegate)
    page.get_by_role("link", name="Settings").click()
    page.get_by_label("Language of the interface").select_option(label="Русский")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("heading", name="Настройки")).to_be_visible()

    page.goto(f"/versions/{consultation.version_id}")
    expect(page.locator(".version-meta")).to_contain_text("Скачать:")
    expect(page.locator(".version-meta")).to_contain_text("Опубликовано")
    expect(page.locator("footer.hash")).to_contain_text("SHA-256 опубликованного текста")

    page.goto(f"/consultations/{consultation.id}")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("link", name="Представить замечания по проекту")).to_be_visible()
    day = format_date(in_zone(consultation.closes_dt, "Europe/Vienna"), "ru")
    assert day.endswith("\u202fг.")  # "10 декабря 2026 г.", with CLDR's narrow space
    times = page.locator(".round-times dd").all_inner_texts()
    assert any(day.replace("\u202f", " ") in t.replace("\u202f", " ") for t in times), times
    clock = page.locator(".countdown-text")
    expect(clock).to_contain_text("5 дней")
    first = clock.inner_text()
    expect(clock).not_to_have_text(first)  # the script keeps it moving, in Russian
    assert "секунд" in clock.inner_text() and "second" not in clock.inner_text()


def test_a_person_not_logged_in_switches_the_login_page_to_russian(page):
    page.goto("/login")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("link", name="Русский").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("heading", name="Вход")).to_be_visible()
    page.goto("/login")  # remembered for the session
    expect(page.get_by_role("button", name="Войти")).to_be_visible()
