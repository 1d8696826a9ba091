"""Forms for rounds of comments: opening a round, granting an extension, closing early."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from drafting.auth.forms import zone_choices
from drafting.auth.models import Delegation
from drafting.consultations.models import LateRule, Visibility
from drafting.consultations.rounds import MAX_TITLE_LENGTH
from drafting.database import utcnow
from drafting.extensions import N_
from drafting.times import DeadlineError, canonical_zone, to_utc, zone

# What each rule means for the delegations, in one line each, beside the choice.
VISIBILITY_HELP = {
    Visibility.SEALED: N_(
        "Each delegation sees only its own comments until the deadline; "
        "then every participant sees all of them."
    ),
    Visibility.OPEN: N_("Every participant sees each comment as soon as it is submitted."),
    Visibility.SECRETARIAT: N_(
        "Only the secretariat sees the comments (and the chair, once the "
        "round has closed); delegations never see each other's."
    ),
}
LATE_RULE_HELP = {
    LateRule.REFUSE: N_("After the deadline the service refuses new and changed comments."),
    LateRule.ACCEPT: N_(
        "After the deadline comments are still taken, and marked late in the compilation."
    ),
}
# The browser's date and time inputs send "HH:MM", or "HH:MM:SS" when seconds are shown.
TIME_FORMATS = ["%H:%M", "%H:%M:%S"]


def delegation_options(delegations: list[Delegation]) -> list[SelectChoice]:
    return [SelectChoice(d.id, f"{d.name} ({d.code})") for d in delegations]


def default_zone(user) -> str:
    """The zone a new round is announced in: the secretariat's own, unless it kept UTC."""
    own = canonical_zone(getattr(user, "timezone", None))
    return own if own and own != "UTC" else "Europe/Vienna"


def _date_field(label: str, **kwargs) -> DateField:
    return DateField(
        label,
        validators=[InputRequired(message=_l("Give the date."))],
        invalid_value_message=_l("Give the date as year-month-day, e.g. 2029-12-22."),
        **kwargs,
    )


def _time_field(label: str, **kwargs) -> TimeField:
    return TimeField(
        label,
        format=TIME_FORMATS,
        validators=[InputRequired(message=_l("Give the time."))],
        invalid_value_message=_l("Give the time as hours:minutes, e.g. 18:00."),
        **kwargs,
    )


def read_deadline(day, at, timezone) -> datetime | None:
    """The deadline a form's day, time and zone fields give, in UTC; or None with the reason put
    at the field (a round's closing, a silence procedure's end)."""
    try:
        zone(timezone.data or "")
    except DeadlineError as exc:
        timezone.errors = [*timezone.errors, str(exc)]
        return None
    if day.data is None or at.data is None:
        return None  # already said at the field: missing or not a date or time
    try:
        return to_utc(day.data, at.data, timezone.data)
    except DeadlineError as exc:
        at.errors = [*at.errors, str(exc)]
        return None


class ConsultationForm(FlaskForm):
    title = StringField(
        _l("Title"),
        validators=[Length(max=MAX_TITLE_LENGTH)],
        filters=[lambda text: (text or "").strip()],
        description=_l(
            "Left empty, the round is called “Comments on” and the version's label.",
        ),
    )
    instructions = TextAreaField(
        _l("Instructions to delegations"),
        validators=[Optional()],
        description=_l("Optional. Markdown: *emphasis*, **bold**, lists, links."),
    )
    opens_day = _date_field(_l("Opens on"))
    opens_time = _time_field(_l("at"))
    closes_day = _date_field(_l("Deadline"))
    closes_time = _time_field(_l("at"))
    timezone = SelectField(
        _l("Time zone of these times"),
        # The zone's own check (deadlines.zone) gives a clearer message than "Not a valid choice".
        validate_choice=False,
        description=_l(
            "The IANA zone in which the opening and the deadline are announced; every "
            "reader also sees them in their own zone."
        ),
    )
    invited = SelectMultipleField(
        _l("Delegations invited"),
        coerce=int,
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
        validators=[DataRequired(message=_l("Invite at least one delegation."))],
    )
    visibility = RadioField(
        _l("Who sees the comments"),
        choices=[SelectChoice(v.value, _l(v.title)) for v in Visibility],
        default=Visibility.SEALED.value,
    )
    late_rule = RadioField(
        _l("After the deadline"),
        choices=[SelectChoice(r.value, _l(r.title)) for r in LateRule],
        default=LateRule.REFUSE.value,
    )

    def __init__(self, *args, participants: list[Delegation], **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = zone_choices()
        self.invited.choices = delegation_options(participants)

    def instants(self) -> tuple[datetime, datetime] | None:
        """The opening and the deadline in UTC, or None with the reason put at the field."""
        try:
            zone_name = self.timezone.data or ""
            zone(zone_name)
        except DeadlineError as exc:
            self.timezone.errors = [*self.timezone.errors, str(exc)]
            return None
        instants = []
        for day, at in ((self.opens_day, self.opens_time), (self.closes_day, self.closes_time)):
            if day.data is None or at.data is None:
                continue  # already said at the field: missing or not a date or time
            try:
                instants.append(to_utc(day.data, at.data, zone_name))
            except DeadlineError as exc:
                at.errors = [*at.errors, str(exc)]
        return (instants[0], instants[1]) if len(instants) == 2 else None


class ExtensionForm(FlaskForm):
    """A later deadline for one invited delegation, as a wall-clock time in the round's zone."""

    delegation_id = SelectField(
        _l("Delegation"),
        coerce=int,
        validators=[InputRequired(message=_l("Choose the delegation."))],
        invalid_choice_message=_l("Choose one of the delegations invited to this round."),
    )
    day = _date_field(_l("New deadline"))
    at = _time_field(_l("at"))
    reason = TextAreaField(
        _l("Reason"),
        validators=[Optional(), Length(max=2000)],
        description=_l("Recorded with the extension; the delegation is told of its new deadline."),
    )

    def __init__(self, *args, invited: list[Delegation], **kwargs):
        super().__init__(*args, **kwargs)
        self.delegation_id.choices = delegation_options(invited)


class CloseForm(FlaskForm):
    confirm = BooleanField(
        _l(
            "Close this round now for every delegation, extensions included; "
            "no more comments will be accepted"
        ),
        validators=[DataRequired(message=_l("Tick the box to confirm: closing cannot be undone."))],
    )


class RoundOnPublicationForm(ConsultationForm):
    """The round opened with a publication: it opens at once, so only its deadline is asked.

    Sent with the publish form (prefix ``round-``), whose CSRF token covers both.
    """

    opens_day = None
    opens_time = None

    def __init__(self, *args, participants: list[Delegation], **kwargs):
        kwargs.setdefault("prefix", "round")
        kwargs.setdefault("meta", {"csrf": False})
        super().__init__(*args, participants=participants, **kwargs)

    def fill_defaults(self, user, version_label: str) -> None:
        """What the form shows before anything is typed: the round named after the draft, in
        the secretariat's zone, two weeks from now, every participant invited."""
        zone_name = default_zone(user)
        deadline = (utcnow() + timedelta(days=14)).astimezone(zone(zone_name))
        self.title.data = f"Comments on {version_label}"
        self.timezone.data = zone_name
        self.closes_day.data = deadline.date()
        self.closes_time.data = time(18, 0)
        self.invited.data = [choice.value for choice in self.invited.choices]

    def deadline(self) -> datetime | None:
        """The deadline in UTC, or None with the reason put at the field."""
        return read_deadline(self.closes_day, self.closes_time, self.timezone)
