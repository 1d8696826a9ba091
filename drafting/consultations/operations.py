"""What is done in a consultation: open a round, write, submit and withdraw comments, co-sponsor
amendments, grant extensions, close early, record decisions.

Every write that a deadline governs takes the round's row lock first and only then reads the
server's clock, in UTC, inside the transaction that writes: what is decided is what is stored.
Operations flush; the request (or the command) commits.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from drafting.audit.operations import record_event
from drafting.auth.models import Delegation, User
from drafting.auth.operations import people_of
from drafting.auth.policy import authorize
from drafting.consultations.deadlines import Window, why_closed
from drafting.consultations.models import (
    Comment,
    CommentKind,
    CommentRevision,
    CommentStatus,
    Consultation,
    Decision,
    DecisionRevision,
    Extension,
    LateRule,
    Outcome,
    Support,
    Visibility,
)
from drafting.database import lock_row, utcnow
from drafting.documents.models import Paragraph, ParagraphKind, Version
from drafting.documents.operations import publish_version
from drafting.extensions import db
from drafting.notifications.operations import absolute_url, notify
from drafting.text.draft_format import forbidden_markup
from drafting.text.inline import display_text
from drafting.text.names import name_problem
from drafting.times import format_for, format_instant, zone

MAX_TITLE_LENGTH = 200
MAX_REFLECTED_LENGTH = 200
_FORM_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


# "Leave as it is": the default of arguments that may also be set to None.
KEEP = object()


class ConsultationError(ValueError):
    """A request that cannot be done; the message is meant for the person who made it."""


class DeadlineRefused(ConsultationError):
    """A write outside the round's window. ``now`` is the server's clock when it decided."""

    def __init__(self, message: str, *, now: datetime, deadline: datetime | None = None):
        super().__init__(message)
        self.now = now
        self.deadline = deadline


class StaleEdit(ConsultationError):
    """An edit made from an older revision than the stored one: a colleague saved meanwhile."""

    def __init__(self, comment: Comment):
        who = comment.updated_by.name if comment.updated_by else "A colleague"
        super().__init__(
            f"{who} saved this comment at "
            f"{format_instant(comment.updated_dt, comment.consultation.timezone)} while you "
            "were editing it. Nothing of yours was saved: your text is kept below and theirs is "
            "shown beside it. Merge the two and save again."
        )
        self.comment = comment


class AlreadySent(ConsultationError):
    """A new-comment form sent again with other text than the first time: neither is dropped;
    ``comment`` is what was stored from the first sending."""

    def __init__(self, comment: Comment):
        super().__init__(
            "This form was already sent, with other text: that first text was saved and is "
            "shown beside yours. Nothing else was saved. Edit the saved comment to change it."
        )
        self.comment = comment


def new_form_token() -> str:
    """A random token for one comment form, so that sending it twice creates one comment."""
    return secrets.token_urlsafe(24)


# ---------------------------------------------------------------------------------------------
# Rounds


def open_consultation(
    actor: User | None,
    version: Version,
    *,
    title: str,
    opens_dt: datetime,
    closes_dt: datetime,
    timezone: str,
    invited: Sequence[Delegation],
    visibility: Visibility = Visibility.SEALED,
    late_rule: LateRule = LateRule.REFUSE,
    instructions: str = "",
) -> Consultation:
    """Open a round of written comments on a published version; tell the invited delegations."""
    authorize(actor, "consultation.create", version)
    if not version.is_published:
        raise ConsultationError("Comments can only be asked on a published version.")
    if problem := name_problem(title):
        raise ConsultationError(f"The title {problem}.")
    title = " ".join((title or "").split()) or f"Comments on {version.label}"
    if len(title) > MAX_TITLE_LENGTH:
        raise ConsultationError(f"The title may have at most {MAX_TITLE_LENGTH} characters.")
    zone(timezone)
    for instant in (opens_dt, closes_dt):
        if instant.tzinfo is None:
            raise ConsultationError("Times must say their time zone.")
    if closes_dt <= opens_dt:
        raise ConsultationError("The deadline must come after the opening.")
    if closes_dt <= utcnow():
        raise ConsultationError("The deadline is already past: choose a later one.")
    if not invited:
        raise ConsultationError("Invite at least one delegation.")
    _check_text("The instructions", instructions)
    consultation = Consultation(
        version=version,
        title=title,
        instructions=instructions or "",
        opens_dt=opens_dt,
        closes_dt=closes_dt,
        timezone=timezone,
        invited=sorted(invited, key=lambda d: d.name),
        visibility=Visibility(visibility),
        late_rule=LateRule(late_rule),
        created_by_id=getattr(actor, "id", None),
    )
    db.session.add(consultation)
    record_event(
        actor,
        "consultation.opened",
        consultation,
        version=version.label,
        opens=opens_dt.isoformat(),
        closes=closes_dt.isoformat(),
        timezone=timezone,
        invited=[d.code for d in consultation.invited],
        visibility=consultation.visibility.value,
        late_rule=consultation.late_rule.value,
    )
    notify(
        people_of(d.id for d in consultation.invited),
        subject=f"Comments invited on {version.label}: {version.document.title}"[:300],
        body=lambda reader: (
            f"{title}\n\nThe secretariat invites your delegation's written comments on "
            f"{version.label} of “{version.document.title}”.\n\n"
            f"Opens:    {format_for(opens_dt, timezone, reader)}\n"
            f"Deadline: {format_for(closes_dt, timezone, reader)}\n\n"
            f"{absolute_url('consultations.consultation', consultation_id=consultation.id)}\n"
        ),
        kind="consultation.opened",
    )
    return consultation


def grant_extension(
    actor: User | None,
    consultation: Consultation,
    delegation: Delegation,
    closes_dt: datetime,
    reason: str = "",
) -> Extension:
    """Give one delegation a later deadline (or change the one it has)."""
    authorize(actor, "consultation.manage", consultation)
    _lock(consultation, exclusive=True)
    if not consultation.is_invited(delegation.id):
        raise ConsultationError(f"{delegation.name} is not invited to this round.")
    if consultation.closed_early_dt is not None:
        raise ConsultationError("This round was closed early; it takes no more comments.")
    if consultation.visibility == Visibility.SEALED and consultation.has_closed(utcnow()):
        raise ConsultationError(
            "This sealed round has closed and every participant can now read the comments: an "
            f"extension now would let {delegation.name} read them before writing its own."
        )
    if closes_dt <= consultation.closes_dt:
        raise ConsultationError(
            "An extension must end after the round's deadline, "
            f"{format_instant(consultation.closes_dt, consultation.timezone)}."
        )
    _check_text("The reason", reason)
    extension = consultation.extension_for(delegation.id)
    if extension is None:
        extension = Extension(consultation=consultation, delegation=delegation, closes_dt=closes_dt)
        db.session.add(extension)
    extension.closes_dt = closes_dt
    extension.reason = reason or ""
    extension.granted_dt = utcnow()
    extension.granted_by_id = getattr(actor, "id", None)
    record_event(
        actor,
        "consultation.extension_granted",
        consultation,
        delegation=delegation.code,
        closes=closes_dt.isoformat(),
        reason=reason,
    )
    notify(
        people_of([delegation.id]),
        subject=f"Extension granted: {consultation.title}",
        body=lambda reader: (
            f"The secretariat has extended {delegation.name}'s deadline for “{consultation.title}” "
            f"to {format_for(closes_dt, consultation.timezone, reader)}.\n\n"
            f"{absolute_url('consultations.consultation', consultation_id=consultation.id)}\n"
        ),
        kind="consultation.extension",
    )
    return extension


def close_early(actor: User | None, consultation: Consultation) -> None:
    """Close the round now for everyone, extensions included."""
    authorize(actor, "consultation.manage", consultation)
    _lock(consultation, exclusive=True)
    now = utcnow()
    if consultation.has_closed(now):
        raise ConsultationError("This round has already closed.")
    consultation.closed_early_dt = now
    record_event(actor, "consultation.closed_early", consultation, at=now.isoformat())
    notify(
        people_of(d.id for d in consultation.invited),
        subject=f"Closed: {consultation.title}",
        body=lambda reader: (
            f"The secretariat closed “{consultation.title}” at "
            f"{format_for(now, consultation.timezone, reader)}. No more comments are accepted.\n"
        ),
        kind="consultation.closed",
    )


# ---------------------------------------------------------------------------------------------
# Comments


def create_comment(
    actor: User,
    consultation: Consultation,
    *,
    kind: CommentKind | str,
    paragraph_uid: str | None = None,
    quote: str = "",
    body: str = "",
    proposed_text: str = "",
    form_token: str | None = None,
    submit: bool = False,
    claim: Callable[[Comment], object] | None = None,
) -> tuple[Comment, bool]:
    """Save a new comment as the delegation's draft, or submit it at once.

    Returns the comment and whether it was created: a form sent twice (a double click, a retry
    after a network error) carries the same ``form_token`` and gets the first comment back;
    sent again with "Submit" after a "Save as draft", it submits that draft. Sent again with
    other text, it is refused with AlreadySent rather than dropping either text.

    ``claim`` (without ``form_token``) makes a row naming the new comment that is stored with it
    or not at all, such as the API's Idempotency-Key: when the database refuses it, nothing is
    stored and the IntegrityError is raised for the caller to find who claimed it first.
    """
    authorize(actor, "comment.write", consultation)
    fresh = form_token is None  # a token made here cannot have been sent before
    token = form_token or new_form_token()
    if not _FORM_TOKEN.match(token):
        raise ConsultationError("This form is damaged: reload the page and write again.")
    kind = _kind(kind)
    paragraph = _paragraph(consultation, kind, paragraph_uid)
    existing = None if fresh else _by_token(actor.delegation_id, token)
    if existing is not None and existing.consultation_id != consultation.id:
        # A form of another round: never that round's comment back, nor submitted from here.
        raise ConsultationError("This form is damaged: reload the page and write again.")
    if existing is not None:
        return _sent_again(actor, existing, kind, paragraph, quote, body, proposed_text, submit)
    fields = _clean_fields(kind, paragraph, quote=quote, body=body, proposed_text=proposed_text)
    now, late = _window(consultation, actor.delegation_id, late_ok=True)
    comment = Comment(
        consultation=consultation,
        delegation_id=actor.delegation_id,
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
    if submit:
        _mark_submitted(comment, actor, now, late)
    try:
        with db.session.begin_nested():
            db.session.add(comment)
            if claim is not None:
                db.session.add(claim(comment))
    except IntegrityError:
        if fresh:
            raise  # the claim was taken: its caller knows by what
        # The same form, sent twice at the same moment: the other request stored it first.
        existing = _by_token(actor.delegation_id, token)
        if existing is None or existing.consultation_id != consultation.id:
            raise
        return _sent_again(actor, existing, kind, paragraph, quote, body, proposed_text, submit)
    _snapshot(comment, actor, "submitted" if submit else "created", now)
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
    if submit:
        _receipt(comment, actor)
    return comment, True


def _sent_again(actor, existing, kind, paragraph, quote, body, proposed_text, submit):
    """A new-comment form whose token is already stored: the same text gives the stored
    comment back (submitted, if this time the delegate pressed Submit); other text is refused
    with both texts, so that neither is lost."""
    fields = _clean_fields(kind, paragraph, quote=quote, body=body, proposed_text=proposed_text)
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
    fields = _clean_fields(
        comment.kind, comment.paragraph, quote=quote, body=body, proposed_text=proposed_text
    )
    changed = any(getattr(comment, name) != value for name, value in fields.items())
    submitting = submit and comment.is_draft
    if not changed and not submitting:
        return comment
    now, late = _window(comment.consultation, comment.delegation_id, late_ok=comment.is_draft)
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
    now, late = _window(comment.consultation, comment.delegation_id, late_ok=True)
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
    now, late = _window(consultation, actor.delegation_id, late_ok=True)
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
    now, _late = _window(comment.consultation, comment.delegation_id, late_ok=comment.is_draft)
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


def support_comment(actor: User, comment: Comment) -> Support:
    """Join a submitted amendment as a co-sponsor, on behalf of the actor's delegation, before
    the supporting delegation's deadline (co-sponsoring is never late)."""
    authorize(actor, "comment.support", comment)
    _window(comment.consultation, actor.delegation_id, late_ok=False)
    existing = next((s for s in comment.supports if s.delegation_id == actor.delegation_id), None)
    if existing is not None:
        return existing
    try:
        with db.session.begin_nested():
            support = Support(
                comment_id=comment.id,
                delegation_id=actor.delegation_id,
                user_id=actor.id,
                created_dt=utcnow(),
            )
            db.session.add(support)
    except IntegrityError:
        # The same delegation, at the same moment, from another request: one support stands.
        db.session.expire(comment, ["supports"])
        return next(s for s in comment.supports if s.delegation_id == actor.delegation_id)
    db.session.expire(comment, ["supports"])
    record_event(actor, "comment.supported", comment, delegation=actor.delegation.code)
    return support


