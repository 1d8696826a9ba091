"""One module renders every date and time a person or a program reads (drafting/times.py): the
pages' <time> stamps, mail and messages, the Word and PDF copies' dates, the API's instants and
Word's revision dates all come from it, with English month names whatever the locale."""

from __future__ import annotations

import ast
import locale
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from drafting.times import format_date, format_instant, iso_instant

PACKAGE = Path(__file__).resolve().parents[1] / "drafting"
DEADLINE = datetime(2029, 12, 22, 17, 0, 0, 250_000, tzinfo=UTC)


def test_a_date_and_an_instant_read_as_documents_print_them():
    assert format_date(date(2026, 11, 3)) == "3 November 2026"
    assert (
        format_instant(DEADLINE, "Europe/Vienna") == "22 December 2029, 18:00 CET (Europe/Vienna)"
    )
    assert format_instant(DEADLINE, "UTC") == "22 December 2029, 17:00 UTC"


def test_months_are_english_whatever_the_servers_locale():
    try:
        previous = locale.setlocale(locale.LC_TIME, "de_DE.UTF-8")
    except locale.Error:
        pytest.skip("no German locale on this machine")
    try:
        assert format_instant(DEADLINE, "UTC").startswith("22 December 2029")
    finally:
        locale.setlocale(locale.LC_TIME, previous)


def test_programs_get_iso_8601_in_utc():
    assert iso_instant(DEADLINE) == "2029-12-22T17:00:00.250000Z"
    assert iso_instant(DEADLINE, whole_seconds=True) == "2029-12-22T17:00:00Z"
    assert iso_instant(datetime(2029, 12, 22, 17, 0)) == "2029-12-22T17:00:00Z"  # naive: UTC


def test_no_other_module_renders_a_date_with_strftime():
    """Dates shown to people and programs go through drafting/times.py; the remaining format
    strings elsewhere build identifiers (file names, message ids, tag URIs), not readings."""
    identifiers = {"notifications/mailer.py", "pages/feeds.py", "pages/audit.py", "demo.py"}
    found = []
    for path in PACKAGE.rglob("*.py"):
        name = path.relative_to(PACKAGE).as_posix()
        if name == "times.py" or name in identifiers:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "strftime":
                found.append(f"{name}:{node.lineno}")
    assert found == []
