"""Who recorded a comment on its delegation's behalf, in the API's answers: the fields the
Comment schema takes from here, read from the comment's columns alone."""

from __future__ import annotations

from marshmallow import Schema, fields

from drafting.times import iso_instant


class RecordedFields(Schema):
    recorded_by = fields.Function(
        lambda c: c.recorded_by.name if c.recorded_by_id is not None else None,
        allow_none=True,
        metadata={
            "description": "Who in the secretariat recorded the comment on the delegation's "
            "behalf (an oral statement, an e-mail, a letter); null when the delegation wrote it.",
            "type": "string",
        },
    )
    recorded_source = fields.Function(
        lambda c: c.recorded_source or "",
        metadata={
            "description": "Where a recorded comment came from; empty when not recorded.",
            "type": "string",
        },
    )
    received_at = fields.Function(
        lambda c: iso_instant(c.received_dt) if c.received_dt is not None else None,
        allow_none=True,
        metadata={
            "description": "When a recorded comment reached the secretariat; null when the "
            "delegation wrote it.",
            "type": "string",
            "format": "date-time",
        },
    )
