"""Comments the secretariat records on a delegation's behalf: what a delegation said in the
meeting, or sent by e-mail or letter, written down as that delegation's submitted comment.

The comment is the delegation's in every respect (it may correct or withdraw it until its
deadline, like its own); the comment carries who recorded it (``recorded_by``), from what
(``recorded_source``) and when it was received (``received_dt``). Lateness is judged by the
time received, not the time of recording: an e-mail received before the deadline and typed in
after it is on time. Operations flush; the request commits.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from drafting.audit.operations import record_event
from drafting.auth.models import Delegation, User
from drafting.auth.operations import people_of
from drafting.auth.policy import authorize
from drafting.consultations.checks import (
    check_plain,
    clean_comment_fields,
    comment_kind,
    comment_paragraph,
)
from drafting.consultations.commenting import (
    _FORM_TOKEN,
    _mark_submitted,
    _snapshot,
    new_comment,
    new_form_token,
)
from drafting.consultations.deadlines import Window, why_closed
from drafting.consultations.models import Comment, CommentKind, Consultation
from drafting.consultations.refusals import ConsultationError, DeadlineRefused
from drafting.consultations.rounds import lock_round
from drafting.database import utcnow
from drafting.extensions import db
from drafting.notifications.operations import absolute_url, notify
from drafting.times import format_for, format_instant

# Where a delegation's words came from; "other" is said in the free text alone.
SOURCES = {
    "oral": "Oral statement in the meeting",
    "email": "E-mail",
    "letter": "Letter",
    "word": "Word file",  # a marked-up copy (consultations.word_comments)
    "other": "Other",
}
MAX_SOURCE_CHARS = 300


def source_text(source: str, detail: str = "") -> str:
    """The source as stored and shown: its kind, then the secretariat's words ("E-mail: E-mail
    of the Permanent Mission, 3 December"); refused when it says nothing."""
    if source not in SOURCES:
        raise ConsultationError(
            _("Say where the comment comes from: an oral statement, an e-mail, a letter or other.")
        )
    detail = " ".join((detail or "").split())
    check_plain("The source", detail)
    if source == "other" and not detail:
        raise ConsultationError(_("Describe the source: for example “Note verbale of 3 December”."))
    text = f"{SOURCES[source]}: {detail}" if detail else SOURCES[source]
    if len(text) > MAX_SOURCE_CHARS:
        raise ConsultationError(
            _("The source may have at most %(limit)s characters.", limit=MAX_SOURCE_CHARS)
        )
    return text


def _admit_received(
    consultation: Consultation, delegation: Delegation, received_dt: datetime
) -> tuple[datetime, bool]:
    """The round's answer for a comment received at ``received_dt``: (now, late) or
    DeadlineRefused, by the deadline rule read under the round's lock, at the time received."""
    if received_dt.tzinfo is None:
        raise ConsultationError(_("The time received must say its time zone."))
    lock_round(consultation)
    now = utcnow()
    if received_dt > now:
        raise ConsultationError(
            _(
                "The time received, %(when)s, is still to come: give the date and time the "
                "delegation's comment reached the secretariat.",
                when=format_instant(received_dt, consultation.timezone),
            )
        )
    found = consultation.window_for(delegation.id, received_dt, late_ok=True)
    if found.takes_writes:
        return now, found == Window.LATE_ACCEPTED
    why = why_closed(consultation, delegation.id, received_dt, late_ok=True) or ""
    raise DeadlineRefused(
        _(
            "%(delegation)s's comment was received on %(when)s. %(why)s Nothing was recorded.",
            delegation=delegation.name,
            when=format_instant(received_dt, consultation.timezone),
            why=why,
        ),
        now=now,
        deadline=consultation.deadline_for(delegation.id),
    )


def record_comment(
    actor: User,
    consultation: Consultation,
    delegation: Delegation,
    *,
    kind: CommentKind | str,
    source: str,
    received_dt: datetime,
    source_detail: str = "",
    paragraph_uid: str | None = None,
    quote: str = "",
    body: str = "",
    proposed_text: str = "",
    form_token: str | None = None,
) -> tuple[Comment, bool]:
    """Record ``delegation``'s comment or amendment as submitted, on its behalf.

    Returns the comment and whether it was created: the same form sent twice (its
    ``form_token``) gives the first comment back. The delegation's people are notified.
    """
    authorize(actor, "comment.record", consultation)
    if not consultation.is_invited(delegation.id):
        raise ConsultationError(f"{delegation.name} is not invited to this round.")
    token = form_token or new_form_token()
    if not _FORM_TOKEN.match(token):
        raise ConsultationError("This form is damaged: reload the page and write again.")
    existing = db.session.scalar(
        select(Comment).where(Comment.delegation_id == delegation.id, Comment.form_token == token)
    )
    if existing is not None:
        if existing.consultation_id != consultation.id or existing.recorded_by_id is None:
            raise ConsultationError("This form is damaged: reload the page and write again.")
        return existing, False
    kind = comment_kind(kind)
    paragraph = comment_paragraph(consultation, kind, paragraph_uid)
    fields = clean_comment_fields(
        kind, paragraph, quote=quote, body=body, proposed_text=proposed_text
    )
    recorded_source = source_text(source, source_detail)
    now, late = _admit_received(consultation, delegation, received_dt)
    comment = new_comment(
        consultation,
        delegation.id,
        kind,
        paragraph,
        token,
        actor,
        now,
        recorded_by_id=actor.id,
        recorded_source=recorded_source,
        received_dt=received_dt,
        **fields,
    )
    _mark_submitted(comment, actor, now, late)
    db.session.add(comment)
    db.session.flush()
    _snapshot(comment, actor, "submitted", now)
    _tell_delegation(comment, delegation)
    db.session.flush()  # the revision and the mail; the audit event last, alone
    record_event(
        actor,
        "comment.recorded",
        comment,
        consultation=consultation.id,
        delegation=delegation.code,
        kind=kind.value,
        paragraph=comment.paragraph_uid,
        source=recorded_source,
        received=received_dt.isoformat(),
        late=late,
        fingerprint=comment.fingerprint(),
    )
    return comment, True


def _tell_delegation(comment: Comment, delegation: Delegation) -> None:
    consultation = comment.consultation
    late = " It was received after the deadline and is marked late." if comment.is_late else ""
    notify(
        people_of([delegation.id]),
        subject=f"Recorded for {delegation.name}: a {comment.kind.title.lower()} on "
        f"{consultation.version.label}"[:300],
        body=lambda reader: (
            f"The secretariat recorded a {comment.kind.title.lower()} as {delegation.name}'s "
            f"in “{consultation.title}”, from: {comment.recorded_source}, received on "
            f"{format_for(comment.received_dt, consultation.timezone, reader)}.{late}\n\n"
            "It is among your delegation's comments: you may correct or withdraw it until "
            "your deadline.\n\n"
            f"{absolute_url('consultations.consultation', consultation_id=consultation.id)}\n"
        ),
        kind="comment.recorded",
    )
