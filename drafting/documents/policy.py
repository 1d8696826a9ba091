"""Who may see and change documents and versions: the policy's rules on this domain."""

from __future__ import annotations

from sqlalchemy import Select, false, select

from drafting.auth.models import User
from drafting.auth.policy import is_secretariat, rules
from drafting.documents.models import Document, document_participants


def takes_part(user: User | None, document) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return is_secretariat(user) or document.has_participant(user.delegation_id)


def _can_view_version(user, version) -> bool:
    if is_secretariat(user):
        return True
    return version.is_published and takes_part(user, version.document)


rules(
    {
        "document.view": takes_part,
        "document.manage": lambda user, _t: is_secretariat(user),
        "version.view": _can_view_version,
        "version.import": lambda user, _t: is_secretariat(user),
        "version.publish": lambda user, version: is_secretariat(user) and not version.is_published,
        "version.edit": lambda user, version: is_secretariat(user) and not version.is_published,
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
