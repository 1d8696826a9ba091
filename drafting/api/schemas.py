"""The API described once: what a client may send and what it is answered, as marshmallow
schemas. The same classes check request bodies (drafting/api/bodies.py), write answers (the
views' ``@bp.response``) and make the OpenAPI document (drafting/api/openapi.py).

Answers have every field always present and no other; bodies are refused with a field unknown,
missing or of another JSON type, in the service's own words (bodies.py). Times are ISO 8601 in
UTC, ending in "Z"."""

from __future__ import annotations

from datetime import datetime

from marshmallow import INCLUDE, Schema, fields, pre_dump
from marshmallow.validate import OneOf, Range

from drafting.api.caller import caller
from drafting.api.conflicts import Conflict, ConflictOf, conflicts_of_list
from drafting.api.language_fields import InLanguage, LanguageFields
from drafting.api.recorded_fields import RecordedFields
from drafting.api.status_fields import StatusFields
from drafting.auth.policy import can
from drafting.consultations.deadlines import RoundState
from drafting.consultations.models import CommentKind, CommentStatus, LateRule, Visibility
from drafting.database import utcnow
from drafting.documents.models import AgreementStatus, ParagraphKind, VersionStatus
from drafting.times import iso_instant
from drafting.web import MAX_ID

UID_PATTERN = "^[0-9a-f]{32}$"
IDEMPOTENCY_KEY_PATTERN = "^[A-Za-z0-9_-]{16,64}$"
INSTANT = {"type": "string", "format": "date-time"}


def instant(dt: datetime | None) -> str | None:
    if dt is None:
        return None
    return iso_instant(dt)


def _values(enum_class) -> list[str]:
    return [member.value for member in enum_class]


def _described(text: str, **more) -> dict:
    return {"metadata": {"description": text, **more}}


# ---------------------------------------------------------------------------------------------
# Fields of answers


def Id(**kwargs) -> fields.Integer:
    return fields.Integer(validate=Range(min=1, max=MAX_ID), **kwargs)


def Choice(enum_class) -> fields.Enum:
    return fields.Enum(enum_class, by_value=True, metadata={"type": "string"})


class Instant(fields.DateTime):
    """A moment, as ISO 8601 in UTC with "Z"."""

    def _serialize(self, value, attr, obj, **kwargs):
        return instant(value)


class Prose(fields.String):
    """A text that may be unset in the database and is answered as "" then."""

    def _serialize(self, value, attr, obj, **kwargs):
        return value or ""


def _every_field_required(schema: type[Schema]) -> type[Schema]:
    """An answer always carries each of its fields (null where the description allows)."""
    for field in schema._declared_fields.values():
        field.required = True
    return schema


class Answer(Schema):
    """What the API answers: exactly these fields, each always present."""


@_every_field_required
class VersionSummary(Answer):
    id = Id()
    document_id = Id()
    label = fields.String()
    status = Choice(VersionStatus)
    based_on_id = Id(allow_none=True)
    created_dt = Instant()
    published_dt = Instant(allow_none=True)
    text_hash = fields.String(allow_none=True, metadata={"pattern": "^[0-9a-f]{64}$"})


@_every_field_required
class Paragraph(StatusFields, LanguageFields, Answer):
    uid = fields.String(
        **_described("The paragraph's identity, stable across versions.", pattern=UID_PATTERN)
    )
    position = fields.Integer()
    kind = Choice(ParagraphKind)
    level = fields.Integer()
    label = fields.String(allow_none=True, **_described("Its printed number, e.g. “7.”"))
    text = fields.String(**_described("Markdown."))


@_every_field_required
class Version(VersionSummary):
    note = Prose(**_described("The secretariat's note to the delegations."))
    paragraphs = fields.List(fields.Nested(Paragraph))


class Readable(fields.List):
    """The items of a list that the caller may read, as the policy's ``action`` says."""

    def __init__(self, inner, action: str, **kwargs):
        super().__init__(inner, **kwargs)
        self.action = action

    def _serialize(self, value, attr, obj, **kwargs):
        user = caller()
        readable = [item for item in value if can(user, self.action, item)]
        return super()._serialize(readable, attr, obj, **kwargs)


