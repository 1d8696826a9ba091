"""The form with which the secretariat records a delegation's comment on its behalf: which
delegation, what kind of comment on which paragraph, the text, the source and when it was
received (in a zone the secretariat chooses). The texts are checked by the operation."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from drafting.auth.forms import zone_choices
from drafting.auth.models import Delegation
from drafting.consultations.forms import _date_field, _time_field, delegation_options
from drafting.consultations.models import CommentKind
from drafting.consultations.recording import MAX_SOURCE_CHARS
from drafting.documents.models import Paragraph

SOURCE_LABELS = {
    "oral": _l("Oral statement in the meeting"),
    "email": _l("E-mail"),
    "letter": _l("Letter"),
    "other": _l("Other"),
}
# The shown beginning of a paragraph in the list to choose from.
_EXCERPT_CHARS = 70


def paragraph_options(paragraphs: list[Paragraph]) -> list[SelectChoice]:
    """Each paragraph of the round's version, by its number and first words."""
    choices = [SelectChoice("", _l("— none: a general comment on the whole text —"))]
    for p in paragraphs:
        words = " ".join(p.text.split())
        if len(words) > _EXCERPT_CHARS:
            words = words[:_EXCERPT_CHARS].rstrip() + "…"
        choices.append(SelectChoice(p.uid, f"{p.label} {words}".strip()))
    return choices


class RecordForm(FlaskForm):
    delegation_id = SelectField(
        _l("On behalf of"),
        coerce=int,
        validators=[InputRequired(message=_l("Choose the delegation."))],
        invalid_choice_message=_l("Choose one of the delegations invited to this round."),
    )
    kind = SelectField(
        _l("What it is"),
        choices=[SelectChoice(k.value, _l(k.title)) for k in CommentKind],
        default=CommentKind.GENERAL.value,
        validate_choice=False,  # the operation says why a kind is not one
    )
    paragraph = SelectField(
        _l("Paragraph"),
        validate_choice=False,  # the operation says why a paragraph is not one
        description=_l("For an amendment, the paragraph it changes or follows."),
    )
    quote = StringField(_l("Quoted passage (optional)"))
    proposed_text = TextAreaField(_l("Proposed text"), render_kw={"rows": 5})
    body = TextAreaField(_l("Comment or justification"), render_kw={"rows": 5})
    source = RadioField(
        _l("Source"),
        choices=[SelectChoice(value, label) for value, label in SOURCE_LABELS.items()],
        validators=[InputRequired(message=_l("Say where the comment comes from."))],
    )
    source_detail = StringField(
        _l("Source, in your words"),
        render_kw={"maxlength": MAX_SOURCE_CHARS},
        description=_l("For example “E-mail of the Permanent Mission, 3 December”."),
    )
    received_day = _date_field(_l("Received on"))
    received_time = _time_field(_l("at"))
    timezone = SelectField(_l("Time zone of this time"), validate_choice=False)
    form_token = HiddenField()

    def __init__(
        self, *args, invited: list[Delegation], paragraphs: list[Paragraph], **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.delegation_id.choices = delegation_options(invited)
        self.paragraph.choices = paragraph_options(paragraphs)
        self.timezone.choices = zone_choices()
