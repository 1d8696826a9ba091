"""What a delegation writes in a round: create, edit, submit and withdraw its comments, each
change kept in the comment's history and each submission acknowledged by mail.

Every write asks the round first (rounds.admit_write: the lock, then the server's clock, then
the deadline), so what is decided is what is stored. Operations flush; the request (or the
command) commits.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from drafting.audit.operations import record_event
from drafting.auth.models import User
from drafting.auth.policy import authorize
from drafting.consultations.checks import clean_comment_fields, comment_kind, comment_paragraph
from drafting.consultations.models import (
    Comment,
    CommentKind,
    CommentRevision,
    CommentStatus,
    Consultation,
)
from drafting.consultations.refusals import AlreadySent, ConsultationError, StaleEdit
from drafting.consultations.rounds import admit_write, lock_round
from drafting.database import is_loaded, lock_row
from drafting.documents.models import Paragraph
from drafting.extensions import db
from drafting.notifications.operations import absolute_url, notify
from drafting.times import format_for

_FORM_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class ClaimTaken(Exception):  # noqa: N818 - a signal to the caller, not a failure
    """create_comment's ``claim`` was taken by another request: roll back, then look it up."""


def new_form_token() -> str:
    """A random token for one comment form, so that sending it twice creates one comment."""
    return secrets.token_urlsafe(24)


def create_comment(
    actor: User,
    consultation: Consultation,
    *,
    kind: CommentKind | str,
    paragraph_uid: str | None = None,
    quote: str = "",
    quote_language: str = "",
    body: str = "",
    proposed_text: str = "",
    form_token: str | None = None,
    submit: bool = False,
    claim: Callable[[Comment], bool] | None = None,
) -> tuple[Comment, bool]:
    """Save a new comment as the delegation's draft, or submit it at once.

    Returns the comment and whether it was created: a form sent twice (a double click, a retry
    after a network error) carries the same ``form_token`` and gets the first comment back;
    sent again with "Submit" after a "Save as draft", it submits that draft. Sent again with
    other text, it is refused with AlreadySent rather than dropping either text.

    ``claim`` (without ``form_token``) stores a row naming the new comment, such as the API's
    Idempotency-Key, right after the comment (one INSERT … ON CONFLICT DO NOTHING, no
    savepoint): when it answers False, another request claimed it first, ClaimTaken is raised
    before anything else is written, and the caller rolls the transaction back.

    The revision and the receipt are written before the audit event, which is flushed last (at
    the commit): on PostgreSQL the audit chain's lock is then held for the event and the commit
    only.
    """
    authorize(actor, "comment.write", consultation)
    fresh = form_token is None  # a token made here cannot have been sent before
    token = form_token or new_form_token()
    if not _FORM_TOKEN.match(token):
        raise ConsultationError("This form is damaged: reload the page and write again.")
    kind = comment_kind(kind)
    paragraph = comment_paragraph(consultation, kind, paragraph_uid)
    existing = None if fresh else _by_token(actor.delegation_id, token)
    if existing is not None and existing.consultation_id != consultation.id:
        # A form of another round: never that round's comment back, nor submitted from here.
        raise ConsultationError("This form is damaged: reload the page and write again.")
    if existing is not None:
        return _sent_again(actor, existing, kind, paragraph, quote, body, proposed_text, submit)
    fields = clean_comment_fields(
        kind,
        paragraph,
        quote=quote,
        body=body,
        proposed_text=proposed_text,
        quote_language=quote_language,
    )
    now, late = admit_write(consultation, actor.delegation_id, late_ok=True)
    comment = new_comment(
        consultation, actor.delegation_id, kind, paragraph, token, actor, now, **fields
    )
    if submit:
        _mark_submitted(comment, actor, now, late)
    if fresh:
        db.session.add(comment)
        db.session.flush()
        if claim is not None and not claim(comment):
            raise ClaimTaken
    else:
        try:
            with db.session.begin_nested():
                db.session.add(comment)
        except IntegrityError:
            # The same form, sent twice at the same moment: the other request stored it first.
            existing = _by_token(actor.delegation_id, token)
            if existing is None or existing.consultation_id != consultation.id:
                raise
            return _sent_again(actor, existing, kind, paragraph, quote, body, proposed_text, submit)
    _snapshot(comment, actor, "submitted" if submit else "created", now)
    if submit:
        _receipt(comment, actor)
    db.session.flush()  # the revision and the receipt; the audit event last, alone
    record_event(
        actor,
        "comment.submitted" if submit else "comment.created",
        comment,
        consultation=consultation.id,
        kind=kind.value,
        paragraph=comment.paragraph_uid,
        late=comment.is_late,
        fingerprint=comment.fingerprint(),
    )
    return comment, True


