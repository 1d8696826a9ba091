"""Publishing a version from its page, with a round of comments opened in the same step when
the secretariat asks for one: the form handled in one step that returns what it came to."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_login import current_user

from drafting.auth.policy import can
from drafting.consultations.forms import RoundOnPublicationForm
from drafting.consultations.models import Consultation
from drafting.consultations.refusals import ConsultationError
from drafting.consultations.rounds import publish_and_open_round
from drafting.database import utcnow
from drafting.documents import operations, publishing
from drafting.documents.forms import PublishForm
from drafting.documents.models import Version
from drafting.times import DeadlineError, format_for


@dataclass(frozen=True)
class Publication:
    """What a press of Publish came to: published (``message`` to flash), or the version page
    again with the forms as typed, the reasons at their fields and ``errors`` for the rest."""

    form: PublishForm
    round_form: RoundOnPublicationForm
    status: int = 200
    errors: list[str] = field(default_factory=list)
    message: str | None = None


def already_published(version: Version) -> str | None:
    """What to tell the secretariat pressing Publish on a version published meanwhile."""
    if not (version.is_published and can(current_user, "version.import", version.document)):
        return None
    who = f" by {version.published_by.name}" if version.published_by else ""
    return f"{version.label} was already published{who}; it is shown below."


def publish(version: Version) -> Publication:
    """Publish ``version`` as the form asks, opening the round of comments with it if asked."""
    form, round_form_ = PublishForm(), round_form(version)
    valid = form.validate_on_submit()
    round_of_comments = _round_of_comments(version, round_form_) if form.open_round.data else None
    if not valid or (form.open_round.data and round_of_comments is None):
        return Publication(form, round_form_, 422)
    try:
        consultation = _publish(version, form, round_of_comments)
    except (operations.DocumentError, ConsultationError, DeadlineError) as exc:
        # Nothing was published: a refused round undid the publication with it.
        general = _show_publication_refusal(form, round_form_, exc)
        status = 409 if general and not isinstance(exc, ConsultationError) else 422
        return Publication(form, round_form_, status, general)
    return Publication(form, round_form_, message=_published_message(version, consultation))


def round_form(version: Version, *, fill: bool = False) -> RoundOnPublicationForm:
    participants = list(version.document.participants)
    if not fill:
        return RoundOnPublicationForm(participants=participants)
    form = RoundOnPublicationForm(formdata=None, participants=participants)
    form.fill_defaults(current_user, version.label)
    return form


def _round_of_comments(version: Version, form: RoundOnPublicationForm) -> dict | None:
    """open_consultation's arguments from the round's fields, or None with the reasons put at
    the fields. The round opens at publication, so only its deadline is asked."""
    valid = form.validate()
    closes_dt, opens_dt = form.deadline(), utcnow()
    if closes_dt is not None and closes_dt <= opens_dt:
        form.closes_time.errors = [
            *form.closes_time.errors,
            "This deadline is already past; the round opens now: choose a later one.",
        ]
    if not valid or closes_dt is None or closes_dt <= opens_dt:
        return None
    chosen = set(form.invited.data)
    return {
        "title": form.title.data,
        "instructions": form.instructions.data or "",
        "opens_dt": opens_dt,
        "closes_dt": closes_dt,
        "timezone": form.timezone.data,
        "invited": [d for d in version.document.participants if d.id in chosen],
        "visibility": form.visibility.data,
        "late_rule": form.late_rule.data,
    }


def _publish(version: Version, form: PublishForm, round_of_comments: dict | None):
    """Publish, and open the round in the same step when one was asked for."""
    # Only what the person asked for beyond publishing is passed: a new label, a note, the
    # numbering check accepted.
    asked = {
        "label": form.label.data or None,
        "note": form.note.data or "",
        "accept_numbering": form.accept_numbering.data,
    }
    asked = {name: value for name, value in asked.items() if value}
    if round_of_comments is None:
        publishing.publish_version(current_user, version, **asked)
        return None
    return publish_and_open_round(
        current_user, version, round_of_comments=round_of_comments, **asked
    )


# Where a refused round is shown: at the field its message is about.
_ROUND_FIELDS = (
    ("deadline", "closes_time"),
    ("title", "title"),
    ("invite", "invited"),
    ("instructions", "instructions"),
    ("zone", "timezone"),
)


def _show_publication_refusal(
    form: PublishForm, round_form: RoundOnPublicationForm, exc: Exception
) -> list[str]:
    """Put the refusal at the field it is about; what belongs to no field is returned."""
    message = str(exc)
    if isinstance(exc, publishing.PublicationError):
        field = form[exc.field]
    elif isinstance(exc, DeadlineError):
        field = round_form.timezone
    elif isinstance(exc, ConsultationError):
        lowered = message.lower()
        names = [name for word, name in _ROUND_FIELDS if word in lowered]
        if not names:
            return [f"The round of comments was refused, so nothing was published: {message}"]
        field = round_form[names[0]]
    else:
        return [message]
    field.errors = [*field.errors, message]
    return []


def _published_message(version: Version, consultation: Consultation | None) -> str:
    told = "Mail to every participant is queued in the outbox."
    if consultation is None:
        return f"{version.label} is published. {told}"
    deadline = format_for(consultation.closes_dt, consultation.timezone, current_user)
    return (
        f"{version.label} is published and the round “{consultation.title}” is open to "
        f"{len(consultation.invited)} delegations until {deadline}. {told}"
    )
