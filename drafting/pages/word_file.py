"""The round's page for a marked-up Word file: upload it, review each amendment it proposes as a
redline against the round's text, then store them (a delegate's own as drafts, a file the
secretariat received as the delegation's submitted comments). Nothing is stored before the
confirmation, which carries what the review showed, sealed by the app's key."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from itsdangerous import Signer
from markupsafe import Markup

from drafting.auth.models import Delegation
from drafting.auth.policy import can, why_not
from drafting.compare.html import diff_to_html
from drafting.compare.words import diff_words
from drafting.consultations.models import Consultation
from drafting.consultations.refusals import ConsultationError
from drafting.consultations.word_comments import (
    DEFAULT_SOURCE,
    comment_kind_of,
    import_word_comments,
    read_word_file,
)
from drafting.consultations.word_forms import ConfirmWordFileForm, WordFileForm
from drafting.database import utcnow
from drafting.documents.docx_archive import DocxError
from drafting.documents.docx_markup_found import FoundChange
from drafting.extensions import db
from drafting.pages.consultations import load_consultation
from drafting.text.inline import display_text
from drafting.times import to_utc
from drafting.web import require

bp = Blueprint("word_file", __name__)

_CHANGE_FIELDS = ("kind", "paragraph_uid", "after_paragraph_uid", "label", "quote")
_CHANGE_FIELDS += ("proposed_text", "body")


@bp.route("/consultations/<id:consultation_id>/word-file", methods=["GET", "POST"])
@login_required
def upload(consultation_id: int):
    consultation = load_consultation(consultation_id)
    on_behalf = _importer(consultation)
    form = _upload_form(consultation)
    if form.validate_on_submit():
        review = _read(consultation, form, on_behalf)
        if review is not None:
            return _review_page(consultation, review, on_behalf)
    status = 422 if form.errors else 200
    return _upload_page(consultation, form, on_behalf, status)


@bp.route("/consultations/<id:consultation_id>/word-file/confirm", methods=["POST"])
@login_required
def confirm(consultation_id: int):
    consultation = load_consultation(consultation_id)
    on_behalf = _importer(consultation)
    form = ConfirmWordFileForm()
    if form.stop.data:
        flash(_("Nothing was stored."), "info")
        return redirect(url_for("consultations.consultation", consultation_id=consultation.id))
    if not form.validate_on_submit() or not _seal_holds(consultation, form):
        return _review_lost(consultation, on_behalf)
    try:
        stored = _store(consultation, form, on_behalf)
    except ConsultationError as exc:
        form.found.errors = [str(exc)]
        return _review_page(consultation, form, on_behalf, status=422)
    flash(_("%(n)s comments stored from the Word file.", n=len(stored)), "success")
    if on_behalf:
        return redirect(url_for("consultations.consultation", consultation_id=consultation.id))
    return redirect(url_for("comments.draft", consultation_id=consultation.id))


def _importer(consultation: Consultation) -> bool:
    """Whether the user imports for another delegation (the secretariat) or for their own."""
    if can(current_user, "consultation.manage", consultation):
        return True
    require("comment.write", consultation)
    return False


def _upload_form(consultation: Consultation, *, fresh: bool = False) -> WordFileForm:
    form = WordFileForm(formdata=None) if fresh else WordFileForm()
    form.delegation_id.choices = [(d.id, f"{d.name} ({d.code})") for d in consultation.invited]
    if fresh or not form.is_submitted():
        form.received_on.data = utcnow().astimezone(consultation.zone).date()
    return form


def _read(consultation: Consultation, form: WordFileForm, on_behalf: bool):
    """The review's form filled from the file, or None with the reason at the file's field."""
    delegation_id = form.delegation_id.data if on_behalf else current_user.delegation_id
    refusal = _closed_for(consultation, delegation_id, on_behalf, form.received_on.data)
    if refusal:
        form.file.errors = [refusal]
        return None
    try:
        reading = read_word_file(consultation, form.file.data.read(), current_app.config)
    except DocxError as exc:
        form.file.errors = [str(exc)]
        return None
    review = ConfirmWordFileForm(formdata=None)
    unseen = reading.accounted.get("without_effect", 0)
    review.found.data = json.dumps(reading.to_json() | {"notes": reading.notes, "unseen": unseen})
    review.delegation_id.data = str(delegation_id)
    review.received_on.data = form.received_on.data.isoformat() if form.received_on.data else ""
    review.source.data = (form.source.data or DEFAULT_SOURCE).strip() if on_behalf else ""
    return review


def _closed_for(
    consultation: Consultation, delegation_id, on_behalf: bool, received_on: date | None
) -> str | None:
    if not on_behalf:
        return why_not(current_user, "comment.write_now", consultation)
    if not consultation.is_invited(delegation_id):
        return _("Choose a delegation invited to this round.")
    received = _received_at(consultation, received_on)
    if not consultation.window_for(delegation_id, received, late_ok=True).takes_writes:
        return _("This round takes no more comments from that delegation.")
    return None


def _received_at(consultation: Consultation, day: date | None) -> datetime:
    """When a file said to be received on ``day`` counts as received: that day's first moment
    within the round (the delegation gets the benefit of the hour not given), now if that is
    still to come; lateness is read at that moment, as for any comment recorded for it."""
    now = utcnow()
    if day is None:
        return now
    return min(max(to_utc(day, time(0), consultation.timezone), consultation.opens_dt), now)


def _sealer() -> Signer:
    return Signer(current_app.secret_key, salt="word file review")


def _message(consultation: Consultation, form: ConfirmWordFileForm) -> bytes:
    carried = [
        consultation.id,
        current_user.id,
        form.delegation_id.data or "",
        form.received_on.data or "",
        form.source.data or "",
        form.found.data or "",
    ]
    return json.dumps(carried, ensure_ascii=False).encode("utf-8")


def _seal_holds(consultation: Consultation, form: ConfirmWordFileForm) -> bool:
    seal = (form.seal.data or "").encode("ascii", "replace")
    return _sealer().verify_signature(_message(consultation, form), seal)


def _store(consultation: Consultation, form: ConfirmWordFileForm, on_behalf: bool):
    found = json.loads(form.found.data)
    changes = [FoundChange(**{k: a[k] for k in _CHANGE_FIELDS}) for a in found["amendments"]]
    delegation = db.session.get(Delegation, int(form.delegation_id.data))
    received = None
    if on_behalf and form.received_on.data:
        received = _received_at(consultation, date.fromisoformat(form.received_on.data))
    return import_word_comments(
        current_user,
        consultation,
        delegation,
        changes,
        on_behalf=on_behalf,
        source=form.source.data,
        received_dt=received,
        form_token=form.seal.data,
    )


@dataclass(frozen=True)
class _Row:
    change: FoundChange
    kind: str
    redline: Markup


def _rows(consultation: Consultation, found: dict) -> list[_Row]:
    texts = {p.uid: display_text(p.text) for p in consultation.version.paragraphs}
    rows = []
    for data in found["amendments"]:
        change = FoundChange(**{k: data[k] for k in _CHANGE_FIELDS})
        old = texts.get(change.paragraph_uid or "", "")
        new = display_text(change.proposed_text)
        if change.kind == "replace":
            redline = diff_to_html(diff_words(old, new))
        elif change.kind == "insert":
            redline = diff_to_html([(1, new)])
        elif change.kind == "delete":
            redline = diff_to_html([(-1, old)])
        else:
            redline = Markup("")
        rows.append(_Row(change, comment_kind_of(change), redline))
    return rows


def _review_page(consultation, form: ConfirmWordFileForm, on_behalf: bool, status: int = 200):
    form.seal.data = _sealer().get_signature(_message(consultation, form)).decode("ascii")
    found = json.loads(form.found.data)
    delegation = db.session.get(Delegation, int(form.delegation_id.data))
    return render_template(
        "consultations/word_review.html",
        consultation=consultation,
        version=consultation.version,
        form=form,
        rows=_rows(consultation, found),
        found=found,
        delegation=delegation,
        on_behalf=on_behalf,
    ), status


def _upload_page(consultation, form: WordFileForm, on_behalf: bool, status: int = 200):
    return render_template(
        "consultations/word_file.html",
        consultation=consultation,
        version=consultation.version,
        form=form,
        on_behalf=on_behalf,
    ), status


def _review_lost(consultation: Consultation, on_behalf: bool):
    form = _upload_form(consultation, fresh=True)
    form.file.errors = [
        _(
            "What was sent back for confirmation is not what the review showed, so nothing was "
            "stored. Upload the file again to review it afresh."
        )
    ]
    return _upload_page(consultation, form, on_behalf, 422)
