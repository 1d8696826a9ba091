"""Reading what a client sends: a JSON object (415 when it is not JSON, 400 when it does not
parse), with only the fields the request knows, each of its type (422 naming the field)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from flask import request

from drafting.web.problems import Problem

JSON_MIMETYPE = "application/json"


@dataclass(frozen=True, slots=True)
class Field:
    kind: type  # str, bool or int
    required: bool = False
    nullable: bool = False


_TYPE_NAMES = {str: "a string", bool: "true or false", int: "an integer"}
# JSON's \\u escapes can name half of a UTF-16 pair alone: no character, and no database or
# page can store or show it.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def read_object(fields: dict[str, Field]) -> dict:
    """The request's JSON object, checked against ``fields``; absent optional fields are left
    out, so that the caller can tell "not sent" from "sent empty"."""
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
    errors = []
    for name in data:
        if name not in fields:
            shown = name if len(name) <= 40 else name[:40] + "…"
            errors.append(
                {
                    "field": name,
                    "message": f"“{shown}” is not a field of this request; it accepts "
                    + ", ".join(fields)
                    + ".",
                }
            )
    for name, spec in fields.items():
        if name not in data:
            if spec.required:
                errors.append({"field": name, "message": f"“{name}” is required."})
            continue
        value = data[name]
        if value is None and spec.nullable:
            continue
        if not _is_of(value, spec.kind):
            null = " or null" if spec.nullable else ""
            errors.append(
                {"field": name, "message": f"“{name}” must be {_TYPE_NAMES[spec.kind]}{null}."}
            )
    if errors:
        raise Problem(422, " ".join(e["message"] for e in errors), errors=errors)
    return data


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


def _is_of(value, kind: type) -> bool:
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


def _reason(exc: Exception) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return "it is not UTF-8 text."
    if isinstance(exc, RecursionError):
        return "it is nested too deeply."
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg} at line {exc.lineno}, column {exc.colno}."
    return f"{exc}."