def withdraw_support(actor: User, comment: Comment) -> None:
    authorize(actor, "comment.support", comment)
    _window(comment.consultation, actor.delegation_id, late_ok=False)
    support = next((s for s in comment.supports if s.delegation_id == actor.delegation_id), None)
    if support is None:
        return
    comment.supports.remove(support)
    record_event(actor, "comment.support_withdrawn", comment, delegation=actor.delegation.code)


# ---------------------------------------------------------------------------------------------
# Decisions


def record_decision(
    actor: User | None,
    comment: Comment,
    *,
    outcome: Outcome | str,
    justification: str = "",
    is_shared: bool = True,
    reflected_in: str = "",
    reflected_paragraph_uid: str | None | object = KEEP,
    reflected_version_id: int | None | object = KEEP,
    action: str | None = None,
) -> Decision:
    """Record (or change) what the secretariat did with a submitted comment.

    Where it is reflected is a link to a paragraph (``reflected_paragraph_uid`` in
    ``reflected_version_id``: see reflecting_paragraph), kept as it is unless given, and
    ``reflected_in`` an optional note. Every change appends the decision as it now stands to its
    history (DecisionRevision), so a decision replaced stays on record."""
    authorize(actor, "decision.record", comment)
    if not comment.is_submitted:
        raise ConsultationError("Only a submitted comment can be decided on.")
    try:
        outcome = Outcome(outcome)
    except ValueError:
        raise ConsultationError("Choose a decision from the list.") from None
    _check_text("The justification", justification)
    _check_plain("“Reflected in”", reflected_in)
    reflected_in = " ".join((reflected_in or "").split())
    if len(reflected_in) > MAX_REFLECTED_LENGTH:
        raise ConsultationError(
            f"“Reflected in” may have at most {MAX_REFLECTED_LENGTH} characters."
        )
    decision = comment.decision
    before = decision.outcome.value if decision else None
    if reflected_paragraph_uid is KEEP:
        reflected_paragraph_uid = decision.reflected_paragraph_uid if decision else None
    if reflected_version_id is KEEP:
        reflected_version_id = decision.reflected_version_id if decision else None
    if decision is None:
        decision = Decision(comment=comment, outcome=outcome, revision=1)
        db.session.add(decision)
        action = action or "recorded"
    else:
        decision.revision += 1
        action = action or "changed"
    decision.outcome = outcome
    decision.justification = justification or ""
    decision.is_shared = bool(is_shared)
    decision.reflected_in = reflected_in
    decision.reflected_paragraph_uid = reflected_paragraph_uid
    decision.reflected_version_id = reflected_version_id
    decision.decided_dt = utcnow()
    decision.decided_by_id = getattr(actor, "id", None)
    keep_decision_revision(decision, action)
    record_event(
        actor,
        "decision.recorded",
        comment,
        outcome=outcome.value,
        previous=before,
        revision=decision.revision,
        shared=decision.is_shared,
        reflected_in=reflected_in,
        reflected_paragraph=reflected_paragraph_uid,
        reflected_version=reflected_version_id,
        fingerprint=decision.fingerprint(),
    )
    return decision


