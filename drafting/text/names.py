"""Names and titles people type (a document's title, a version's label, a delegation's name and
code, a person's name, a token's name, a round's title): one rule for the characters they hold.

A name travels into page titles, mail subjects, file names, Word properties and HTTP headers.
Characters nobody sees there (control characters, lone surrogates, direction overrides) break
those or disguise the name, and only ever come from a copy and paste, so they are refused.
"""

from __future__ import annotations

import re

from wtforms import Field, Form, ValidationError

# C0 and C1 control characters with DEL (Unicode category Cc), lone surrogates (Cs), and the
# bidirectional embeddings, overrides and isolates that make a name read otherwise than it is.
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")


def name_problem(text: str | None) -> str | None:
    """Why ``text`` cannot be a name or title (to follow "The title …"), or None when it can."""
    found = _INVISIBLE.search(text or "")
    if found is None:
        return None
    return (
        f"contains an invisible control character (U+{ord(found.group()):04X}), probably from "
        "a copy and paste; remove it"
    )


class PlainName:
    """The form validator of every name and title field: the same rule as the operations.
    ``what`` names the field in the message ("title"); by default its label does."""

    def __init__(self, what: str | None = None) -> None:
        self.what = what

    def __call__(self, form: Form, field: Field) -> None:
        problem = name_problem(field.data)
        if problem:
            raise ValidationError(f"The {self.what or field.label.text.lower()} {problem}.")
