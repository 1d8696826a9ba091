"""Forms for logging in and for adding delegations and people."""

from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length

from drafting.auth.models import Delegation, DelegationKind, Role
from drafting.consultations.deadlines import known_zones
from drafting.extensions import db
from drafting.names import PlainName


def delegation_choices() -> list[SelectChoice]:
    """Every delegation, by name, as the options of a form field."""
    delegations = db.session.scalars(select(Delegation).order_by(Delegation.name))
    return [SelectChoice(d.id, f"{d.name} ({d.code})") for d in delegations]


def zone_choices() -> list[SelectChoice]:
    """Every known IANA zone, grouped by region ("Europe", "America", …) for a long list."""
    return [
        SelectChoice(name, name.replace("_", " "), optgroup=name.split("/", 1)[0])
        if "/" in name
        else SelectChoice(name, name)
        for name in known_zones()
    ]


class LoginForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1024)])


class DelegationForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=200), PlainName()])
    code = StringField(
        "Code",
        validators=[DataRequired(), Length(max=16), PlainName()],
        description="ISO 3166 alpha-3 for a state (AUT), the acronym for an organisation (IOM).",
    )
    kind = SelectField(
        "Kind", choices=[SelectChoice(k.value, k.value.capitalize()) for k in DelegationKind]
    )


class UserForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=200), PlainName()])
    email = EmailField(
        "E-mail", validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)]
    )
    role = SelectField("Role", choices=[SelectChoice(r.value, r.title) for r in Role])
    delegation_id = SelectField("Delegation", coerce=int)
    password = PasswordField(
        "Initial password",
        validators=[DataRequired(), Length(min=12, max=1024)],
        description="At least 12 characters; tell it to the person by another channel.",
    )


class SettingsForm(FlaskForm):
    timezone = SelectField(
        "Your time zone",
        # The operation's own check says which zone is unknown, better than "Not a valid choice".
        validate_choice=False,
        description="Deadlines and other times are shown in this zone as well as in the zone "
        "the secretariat announced them in.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = zone_choices()