def keep_decision_revision(decision: Decision, action: str) -> None:
    """Append the decision as it now stands to its history (append-only, by trigger)."""
    db.session.add(
        DecisionRevision(
            comment_id=decision.comment.id,
            revision=decision.revision,
            action=action,
            outcome=decision.outcome,
            justification=decision.justification,
            is_shared=decision.is_shared,
            reflected_in=decision.reflected_in,
            reflected_paragraph_uid=decision.reflected_paragraph_uid,
            reflected_version_id=decision.reflected_version_id,
            decided_dt=decision.decided_dt,
            decided_by_id=decision.decided_by_id,
        )
    )
    db.session.flush()
    # The link may have changed: read the paragraph and its version afresh when next asked.
    db.session.expire(decision, ["reflected_paragraph", "reflected_version"])
    db.session.expire(decision.comment, ["decision_revisions"])


def reflecting_versions(consultation: Consultation) -> list[Version]:
    """The versions a decision in ``consultation`` may be reflected in: the consulted one and
    every later one of the document, the newest first."""
    consulted = consultation.version
    versions = [v for v in consulted.document.versions if v.id >= consulted.id]
    return sorted(versions, key=lambda v: v.id, reverse=True)


def reflecting_paragraph(
    consultation: Consultation, version_id: int | None, label: str
) -> Paragraph:
    """The paragraph numbered ``label`` ("6", "PP6.", "(a)") in one of reflecting_versions, or
    a ConsultationError that says what to choose."""
    version = next((v for v in reflecting_versions(consultation) if v.id == version_id), None)
    if version is None:
        raise ConsultationError("Choose the draft in which the decision is reflected.")
    wanted = _label_key(label)
    found = [p for p in version.paragraphs if p.label and _label_key(p.label) == wanted]
    if not found:
        raise ConsultationError(
            f"{version.label} has no paragraph numbered “{label.strip()[:20]}”: type a number "
            f"as printed in {version.label}, or leave it empty."
        )
    return found[0]


