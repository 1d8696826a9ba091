"""The OpenAPI 3 description of the API, served at /api/v1/openapi.json: every path, parameter,
request body and response, so that a client can be generated from it and schemathesis can hold
the API to it (tests/api/test_schemathesis.py)."""

from __future__ import annotations

from drafting.consultations.deadlines import RoundState
from drafting.consultations.models import CommentKind, CommentStatus, LateRule, Visibility
from drafting.documents.models import ParagraphKind, VersionStatus
from drafting.web import MAX_ID

PREFIX = "/api/v1"
JSON = "application/json"
PROBLEM = "application/problem+json"


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(properties: dict, *, optional: tuple[str, ...] = ()) -> dict:
    """An object with exactly these properties, all present except ``optional``."""
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [name for name in properties if name not in optional],
        "properties": properties,
    }


def _list(key: str, item: str) -> dict:
    return _object({key: {"type": "array", "items": _ref(item)}})


def _nullable(schema: dict) -> dict:
    return {**schema, "nullable": True}


def _values(enum_class) -> list[str]:
    return [member.value for member in enum_class]


INTEGER_ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
STRING = {"type": "string"}
INSTANT = {"type": "string", "format": "date-time"}
UID = {"type": "string", "pattern": "^[0-9a-f]{32}$"}
TEXT_FIELDS = {
    "quote": {**STRING, "description": "A passage of the paragraph, quoted exactly."},
    "body": {**STRING, "description": "The comment, or an amendment's justification (Markdown)."},
    "proposed_text": {**STRING, "description": "The wording proposed (replace and insert)."},
}
BASE_REVISION = {
    "type": "integer",
    "description": "The comment's revision the client last read; refused (409) if it changed.",
}

VERSION_FIELDS = {
    "id": INTEGER_ID,
    "document_id": INTEGER_ID,
    "label": STRING,
    "status": {"type": "string", "enum": _values(VersionStatus)},
    "based_on_id": _nullable(INTEGER_ID),
    "created_dt": INSTANT,
    "published_dt": _nullable(INSTANT),
    "text_hash": _nullable({"type": "string", "pattern": "^[0-9a-f]{64}$"}),
}

