"""drafting/times.py in the reader's language: English exactly as UN documents print it, Russian as
CLDR writes it, and countdowns in each language's plural forms."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from drafting.times import countdown, format_date, format_for, format_instant

DEADLINE = datetime(2026, 12, 5, 17, 0, tzinfo=UTC)


class Reader:
    timezone = "Asia/Tokyo"


def test_a_date_in_russian_is_the_long_cldr_form():
    assert format_date(date(2026, 12, 5), "ru") == "5 декабря 2026\u202fг."
    assert format_date(date(2026, 12, 5), "en") == "5 December 2026"
    assert format_date(date(2026, 12, 5)) == "5 December 2026"


def test_an_instant_in_russian_keeps_the_clock_and_the_zone():
    text = format_instant(DEADLINE, "Europe/Vienna", locale="ru")
    assert text == "5 декабря 2026\u202fг., 18:00 CET (Europe/Vienna)"
    assert format_instant(DEADLINE, "Europe/Vienna", locale="en") == (
        "5 December 2026, 18:00 CET (Europe/Vienna)"
    )


def test_the_english_one_line_form_is_unchanged(app):
    assert format_for(DEADLINE, "Europe/Vienna", Reader(), "en") == (
        "5 December 2026, 18:00 CET (Europe/Vienna); your time: 6 December 2026, 02:00 JST "
        "(Asia/Tokyo)"
    )


@pytest.mark.parametrize(
    ("left", "english", "russian"),
    [
        (timedelta(days=1, hours=2), "1 day 2 hours", "1 день 2 часа"),
        (timedelta(days=5, hours=21), "5 days 21 hours", "5 дней 21 час"),
        (timedelta(hours=3, minutes=22), "3 hours 22 minutes", "3 часа 22 минуты"),
        (timedelta(minutes=11), "11 minutes", "11 минут"),
        (timedelta(seconds=20), "less than a minute", "меньше минуты"),
        (timedelta(0), "closed", "закрыт"),
    ],
)
def test_a_countdown_says_its_units_in_each_languages_plural_forms(app, left, english, russian):
    now = DEADLINE - left
    assert countdown(now, DEADLINE) == english
    with app.test_request_context(headers={"Accept-Language": "ru"}):
        assert countdown(now, DEADLINE, locale="ru") == russian
        assert countdown(now, DEADLINE, locale="en") == english


def test_a_precise_countdown_in_russian(app):
    with app.test_request_context(headers={"Accept-Language": "ru"}):
        left = timedelta(days=2, hours=1, minutes=5, seconds=1)
        said = countdown(DEADLINE - left, DEADLINE, precise=True, locale="ru")
        assert said == "2 дня 1 час 5 минут 1 секунда"
