"""Reading what a client sends: a JSON object (415 when it is not JSON, 400 when it does not
parse), loaded by its schema in drafting/api/schemas.py: only the fields the request knows,
each of its type, or a 422 naming each field at fault."""

from __future__ import annotations

import json
import re

from flask import request
from marshmallow import Schema, ValidationError

from drafting.web.problems import Problem

JSON_MIMETYPE = "application/json"
# JSON's \\u escapes can name half of a UTF-16 pair alone: no character, and no database or
# page can store or show it.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def read_body(schema: Schema) -> dict:
    """The request's JSON object, loaded by ``schema``; absent optional fields are left out,
    so that the caller can tell "not sent" from "sent empty"."""
    data = _json_object()
    try:
        return schema.load(data)
    except ValidationError as exc:
        errors = _field_errors(schema, data, exc.messages)
        raise Problem(422, " ".join(e["message"] for e in errors), errors=errors) from None


def _json_object() -> dict:
    if request.mimetype != JSON_MIMETYPE:
        raise Problem(
            415, "Send the body as JSON, with “Content-Type: application/json”.", title=None
        )
    raw = request.get_data(cache=True)
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise Problem(400, f"The body is not valid JSON: {_reason(exc)}") from None
    if not isinstance(data, dict):
        raise Problem(422, 'The body must be a JSON object, e.g. {"base_revision": 3}.')
    _refuse_lone_surrogates(data)
    return data


def _field_errors(schema: Schema, data: dict, messages: dict) -> list[dict[str, str]]:
    """The schema's error codes (see schemas.Strict) as sentences: the unknown fields in the
    order sent, then the schema's own in its order."""
    errors = []
    for name in data:
        if name not in schema.fields:
            shown = name if len(name) <= 40 else name[:40] + "…"
            accepted = ", ".join(schema.fields)
            message = f"“{shown}” is not a field of this request; it accepts {accepted}."
            errors.append({"field": name, "message": message})
    for name, field in schema.fields.items():
        if name not in messages:
            continue
        if messages[name] == ["required"]:
            message = f"“{name}” is required."
        else:
            null = " or null" if field.allow_none else ""
            message = f"“{name}” must be {field.type_name}{null}."
        errors.append({"field": name, "message": message})
    return errors


def _refuse_lone_surrogates(data: dict) -> None:
    for name, value in data.items():
        for text in (name, value):
            if isinstance(text, str) and _LONE_SURROGATE.search(text):
                shown = name.encode("utf-8", "backslashreplace").decode()[:40]
                message = (
                    f"“{shown}” contains a lone surrogate (a \\ud800–\\udfff escape without its "
                    "pair), which is no character; send the text as UTF-8."
                )
                raise Problem(422, message, errors=[{"field": shown, "message": message}])


def _reason(exc: Exception) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return "it is not UTF-8 text."
    if isinstance(exc, RecursionError):
        return "it is nested too deeply."
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg} at line {exc.lineno}, column {exc.colno}."
    return f"{exc}."