SCHEMAS = {
    "Problem": {
        "type": "object",
        "description": "Problem details (RFC 9457).",
        "required": ["type", "title", "status", "detail"],
        "properties": {
            "type": STRING,
            "title": STRING,
            "status": {"type": "integer", "minimum": 400, "maximum": 599},
            "detail": STRING,
            "errors": {"type": "array", "items": _ref("FieldError")},
            "revision": {
                "type": "integer",
                "description": "On a stale edit: the comment's current revision.",
            },
            "comment_id": {
                "type": "integer",
                "description": "On an Idempotency-Key sent again with another request: the "
                "comment it created the first time.",
            },
        },
    },
    "FieldError": _object({"field": STRING, "message": STRING}),
    "VersionSummary": _object(VERSION_FIELDS),
    "Paragraph": _object(
        {
            "uid": {**UID, "description": "The paragraph's identity, stable across versions."},
            "position": {"type": "integer"},
            "kind": {"type": "string", "enum": _values(ParagraphKind)},
            "level": {"type": "integer"},
            "label": _nullable({**STRING, "description": "Its printed number, e.g. “7.”"}),
            "text": {**STRING, "description": "Markdown."},
        }
    ),
    "Version": _object(
        {
            **VERSION_FIELDS,
            "note": {**STRING, "description": "The secretariat's note to the delegations."},
            "paragraphs": {"type": "array", "items": _ref("Paragraph")},
        }
    ),
    "Document": _object(
        {
            "id": INTEGER_ID,
            "title": STRING,
            "created_dt": INSTANT,
            "participants": {
                "type": "array",
                "items": STRING,
                "description": "Codes of the delegations taking part.",
            },
            "versions": {
                "type": "array",
                "items": _ref("VersionSummary"),
                "description": "The versions the caller may read (working drafts: the "
                "secretariat only).",
            },
        }
    ),
    "DocumentList": _list("documents", "Document"),
    "ComparisonEntry": _object(
        {
            "old": {"type": "array", "items": {"type": "integer", "minimum": 0}},
            "new": {"type": "array", "items": {"type": "integer", "minimum": 0}},
            "kind": {
                "type": "string",
                "enum": ["unchanged", "changed", "added", "deleted", "split", "merged"],
            },
            "moved": {"type": "boolean"},
            "diff": {
                "type": "array",
                "description": "Word-level operations: [-1 deleted | 0 kept | 1 inserted, text].",
                "items": {
                    "type": "array",
                    "minItems": 2,
                    "maxItems": 2,
                    "items": {
                        "anyOf": [{"type": "integer", "enum": [-1, 0, 1]}, {"type": "string"}]
                    },
                },
            },
        }
    ),
    "Comparison": _object(
        {
            "document_id": INTEGER_ID,
            "old_version_id": INTEGER_ID,
            "new_version_id": INTEGER_ID,
            "old_blocks": {"type": "integer", "minimum": 0},
            "new_blocks": {"type": "integer", "minimum": 0},
            "entries": {"type": "array", "items": _ref("ComparisonEntry")},
        }
    ),
    "Consultation": _object(
        {
            "id": INTEGER_ID,
            "document_id": INTEGER_ID,
            "version_id": INTEGER_ID,
            "title": STRING,
            "instructions": STRING,
            "opens_dt": INSTANT,
            "closes_dt": {**INSTANT, "description": "The round's announced deadline."},
            "deadline_dt": {
                **INSTANT,
                "description": "The caller's delegation's deadline: an extension, or an early "
                "close, counted.",
            },
            "closed_early_dt": _nullable(INSTANT),
            "timezone": {**STRING, "description": "The IANA zone the round is announced in."},
            "visibility": {"type": "string", "enum": _values(Visibility)},
            "late_rule": {"type": "string", "enum": _values(LateRule)},
            "state": {
                "type": "string",
                "enum": _values(RoundState),
                "description": "As the caller's delegation lives it.",
            },
            "invited": {"type": "array", "items": STRING},
        }
    ),
    "ConsultationList": _list("consultations", "Consultation"),
    "Comment": _object(
        {
            "id": INTEGER_ID,
            "consultation_id": INTEGER_ID,
            "delegation": {**STRING, "description": "The delegation's code, e.g. AUT."},
            "kind": {"type": "string", "enum": _values(CommentKind)},
            "paragraph_uid": _nullable(UID),
            **TEXT_FIELDS,
            "status": {"type": "string", "enum": _values(CommentStatus)},
            "is_late": {"type": "boolean"},
            "revision": {"type": "integer", "minimum": 1},
            "submitted_dt": _nullable(INSTANT),
            "created_dt": INSTANT,
            "updated_dt": INSTANT,
        }
    ),
    "CommentList": _list("comments", "Comment"),
    "NewComment": _object(
        {
            "kind": {"type": "string", "enum": _values(CommentKind)},
            "paragraph_uid": _nullable(
                {**UID, "description": "The paragraph it is about; null for a general comment."}
            ),
            **TEXT_FIELDS,
            "submit": {
                "type": "boolean",
                "default": True,
                "description": "false keeps it as the delegation's draft.",
            },
        },
        optional=("paragraph_uid", "quote", "body", "proposed_text", "submit"),
    ),
    "CommentChange": _object(
        {"base_revision": BASE_REVISION, **TEXT_FIELDS},
        optional=("quote", "body", "proposed_text"),
    ),
    "BaseRevision": _object({"base_revision": BASE_REVISION}),
}


def _id_parameter(name: str, what: str) -> dict:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": f"The {what}'s id.",
        "schema": INTEGER_ID,
    }


