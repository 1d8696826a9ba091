"""The forms of a marked-up Word file's import: the upload (with, for the secretariat, whose
file it is and when it came) and the review's answer, which carries what was read, sealed."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, HiddenField, SelectField, StringField, SubmitField
from wtforms.validators import Length, Optional

from drafting.consultations.word_comments import DEFAULT_SOURCE, MAX_SOURCE_CHARS


class WordFileForm(FlaskForm):
    file = FileField(
        _l("Marked-up Word file (.docx)"),
        validators=[FileRequired(_l("Choose the Word file to read."))],
        render_kw={"accept": ".docx"},
        description=_l(
            "The Word copy of this version, with tracked changes and comments made in Word."
        ),
    )
    delegation_id = SelectField(_l("On behalf of"), coerce=int, validators=[Optional()])
    received_on = DateField(_l("Received on"), validators=[Optional()])
    source = StringField(
        _l("Received how"), default=DEFAULT_SOURCE, validators=[Length(max=MAX_SOURCE_CHARS)]
    )


class ConfirmWordFileForm(FlaskForm):
    found = HiddenField()
    delegation_id = HiddenField()
    received_on = HiddenField()
    source = HiddenField()
    seal = HiddenField()
    accept = SubmitField(_l("Store these comments"))
    stop = SubmitField(_l("Stop: store nothing"))
