"""Times in named zones: read from what a person typed, shown in any zone, counted down; the one
date renderer of pages, mail, messages, the Word and PDF copies and the API (a deadline is one
such time). Months are named in the reader's language (``locale``, "en" or "ru"), never in
the server's: English is the default and reads as UN documents print it; other locales are
Babel's (CLDR) long dates ("5 декабря 2026 г.").

Stored instants are UTC. A deadline is set as a wall-clock time in an IANA zone ("18:00,
Europe/Vienna"); a time that does not exist there (skipped by a summer-time change) or that
happens twice (the hour repeated in autumn) is refused, so nobody is unsure which instant holds.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from importlib import resources
from pathlib import Path
from zoneinfo import TZPATH, ZoneInfo, ZoneInfoNotFoundError, available_timezones

from babel.dates import format_date as cldr_date
from babel.support import NullTranslations, Translations

# The interface's catalogues (compiled by make): read with Babel alone, so that the command line
# (`drafting compare` prints Word dates) loads no web framework.
CATALOGUES = Path(__file__).resolve().parent / "translations"

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


class DeadlineError(ValueError):
    """A date, time or zone that cannot be a deadline; the message says why."""


def _tzdata_text(name: str) -> str | None:
    """A file of the IANA time zone database (zone.tab, tzdata.zi), from the system's copy
    or from the ``tzdata`` package, wherever zoneinfo itself finds the zones."""
    for root in TZPATH:
        path = Path(root) / name
        if path.is_file():
            return path.read_text(encoding="utf-8")
    try:
        return (resources.files("tzdata") / "zoneinfo" / name).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError):
        return None


@cache
def known_zones() -> tuple[str, ...]:
    """The canonical IANA zones (those zone.tab names for a country), sorted, and UTC: no
    deprecated aliases such as "US/Eastern", "Asia/Calcutta", "GB" or "Etc/GMT+3"."""
    table = _tzdata_text("zone.tab")
    if table is None:  # no zone.tab anywhere: at least leave out the legacy families
        legacy = ("Etc/", "SystemV/", "US/", "Canada/", "Brazil/", "Chile/", "Mexico/")
        names = {z for z in available_timezones() if "/" in z and not z.startswith(legacy)}
    else:
        rows = (line.split("\t") for line in table.splitlines() if not line.startswith("#"))
        names = {row[2].strip() for row in rows if len(row) > 2}
    return tuple(sorted(names | {"UTC"}))


@cache
def _links() -> dict[str, str]:
    """{alias: the zone it names}, from the database's link lines ("L America/New_York
    US/Eastern")."""
    text = _tzdata_text("tzdata.zi") or ""
    return {
        parts[2]: parts[1]
        for parts in (line.split() for line in text.splitlines())
        if len(parts) == 3 and parts[0] == "L"
    }


def canonical_zone(name: str | None) -> str | None:
    """The canonical zone that ``name`` stands for ("US/Eastern" → "America/New_York"),
    ``name`` itself when it is canonical, and None when it is no zone at all or a zone with no
    canonical equal (an "Etc/GMT+3" chosen before such names were left out)."""
    seen = set()
    while name and name not in seen:
        if name == "Etc/UTC":
            return "UTC"
        if name in known_zones():
            return name
        seen.add(name)
        name = _links().get(name)
    return None


def reader_zone(user) -> str:
    """The zone ``user`` reads times in: their own choice (an old alias still works), or UTC
    for nobody logged in and for a name this machine's zone database does not have."""
    name = getattr(user, "timezone", None) or "UTC"
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return "UTC"
    return name


def zone(name: str) -> ZoneInfo:
    """The zone called ``name`` as one that may be chosen now, or a DeadlineError that says it
    is unknown (see `stored_zone` for a zone already stored)."""
    try:
        if not name or name not in known_zones():
            raise ZoneInfoNotFoundError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise DeadlineError(
            f"“{name}” is not a time zone this service knows; choose one such as Europe/Vienna."
        ) from None


def stored_zone(name: str) -> ZoneInfo:
    """The zone of a round stored earlier: an alias chosen before the picker offered canonical
    zones only (Asia/Calcutta) still converts; the picker decides what can be chosen now."""
    if name and name not in known_zones() and name in available_timezones():
        return ZoneInfo(name)
    return zone(name)


def to_utc(day: date, at: time, zone_name: str) -> datetime:
    """The UTC instant of wall-clock ``day`` ``at`` in ``zone_name``.

    Refuses a wall-clock time that the zone skips or repeats at a change of clocks.
    """
    tz = stored_zone(zone_name)
    local = datetime.combine(day, at.replace(tzinfo=None), tzinfo=tz)
    earlier, later = local.replace(fold=0), local.replace(fold=1)
    shown = f"{at:%H:%M} on {format_date(day)} in {zone_name}"
    if earlier.utcoffset() != later.utcoffset():
        # fold=0 and fold=1 differ only around a change of clocks: a gap or a repeated hour.
        round_trip = earlier.astimezone(UTC).astimezone(tz)
        if round_trip.replace(tzinfo=None) != local.replace(tzinfo=None):
            raise DeadlineError(
                f"{shown} does not exist: the clocks skip that hour. Choose another time."
            )
        raise DeadlineError(
            f"{shown} happens twice: the clocks go back that night. Choose another time."
        )
    return earlier.astimezone(UTC)


def in_zone(instant: datetime, zone_name: str) -> datetime:
    return instant.astimezone(ZoneInfo(zone_name))


