"""One path for a form whose CSRF token is refused (a session that ended, a page left open too
long, a form sent from elsewhere): nothing is stored, and what the person typed comes back.

A view whose form carries long text checks the token itself with `form_token_refused`, once it
has found what the form is about, and shows its own form again with the text and
`FORM_EXPIRED`. Every other form is refused before its view by the app's CSRF handler, which
shows the texts that were typed (`typed_texts`) to copy into the form again.
"""

from __future__ import annotations

import re

from flask import current_app, request
from flask_wtf.csrf import CSRFError

from drafting.extensions import N_, csrf

FORM_EXPIRED = N_(
    "Your session expired or the form is too old; your text is kept: send it again. "
    "Nothing was saved."
)
FORM_REFUSED = N_(
    "This form was not sent from a page of this service, or your session ended, so nothing was "
    "saved."
)

# Secrets are never written back into a page; ids, revisions and choices are no one's typing.
_SECRET_FIELD = re.compile(r"password|confirmation|secret|token|csrf", re.IGNORECASE)
_NOT_TYPED = re.compile(r"[\w.:-]{0,64}")


def form_token_refused() -> bool:
    """Whether the form lacks this session's CSRF token; for the views exempted from the check
    before the view (``@csrf.exempt``) so that the refusal gives back the form as typed."""
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return False
    try:
        csrf.protect()
    except CSRFError:
        return True
    return False


def typed_texts() -> list[tuple[str, str]]:
    """(field, text) for what a person typed into the refused form: texts with words, not the
    hidden ids, choices and revisions a form carries, and never a password or a token."""
    return [
        (name.replace("_", " ").capitalize(), value)
        for name, value in request.form.items(multi=True)
        if not _SECRET_FIELD.search(name) and not _NOT_TYPED.fullmatch(value.strip())
    ]
