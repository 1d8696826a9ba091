"""Pages of a round of comments: open it, read its deadline, manage extensions and closing."""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import login_required

from drafting.consultations.models import Consultation
from drafting.extensions import db
from drafting.web import require

bp = Blueprint("consultations", __name__)


def load_consultation(consultation_id: int) -> Consultation:
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None:
        abort(404)
    require("consultation.view", consultation, hide=True)
    return consultation


# Stubs: the pages are being written; the endpoints exist so that other pages can link to them.
@bp.route("/consultations/<id:consultation_id>")
@login_required
def consultation(consultation_id: int):
    load_consultation(consultation_id)
    abort(501)


@bp.route("/versions/<id:version_id>/consultations/new", methods=["GET", "POST"])
@login_required
def new(version_id: int):
    abort(501)


@bp.route("/consultations/<id:consultation_id>/extensions", methods=["POST"])
@login_required
def extend(consultation_id: int):
    abort(501)


@bp.route("/consultations/<id:consultation_id>/close", methods=["POST"])
@login_required
def close(consultation_id: int):
    abort(501)
