"""Forms for documents and their versions."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import select
from wtforms import BooleanField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from drafting.auth.models import Delegation
from drafting.extensions import db


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
    title = StringField("Title", validators=[DataRequired(), Length(max=300)])


class ImportForm(FlaskForm):
    label = StringField(
        "Label",
        validators=[DataRequired(), Length(max=100)],
        description='As it will be printed, e.g. "Zero draft", "Draft 1", "Rev. 2".',
    )
    file = FileField("Draft file (Markdown, UTF-8)", validators=[FileRequired()])
    publish = BooleanField("Publish at once (delegations see it; it can no longer change)")


class PublishForm(FlaskForm):
    confirm = BooleanField(
        "Publish: delegations will read it, and it can never change again",
        validators=[DataRequired(message="Tick the box to confirm: a published draft is final.")],
    )