def _json(schema: str, description: str, headers: dict | None = None) -> dict:
    response = {"description": description, "content": {JSON: {"schema": _ref(schema)}}}
    if headers:
        response["headers"] = headers
    return response


def _problem(description: str, headers: dict | None = None) -> dict:
    response = {"description": description, "content": {PROBLEM: {"schema": _ref("Problem")}}}
    if headers:
        response["headers"] = headers
    return response


PROBLEMS = {
    400: _problem("Not understood: a malformed query or JSON body."),
    401: _problem(
        "No valid token: missing, unknown, revoked, or its owner deactivated.",
        {"WWW-Authenticate": {"schema": {"type": "string"}, "description": "Bearer"}},
    ),
    403: _problem("The caller may see this but not do it."),
    404: _problem("No such object, or the caller may not know it exists."),
    409: _problem(
        "Refused by the state of things: the deadline has passed, the comment changed since "
        "base_revision, or it was withdrawn."
    ),
    413: _problem("The body is larger than the API accepts."),
    415: _problem("The body is not JSON (Content-Type: application/json)."),
    422: _problem(
        "Refused as written: a field unknown, of the wrong type, or not acceptable; or an "
        "Idempotency-Key reused with a different request."
    ),
    503: _problem(
        "The database is busy; nothing was saved: retry.",
        {"Retry-After": {"schema": {"type": "string"}, "description": "Seconds."}},
    ),
}
READ_REFUSALS = (400, 401, 404, 503)
WRITE_REFUSALS = (400, 401, 403, 404, 409, 413, 415, 422, 503)


def _operation(
    operation_id: str,
    summary: str,
    responses: dict,
    refusals: tuple[int, ...],
    *,
    parameters: list | None = None,
    body: str | None = None,
) -> dict:
    operation = {
        "operationId": operation_id,
        "summary": summary,
        "responses": {
            **{str(status): response for status, response in responses.items()},
            **{str(status): PROBLEMS[status] for status in refusals},
        },
    }
    if parameters:
        operation["parameters"] = parameters
    if body:
        operation["requestBody"] = {"required": True, "content": {JSON: {"schema": _ref(body)}}}
    return operation


