"""Deadlines in named time zones: read from what a person typed, shown in any zone, counted down.

Stored instants are UTC. A deadline is set as a wall-clock time in an IANA zone ("18:00,
Europe/Vienna"); a time that does not exist there (skipped by a summer-time change) or that
happens twice (the hour repeated in autumn) is refused, so nobody is unsure which instant holds.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


class DeadlineError(ValueError):
    """A date, time or zone that cannot be a deadline; the message says why."""


@cache
def known_zones() -> tuple[str, ...]:
    """Every IANA zone name, sorted, without the legacy aliases that only confuse a list."""
    legacy = ("Etc/", "SystemV/", "US/", "Canada/", "Brazil/", "Chile/", "Mexico/")
    names = {z for z in available_timezones() if "/" in z and not z.startswith(legacy)}
    return tuple(sorted(names | {"UTC"}))


def zone(name: str) -> ZoneInfo:
    """The zone called ``name``, or a DeadlineError that says it is unknown."""
    try:
        if not name or name not in known_zones():
            raise ZoneInfoNotFoundError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise DeadlineError(
            f"“{name}” is not a time zone this service knows; choose one such as Europe/Vienna."
        ) from None


def to_utc(day: date, at: time, zone_name: str) -> datetime:
    """The UTC instant of wall-clock ``day`` ``at`` in ``zone_name``.

    Refuses a wall-clock time that the zone skips or repeats at a change of clocks.
    """
    tz = zone(zone_name)
    local = datetime.combine(day, at.replace(tzinfo=None), tzinfo=tz)
    earlier, later = local.replace(fold=0), local.replace(fold=1)
    shown = f"{at:%H:%M} on {day:%-d %B %Y} in {zone_name}"
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


def format_instant(instant: datetime, zone_name: str, *, with_zone: bool = True) -> str:
    """ "22 December 2029, 18:00 CET (Europe/Vienna)"; the abbreviation alone is ambiguous."""
    local = in_zone(instant, zone_name)
    text = f"{local:%-d %B %Y, %H:%M} {local.tzname()}"
    return f"{text} ({zone_name})" if with_zone and zone_name != "UTC" else text


def iso_instant(instant: datetime) -> str:
    """An instant for a page's scripts (the countdown): ISO 8601 in UTC, "2029-12-22T17:00:00Z"."""
    return instant.astimezone(UTC).isoformat().replace("+00:00", "Z")


def countdown(now: datetime, deadline: datetime, *, precise: bool = False) -> str:
    """How long until ``deadline``, as a person says it: "3 days 4 hours", "25 minutes".
    ``precise``: to the second, as the countdown in the pages says it and keeps it moving
    (static/countdown.js says the same words): "3 days 4 hours 5 seconds"."""
    left = deadline - now
    if left <= timedelta(0):
        return "closed"
    if precise:
        return _precise(int(left.total_seconds()))
    minutes = int(left.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)

    def unit(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    if days:
        return unit(days, "day") + (f" {unit(hours, 'hour')}" if hours else "")
    if hours:
        return unit(hours, "hour") + (f" {unit(minutes, 'minute')}" if minutes else "")
    return unit(minutes, "minute") if minutes else "less than a minute"


def _precise(seconds: int) -> str:
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    parts = [(days, "day"), (hours, "hour"), (minutes, "minute"), (seconds, "second")]
    said = [f"{n} {word}{'' if n == 1 else 's'}" for n, word in parts if n]
    return " ".join(said) or "0 seconds"
