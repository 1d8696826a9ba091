"""What the API reads and answers about support and objection (drafting/consultations/
stances.py), described once like the rest (drafting/api/schemas.py)."""

from __future__ import annotations

from marshmallow import fields

from drafting.api.schemas import (
    Answer,
    Body,
    Choice,
    Id,
    Instant,
    Text,
    _described,
    _every_field_required,
    _values,
)
from drafting.consultations.models import StanceKind
from drafting.consultations.stances import MAX_REASON_CHARS

REASON = f"Why, in plain text (optional, at most {MAX_REASON_CHARS} characters)."


@_every_field_required
class Stance(Answer):
    comment_id = Id(**_described("The amendment."))
    delegation = fields.String(
        attribute="delegation.code", **_described("The delegation's code, e.g. PAK.")
    )
    kind = Choice(StanceKind)
    reason = fields.String(**_described(REASON))
    stated_dt = Instant()


class StanceChange(Body):
    kind = Text(required=True, metadata={"enum": _values(StanceKind)})
    reason = Text(**_described(REASON))
