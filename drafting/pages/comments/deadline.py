"""The reader's deadline as the comment pages show it: the countdown, and which buttons stay."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import get_locale
from flask_login import current_user

from drafting.consultations.deadlines import Window
from drafting.consultations.models import Consultation
from drafting.database import utcnow
from drafting.times import countdown, iso_instant


def accepts_writes(consultation: Consultation, delegation_id: int | None, now: datetime) -> bool:
    """Whether the round would take this delegation's new comment now, to decide which buttons
    to show (the operations apply the same rule again when a form is sent)."""
    return consultation.window_for(delegation_id, now, late_ok=True).takes_writes


@dataclass
class Deadline:
    """The reader's deadline, and whether the round takes writes from their delegation now."""

    consultation: Consultation
    now: datetime
    delegation_id: int | None
    at: datetime = field(init=False)
    writable: bool = field(init=False)

    def __post_init__(self) -> None:
        self.at = self.consultation.deadline_for(self.delegation_id)
        self.writable = accepts_writes(self.consultation, self.delegation_id, self.now)

    @property
    def state(self) -> str:
        if not self.consultation.has_opened(self.now):
            return "upcoming"
        if self.now < self.at:
            return "open"
        return "late" if self.writable else "closed"

    @property
    def left(self) -> str:
        return countdown(self.now, self.at, precise=True, locale=get_locale())

    @property
    def at_iso(self) -> str:
        return iso_instant(self.at)

    @property
    def now_iso(self) -> str:
        return iso_instant(self.now)

    @property
    def keeps_late_writes(self) -> bool:
        """Whether, once the deadline has come, the round still takes new comments and drafts
        from this delegation (marked late): the actions the countdown leaves in the page."""
        window = self.consultation.window_for(self.delegation_id, self.at, late_ok=True)
        return window == Window.LATE_ACCEPTED

    @property
    def extension(self):
        return self.consultation.extension_for(self.delegation_id)

    @property
    def closed_early(self) -> bool:
        closed = self.consultation.closed_early_dt
        return closed is not None and self.now >= closed


def reader_deadline(consultation: Consultation) -> Deadline:
    return Deadline(consultation, utcnow(), current_user.delegation_id)
