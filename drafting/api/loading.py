"""What an API request names, loaded for a caller who may know it exists (else 404), and the
checks before a comment is written (403 for what they may see but not do)."""

from __future__ import annotations

import json
from functools import cache

from flask import g, request
from sqlalchemy import Select, and_, bindparam, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from drafting.api.caller import caller
from drafting.api.models import ApiToken
from drafting.auth.models import User
from drafting.auth.policy import can, why_not
from drafting.consultations.checks import note_paragraph
from drafting.consultations.models import Comment, Consultation
from drafting.consultations.queries import (
    load_round,
    load_round_to_write,
    note_memberships,
    writer_memberships,
)
from drafting.documents.models import Document, Paragraph, Version
from drafting.extensions import db
from drafting.web.problems import Problem

_PRELOADED_ROUND = "api_round_to_write"
_UID_LENGTH = 32


def comment_loader(consultation_id: int):
    """For a new comment in a round: a loader for authenticate_token that reads, in one query,
    the token with its person and delegation, the round with its version and document, whether
    the delegation takes part and is invited, and the paragraph the body names; it notes them
    where load_consultation, the policy and the paragraph's check read them. It finds nothing
    (and the request reads them one by one) when the round does not exist."""

    def load(token_hash: str) -> ApiToken | None:
        uid = _paragraph_uid()
        parameters = {"consultation_id": consultation_id, "token_hash": token_hash}
        if uid:
            parameters["uid"] = uid
        statement = _comment_statement(with_paragraph=bool(uid))
        row = db.session.execute(statement, parameters).first()
        if row is None:
            return None
        consultation = row.Consultation
        note_memberships(consultation, row.ApiToken.user.delegation_id, *row[2:4])
        if uid:
            note_paragraph(consultation, uid, row.Paragraph)
        g.setdefault(_PRELOADED_ROUND, consultation)
        return row.ApiToken

    return load


@cache
def _comment_statement(*, with_paragraph: bool) -> Select:
    """comment_loader's query, built once (with or without the paragraph) with its values as
    bound parameters: building it anew cost a fifth of a millisecond on every submission."""
    takes_part, invited = writer_memberships(User.delegation_id)
    entities = [ApiToken, Consultation, takes_part, invited]
    statement = (
        (select(*entities, Paragraph) if with_paragraph else select(*entities))
        .join(ApiToken.user)
        .join(Consultation, Consultation.id == bindparam("consultation_id"))
    )
    if with_paragraph:
        statement = statement.outerjoin(
            Paragraph,
            and_(
                Paragraph.version_id == Consultation.version_id, Paragraph.uid == bindparam("uid")
            ),
        )
    return statement.where(ApiToken.token_hash == bindparam("token_hash")).options(
        contains_eager(ApiToken.user),
        joinedload(Consultation.version).joinedload(Version.document),
    )


def _paragraph_uid() -> str | None:
    """The paragraph_uid of the JSON body (bounded by the API's body limit), if it looks like
    one; the body is read as a whole, and checked, by the view."""
    try:
        data = json.loads(request.get_data(cache=True))
    except ValueError:
        return None
    uid = data.get("paragraph_uid") if isinstance(data, dict) else None
    return uid if isinstance(uid, str) and len(uid) == _UID_LENGTH else None


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
    preloaded = g.pop(_PRELOADED_ROUND, None)
    if to_write and preloaded is not None and preloaded.id == consultation_id:
        consultation = preloaded
    elif to_write:
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
