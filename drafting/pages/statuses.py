"""Marking paragraphs pending, agreed ad ref. or agreed from the draft page (one paragraph, or
several ticked at once), and the status every page shows beside a paragraph (``status_marks``)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from drafting.documents.models import AgreementStatus, Version
from drafting.documents.statuses import (
    StatusError,
    StatusMark,
    count_line,
    marks_of,
    set_paragraph_status,
    set_paragraph_statuses,
)
from drafting.pages.documents import version_page
from drafting.web import require
from drafting.web.loading import load

bp = Blueprint("statuses", __name__)


@dataclass(frozen=True)
class RefusedMarking:
    """A marking refused: the reason and what was chosen and typed, shown again in its form
    (``uid`` None: the form for several paragraphs)."""

    uid: str | None
    message: str
    status: str
    note: str
    chosen: tuple[str, ...] = ()


@bp.app_template_global()
def status_marks(version: Version) -> dict[str, StatusMark]:
    """The marks beside a version's paragraphs, worked out once per request."""
    kept = g.setdefault("status_marks", {})
    if version.id not in kept:
        kept[version.id] = marks_of(version)
    return kept[version.id]


def only_marks_of(version: Version, uids: list[str]) -> None:
    """For an answer that shows only these paragraphs of the version (the editor's one row):
    their marks alone are worked out, and ``status_marks`` gives them."""
    g.setdefault("status_marks", {})[version.id] = marks_of(version, uids)


bp.add_app_template_global(count_line, "status_count")


@bp.app_template_global()
def agreement_statuses() -> list[AgreementStatus]:
    return list(AgreementStatus)


def _chosen_status() -> AgreementStatus | None:
    try:
        return AgreementStatus(request.form.get("status", ""))
    except ValueError:
        return None


@bp.route("/versions/<id:version_id>/paragraphs/<uid>/status", methods=["POST"])
@login_required
def mark(version_id: int, uid: str):
    version = load(Version, version_id, action="version.view")
    require("paragraph.mark", version)
    paragraph = next((p for p in version.paragraphs if p.uid == uid), None)
    status, note = _chosen_status(), request.form.get("note", "")
    try:
        if paragraph is None:
            raise StatusError(f"That paragraph is not in {version.label}: reload the draft.")
        if status is None:
            raise StatusError("Choose pending, agreed ad ref. or agreed.")
        set_paragraph_status(current_user, version, paragraph, status, note)
    except StatusError as exc:
        return _refused(
            version, RefusedMarking(uid, str(exc), request.form.get("status", ""), note)
        )
    said = _(
        "Paragraph %(label)s marked %(status)s.",
        label=paragraph.label or "",
        status=StatusMark(status).name,
    )
    flash(said, "success")
    return redirect(url_for("documents.version", version_id=version.id, _anchor=paragraph.anchor))


@bp.route("/versions/<id:version_id>/statuses", methods=["POST"])
@login_required
def mark_several(version_id: int):
    version = load(Version, version_id, action="version.view")
    require("paragraph.mark", version)
    status, note, uids = _chosen_status(), request.form.get("note", ""), request.form.getlist("uid")
    try:
        if status is None:
            raise StatusError("Nothing was marked: choose pending, agreed ad ref. or agreed.")
        marked = set_paragraph_statuses(current_user, version, uids, status, note)
    except StatusError as exc:
        refused = RefusedMarking(None, str(exc), request.form.get("status", ""), note, tuple(uids))
        return _refused(version, refused)
    said = _(
        "%(count)s paragraphs marked %(status)s.", count=len(marked), status=StatusMark(status).name
    )
    flash(said, "success")
    return redirect(url_for("documents.version", version_id=version.id, _anchor="mark-several"))


def _refused(version: Version, refused: RefusedMarking):
    return version_page(version, 422, refused_marking=refused)
