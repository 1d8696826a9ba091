"""Pages of a round of comments: open it, read its deadline, manage extensions and closing."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select

from drafting.auth.models import Delegation
from drafting.auth.policy import can
from drafting.consultations import refusals, rounds
from drafting.consultations.deadlines import RoundState, Window
from drafting.consultations.forms import (
    LATE_RULE_HELP,
    VISIBILITY_HELP,
    CloseForm,
    ConsultationForm,
    ExtensionForm,
    default_zone,
)
from drafting.consultations.models import Comment, CommentStatus, Consultation
from drafting.consultations.queries import load_round
from drafting.database import utcnow
from drafting.documents.models import Version
from drafting.extensions import db
from drafting.times import (
    DeadlineError,
    countdown,
    format_for,
    iso_instant,
    to_utc,
    zone,
)
from drafting.web import require
from drafting.web.loading import load

bp = Blueprint("consultations", __name__)


def load_consultation(consultation_id: int, *, with_versions: bool = False) -> Consultation:
    """The round, for someone who may know it exists (else 404), in a fixed number of queries:
    what the policy reads of it, and the document's versions when the page lists them."""
    consultation = load_round(consultation_id, with_versions=with_versions)
    if consultation is None:
        abort(404)
    require("consultation.view", consultation, hide=True)
    return consultation


def load_comment(comment_id: int) -> Comment:
    """The comment, for someone who may see it (else 404), with its round loaded as
    load_consultation loads it: the round is asked first, so that the answer tells nothing
    about a comment of a round the user may not know."""
    comment = load(Comment, comment_id)
    load_consultation(comment.consultation_id)  # the round, eagerly, into the identity map
    require("comment.view", comment, hide=True)
    return comment


# ---------------------------------------------------------------------------------------------
# Opening a round


def _new_form(version: Version) -> ConsultationForm:
    participants = list(version.document.participants)
    form = ConsultationForm(participants=participants)
    if not form.is_submitted():
        zone_name = default_zone(current_user)
        now = utcnow().astimezone(zone(zone_name))
        form.title.data = f"Comments on {version.label}"
        form.timezone.data = zone_name
        form.opens_day.data = now.date()
        form.opens_time.data = now.time().replace(second=0, microsecond=0)
        form.invited.data = [d.id for d in participants]
    return form


# Where an operation's refusal is shown: at the field it is about, else above the form.
_ERROR_FIELDS = (
    ("deadline", "closes_time"),
    ("opening", "opens_time"),
    ("title", "title"),
    ("invite", "invited"),
    ("instructions", "instructions"),
    ("zone", "timezone"),
)


def _show_refusal(form: ConsultationForm, message: str) -> list[str]:
    lowered = message.lower()
    for word, name in _ERROR_FIELDS:
        if word in lowered:
            field = form[name]
            field.errors = [*field.errors, message]
            return []
    return [message]


def _open(version: Version, form: ConsultationForm) -> tuple[Consultation | None, list[str]]:
    """The sent form taken in one step: the round opened, or None and the errors said above
    the form (those about one field are put at it)."""
    valid = form.validate()
    instants = form.instants()
    if not valid or instants is None:
        return None, []
    opens_dt, closes_dt = instants
    chosen = set(form.invited.data)
    try:
        consultation = rounds.open_consultation(
            current_user,
            version,
            title=form.title.data,
            instructions=form.instructions.data or "",
            opens_dt=opens_dt,
            closes_dt=closes_dt,
            timezone=form.timezone.data,
            invited=[d for d in version.document.participants if d.id in chosen],
            visibility=form.visibility.data,
            late_rule=form.late_rule.data,
        )
    except (refusals.ConsultationError, DeadlineError) as exc:
        return None, _show_refusal(form, str(exc))
    return consultation, []


def _publish_first(version: Version):
    return render_template(
        "error.html",
        title="Publish this version first",
        message=f"{version.label} is a working draft. Comments can only be asked on a "
        "published version, so that every delegation comments on the same text.",
    ), 409


def _new_page(version: Version, form: ConsultationForm, general_errors: list[str], status: int):
    return render_template(
        "consultations/new.html",
        form=form,
        version=version,
        document=version.document,
        general_errors=general_errors,
        visibility_help=VISIBILITY_HELP,
        late_rule_help=LATE_RULE_HELP,
    ), status


def _opened(consultation: Consultation):
    deadline = format_for(consultation.closes_dt, consultation.timezone, current_user)
    flash(
        _(
            "The round is open to %(count)s delegations; deadline %(when)s. Mail to them is "
            "queued in the outbox.",
            count=len(consultation.invited),
            when=deadline,
        ),
        "success",
    )
    return redirect(url_for("consultations.consultation", consultation_id=consultation.id))


@bp.route("/versions/<id:version_id>/consultations/new", methods=["GET", "POST"])
@login_required
def new(version_id: int):
    version = load(Version, version_id, action="version.view")
    require("consultation.manage")
    if not version.is_published:
        return _publish_first(version)
    require("consultation.create", version)
    form = _new_form(version)
    if not form.is_submitted():
        return _new_page(version, form, [], 200)
    consultation, general_errors = _open(version, form)
    if consultation is None:
        return _new_page(version, form, general_errors, 422)
    return _opened(consultation)


# ---------------------------------------------------------------------------------------------
# The round's page


def _own_comment_counts(consultation: Consultation) -> dict[str, int]:
    """How many comments the reader's delegation has in this round, by status: one query."""
    rows = db.session.execute(
        select(Comment.status, func.count())
        .where(
            Comment.consultation_id == consultation.id,
            Comment.delegation_id == current_user.delegation_id,
        )
        .group_by(Comment.status)
    )
    counts = {status.value: 0 for status in CommentStatus}
    for status, count in rows:
        counts[CommentStatus(status).value] = count
    return counts


