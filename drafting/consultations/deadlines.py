"""The deadline rule: whether a round takes a delegation's write at an instant, and if not, why.

One rule for every face. The policy asks it to decide what a page offers and to say why not; the
operations ask it again inside the writing transaction, under the round's lock, by the server's
clock. An extension moves one delegation's deadline; an early close ends the round for everyone,
extensions included; a round that accepts late comments still takes new ones, flagged late.
"""

from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import gettext as _

from drafting.extensions import N_
from drafting.times import format_instant


class LateRule(enum.StrEnum):
    """What a round does with a comment that comes after the delegation's deadline."""

    REFUSE = "refuse"
    ACCEPT = "accept"  # accept and flag as late

    @property
    def title(self) -> str:
        return {
            "refuse": N_("Refuse late comments"),
            "accept": N_("Accept and flag as late"),
        }[self.value]


class Window(enum.StrEnum):
    """Whether a delegation's write at one instant is taken, and if not, why.

    The values are the words the rule has always used, so that a log or an old comparison
    still reads the same."""

    NOT_OPEN = "not open"  # before the round opens
    ON_TIME = "on time"
    LATE_ACCEPTED = "late"  # after the deadline, in a round that accepts late comments
    CLOSED = "past the deadline"
    CLOSED_EARLY = "closed early"  # the secretariat closed the round before its deadline

    @property
    def takes_writes(self) -> bool:
        return self in (Window.ON_TIME, Window.LATE_ACCEPTED)


class RoundState(enum.StrEnum):
    """A round as a list shows it: the values are what the API answers and the badges say."""

    UPCOMING = "upcoming"
    OPEN = "open"
    CLOSED = "closed"


def deadline_for(consultation, delegation_id: int | None) -> datetime:
    """The instant from which this delegation's writes are late: the announced deadline, or
    its extension, but never after an early close."""
    extension = consultation.extension_for(delegation_id)
    deadline = extension.closes_dt if extension else consultation.closes_dt
    if consultation.closed_early_dt is not None:
        deadline = min(deadline, consultation.closed_early_dt)
    return deadline


def final_deadline(consultation) -> datetime:
    """When the round has closed for every delegation, extensions included: sealed comments
    are revealed from then on, so that nobody with an extension reads the others' first."""
    latest = max([consultation.closes_dt, *(e.closes_dt for e in consultation.extensions)])
    if consultation.closed_early_dt is not None:
        latest = min(latest, consultation.closed_early_dt)
    return latest


def window(consultation, delegation_id: int | None, now: datetime, *, late_ok: bool) -> Window:
    """The window this delegation's write at ``now`` falls in. ``late_ok`` says whether this
    write may come late where the round accepts late comments (a new comment may; a change to
    a submitted one may not)."""
    if now < consultation.opens_dt:
        return Window.NOT_OPEN
    if now < deadline_for(consultation, delegation_id):
        return Window.ON_TIME
    if consultation.closed_early_dt is not None and now >= consultation.closed_early_dt:
        return Window.CLOSED_EARLY
    if late_ok and consultation.late_rule == LateRule.ACCEPT:
        return Window.LATE_ACCEPTED
    return Window.CLOSED


def state(consultation, now: datetime) -> RoundState:
    """The round's state for everyone at once: open while any delegation's extension runs."""
    if now < consultation.opens_dt:
        return RoundState.UPCOMING
    return RoundState.CLOSED if now >= final_deadline(consultation) else RoundState.OPEN


def state_for(consultation, delegation_id: int | None, now: datetime) -> RoundState:
    """The round's state as one delegation lives it: closed at its own deadline, without
    learning whether another delegation has an extension."""
    if now < consultation.opens_dt:
        return RoundState.UPCOMING
    if now < deadline_for(consultation, delegation_id):
        return RoundState.OPEN
    return RoundState.CLOSED


def why_closed(
    consultation, delegation_id: int | None, now: datetime, *, late_ok: bool
) -> str | None:
    """Why the round takes no such write from this delegation at ``now`` (None when it does),
    in the words every face shows: the policy's refusal in a page or the API, and the
    operation's when the clock decided against a form already sent. Times are in the round's
    zone, as it announced them."""
    found = window(consultation, delegation_id, now, late_ok=late_ok)
    if found.takes_writes:
        return None

    def when(instant: datetime) -> str:
        return format_instant(instant, consultation.timezone)

    if found == Window.NOT_OPEN:
        return _(
            "This round opens on %(when)s; comments can be written from then on.",
            when=when(consultation.opens_dt),
        )
    if found == Window.CLOSED_EARLY:
        return _(
            "The secretariat closed this round on %(when)s: "
            "comments can no longer be written, changed or withdrawn.",
            when=when(consultation.closed_early_dt),
        )
    passed = when(deadline_for(consultation, delegation_id))
    if consultation.late_rule == LateRule.ACCEPT:
        return _(
            "The deadline passed on %(when)s: a submitted comment can no longer be changed or "
            "withdrawn, nor an amendment co-sponsored. New comments are still accepted, marked "
            "late.",
            when=passed,
        )
    return _(
        "The deadline passed on %(when)s: comments can no longer be written, changed or withdrawn.",
        when=passed,
    )
