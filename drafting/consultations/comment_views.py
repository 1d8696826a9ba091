"""Pages where a delegation writes, previews, submits, edits, withdraws and co-sponsors comments."""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import login_required

bp = Blueprint("comments", __name__)


# Stubs: the pages are being written; the endpoints exist so that other pages can link to them.
@bp.route("/consultations/<id:consultation_id>/draft")
@login_required
def draft(consultation_id: int):
    abort(501)


@bp.route("/consultations/<id:consultation_id>/comments/new", methods=["GET", "POST"])
@login_required
def new(consultation_id: int):
    abort(501)


@bp.route("/consultations/<id:consultation_id>/comments/submit", methods=["POST"])
@login_required
def submit_drafts(consultation_id: int):
    abort(501)


@bp.route("/comments/<id:comment_id>/edit", methods=["GET", "POST"])
@login_required
def edit(comment_id: int):
    abort(501)


@bp.route("/comments/<id:comment_id>/submit", methods=["POST"])
@login_required
def submit(comment_id: int):
    abort(501)


@bp.route("/comments/<id:comment_id>/withdraw", methods=["POST"])
@login_required
def withdraw(comment_id: int):
    abort(501)


@bp.route("/comments/<id:comment_id>/support", methods=["POST"])
@login_required
def support(comment_id: int):
    abort(501)


@bp.route("/comments/<id:comment_id>/unsupport", methods=["POST"])
@login_required
def unsupport(comment_id: int):
    abort(501)


@bp.route("/comments/<id:comment_id>/history")
@login_required
def history(comment_id: int):
    abort(501)
