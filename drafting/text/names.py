"""Names and titles people type (a document's title, a version's label, a delegation's name and
code, a person's name, a token's name, a round's title): one rule for the characters they hold.
And e-mail addresses: one rule for what an address may be, asked by the page's form, the
operation that adds a person (and so the command line) alike.

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


MAX_EMAIL_LENGTH = 254  # RFC 5321's limit of a forward path, and the column's width
_LOCAL_PART = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_DOMAIN_LABEL = r"(?!-)[^\W_](?:[^\W_]|-){0,62}(?<!-)"
# name@example.org: a dot-atom before the @ (RFC 5322, no quoted forms), a domain of at least two
# labels of letters, digits and inner hyphens (any script), the last one letters only.
_EMAIL = re.compile(rf"{_LOCAL_PART}@(?:{_DOMAIN_LABEL}\.)+(?=[^\W\d_]{{2,63}}$)[^\W\d_]+")


def normal_email(text: str | None) -> str:
    """An address as stored and compared: without surrounding blanks, in lower case."""
    return (text or "").strip().lower()


def email_problem(text: str | None) -> str | None:
    """Why ``text`` cannot be a person's e-mail address, or None when it can."""
    email = normal_email(text)
    if len(email) > MAX_EMAIL_LENGTH:
        return f"An e-mail address may have at most {MAX_EMAIL_LENGTH} characters."
    local, _, _domain = email.partition("@")
    if not _EMAIL.fullmatch(email) or len(local) > 64:
        return "Give a valid e-mail address, e.g. name@example.org."
    return None


class EmailAddress:
    """The form validator of every e-mail field: the same rule as the operations."""

    def __call__(self, form: Form, field: Field) -> None:
        problem = email_problem(field.data)
        if problem:
            raise ValidationError(problem)
