"""Who may see and change documents and versions: the policy's rules on this domain."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, false, select

from drafting.auth.models import Role, User
from drafting.auth.policy import ROLE_REFUSAL, is_secretariat, rules, when
from drafting.documents.models import Document, document_participants


def takes_part(user: User | None, document) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return is_secretariat(user) or document.has_participant(user.delegation_id)


def _can_view_version(user, version) -> bool:
    if is_secretariat(user):
        return True
    return version.is_published and takes_part(user, version.document)


def published_refusal(version) -> str:
    """Why a published version cannot be edited: the words of the policy and of the editing
    operations, which check it again under the draft's lock."""
    return _(
        "%(version)s has been published: it can no longer change. Start the next draft "
        "from it instead.",
        version=version.label,
    )


def _why_not_edit(user, version) -> str | None:
    """A working draft changes at the secretariat's hands; a published one never changes."""
    if not is_secretariat(user):
        return ROLE_REFUSAL
    if version.is_published:
        return published_refusal(version)
    return None


def _why_not_publish(user, version) -> str | None:
    if not is_secretariat(user):
        return ROLE_REFUSAL
    if version.is_published:
        return _(
            "%(version)s is already published: a published draft never changes.",
            version=version.label,
        )
    return None


def _secretariat(user, _target) -> bool:
    return is_secretariat(user)


MARKING_REFUSAL = _l(
    "Only the chair and the secretariat mark paragraphs as pending, agreed ad ref. or agreed."
)


def _marks_paragraphs(user, _version) -> bool:
    """The chair and the secretariat record what the room agreed, on any version (a published
    draft too: a status is about the version, not part of its frozen text). Pages load the
    version under "version.view" first, so nobody marks a draft they cannot read."""
    return is_secretariat(user) or (
        user is not None and user.is_authenticated and user.role == Role.CHAIR
    )


rules(
    {
        "document.view": when(takes_part, _l("This document is not shared with your delegation.")),
        "document.manage": when(_secretariat),
        # The meeting screen shows the working draft as the room's projector does: to everyone
        # taking part, though only the secretariat opens the draft itself (version.view).
        "meeting.view": when(takes_part, _l("This document is not shared with your delegation.")),
        "version.view": when(_can_view_version, _l("This draft is not shared with you.")),
        "version.import": when(_secretariat),
        "version.publish": _why_not_publish,
        "version.edit": _why_not_edit,
        "paragraph.mark": when(_marks_paragraphs, MARKING_REFUSAL),
    }
)


def visible_documents(user: User, stmt: Select) -> Select:
    """Narrow a query of documents to those ``user`` may see: the same rule as "document.view",
    applied in SQL so that lists need no query per row."""
    if is_secretariat(user):
        return stmt
    if user is None or not user.is_authenticated:
        return stmt.where(false())
    taking_part = select(document_participants.c.document_id).where(
        document_participants.c.delegation_id == user.delegation_id
    )
    return stmt.where(Document.id.in_(taking_part))
