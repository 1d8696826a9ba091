"""A paragraph's agreement status in the API's answers (see documents.statuses): the fields the
Paragraph schema takes from here, each version's marks worked out once per request."""

from __future__ import annotations

from flask import g
from marshmallow import Schema, fields

from drafting.documents.models import AgreementStatus
from drafting.documents.statuses import StatusMark, marks_of

_STATUSES = [*(status.value for status in AgreementStatus), None]


def _mark(paragraph) -> StatusMark:
    kept = g.setdefault("api_status_marks", {})
    if paragraph.version_id not in kept:
        kept[paragraph.version_id] = marks_of(paragraph.version)
    return kept[paragraph.version_id].get(paragraph.uid, StatusMark())


def _reset_from(paragraph) -> str | None:
    earlier = _mark(paragraph).reset_from
    return earlier.value if earlier else None


class StatusFields(Schema):
    status = fields.Function(
        lambda p: None if p.is_heading else _mark(p).status.value,
        allow_none=True,
        metadata={
            "description": "How far it is agreed; null for a title or heading.",
            "type": "string",
            "enum": _STATUSES,
        },
    )
    status_note = fields.Function(
        lambda p: _mark(p).note,
        metadata={"description": "The chair's note on the status.", "type": "string"},
    )
    status_reset_from = fields.Function(
        _reset_from,
        allow_none=True,
        metadata={
            "description": "Set when the status was reset to pending because the text changed: "
            "the status it had in the earlier draft.",
            "type": "string",
            "enum": _STATUSES,
        },
    )
