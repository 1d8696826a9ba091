"""The compilation of a round for the secretariat and the chair: decisions, figures, exports."""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import login_required

bp = Blueprint("compilation", __name__)


# Stubs: the pages are being written; the endpoints exist so that other pages can link to them.
@bp.route("/consultations/<id:consultation_id>/compilation")
@login_required
def compilation(consultation_id: int):
    abort(501)


@bp.route("/comments/<id:comment_id>/decision", methods=["POST"])
@login_required
def decide(comment_id: int):
    abort(501)


@bp.route("/consultations/<id:consultation_id>/compilation.docx")
@login_required
def export_docx(consultation_id: int):
    abort(501)


@bp.route("/consultations/<id:consultation_id>/compilation.csv")
@login_required
def export_csv(consultation_id: int):
    abort(501)
