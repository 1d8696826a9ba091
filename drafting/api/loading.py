"""What an API request names, loaded for a caller who may know it exists (else 404), and the
checks before a comment is written (403 for what they may see but not do)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from drafting.api.caller import caller
from drafting.auth.models import User
from drafting.auth.policy import can, why_not
from drafting.consultations.models import Comment, Consultation
from drafting.consultations.queries import load_round, load_round_to_write
from drafting.documents.models import Document, Version
from drafting.extensions import db
from drafting.web.problems import Problem


def not_found(what: str, object_id: int) -> Problem:
    return Problem(404, f"There is no {what} {object_id}, or it is not shared with you.")


def load_document(document_id: int) -> Document:
    document = db.session.scalar(
        select(Document)
        .where(Document.id == document_id)
        .options(selectinload(Document.participants), selectinload(Document.versions))
    )
    if document is None or not can(caller(), "document.view", document):
        raise not_found("document", document_id)
    return document


def load_version(version_id: int) -> Version:
    version = db.session.scalar(
        select(Version)
        .where(Version.id == version_id)
        .options(selectinload(Version.paragraphs), selectinload(Version.document))
    )
    if version is None or not can(caller(), "version.view", version):
        raise not_found("version", version_id)
    return version


def load_consultation(consultation_id: int, *, to_write: bool = False) -> Consultation:
    if to_write:
        consultation = load_round_to_write(consultation_id, caller().delegation_id)
    else:
        consultation = load_round(consultation_id)
    if consultation is None or not can(caller(), "consultation.view", consultation):
        raise not_found("round of comments", consultation_id)
    return consultation


def load_comment(comment_id: int) -> Comment:
    comment = db.session.get(Comment, comment_id)
    if comment is not None:
        load_round(comment.consultation_id)  # what the policy reads, into the identity map
    if comment is None or not can(caller(), "comment.view", comment):
        raise not_found("comment", comment_id)
    return comment


def why_not_write(user: User, consultation: Consultation) -> str:
    return why_not(user, "comment.write", consultation) or ""


def require_write(consultation: Consultation) -> None:
    user = caller()
    if not can(user, "comment.write", consultation):
        raise Problem(403, why_not_write(user, consultation))


def require_edit(comment: Comment) -> None:
    user = caller()
    if comment.delegation_id != user.delegation_id:
        raise Problem(403, why_not(user, "comment.edit", comment))
    if comment.is_withdrawn:
        raise Problem(
            409, "This comment was withdrawn, so it can no longer change: write a new one."
        )
    if reason := why_not(user, "comment.edit", comment):
        raise Problem(403, reason)


def already(comment: Comment, done: bool) -> bool:
    """Whether a submit or a withdrawal asked of ``comment`` is done already (``done``) by the
    caller's own delegation: then it is answered as it stands, without a second event."""
    user = caller()
    return (
        done
        and comment.delegation_id == user.delegation_id
        and can(user, "comment.write", comment.consultation)
    )
