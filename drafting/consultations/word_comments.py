"""A delegation's marked-up Word file stored as its comments in a round.

What docx_markup found becomes Comment rows under the same rules as any comment (the round's
window and late rule, the paragraph checks, the revision history, an audit event each): a
delegate's own file as the delegation's private drafts, to be submitted as usual; a file the
secretariat received from an invited delegation as that delegation's submitted comments,
recorded by the secretariat with where it came from and when it was received.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime

from drafting.auth.models import Delegation, User
from drafting.consultations.commenting import create_comment
from drafting.consultations.models import Comment, Consultation
from drafting.consultations.recording import record_comment
from drafting.consultations.refusals import ConsultationError
from drafting.database import utcnow
from drafting.documents.docx_markup import read_markup
from drafting.documents.docx_markup_found import FoundChange, MarkupReading

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
    form_token: str | None = None,
) -> list[Comment]:
    """Store ``changes`` as ``delegation``'s comments in the round, all or none: the first one
    refused (named by its paragraph) refuses the file. ``on_behalf``: the secretariat records
    them as submitted for an invited delegation (the command names the secretariat's person)."""
    if not changes:
        raise ConsultationError("The file proposes nothing: no tracked change and no comment.")
    stored = []
    # One review confirmed twice (a double click, a retry) stores its comments once: each
    # change gets a token of its own, derived from the review's.
    base = hashlib.sha256(form_token.encode()).hexdigest()[:40] if form_token else None
    for index, change in enumerate(changes):
        token = f"{base}-{index}" if base else None
        try:
            if on_behalf:
                stored.append(
                    _record(actor, consultation, delegation, change, source, received_dt, token)
                )
            else:
                stored.append(_draft(actor, consultation, change, token))
        except ConsultationError as exc:
            raise ConsultationError(f"At {change.label}: {exc}") from None
    return stored


def _draft(
    actor: User, consultation: Consultation, change: FoundChange, token: str | None
) -> Comment:
    comment, _ = create_comment(
        actor,
        consultation,
        kind=comment_kind_of(change),
        paragraph_uid=change.anchor,
        quote=change.quote,
        body=change.body,
        proposed_text=change.proposed_text,
        form_token=token,
    )
    return comment


def _record(
    actor: User,
    consultation: Consultation,
    delegation: Delegation,
    change: FoundChange,
    source: str,
    received_dt: datetime | None,
    token: str | None,
) -> Comment:
    """One comment submitted in the delegation's name, recorded by the secretariat as any
    comment recorded on a delegation's behalf is (consultations.recording): late or refused by
    the time the file was received, the delegation's people notified."""
    comment, _ = record_comment(
        actor,
        consultation,
        delegation,
        kind=comment_kind_of(change),
        source="word",
        source_detail=source or DEFAULT_SOURCE,
        received_dt=received_dt or utcnow(),
        paragraph_uid=change.anchor,
        quote=change.quote,
        body=change.body,
        proposed_text=change.proposed_text,
        form_token=token,
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