def _label_key(label: str) -> str:
    """A label as typed or printed, without what people leave out: "PP6." is "pp6"."""
    return re.sub(r"[\s.*]", "", label or "").casefold()


# ---------------------------------------------------------------------------------------------
# Helpers


def _lock(consultation: Consultation, *, exclusive: bool = False) -> None:
    """Serialise against changes to the round's window. Writers of comments share the lock;
    extending or closing the round takes it alone, so no comment slips past an early close.
    The round and its extensions are read afresh, as another transaction may have changed them."""
    lock_row(consultation, shared=not exclusive, reload=("extensions",))


def _lock_comment(comment: Comment) -> None:
    """Take the round's shared lock, then the comment's own row, and reload it: two colleagues
    saving the same comment are serialised and the second sees the first's revision."""
    _lock(comment.consultation)
    lock_row(comment)


def _window(consultation: Consultation, delegation_id: int, *, late_ok: bool):
    """Whether the round takes this delegation's write now, by the server's clock read after
    the lock: (now, late) or DeadlineRefused, in the deadline rule's words. ``late_ok`` says
    whether this write may be late where the round accepts late comments (a new comment may;
    rewriting a submitted one not)."""
    _lock(consultation)
    now = utcnow()
    window = consultation.window_for(delegation_id, now, late_ok=late_ok)
    if window.takes_writes:
        return now, window == Window.LATE_ACCEPTED
    why = why_closed(consultation, delegation_id, now, late_ok=late_ok)
    opened = window != Window.NOT_OPEN
    raise DeadlineRefused(
        f"{why} Nothing was saved (server time {format_instant(now, 'UTC')})." if opened else why,
        now=now,
        deadline=consultation.deadline_for(delegation_id) if opened else None,
    )


