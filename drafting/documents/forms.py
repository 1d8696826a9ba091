"""Forms for documents and their versions."""

from datetime import datetime, time, timedelta

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import select
from wtforms import BooleanField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from drafting.auth.models import Delegation
from drafting.consultations.deadlines import DeadlineError, to_utc, zone
from drafting.consultations.forms import ConsultationForm, default_zone
from drafting.database import utcnow
from drafting.documents.operations import MAX_NOTE_LENGTH
from drafting.extensions import db
from drafting.names import PlainName


class ParticipantsForm(FlaskForm):
    participants = SelectMultipleField(
        "Delegations taking part",
        coerce=int,
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
    )

    def chosen_delegations(self) -> list[Delegation]:
        ids = self.participants.data or []
        return list(db.session.scalars(select(Delegation).where(Delegation.id.in_(ids))))


class DocumentForm(ParticipantsForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=300), PlainName()])


class ImportForm(FlaskForm):
    label = StringField(
        "Label",
        validators=[DataRequired(), Length(max=100), PlainName()],
        description='As it will be printed, e.g. "Zero draft", "Draft 1", "Rev. 2".',
    )
    file = FileField(
        "Draft file: Word (.docx) or Markdown (.md, UTF-8)",
        validators=[FileRequired()],
        render_kw={"accept": ".docx,.md,.markdown,.txt"},
    )
    publish = BooleanField("Publish at once (delegations see it; it can no longer change)")


class PublishForm(FlaskForm):
    label = StringField(
        "Publish as",
        validators=[Optional(), Length(max=100), PlainName("label")],
        filters=[lambda text: (text or "").strip()],
        description='The label delegations will read, e.g. "Draft 2"; left empty, it keeps its '
        "label.",
    )
    note = TextAreaField(
        "Note to the delegations",
        validators=[
            Optional(),
            Length(
                max=MAX_NOTE_LENGTH,
                message=f"The note may have at most {MAX_NOTE_LENGTH:,} characters.",
            ),
        ],
        description="Optional: what changed and why, shown with the draft and in the mail. "
        "Markdown: *emphasis*, **bold**, lists, links.",
    )
    open_round = BooleanField("Open a round of comments on it now")
    accept_numbering = BooleanField(
        "Publish with the labels shown by the numbering check, problems included: they are intended"
    )
    confirm = BooleanField(
        "Publish: delegations will read it, and it can never change again",
        validators=[DataRequired(message="Tick the box to confirm: a published draft is final.")],
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
        try:
            zone(self.timezone.data or "")
        except DeadlineError as exc:
            self.timezone.errors = [*self.timezone.errors, str(exc)]
            return None
        if self.closes_day.data is None or self.closes_time.data is None:
            return None  # already said at the field: missing or not a date or time
        try:
            return to_utc(self.closes_day.data, self.closes_time.data, self.timezone.data)
        except DeadlineError as exc:
            self.closes_time.errors = [*self.closes_time.errors, str(exc)]
            return None
