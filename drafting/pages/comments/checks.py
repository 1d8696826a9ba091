"""What a sent comment form must carry before anything is read from it, besides the CSRF
token (`drafting.web.csrf`): a page of this service as its origin, the writer's own
delegation, the revision read."""

from __future__ import annotations

import re

from flask import abort
from flask_babel import gettext as _
from flask_login import current_user

from drafting.consultations.comment_forms import CommentForm

_REVISION = re.compile(r"^[0-9]{1,9}$")


def base_revision(form) -> int:
    """The revision of the comment the delegate was reading when they pressed the button."""
    raw = (form.base_revision.data or "").strip()
    if not _REVISION.match(raw):
        abort(
            400,
            description=(
                _(
                    "This form does not say which revision of the comment you were reading, so "
                    "nothing was done. Reload the page and try again."
                )
            ),
        )
    return int(raw)


def check_delegation(form: CommentForm) -> None:
    """The delegation is always the writer's own: a form naming another one was tampered with."""
    sent = (form.delegation_id.data or "").strip()
    if sent and sent != str(current_user.delegation_id):
        abort(
            400,
            description=(
                _(
                    "This form names another delegation than yours, so nothing was saved. "
                    "Comments are always written on behalf of your own delegation, %(name)s.",
                    name=current_user.delegation.name,
                )
            ),
        )


def check_action_form(form) -> None:
    if not form.validate_on_submit():
        abort(400, description=_("This form was not sent from a page of this service."))
