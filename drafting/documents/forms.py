"""Forms for documents and their versions."""

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import select
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from drafting.auth.models import Delegation
from drafting.documents.publishing import MAX_NOTE_LENGTH
from drafting.documents.translations import ORIGINAL_LANGUAGES, language_name
from drafting.extensions import db
from drafting.text.names import PlainName


class ParticipantsForm(FlaskForm):
    participants = SelectMultipleField(
        _l("Delegations taking part"),
        coerce=int,
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
    )

    def chosen_delegations(self) -> list[Delegation]:
        ids = self.participants.data or []
        return list(db.session.scalars(select(Delegation).where(Delegation.id.in_(ids))))


class DocumentForm(ParticipantsForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300), PlainName()])
    language = SelectField(
        _l("Language of the original"),
        default="en",
        description=_l("Translations into other languages are imported later, version by version."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        locale = str(get_locale() or "en")
        self.language.choices = [(code, language_name(code, locale)) for code in ORIGINAL_LANGUAGES]


class ImportForm(FlaskForm):
    label = StringField(
        _l("Label"),
        validators=[DataRequired(), Length(max=100), PlainName()],
        description=_l('As it will be printed, e.g. "Zero draft", "Draft 1", "Rev. 2".'),
    )
    file = FileField(
        _l("Draft file: Word (.docx) or Markdown (.md, UTF-8)"),
        validators=[FileRequired()],
        render_kw={"accept": ".docx,.md,.markdown,.txt"},
    )
    publish = BooleanField(_l("Publish at once (delegations see it; it can no longer change)"))


class PublishForm(FlaskForm):
    label = StringField(
        _l("Publish as"),
        validators=[Optional(), Length(max=100), PlainName("label")],
        filters=[lambda text: (text or "").strip()],
        description=_l(
            'The label delegations will read, e.g. "Draft 2"; left empty, it keeps its label.'
        ),
    )
    note = TextAreaField(
        _l("Note to the delegations"),
        validators=[
            Optional(),
            Length(
                max=MAX_NOTE_LENGTH,
                message=_l(
                    "The note may have at most %(limit)s characters.",
                    limit=f"{MAX_NOTE_LENGTH:,}",
                ),
            ),
        ],
        description=_l(
            "Optional: what changed and why, shown with the draft and in the mail. "
            "Markdown: *emphasis*, **bold**, lists, links."
        ),
    )
    open_round = BooleanField(_l("Open a round of comments on it now"))
    accept_numbering = BooleanField(
        _l(
            "Publish with the labels shown by the numbering check, problems included: "
            "they are intended"
        )
    )
    confirm = BooleanField(
        _l("Publish: delegations will read it, and it can never change again"),
        validators=[
            DataRequired(message=_l("Tick the box to confirm: a published draft is final."))
        ],
    )
