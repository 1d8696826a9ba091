"""The secretariat's form for a decision on one comment.

The compilation page writes this form out by hand beside each of up to thousands of comments
(building a form object per comment would cost more than the page); the names of its fields are
these, and the view validates what comes back with this class.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length

from drafting.consultations.decisions import MAX_REFLECTED_LENGTH
from drafting.consultations.models import Outcome


def outcome_choices() -> list[SelectChoice]:
    return [SelectChoice("", _l("Choose…")), *(SelectChoice(o.value, _l(o.title)) for o in Outcome)]


class DecisionForm(FlaskForm):
    # The operation says what is wrong with an outcome, in the words the page uses.
    outcome = SelectField(_l("Decision"), choices=outcome_choices, validate_choice=False)
    justification = TextAreaField(_l("Justification"))
    is_shared = BooleanField(_l("Shared with delegations (untick: internal)"), default=True)
    reflected_in = StringField(
        _l("Reflected in"),
        validators=[
            Length(
                max=MAX_REFLECTED_LENGTH,
                message=_l(
                    "“Reflected in” may have at most %(limit)s characters.",
                    limit=MAX_REFLECTED_LENGTH,
                ),
            )
        ],
        description=_l("A note, for example “with the wording of PAK”."),
    )
    # The paragraph, by its number in the chosen version: stored by its identity, so that it is
    # always shown with its current number.
    reflected_paragraph = StringField(_l("Reflected in paragraph"), validators=[Length(max=32)])
    reflected_version = StringField(_l("of"))