class DelegationCode(Schema):
    code = fields.String()


@_every_field_required
class Document(Answer):
    id = Id()
    title = fields.String()
    created_dt = Instant()
    participants = fields.Pluck(
        DelegationCode, "code", many=True, **_described("Codes of the delegations taking part.")
    )
    versions = Readable(
        fields.Nested(VersionSummary),
        "version.view",
        **_described("The versions the caller may read (working drafts: the secretariat only)."),
    )


@_every_field_required
class DocumentList(Answer):
    documents = fields.List(fields.Nested(Document))


@_every_field_required
class ComparisonEntry(Answer):
    old = fields.List(fields.Integer(validate=Range(min=0)))
    new = fields.List(fields.Integer(validate=Range(min=0)))
    kind = fields.String(
        validate=OneOf(["unchanged", "changed", "added", "deleted", "split", "merged"])
    )
    moved = fields.Boolean()
    diff = fields.List(
        fields.Raw(
            metadata={
                "type": "array",
                "minItems": 2,
                "maxItems": 2,
                "items": {"anyOf": [{"type": "integer", "enum": [-1, 0, 1]}, {"type": "string"}]},
            }
        ),
        **_described("Word-level operations: [-1 deleted | 0 kept | 1 inserted, text]."),
    )
    renumbered = fields.Boolean(
        **_described("Old and new blocks both present, and their labels differ.")
    )
    old_label = fields.String(allow_none=True, **_described("The first old block's label."))
    new_label = fields.String(allow_none=True, **_described("The first new block's label."))
    similarity = fields.Float(
        allow_none=True,
        validate=Range(min=0, max=1),
        **_described("How alike the texts are (word overlap); null when added or deleted."),
    )


@_every_field_required
class ComparisonBlock(Answer):
    kind = fields.String(validate=OneOf(["title", "heading", "paragraph"]))
    label = fields.String(
        allow_none=True, **_described("Its printed number; a heading's, as “Article 8”.")
    )


@_every_field_required
class ComparisonBlocks(Answer):
    old = fields.List(fields.Nested(ComparisonBlock))
    new = fields.List(fields.Nested(ComparisonBlock))


@_every_field_required
class Comparison(Answer):
    """Two versions compared, as `drafting compare --format json` gives it, with the versions
    named; dumped from a documents.comparison.VersionComparison."""

    document_id = Id()
    old_version_id = Id()
    new_version_id = Id()
    old_blocks = fields.Integer(validate=Range(min=0))
    new_blocks = fields.Integer(validate=Range(min=0))
    blocks = fields.Nested(ComparisonBlocks)
    entries = fields.List(fields.Nested(ComparisonEntry))

    @pre_dump
    def _named(self, result, **_kwargs) -> dict:
        return {
            "document_id": result.new.document_id,
            "old_version_id": result.old.id,
            "new_version_id": result.new.id,
            **result.comparison.to_json(),
        }


@_every_field_required
class Consultation(Answer):
    """A round as the caller's delegation lives it: its own deadline and state, without
    learning whether another delegation has an extension."""

    id = Id()
    document_id = Id(attribute="version.document_id")
    version_id = Id()
    title = fields.String()
    instructions = Prose()
    opens_dt = Instant()
    closes_dt = Instant(**_described("The round's announced deadline."))
    deadline_dt = fields.Function(
        lambda c: instant(c.deadline_for(caller().delegation_id)),
        **_described(
            "The caller's delegation's deadline: an extension, or an early close, counted.",
            **INSTANT,
        ),
    )
    closed_early_dt = Instant(allow_none=True)
    timezone = fields.String(**_described("The IANA zone the round is announced in."))
    visibility = Choice(Visibility)
    late_rule = Choice(LateRule)
    state = fields.Function(
        lambda c: getattr(state := c.state_for(caller().delegation_id, utcnow()), "value", state),
        **_described(
            "As the caller's delegation lives it.",
            type="string",
            enum=_values(RoundState),
        ),
    )
    invited = fields.Pluck(DelegationCode, "code", many=True)


@_every_field_required
class ConsultationList(Answer):
    consultations = fields.List(fields.Nested(Consultation))