def _sent_again(actor, existing, kind, paragraph, quote, body, proposed_text, submit):
    """A new-comment form whose token is already stored: the same text gives the stored
    comment back (submitted, if this time the delegate pressed Submit); other text is refused
    with both texts, so that neither is lost."""
    fields = clean_comment_fields(
        kind,
        paragraph,
        quote=quote,
        body=body,
        proposed_text=proposed_text,
        quote_language=existing.quote_language,
    )
    uid = paragraph.uid if paragraph else None
    same = existing.kind == kind and existing.paragraph_uid == uid
    same = same and all(getattr(existing, name) == value for name, value in fields.items())
    if not same:
        raise AlreadySent(existing)
    if submit and existing.is_draft:
        submit_comment(actor, existing, base_revision=existing.revision)
    return existing, False


def _refuse_if_decided(comment: Comment) -> None:
    if comment.decision is not None:
        raise ConsultationError(
            "The secretariat has already decided on this comment, so it can no longer change. "
            "Write a new comment if your delegation's position has moved."
        )


def edit_comment(
    actor: User,
    comment: Comment,
    *,
    base_revision: int,
    quote: str = "",
    body: str = "",
    proposed_text: str = "",
    submit: bool = False,
    quote_language: str | None = None,
) -> Comment:
    """Change a draft or a submitted comment until the deadline, keeping the old text in its
    history. Refused with StaleEdit when a colleague saved it after ``base_revision``.

    A submitted comment changes only before the delegation's deadline, whatever the late rule:
    accepting late comments does not let anyone rewrite an on-time one after the others have
    been revealed. A draft may still be completed and submitted late where the round says so.
    """
    authorize(actor, "comment.edit", comment)
    _lock_comment(comment)
    if comment.is_withdrawn:
        raise ConsultationError("This comment was withdrawn; write a new one instead.")
    if comment.revision != base_revision:
        raise StaleEdit(comment)
    _refuse_if_decided(comment)
    fields = clean_comment_fields(
        comment.kind,
        comment.paragraph,
        quote=quote,
        body=body,
        proposed_text=proposed_text,
        quote_language=comment.quote_language if quote_language is None else quote_language,
    )
    changed = any(getattr(comment, name) != value for name, value in fields.items())
    submitting = submit and comment.is_draft
    if not changed and not submitting:
        return comment
    now, late = admit_write(comment.consultation, comment.delegation_id, late_ok=comment.is_draft)
    for name, value in fields.items():
        setattr(comment, name, value)
    comment.revision += 1
    comment.updated_dt = now
    comment.updated_by_id = actor.id
    if submitting:
        _mark_submitted(comment, actor, now, late)
    action = "submitted" if submitting else "edited"
    _snapshot(comment, actor, action, now)
    record_event(
        actor,
        f"comment.{action}",
        comment,
        revision=comment.revision,
        late=late,
        fingerprint=comment.fingerprint(),
    )
    if submitting:
        _receipt(comment, actor)
    return comment


def submit_comment(actor: User, comment: Comment, *, base_revision: int | None = None) -> bool:
    """Submit a draft. Submitting one already submitted changes nothing (False). With
    ``base_revision`` (the revision the delegate was looking at), a draft a colleague changed
    meanwhile is refused with StaleEdit rather than submitted unseen."""
    authorize(actor, "comment.edit", comment)
    _lock_comment(comment)
    if comment.is_submitted:
        return False
    if comment.is_withdrawn:
        raise ConsultationError("This comment was withdrawn; write a new one instead.")
    if base_revision is not None and comment.revision != base_revision:
        raise StaleEdit(comment)
    now, late = admit_write(comment.consultation, comment.delegation_id, late_ok=True)
    _submit(actor, comment, now, late)
    return True


def _submit(actor: User, comment: Comment, now: datetime, late: bool) -> None:
    comment.revision += 1
    comment.updated_dt = now
    comment.updated_by_id = actor.id
    _mark_submitted(comment, actor, now, late)
    _snapshot(comment, actor, "submitted", now)
    record_event(
        actor,
        "comment.submitted",
        comment,
        revision=comment.revision,
        late=late,
        fingerprint=comment.fingerprint(),
    )
    _receipt(comment, actor)