def _mark_submitted(comment: Comment, actor: User, now: datetime, late: bool) -> None:
    comment.status = CommentStatus.SUBMITTED
    comment.submitted_dt = now
    comment.submitted_by_id = actor.id
    comment.is_late = late


def _snapshot(comment: Comment, actor: User, action: str, now: datetime) -> None:
    db.session.add(
        CommentRevision(
            comment=comment,
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


def _kind(kind: CommentKind | str) -> CommentKind:
    try:
        return CommentKind(kind)
    except ValueError:
        raise ConsultationError("Choose what kind of comment this is.") from None


def _paragraph(
    consultation: Consultation, kind: CommentKind, paragraph_uid: str | None
) -> Paragraph | None:
    if not kind.needs_paragraph:
        return None
    if not paragraph_uid:
        raise ConsultationError("Choose the paragraph this comment is about.")
    if not _UID.match(paragraph_uid):
        raise ConsultationError("There is no such paragraph: go back to the draft and choose one.")
    paragraph = db.session.scalar(
        select(Paragraph).where(
            Paragraph.version_id == consultation.version_id, Paragraph.uid == paragraph_uid
        )
    )
    if paragraph is None:
        raise ConsultationError(
            f"That paragraph is not part of {consultation.version.label}, the version this "
            "round is about."
        )
    if kind == CommentKind.SECTION and paragraph.kind != ParagraphKind.HEADING:
        raise ConsultationError("A comment on a section must be made on its heading.")
    if kind in (CommentKind.REPLACE, CommentKind.DELETE) and paragraph.kind == ParagraphKind.TITLE:
        raise ConsultationError("Propose a change to the title as a general comment.")
    return paragraph


def _max_chars() -> int:
    return current_app.config["MAX_COMMENT_CHARS"]


# Control characters a person cannot type (NUL above all, which PostgreSQL refuses to store).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_UID = re.compile(r"^[0-9a-f]{32}$")


def _check_plain(what: str, text: str | None) -> None:
    """Plain text, shown escaped (a title, a reference): only invisible characters are refused."""
    if _CONTROL.search(text or ""):
        raise ConsultationError(
            f"{what} contains an invisible control character, probably from a copy and paste. "
            "Remove it and send again."
        )


def _check_text(what: str, text: str | None) -> None:
    """Markdown a person wrote: its length, invisible characters, raw HTML and script links."""
    text = text or ""
    _check_plain(what, text)
    limit = _max_chars()
    if len(text) > limit:
        raise ConsultationError(
            f"{what} is {len(text):,} characters long; at most {limit:,} are accepted. "
            "Shorten it, or send a long contribution to the secretariat as a document."
        )
    reason = forbidden_markup(text)
    if reason:
        raise ConsultationError(f"{what} {reason}.")


def _normalise(text: str) -> str:
    return " ".join(display_text(text).split()).casefold()


def _clean_fields(
    kind: CommentKind, paragraph: Paragraph | None, *, quote: str, body: str, proposed_text: str
) -> dict[str, str]:
    """Check what a delegation wrote for this kind of comment; the fields to store."""
    quote = (quote or "").strip()
    body = (body or "").strip()
    proposed_text = (proposed_text or "").strip()
    _check_text("The quoted passage", quote)
    _check_text("The comment" if not kind.is_amendment else "The justification", body)
    _check_text("The proposed text", proposed_text)
    if kind in (CommentKind.GENERAL, CommentKind.SECTION, CommentKind.PARAGRAPH) and not body:
        raise ConsultationError("The comment is empty: write what your delegation wants to say.")
    if kind in (CommentKind.REPLACE, CommentKind.INSERT):
        if not proposed_text:
            raise ConsultationError("Write the text your delegation proposes.")
        if "\n\n" in proposed_text.replace("\r\n", "\n"):
            raise ConsultationError(
                "Propose one paragraph at a time: the proposed text has a blank line in it."
            )
    else:
        proposed_text = ""
    if (
        kind == CommentKind.REPLACE
        and paragraph is not None
        and " ".join(proposed_text.split()) == " ".join(paragraph.text.split())
    ):
        raise ConsultationError("The proposed text is the same as the current text.")
    if quote and paragraph is not None and _normalise(quote) not in _normalise(paragraph.text):
        label = f"paragraph {paragraph.label}" if paragraph.label else "the paragraph"
        raise ConsultationError(f"The quoted passage is not in {label}; copy it exactly.")
    if quote and paragraph is None:
        quote = ""
    return {"quote": quote, "body": body, "proposed_text": proposed_text}


def publish_and_open_round(
    actor: User | None,
    version: Version,
    *,
    label: str | None = None,
    note: str | None = "",
    renumber: bool | None = None,
    accept_numbering: bool = False,
    round_of_comments: dict[str, Any],
) -> Consultation:
    """Publish ``version`` and open a round of comments on it in one step: both or neither.

    ``round_of_comments`` holds open_consultation's keyword arguments. If the round is refused,
    the publication is undone too (a savepoint) and the refusal raised.
    """
    with db.session.begin_nested():
        publish_version(
            actor,
            version,
            label=label,
            note=note,
            renumber=renumber,
            accept_numbering=accept_numbering,
        )
        return open_consultation(actor, version, **round_of_comments)