def _later_version(consultation: Consultation) -> Version | None:
    """The latest published version after the consulted one, for "what changed since"."""
    latest = consultation.version.document.latest_published
    if latest is None or latest.id == consultation.version_id:
        return None
    return latest if latest.id > consultation.version_id else None


def _clock(consultation: Consultation, now: datetime) -> dict:
    """What the countdown says to this reader: the instant it counts to and its words.
    ``now`` goes into the page too, so that the script can allow for a wrong clock."""

    def counting(target: datetime, lead: str, after: str, *, ends: bool = False) -> dict:
        late = consultation.window_for(current_user.delegation_id, target, late_ok=True)
        return {
            # At the deadline the page takes away what the round would refuse from then on.
            "ends_actions": ends,
            "keeps_late_writes": ends and late == Window.LATE_ACCEPTED,
            "target": target,
            "target_iso": iso_instant(target),
            "now_iso": iso_instant(now),
            "lead": lead,
            "text": countdown(now, target, precise=True, locale=get_locale()),
            "after": after,
        }

    state = consultation.state(now)
    own_deadline = consultation.deadline_for(current_user.delegation_id)
    if state == RoundState.UPCOMING:
        return counting(
            consultation.opens_dt, _("Opens in"), _("The round is open: reload the page.")
        )
    if state == RoundState.OPEN and now < own_deadline:
        return counting(own_deadline, _("Time left"), _("The deadline has passed."), ends=True)
    if state == RoundState.OPEN and can(current_user, "consultation.view_extensions", consultation):
        return {
            "target": None,
            "lead": "",
            "text": _(
                "The deadline has passed; the round is still open for delegations "
                "with an extension."
            ),
        }
    if state == RoundState.OPEN:
        return {"target": None, "lead": "", "text": _("The deadline has passed.")}
    return {"target": None, "lead": "", "text": _("This round is closed.")}


def _round_page(
    consultation: Consultation,
    *,
    extension_form: ExtensionForm | None = None,
    close_form: CloseForm | None = None,
    status: int = 200,
):
    now = utcnow()
    invited = list(consultation.invited)
    if extension_form is None:
        extension_form = ExtensionForm(formdata=None, invited=invited)
        extension_form.at.data = consultation.closes_dt.astimezone(consultation.zone).time()
    delegation_id = current_user.delegation_id
    is_invited = consultation.is_invited(delegation_id)
    return render_template(
        "consultations/consultation.html",
        consultation=consultation,
        version=consultation.version,
        document=consultation.version.document,
        state=consultation.state(now)
        if can(current_user, "consultation.view_extensions", consultation)
        else consultation.state_for(current_user.delegation_id, now),
        clock=_clock(consultation, now),
        own_extension=consultation.extension_for(delegation_id) if is_invited else None,
        is_invited=is_invited,
        counts=_own_comment_counts(consultation) if is_invited else None,
        later=_later_version(consultation),
        has_closed=consultation.has_closed(now),
        extension_form=extension_form,
        close_form=close_form or CloseForm(formdata=None),
        visibility_help=VISIBILITY_HELP,
        late_rule_help=LATE_RULE_HELP,
    ), status


@bp.route("/consultations/<id:consultation_id>")
@login_required
def consultation(consultation_id: int):
    return _round_page(load_consultation(consultation_id, with_versions=True))


# ---------------------------------------------------------------------------------------------
# The secretariat's tools


def _grant(consultation: Consultation, form: ExtensionForm) -> str | None:
    """The sent form taken in one step: what to tell the secretariat once the extension is
    granted, or None with the reason put at the field it is about."""
    if not form.validate_on_submit():
        return None
    delegation = db.session.get(Delegation, form.delegation_id.data)
    try:
        closes_dt = to_utc(form.day.data, form.at.data, consultation.timezone)
    except DeadlineError as exc:
        form.at.errors = [*form.at.errors, str(exc)]
        return None
    try:
        rounds.grant_extension(
            current_user, consultation, delegation, closes_dt, form.reason.data or ""
        )
    except refusals.ConsultationError as exc:
        form.day.errors = [*form.day.errors, str(exc)]
        return None
    until = format_for(closes_dt, consultation.timezone, current_user)
    return _("%(name)s may now submit comments until %(when)s.", name=delegation.name, when=until)


@bp.route("/consultations/<id:consultation_id>/extensions", methods=["POST"])
@login_required
def extend(consultation_id: int):
    consultation = load_consultation(consultation_id, with_versions=True)
    require("consultation.manage", consultation)
    form = ExtensionForm(invited=list(consultation.invited))
    granted = _grant(consultation, form)
    if granted is None:
        return _round_page(consultation, extension_form=form, status=422)
    flash(granted, "success")
    page = url_for("consultations.consultation", consultation_id=consultation.id)
    return redirect(page + "#extensions")


def _closed(consultation: Consultation):
    flash(
        _(
            "“%(title)s” is closed: no more comments are accepted. "
            "Mail to the invited delegations is queued in the outbox.",
            title=consultation.title,
        ),
        "success",
    )
    return redirect(url_for("consultations.consultation", consultation_id=consultation.id))


@bp.route("/consultations/<id:consultation_id>/close", methods=["POST"])
@login_required
def close(consultation_id: int):
    consultation = load_consultation(consultation_id, with_versions=True)
    require("consultation.manage", consultation)
    form = CloseForm()
    if not form.validate_on_submit():
        return _round_page(consultation, close_form=form, status=422)
    try:
        rounds.close_early(current_user, consultation)
    except refusals.ConsultationError as exc:
        form.confirm.errors = [str(exc)]
        return _round_page(consultation, close_form=form, status=409)
    return _closed(consultation)
