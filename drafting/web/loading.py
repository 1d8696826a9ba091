"""One way a page or the API finds the object a URL names: by its id, or no such page."""

from __future__ import annotations

from drafting.extensions import db
from drafting.web import require


def load(model, ident, *, action: str | None = None, hide: bool = True):
    """The object of type ``model`` with id ``ident``, or 404; with ``action``, also 404
    (``hide``) or 403 when the policy refuses it to the current user."""
    target = db.get_or_404(model, ident)
    if action is not None:
        require(action, target, hide=hide)
    return target