def submit_drafts(actor: User, consultation: Consultation) -> int:
    """Submit every draft of the actor's delegation in this round, at one instant: the clock
    is read once, so a deadline cannot fall between two of them."""
    authorize(actor, "comment.write", consultation)
    now, late = admit_write(consultation, actor.delegation_id, late_ok=True)
    drafts = db.session.scalars(
        select(Comment)
        .where(
            Comment.consultation_id == consultation.id,
            Comment.delegation_id == actor.delegation_id,
            Comment.status == CommentStatus.DRAFT,
        )
        .order_by(Comment.id)
        .with_for_update(of=Comment)
        .execution_options(populate_existing=True)
    ).all()
    if not drafts:
        raise ConsultationError("Your delegation has no draft comment to submit.")
    for comment in drafts:
        _submit(actor, comment, now, late)
    return len(drafts)


def withdraw_comment(actor: User, comment: Comment, *, base_revision: int | None = None) -> None:
    """Withdraw a draft or a submitted comment until the deadline; its history is kept.
    A submitted comment is withdrawn only before the deadline, whatever the late rule."""
    authorize(actor, "comment.edit", comment)
    _lock_comment(comment)
    if comment.is_withdrawn:
        return
    if base_revision is not None and comment.revision != base_revision:
        raise StaleEdit(comment)
    _refuse_if_decided(comment)
    now, _late = admit_write(comment.consultation, comment.delegation_id, late_ok=comment.is_draft)
    comment.status = CommentStatus.WITHDRAWN
    comment.withdrawn_dt = now
    comment.revision += 1
    comment.updated_dt = now
    comment.updated_by_id = actor.id
    _snapshot(comment, actor, "withdrawn", now)
    record_event(
        actor,
        "comment.withdrawn",
        comment,
        revision=comment.revision,
        fingerprint=comment.fingerprint(),
    )


def _lock_comment(comment: Comment) -> None:
    """Take the round's shared lock, then the comment's own row, and reload it: two colleagues
    saving the same comment are serialised and the second sees the first's revision."""
    lock_round(comment.consultation)
    lock_row(comment)


def new_comment(
    consultation: Consultation,
    delegation_id: int,
    kind: CommentKind,
    paragraph: Paragraph | None,
    token: str,
    actor: User,
    now: datetime,
    **fields,
) -> Comment:
    """A comment as first saved, at its first revision: a delegation's own or one the
    secretariat records for it (consultations.recording), so both start alike. Its round is
    named by id: a relationship to follow took a quarter of the flush on the API's path."""
    return Comment(
        consultation_id=consultation.id,
        delegation_id=delegation_id,
        kind=kind,
        paragraph_id=paragraph.id if paragraph else None,
        paragraph_uid=paragraph.uid if paragraph else None,
        form_token=token,
        created_dt=now,
        created_by_id=actor.id,
        updated_dt=now,
        updated_by_id=actor.id,
        revision=1,
        **fields,
    )


def _mark_submitted(comment: Comment, actor: User, now: datetime, late: bool) -> None:
    comment.status = CommentStatus.SUBMITTED
    comment.submitted_dt = now
    comment.submitted_by_id = actor.id
    comment.is_late = late


def _snapshot(comment: Comment, actor: User, action: str, now: datetime) -> None:
    """The comment as it now stands, as its revision. A stored comment is named by id: the
    relationship would make the comment part of the next flush (half its time) for a
    ``revisions`` nobody loaded; where it is loaded, it is kept up to date."""
    stored = comment.id is not None and not is_loaded(comment, "revisions")
    link = {"comment_id": comment.id} if stored else {"comment": comment}
    db.session.add(
        CommentRevision(
            **link,
            revision=comment.revision,
            kind=comment.kind,
            paragraph_uid=comment.paragraph_uid,
            quote=comment.quote,
            body=comment.body,
            proposed_text=comment.proposed_text,
            status=comment.status,
            action=action,
            saved_dt=now,
            saved_by_id=actor.id,
        )
    )


def _receipt(comment: Comment, actor: User) -> None:
    consultation = comment.consultation
    late = " It was received after the deadline and is marked late." if comment.is_late else ""
    received = format_for(comment.submitted_dt, consultation.timezone, actor)
    notify(
        [actor],
        subject=f"Received: your {comment.kind.title.lower()} on {consultation.version.label}",
        body=(
            f"The secretariat received {comment.delegation.name}'s comment in "
            f"“{consultation.title}” on {received}."
            f"{late}\n\n"
            f"{absolute_url('consultations.consultation', consultation_id=consultation.id)}\n"
        ),
        kind="comment.receipt",
    )


def _by_token(delegation_id: int, token: str) -> Comment | None:
    return db.session.scalar(
        select(Comment).where(Comment.delegation_id == delegation_id, Comment.form_token == token)
    )
