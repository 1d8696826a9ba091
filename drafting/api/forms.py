"""The forms of the tokens page: name a new token, revoke one."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from drafting.api.models import DEFAULT_LIFETIME_DAYS, LIFETIMES_DAYS
from drafting.api.operations import MAX_NAME_LENGTH
from drafting.text.names import PlainName


class TokenForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[
            DataRequired(_l("Give the token a name, e.g. the program that will use it.")),
            Length(max=MAX_NAME_LENGTH),
            PlainName(),
        ],
        description=_l("What will use it, so that you know which one to revoke later."),
    )
    days = SelectField(
        _l("Valid for"),
        coerce=int,
        default=DEFAULT_LIFETIME_DAYS,
        choices=[SelectChoice(d, f"{d} days") for d in sorted(LIFETIMES_DAYS)],
        description=_l("After this it stops working, and you create a new one."),
    )


class RevokeForm(FlaskForm):
    """Only the CSRF token: which token to revoke is in the URL."""
