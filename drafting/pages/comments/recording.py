"""The secretariat's page for recording a delegation's comment on its behalf (an oral statement
in the meeting, an e-mail, a letter). A refusal brings the form back with the reason and every
field as typed; once recorded, the comment is shown in the compilation."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from drafting.auth.models import Delegation
from drafting.consultations import commenting, recording
from drafting.consultations.forms import read_deadline
from drafting.consultations.models import Comment, Consultation
from drafting.consultations.recording_forms import RecordForm
from drafting.consultations.refusals import ConsultationError, DeadlineRefused
from drafting.database import utcnow
from drafting.extensions import db
from drafting.pages.comments.blueprint import bp
from drafting.pages.consultations import load_consultation
from drafting.times import reader_zone, zone
from drafting.web import require


def _form(consultation: Consultation) -> RecordForm:
    form = RecordForm(
        invited=list(consultation.invited), paragraphs=list(consultation.version.paragraphs)
    )
    if not form.is_submitted():
        zone_name = reader_zone(current_user)
        zone_name = consultation.timezone if zone_name == "UTC" else zone_name
        now = utcnow().astimezone(zone(zone_name))
        form.timezone.data = zone_name
        form.received_day.data = now.date()
        form.received_time.data = now.time().replace(second=0, microsecond=0)
        form.kind.data = request.args.get("kind", "general")[:16]
        form.paragraph.data = request.args.get("paragraph", "")[:32]
        form.form_token.data = commenting.new_form_token()
    return form


def _record(consultation: Consultation, form: RecordForm) -> tuple[Comment | None, str, int]:
    """The sent form taken in one step: the comment recorded, or None with the reason and the
    status to answer with (the reasons about one field are put at that field)."""
    if not form.validate_on_submit():
        return None, "", 422
    received_dt = read_deadline(form.received_day, form.received_time, form.timezone)
    if received_dt is None:
        return None, "", 422
    try:
        comment, _created = recording.record_comment(
            current_user,
            consultation,
            db.session.get(Delegation, form.delegation_id.data),
            kind=form.kind.data or "",
            paragraph_uid=form.paragraph.data or None,
            quote=form.quote.data or "",
            body=form.body.data or "",
            proposed_text=form.proposed_text.data or "",
            source=form.source.data or "",
            source_detail=form.source_detail.data or "",
            received_dt=received_dt,
            form_token=form.form_token.data or None,
        )
    except DeadlineRefused as exc:
        return None, str(exc), 409
    except ConsultationError as exc:
        return None, str(exc), 422
    return comment, "", 200


def _recorded(comment: Comment):
    """Say so, and show the comment where the secretariat reads the round: the compilation."""
    message = _(
        "Recorded as %(delegation)s's comment, submitted.", delegation=comment.delegation.name
    )
    flash(message, "success")
    page = url_for(
        "compilation.compilation",
        consultation_id=comment.consultation_id,
        comment=comment.id,
        _anchor=f"c-{comment.id}",
    )
    return redirect(page, 303)


@bp.route("/consultations/<id:consultation_id>/comments/record", methods=["GET", "POST"])
@login_required
def record(consultation_id: int):
    consultation = load_consultation(consultation_id)
    require("comment.record", consultation)
    form = _form(consultation)
    error, status = "", 200
    if form.is_submitted():
        comment, error, status = _record(consultation, form)
        if comment is not None:
            return _recorded(comment)
    return render_template(
        "comments/record.html",
        consultation=consultation,
        version=consultation.version,
        document=consultation.version.document,
        form=form,
        error=error,
    ), status