def is_english(locale: object | None) -> bool:
    """Whether ``locale`` (a code, a babel Locale, or None for the default) reads English."""
    return locale is None or str(locale).split("_")[0] in ("", "en")


def format_date(day: date, locale: object | None = None) -> str:
    """A date as UN and EU documents print it: "23 November 2026"; in another ``locale``, its
    long form ("23 ноября 2026 г.")."""
    if is_english(locale):
        return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    return cldr_date(day, format="long", locale=str(locale))


def format_instant(
    instant: datetime, zone_name: str, *, with_zone: bool = True, locale: object | None = None
) -> str:
    """ "22 December 2029, 18:00 CET (Europe/Vienna)"; the abbreviation alone is ambiguous."""
    local = in_zone(instant, zone_name)
    text = f"{format_date(local, locale)}, {local:%H:%M} {local.tzname()}"
    return f"{text} ({zone_name})" if with_zone and zone_name != "UTC" else text


def format_clock(instant: datetime, zone_name: str) -> str:
    """A wall clock's reading, as the meeting screen shows it: "14:05 CET" (the same in every
    language the interface has)."""
    local = in_zone(instant, zone_name)
    return f"{local:%H:%M} {local.tzname()}"


def in_zones(
    instant: datetime, zone_name: str | None, reader, locale: object | None = None
) -> tuple[str, str | None]:
    """The one rule for showing a time: in the round's zone ``zone_name`` and, when the reader's
    own zone differs, in theirs too; (round's text, reader's text or None). Without a round
    zone, the time is shown in the reader's zone alone."""
    own = reader_zone(reader)
    if zone_name is None:
        return format_instant(instant, own, locale=locale), None
    shown = format_instant(instant, zone_name, locale=locale)
    if (canonical_zone(own) or own) == (canonical_zone(zone_name) or zone_name):
        return shown, None
    return shown, format_instant(instant, own, locale=locale)


def format_for(
    instant: datetime, zone_name: str | None, reader, locale: object | None = None
) -> str:
    """`in_zones` as one line of text, for messages and mail: "22 December 2029, 18:00 CET
    (Europe/Vienna); your time: 23 December 2029, 02:00 JST (Asia/Tokyo)"."""
    shown, own = in_zones(instant, zone_name, reader, locale)
    if not own:
        return shown
    if is_english(locale):
        return f"{shown}; your time: {own}"
    return _say(locale, "%(shown)s; your time: %(own)s") % {"shown": shown, "own": own}


def iso_instant(instant: datetime, *, whole_seconds: bool = False) -> str:
    """An instant for programs (a page's <time> and countdown, the API, a Word revision): ISO 8601
    in UTC, "2029-12-22T17:00:00Z"; a naive one is taken as UTC. ``whole_seconds`` drops the
    fraction, which Word's revision dates do not carry."""
    instant = (instant if instant.tzinfo else instant.replace(tzinfo=UTC)).astimezone(UTC)
    if whole_seconds:
        instant = instant.replace(microsecond=0)
    return instant.isoformat().replace("+00:00", "Z")


def countdown(
    now: datetime, deadline: datetime, *, precise: bool = False, locale: object | None = None
) -> str:
    """How long until ``deadline``, as a person says it: "3 days 4 hours", "25 minutes".
    ``precise``: to the second, as the countdown in the pages says it and keeps it moving
    (static/countdown.js says the same words): "3 days 4 hours 5 seconds". Another ``locale``
    says it in the interface's language, with its plural forms ("3 дня 4 часа")."""
    english = is_english(locale)
    unit = _english_unit if english else _units_in(str(locale))
    left = deadline - now
    if left <= timedelta(0):
        return "closed" if english else _say(locale, "closed")
    if precise:
        return _precise(int(left.total_seconds()), unit)
    minutes = int(left.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return unit(days, "day") + (f" {unit(hours, 'hour')}" if hours else "")
    if hours:
        return unit(hours, "hour") + (f" {unit(minutes, 'minute')}" if minutes else "")
    if minutes:
        return unit(minutes, "minute")
    return "less than a minute" if english else _say(locale, "less than a minute")


def _english_unit(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


@cache
def _catalogue(locale: str) -> NullTranslations:
    return Translations.load(str(CATALOGUES), [locale])


def _say(locale: object, message: str) -> str:
    """``message`` in ``locale``'s catalogue (itself where it has none)."""
    return _catalogue(str(locale)).gettext(message)


def _say_n(locale: str, singular: str, plural: str, n: int) -> str:
    return _catalogue(locale).ngettext(singular, plural, n) % {"num": n}


def _units_in(locale: str):
    """``unit(n, word)`` in ``locale``, with its plural forms; the words are written out for
    extraction (make messages reads _say and _say_n as it reads _ and ngettext)."""

    def unit(n: int, word: str) -> str:
        if word == "day":
            return _say_n(locale, "%(num)d day", "%(num)d days", n)
        if word == "hour":
            return _say_n(locale, "%(num)d hour", "%(num)d hours", n)
        if word == "minute":
            return _say_n(locale, "%(num)d minute", "%(num)d minutes", n)
        return _say_n(locale, "%(num)d second", "%(num)d seconds", n)

    return unit


def _precise(seconds: int, unit=_english_unit) -> str:
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    parts = [(days, "day"), (hours, "hour"), (minutes, "minute"), (seconds, "second")]
    said = [unit(n, word) for n, word in parts if n]
    return " ".join(said) or unit(0, "second")
