"""Forms of the silence procedure: starting one (a deadline in a named zone, 72 hours from now
unless changed) and breaking one (a written statement)."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from drafting.auth.forms import zone_choices
from drafting.consultations.forms import _date_field, _time_field, default_zone, read_deadline
from drafting.consultations.silence.operations import (
    DEFAULT_HOURS,
    MAX_NOTE_CHARS,
    MAX_STATEMENT_CHARS,
)
from drafting.database import utcnow
from drafting.times import zone


class SilenceForm(FlaskForm):
    """The deadline of a silence procedure, as a wall-clock time in a named zone."""

    day = _date_field(_l("Silence until"))
    at = _time_field(_l("at"))
    timezone = SelectField(
        _l("Time zone of the deadline"),
        validate_choice=False,  # times.zone says more clearly why a zone is refused
        description=_l("Every participant also sees the deadline in their own zone."),
    )
    note = TextAreaField(
        _l("Note to the delegations"),
        validators=[Optional(), Length(max=MAX_NOTE_CHARS)],
        description=_l("Optional. Markdown: *emphasis*, **bold**, lists, links."),
    )
    confirm = BooleanField(
        _l(
            "Put this version under silence: if no delegation breaks silence by the deadline, it "
            "is adopted, for good"
        ),
        validators=[DataRequired(message=_l("Tick the box to confirm."))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = zone_choices()

    def fill_defaults(self, user) -> None:
        """Before anything is typed: 72 hours from now, to the minute, in the secretariat's
        zone."""
        zone_name = default_zone(user)
        deadline = (utcnow() + timedelta(hours=DEFAULT_HOURS)).astimezone(zone(zone_name))
        self.timezone.data = zone_name
        self.day.data = deadline.date()
        self.at.data = deadline.time().replace(second=0, microsecond=0)

    def deadline(self) -> datetime | None:
        """The deadline in UTC, or None with the reason put at the field."""
        return read_deadline(self.day, self.at, self.timezone)


class BreakSilenceForm(FlaskForm):
    statement = TextAreaField(
        _l("Your delegation's statement"),
        validators=[
            DataRequired(
                message=_l("Write your delegation's statement: silence is broken in writing.")
            ),
            Length(
                max=MAX_STATEMENT_CHARS,
                message=_l(
                    "The statement may have at most %(limit)s characters.",
                    limit=f"{MAX_STATEMENT_CHARS:,}",
                ),
            ),
        ],
        filters=[lambda text: (text or "").strip()],
        description=_l(
            "Why your delegation cannot accept the text. Everyone taking part reads it. "
            "Markdown: *emphasis*, **bold**, lists, links."
        ),
    )
