"""The API's version answer with where its silence procedure stands: the latest procedure on
it (state, deadline, statements) and its adoption. It keeps the name `Version`, so the OpenAPI
document still calls the answer Version."""

from __future__ import annotations

from marshmallow import fields, missing

from drafting.api import schemas
from drafting.api.schemas import (
    Answer,
    Choice,
    Id,
    Instant,
    Prose,
    _described,
    _every_field_required,
)
from drafting.consultations.silence.models import SilenceState
from drafting.consultations.silence.queries import adoption_of_version, silences_of_version

HASH_PATTERN = "^[0-9a-f]{64}$"


@_every_field_required
class SilenceStatement(Answer):
    delegation = fields.String(attribute="delegation.code", **_described("Its code, e.g. AUT."))
    statement = fields.String(**_described("Markdown."))
    broken_dt = Instant()


@_every_field_required
class Silence(Answer):
    id = Id()
    state = Choice(SilenceState)
    deadline = Instant(
        attribute="deadline_dt",
        **_described("The first instant at which silence can no longer be broken."),
    )
    timezone = fields.String(**_described("The IANA zone the deadline was announced in."))
    note = Prose(**_described("The secretariat's note to the delegations."))
    started_dt = Instant()
    ended_dt = Instant(allow_none=True, **_described("When it was broken, or its deadline."))
    statements = fields.List(fields.Nested(SilenceStatement), attribute="breaks")


@_every_field_required
class Adoption(Answer):
    silence_id = Id()
    adopted_dt = Instant(**_described("The deadline of the silence procedure that adopted it."))
    text_hash = fields.String(
        **_described(
            "SHA-256 of the adopted text, equal to the published one.", pattern=HASH_PATTERN
        )
    )


class Found(fields.Nested):
    """A nested answer looked up for the object rather than read from one of its attributes."""

    def __init__(self, nested, find, **kwargs):
        super().__init__(nested, **kwargs)
        self.find = find

    def get_value(self, obj, attr, accessor=None, default=missing):
        return self.find(obj)


@_every_field_required
class Version(schemas.Version):
    silence = Found(
        Silence,
        lambda version: next(iter(silences_of_version(version.id)), None),
        allow_none=True,
        **_described("The latest silence procedure on this version, or null."),
    )
    adoption = Found(
        Adoption,
        lambda version: adoption_of_version(version.id),
        allow_none=True,
        **_described("Its adoption by silence procedure, or null."),
    )
