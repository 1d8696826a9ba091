"""Forms for logging in and for adding delegations and people."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from drafting.auth.models import Delegation, DelegationKind, Role
from drafting.auth.operations import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from drafting.extensions import db
from drafting.text.names import EmailAddress, PlainName
from drafting.times import canonical_zone, known_zones


def delegation_choices() -> list[SelectChoice]:
    """Every delegation, by name, as the options of a form field."""
    delegations = db.session.scalars(select(Delegation).order_by(Delegation.name))
    return [SelectChoice(d.id, f"{d.name} ({d.code})") for d in delegations]


def zone_choices(kept: str | None = None) -> list[SelectChoice]:
    """UTC first, then every canonical IANA zone grouped by region ("Europe", "America", …).
    ``kept``, a zone chosen before only canonical ones were offered and that has no canonical
    equal, stays offered (first) so that saving the form does not silently change it."""
    choices = [SelectChoice("UTC", "UTC")]
    if kept and kept != "UTC" and canonical_zone(kept) is None:
        choices.insert(0, SelectChoice(kept, f"{kept} (as chosen before)"))
    return choices + [
        SelectChoice(name, name.split("/", 1)[1].replace("_", " "), optgroup=name.split("/")[0])
        for name in known_zones()
        if "/" in name
    ]


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)])


class DelegationForm(FlaskForm):
    # Its own ids: the people page shows it beside UserForm, whose "name" would otherwise share
    # the id, so that the label "Name" of this form pointed at the person's name.
    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=200), PlainName()],
        id="delegation-name",
    )
    code = StringField(
        _l("Code"),
        id="delegation-code",
        validators=[DataRequired(), Length(max=16), PlainName()],
        description=_l(
            "ISO 3166 alpha-3 for a state (AUT), the acronym for an organisation (IOM)."
        ),
    )
    kind = SelectField(
        _l("Kind"),
        choices=[SelectChoice(k.value, k.value.capitalize()) for k in DelegationKind],
        id="delegation-kind",
    )


class UserForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200), PlainName()])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), EmailAddress()])
    role = SelectField(_l("Role"), choices=[SelectChoice(r.value, r.title) for r in Role])
    delegation_id = SelectField(_l("Delegation"), coerce=int)
    password = PasswordField(
        _l("Initial password"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH)],
        description=_l(
            "At least 12 characters, not the e-mail address; tell it to the person "
            "by another channel. They can change it under Settings."
        ),
    )


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(_l("Type your current password."))]
    )
    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Type a new password."))],
        description=_l(
            "At least 12 characters; any characters, no other rule. Not your e-mail address."
        ),
    )
    confirmation = PasswordField(
        _l("New password again"),
        validators=[DataRequired(_l("Type the new password a second time."))],
    )


class AccountForm(FlaskForm):
    """Only the CSRF token: which account, and what to do with it, are in the URL."""


class SettingsForm(FlaskForm):
    timezone = SelectField(
        _l("Your time zone"),
        # The operation's own check says which zone is unknown, better than "Not a valid choice".
        validate_choice=False,
        description=_l(
            "Deadlines and other times are shown in this zone as well as in the zone "
            "the secretariat announced them in."
        ),
    )

    locale = SelectField(
        _l("Language of the interface"),
        choices=[
            SelectChoice("", _l("As my browser prefers")),
            SelectChoice("en", "English"),
            SelectChoice("ru", "Русский"),
        ],
    )

    def __init__(self, *args, kept_zone: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = zone_choices(kept_zone)