def _paths() -> dict:
    document_id = _id_parameter("document_id", "document")
    consultation_id = _id_parameter("consultation_id", "round of comments")
    comment_id = _id_parameter("comment_id", "comment")
    version_query = [
        {
            "name": name,
            "in": "query",
            "required": False,
            "description": f"The {side} version's id; give both or neither (then the last two "
            "published versions are compared).",
            "schema": INTEGER_ID,
        }
        for name, side in (("old", "earlier"), ("new", "later"))
    ]
    idempotency_key = {
        "name": "Idempotency-Key",
        "in": "header",
        "required": False,
        "description": "The same key again in the same round, with the same request, gives the "
        "same comment (200), never a second one; with another request it is refused (422). A "
        "key means nothing in another round.",
        "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{16,64}$"},
    }
    comment_ok = _json("Comment", "The comment as it now stands.")
    return {
        f"{PREFIX}/openapi.json": {
            "get": {
                "operationId": "openapi",
                "summary": "This description.",
                "security": [],
                "responses": {
                    "200": {
                        "description": "The OpenAPI document.",
                        "content": {JSON: {"schema": {"type": "object"}}},
                    },
                    "400": PROBLEMS[400],
                },
            }
        },
        f"{PREFIX}/documents": {
            "get": _operation(
                "listDocuments",
                "The documents the caller takes part in, with the versions they may read.",
                {200: _json("DocumentList", "The documents.")},
                READ_REFUSALS,
            )
        },
        f"{PREFIX}/documents/{{document_id}}": {
            "get": _operation(
                "getDocument",
                "One document.",
                {200: _json("Document", "The document.")},
                READ_REFUSALS,
                parameters=[document_id],
            )
        },
        f"{PREFIX}/documents/{{document_id}}/comparison": {
            "get": _operation(
                "compareVersions",
                "Two versions of the document compared paragraph by paragraph and word by word "
                "(as `drafting compare --format json`).",
                {200: _json("Comparison", "The comparison.")},
                READ_REFUSALS,
                parameters=[document_id, *version_query],
            )
        },
        f"{PREFIX}/documents/{{document_id}}/consultations": {
            "get": _operation(
                "listConsultations",
                "The document's rounds of comments, latest first.",
                {200: _json("ConsultationList", "The rounds.")},
                READ_REFUSALS,
                parameters=[document_id],
            )
        },
        f"{PREFIX}/versions/{{version_id}}": {
            "get": _operation(
                "getVersion",
                "One version with its paragraphs, each with its stable identity.",
                {200: _json("Version", "The version.")},
                READ_REFUSALS,
                parameters=[_id_parameter("version_id", "version")],
            )
        },
        f"{PREFIX}/consultations/{{consultation_id}}": {
            "get": _operation(
                "getConsultation",
                "One round of comments.",
                {200: _json("Consultation", "The round.")},
                READ_REFUSALS,
                parameters=[consultation_id],
            )
        },
        f"{PREFIX}/consultations/{{consultation_id}}/comments": {
            "get": _operation(
                "listComments",
                "The round's comments the caller may see: its delegation's own, drafts "
                "included, and the others' as the round's visibility allows (sealed: after the "
                "deadline).",
                {200: _json("CommentList", "The comments.")},
                READ_REFUSALS,
                parameters=[consultation_id],
            ),
            "post": _operation(
                "createComment",
                "A new comment of the caller's delegation, submitted unless submit is false; "
                "the deadline and validation are the web page's.",
                {
                    200: _json("Comment", "Already created with this Idempotency-Key."),
                    201: _json(
                        "Comment",
                        "Created.",
                        {
                            "Location": {
                                "schema": {"type": "string"},
                                "description": "/api/v1/comments/{id}",
                            }
                        },
                    ),
                },
                WRITE_REFUSALS,
                parameters=[consultation_id, idempotency_key],
                body="NewComment",
            ),
        },
        f"{PREFIX}/comments/{{comment_id}}": {
            "get": _operation(
                "getComment",
                "One comment.",
                {200: _json("Comment", "The comment.")},
                READ_REFUSALS,
                parameters=[comment_id],
            ),
            "patch": _operation(
                "editComment",
                "Change a comment's texts; fields left out keep their value.",
                {200: comment_ok},
                WRITE_REFUSALS,
                parameters=[comment_id],
                body="CommentChange",
            ),
        },
        f"{PREFIX}/comments/{{comment_id}}/submit": {
            "post": _operation(
                "submitComment",
                "Submit a draft (a comment already submitted stays as it is).",
                {200: comment_ok},
                WRITE_REFUSALS,
                parameters=[comment_id],
                body="BaseRevision",
            )
        },
        f"{PREFIX}/comments/{{comment_id}}/withdraw": {
            "post": _operation(
                "withdrawComment",
                "Withdraw a comment until the deadline; its history is kept.",
                {200: comment_ok},
                WRITE_REFUSALS,
                parameters=[comment_id],
                body="BaseRevision",
            )
        },
    }


def openapi_document() -> dict:
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Drafting service API",
            "version": "1",
            "description": "Documents, versions, comparisons, rounds of comments and comments, "
            "under the same permissions and deadlines as the web pages. Authenticate with a "
            "personal token (Settings → API tokens). Errors are problem details (RFC 9457).",
        },
        "security": [{"bearerAuth": []}],
        "paths": _paths(),
        "components": {
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A personal API token: dft_ and 43 characters. It lasts "
                    "30, 90 or 365 days, as chosen when it was created; after that, and once "
                    "revoked, it is refused with 401.",
                }
            },
            "schemas": SCHEMAS,
        },
    }
