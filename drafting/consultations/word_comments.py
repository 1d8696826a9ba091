"""A delegation's marked-up Word file stored as its comments in a round.

What docx_markup found becomes Comment rows under the same rules as any comment (the round's
window and late rule, the paragraph checks, the revision history, an audit event each): a
delegate's own file as the delegation's private drafts, to be submitted as usual; a file the
secretariat received from an invited delegation as that delegation's submitted comments,
recorded by the secretariat with where it came from and when it was received.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from drafting.audit.operations import record_event
from drafting.auth.models import Delegation, User
from drafting.auth.policy import authorize
from drafting.consultations.checks import (
    check_plain,
    clean_comment_fields,
    comment_kind,
    comment_paragraph,
)
from drafting.consultations.commenting import create_comment, new_form_token
from drafting.consultations.models import Comment, CommentRevision, CommentStatus, Consultation
from drafting.consultations.refusals import ConsultationError
from drafting.consultations.rounds import admit_write
from drafting.documents.docx_markup import read_markup
from drafting.documents.docx_markup_found import FoundChange, MarkupReading
from drafting.extensions import db

__all__ = ["DEFAULT_SOURCE", "comment_kind_of", "import_word_comments", "read_word_file"]

DEFAULT_SOURCE = "Word file received by e-mail"
MAX_SOURCE_CHARS = 200
_KINDS = {"replace": "replace", "insert": "insert", "delete": "delete"}


def comment_kind_of(change: FoundChange) -> str:
    """The kind of comment a found change is stored as: a Word comment on a paragraph is a
    comment on that paragraph, one anchored nowhere a general comment."""
    if change.kind == "comment":
        return "paragraph" if change.paragraph_uid else "general"
    return _KINDS[change.kind]


def import_word_comments(
    actor: User,
    consultation: Consultation,
    delegation: Delegation,
    changes: Sequence[FoundChange],
    *,
    on_behalf: bool,
    source: str = DEFAULT_SOURCE,
    received_dt: datetime | None = None,
) -> list[Comment]:
    """Store ``changes`` as ``delegation``'s comments in the round, all or none: the first one
    refused (named by its paragraph) refuses the file. ``on_behalf``: the secretariat records
    them as submitted for an invited delegation (the command names the secretariat's person)."""
    if not changes:
        raise ConsultationError("The file proposes nothing: no tracked change and no comment.")
    stored = []
    for change in changes:
        try:
            if on_behalf:
                stored.append(_record(actor, consultation, delegation, change, source, received_dt))
            else:
                stored.append(_draft(actor, consultation, change))
        except ConsultationError as exc:
            raise ConsultationError(f"At {change.label}: {exc}") from None
    return stored


def _draft(actor: User, consultation: Consultation, change: FoundChange) -> Comment:
    comment, _ = create_comment(
        actor,
        consultation,
        kind=comment_kind_of(change),
        paragraph_uid=change.anchor,
        quote=change.quote,
        body=change.body,
        proposed_text=change.proposed_text,
    )
    return comment


def _record(
    actor: User,
    consultation: Consultation,
    delegation: Delegation,
    change: FoundChange,
    source: str,
    received_dt: datetime | None,
) -> Comment:
    """One comment submitted in the delegation's name, marked as recorded by the secretariat;
    the round's window is the delegation's own (its extension, the late rule)."""
    authorize(actor, "consultation.manage", consultation)
    if not consultation.is_invited(delegation.id):
        raise ConsultationError(f"{delegation.name} is not invited to this round.")
    source = (source or DEFAULT_SOURCE).strip()
    check_plain("The source", source)
    if len(source) > MAX_SOURCE_CHARS:
        raise ConsultationError(f"Say where the file came from in {MAX_SOURCE_CHARS} characters.")
    kind = comment_kind(comment_kind_of(change))
    paragraph = comment_paragraph(consultation, kind, change.anchor)
    fields = clean_comment_fields(
        kind,
        paragraph,
        quote=change.quote,
        body=change.body,
        proposed_text=change.proposed_text,
    )
    now, late = admit_write(consultation, delegation.id, late_ok=True)
    if received_dt is not None and received_dt > now:
        raise ConsultationError("The file cannot have been received in the future.")
    by = actor.id
    comment = Comment(
        consultation=consultation,
        delegation_id=delegation.id,
        kind=kind,
        paragraph_id=paragraph.id if paragraph else None,
        paragraph_uid=paragraph.uid if paragraph else None,
        created_dt=now,
        created_by_id=by,
        updated_dt=now,
        updated_by_id=by,
        revision=1,
        form_token=new_form_token(),
        status=CommentStatus.SUBMITTED,
        submitted_dt=now,
        submitted_by_id=by,
        is_late=late,
        recorded_by_id=by,
        recorded_source=source,
        received_dt=received_dt or now,
        **fields,
    )
    db.session.add(comment)
    db.session.flush()
    db.session.add(
        CommentRevision(
            comment=comment,
            revision=1,
            kind=kind,
            paragraph_uid=comment.paragraph_uid,
            quote=comment.quote,
            body=comment.body,
            proposed_text=comment.proposed_text,
            status=comment.status,
            action="submitted",
            saved_dt=now,
            saved_by_id=by,
        )
    )
    db.session.flush()
    record_event(
        actor,
        "comment.submitted",
        comment,
        consultation=consultation.id,
        kind=kind.value,
        paragraph=comment.paragraph_uid,
        late=late,
        recorded_for=delegation.code,
        source=source,
        fingerprint=comment.fingerprint(),
    )
    return comment


def read_word_file(consultation: Consultation, data: bytes, config) -> MarkupReading:
    """What the file proposes on the round's version, read within the service's limits;
    DocxError says why a file cannot be read."""
    originals = [(paragraph.uid, paragraph.block) for paragraph in consultation.version.paragraphs]
    return read_markup(
        data,
        originals,
        max_bytes=config["MAX_DRAFT_BYTES"],
        max_xml=config["MAX_WORD_XML_BYTES"],
        max_blocks=config["MAX_DRAFT_PARAGRAPHS"],
    )
