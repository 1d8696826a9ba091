"""The meeting screen: the text on the table as the room's projector shows it, kept up to date
by polling a small fragment (`make run` serves with gunicorn's sync workers, where a stream
held open would take a worker for good; a poll every two seconds that usually answers 204
costs a few indexed queries)."""

from __future__ import annotations

from collections import Counter

from flask import Blueprint, abort, make_response, render_template, request
from flask_login import current_user, login_required
from sqlalchemy import select

from drafting.consultations.models import Consultation
from drafting.database import utcnow
from drafting.documents.meeting import Room, room_of, room_revision, show_paragraph_opened
from drafting.documents.models import AgreementStatus, Document, Version
from drafting.documents.statuses import status_of
from drafting.extensions import db
from drafting.pages.editing_rows import paragraph_redline
from drafting.text.brackets import count_open_points
from drafting.times import canonical_zone, format_clock, iso_instant, reader_zone
from drafting.web import require
from drafting.web.loading import load

bp = Blueprint("meeting", __name__)


@bp.route("/documents/<id:document_id>/meeting")
@login_required
def screen(document_id: int):
    document = load(Document, document_id, action="meeting.view")
    return render_template("meeting/screen.html", **_shown(document))


@bp.route("/documents/<id:document_id>/meeting/live")
@login_required
def live(document_id: int):
    """The room as a fragment, or 204 (304 to If-None-Match) when nothing changed since the
    revision the screen shows."""
    document = load(Document, document_id, action="meeting.view")
    revision = room_revision(document)
    etag = f"room-{revision}"
    if request.args.get("since") == str(revision):
        response = make_response("", 204)
    elif request.if_none_match.contains(etag):
        response = make_response("", 304)
    else:
        shown = _shown(document, revision)
        response = make_response(render_template("meeting/_room.html", **shown))
    response.headers["X-Room-Revision"] = str(revision)
    response.set_etag(etag)
    return response


@bp.route("/versions/<id:version_id>/edit/<uid>/opened", methods=["POST"])
@login_required
def opened(version_id: int, uid: str):
    """Sent by the editor's form at the first keystroke (templates/editing/_edit_form.html):
    the screen shows which paragraph the secretariat is editing now."""
    version = load(Version, version_id, action="version.view")
    require("version.edit", version)
    if not show_paragraph_opened(current_user, version, uid):
        abort(404)
    return "", 204


def _shown(document: Document, revision: int | None = None) -> dict:
    """What both the page and the fragment render."""
    room = room_of(document, revision)
    zone = _zone_of_the_meeting(document)
    now = utcnow()
    changed = _changed_paragraph(room)
    return {
        "room": room,
        "changed": changed,
        "redline": _redline(room, changed),
        "counts": _counts(room),
        "zone": zone,
        "now": iso_instant(now, whole_seconds=True),
        "now_dt": now,
        "clock": lambda instant: format_clock(instant, zone),
        "status_of": lambda uid: status_of(room.statuses, uid),
        "open_points": count_open_points,
    }


def _zone_of_the_meeting(document: Document) -> str:
    """The zone the clock shows: ``?zone=`` when it names one, else the zone of the document's
    latest round of comments (where the secretariat sits), else the reader's own."""
    if asked := canonical_zone(request.args.get("zone")):
        return asked
    latest = db.session.scalar(
        select(Consultation.timezone)
        .join(Consultation.version)
        .where(Version.document_id == document.id)
        .order_by(Consultation.opens_dt.desc(), Consultation.id.desc())
        .limit(1)
    )
    return canonical_zone(latest) or reader_zone(current_user)


def _changed_paragraph(room: Room):
    if room.change is None:
        return None
    return next((p for p in room.paragraphs if p.uid == room.change.paragraph_uid), None)


def _redline(room: Room, changed):
    """The changed paragraph's words against the version the draft is based on."""
    if changed is None:
        return None
    old = room.predecessor(changed)
    if old is None or old.block == changed.block:
        return None
    return paragraph_redline(old.block, changed.block)


def _counts(room: Room) -> dict:
    numbered = [p for p in room.paragraphs if not p.is_heading]
    by_status = Counter(status_of(room.statuses, p.uid) for p in numbered)
    return {
        "paragraphs": len(numbered),
        "agreed": by_status[AgreementStatus.AGREED],
        "ad_referendum": by_status[AgreementStatus.AD_REFERENDUM],
        "pending": by_status[AgreementStatus.PENDING],
        "open_points": sum(count_open_points(p.text) for p in numbered),
    }
