"""The words of the interface for the codes that pages show as they are stored (a round's state,
what became of a paragraph at an import): "open" in English, "открыт" in Russian."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

TERMS = {
    # a round of comments (consultations.deadlines.RoundState)
    "upcoming": _l("upcoming"),
    "open": _l("open"),
    "closed": _l("closed"),
    # a paragraph read from an imported file, against the latest version
    "unchanged": _l("unchanged"),
    "changed": _l("changed"),
    "moved": _l("moved"),
    "split": _l("split"),
    "merged": _l("merged"),
    "added": _l("added"),
    "dropped": _l("dropped"),
    "deleted": _l("deleted"),
}


def term(code: object) -> str:
    """The reader's word for ``code``, or the code itself when it has none."""
    key = str(getattr(code, "value", code))
    return str(TERMS[key]) if key in TERMS else key
