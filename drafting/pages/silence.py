"""Pages of the silence procedure: the secretariat puts a published version under silence, a
delegation breaks it with a statement; the document and version pages show where it stands
(see `silence_context`), and settle an adoption that is due as they are read."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from drafting.auth.policy import NotAllowed, why_not
from drafting.consultations.refusals import ConsultationError, DeadlineRefused
from drafting.consultations.silence import operations, queries
from drafting.consultations.silence.forms import BreakSilenceForm, SilenceForm
from drafting.consultations.silence.models import SilenceProcedure
from drafting.consultations.silence.policy import why_not_start
from drafting.database import reads_first, utcnow
from drafting.documents.models import Document, Version
from drafting.times import DeadlineError, countdown, format_for, iso_instant
from drafting.web import require
from drafting.web.loading import load

bp = Blueprint("silence", __name__)


def silence_context(document: Document, version: Version | None = None) -> dict:
    """What the document page (or a version's page, ``version``) shows of the silence
    procedure, after settling the adoption that fell due: the adoption and the procedures,
    latest first."""
    operations.settle_quietly(
        document_id=document.id if version is None else None,
        version_id=version.id if version is not None else None,
    )
    silences = (
        queries.silences_of_version(version.id)
        if version is not None
        else queries.silences_of_document(document.id)
    )
    shown = _shown(document, silences)
    if version is not None and version.is_published:
        shown["silence_refusal"] = why_not_start(version, shown["adoption"])
    return shown


def _shown(document: Document, silences: list[SilenceProcedure]) -> dict:
    """The adoption, the procedures, and the clock each countdown starts from."""
    now = utcnow()
    return {
        "adoption": queries.adoption_of(document.id),
        "silences": silences,
        "silence_now_iso": iso_instant(now),
        "silence_left": {
            s.id: countdown(now, s.deadline_dt, precise=True, locale=get_locale()) for s in silences
        },
        "silence_deadline_iso": {s.id: iso_instant(s.deadline_dt) for s in silences},
    }


@bp.route("/versions/<id:version_id>/silence", methods=["GET", "POST"])
@login_required
@reads_first
def start(version_id: int):
    version = load(Version, version_id, action="version.view")
    require("silence.start", version)
    form = SilenceForm()
    if (refusal := why_not_start(version)) is not None:
        return _start_page(version, form, [refusal], 409, refused=True)
    if not form.is_submitted():
        form.fill_defaults(current_user)
        return _start_page(version, form, [], 200)
    deadline = form.deadline() if form.validate() else None
    if deadline is None:
        return _start_page(version, form, [], 422)
    try:
        silence = operations.start_silence(
            current_user,
            version,
            deadline_dt=deadline,
            timezone=form.timezone.data,
            note=form.note.data or "",
        )
    except (ConsultationError, DeadlineError) as exc:
        return _start_page(version, form, [str(exc)], 422)
    when = format_for(silence.deadline_dt, silence.timezone, current_user)
    said = _(
        "%(version)s is under silence until %(when)s. Mail to everyone is queued.",
        version=version.label,
        when=when,
    )
    flash(said, "success")
    return redirect(url_for("silence.silence", silence_id=silence.id))


def _start_page(
    version: Version, form: SilenceForm, errors: list[str], status: int, *, refused: bool = False
):
    return render_template(
        "silence/start.html",
        version=version,
        document=version.document,
        form=None if refused else form,
        errors=errors,
    ), status


@bp.route("/silences/<id:silence_id>")
@login_required
@reads_first
def silence(silence_id: int):
    found = load(SilenceProcedure, silence_id, action="silence.view")
    return _silence_page(found, BreakSilenceForm(), [], 200)


@bp.route("/silences/<id:silence_id>/break", methods=["POST"])
@login_required
@reads_first
def break_silence(silence_id: int):
    found = load(SilenceProcedure, silence_id, action="silence.view")
    form = BreakSilenceForm()
    if not form.validate():
        return _silence_page(found, form, [], 422)
    try:
        operations.break_silence(current_user, found, form.statement.data)
    except DeadlineRefused as exc:
        return _silence_page(found, form, [str(exc)], 409)
    except NotAllowed as exc:
        return _silence_page(found, form, [exc.reason], 403)
    except ConsultationError as exc:
        return _silence_page(found, form, [str(exc)], 422)
    flash(_("Your delegation has broken the silence; everyone taking part is told."), "success")
    return redirect(url_for("silence.silence", silence_id=found.id))


def _silence_page(found: SilenceProcedure, form: BreakSilenceForm, errors: list[str], status):
    version = found.version
    # A refused form rolls its request back: nothing is settled in it.
    context = (
        silence_context(version.document, version)
        if status == 200
        else _shown(version.document, [found])
    )
    return render_template(
        "silence/silence.html",
        silence=found,
        version=version,
        document=version.document,
        form=form,
        errors=errors,
        refusal=why_not(current_user, "silence.break_now", found),
        **context,
    ), status
