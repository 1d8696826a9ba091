"""The chair's convergence view, per round and per draft: where the room stands on each
paragraph (drafting/consultations/convergence.py), for the chair and the secretariat."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user, login_required

from drafting.consultations.convergence import (
    CONTESTED_HELP,
    Convergence,
    Filters,
    contested_over,
    converge,
    rounds_of,
)
from drafting.consultations.models import Consultation
from drafting.documents.models import Version
from drafting.pages.consultations import load_consultation
from drafting.web import require
from drafting.web.loading import load
from drafting.web.parts import part_url_maker

bp = Blueprint("convergence", __name__)


def _filters() -> tuple[Filters, str | None]:
    """The filters asked for in the query; a number the chair mistyped is said, not applied."""
    args = request.args
    error, over = None, None
    try:
        over = contested_over(args.get("contested"))
    except ValueError as exc:
        error = str(exc)
    return Filters(args.get("open") == "1", over, args.get("uncommented") == "1"), error


def _page(version: Version, rounds: list[Consultation], consultation: Consultation | None):
    require("convergence.view", version)
    filters, error = _filters()
    raw = request.args.get("part", "")
    number = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 7 else 1
    view: Convergence = converge(current_user, version, rounds, filters, number)
    page = render_template(
        "convergence/convergence.html",
        view=view,
        version=version,
        document=version.document,
        consultation=consultation,
        filter_error=error,
        typed_contested=request.args.get("contested", "")[:40],
        part_url=part_url_maker(),
        # Built once, not once a row: a thousand url_for calls are a tenth of the page's time.
        version_url=url_for("documents.version", version_id=version.id),
        compilation_urls={
            c.id: url_for("compilation.compilation", consultation_id=c.id) for c in rounds
        },
        contested_help=CONTESTED_HELP,
    )
    return page, 400 if error else 200


@bp.route("/consultations/<id:consultation_id>/convergence")
@login_required
def of_round(consultation_id: int):
    consultation = load_consultation(consultation_id)
    return _page(consultation.version, [consultation], consultation)


@bp.route("/versions/<id:version_id>/convergence")
@login_required
def of_version(version_id: int):
    version = load(Version, version_id, action="version.view")
    return _page(version, rounds_of(version), None)