QUOTE = "A passage of the paragraph, quoted exactly."
BODY = "The comment, or an amendment's justification (Markdown)."
PROPOSED_TEXT = "The wording proposed (replace and insert)."


@_every_field_required
class Comment(RecordedFields, Answer):
    id = Id()
    consultation_id = Id()
    delegation = fields.String(
        attribute="delegation.code", **_described("The delegation's code, e.g. AUT.")
    )
    kind = Choice(CommentKind)
    paragraph_uid = fields.String(allow_none=True, metadata={"pattern": UID_PATTERN})
    quote = Prose(**_described(QUOTE))
    body = Prose(**_described(BODY))
    proposed_text = Prose(**_described(PROPOSED_TEXT))
    status = Choice(CommentStatus)
    is_late = fields.Function(lambda c: bool(c.is_late), metadata={"type": "boolean"})
    revision = fields.Integer(validate=Range(min=1))
    submitted_dt = Instant(allow_none=True)
    created_dt = Instant()
    updated_dt = Instant()
    conflict = ConflictOf(Conflict, allow_none=True)


@_every_field_required
class CommentList(Answer):
    comments = fields.List(fields.Nested(Comment))

    @pre_dump
    def _find_conflicts(self, result, **_kwargs):
        return conflicts_of_list(result)


class Problem(Schema):
    """Problem details (RFC 9457): how the API says no (drafting/web/problems.py writes them)."""

    class Meta:
        unknown = INCLUDE  # extension members (RFC 9457, 3.2)
        description = "Problem details (RFC 9457)."

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True, validate=Range(min=400, max=599))
    detail = fields.String(required=True)
    errors = fields.List(fields.Nested("FieldError"))
    revision = fields.Integer(**_described("On a stale edit: the comment's current revision."))
    comment_id = fields.Integer(
        **_described(
            "On an Idempotency-Key sent again with another request: the comment it created "
            "the first time."
        )
    )


@_every_field_required
class FieldError(Schema):
    field = fields.String()
    message = fields.String()


# ---------------------------------------------------------------------------------------------
# Request bodies: each field of one JSON type, nothing converted (bodies.py says no in words)


class Strict:
    """A body field that takes its JSON type as it is. Its errors are codes that bodies.py
    turns into sentences naming the field: "required", or "type" for any other value."""

    type_name = ""
    default_error_messages = {"required": "required", "null": "type", "invalid": "type"}


class Text(Strict, fields.String):
    type_name = "a string"


class Flag(Strict, fields.Boolean):
    type_name = "true or false"

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class Count(Strict, fields.Integer):
    type_name = "an integer"

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class Body(Schema):
    """A request body: a JSON object with only these fields (unknown ones refused)."""

    error_messages = {"unknown": "unknown"}


class NewComment(Body):
    kind = Text(required=True, metadata={"enum": _values(CommentKind)})
    paragraph_uid = Text(
        allow_none=True,
        **_described("The paragraph it is about; null for a general comment.", pattern=UID_PATTERN),
    )
    quote = Text(**_described(QUOTE))
    body = Text(**_described(BODY))
    proposed_text = Text(**_described(PROPOSED_TEXT))
    submit = Flag(**_described("false keeps it as the delegation's draft.", default=True))


BASE_REVISION = "The comment's revision the client last read; refused (409) if it changed."


class CommentChange(Body):
    base_revision = Count(required=True, **_described(BASE_REVISION))
    quote = Text(**_described(QUOTE))
    body = Text(**_described(BODY))
    proposed_text = Text(**_described(PROPOSED_TEXT))


class BaseRevision(Body):
    base_revision = Count(required=True, **_described(BASE_REVISION))


class StatusChange(Body):
    status = Text(required=True, metadata={"enum": _values(AgreementStatus)})
    note = Text(**_described("A short note shown beside the status (at most 500 characters)."))


BOTH_OR_NEITHER = "give both or neither (then the last two published versions are compared)."


class VersionPair(InLanguage):
    """The query of a comparison (read by the view, described here)."""

    old = Id(**_described(f"The earlier version's id; {BOTH_OR_NEITHER}"))
    new = Id(**_described(f"The later version's id; {BOTH_OR_NEITHER}"))
