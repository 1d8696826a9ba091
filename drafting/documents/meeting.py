"""The meeting screen: what the room's projector shows of a document, and how a screen learns
cheaply that something changed.

The room reads the working draft as the secretariat edits it (the latest published version when
no draft is open). Every change to a draft or to its statuses is an audit event on its version
(editing, amendments applied, statuses, publication), so the latest such event's id is the
room's revision: a screen that asks "anything since R?" costs one indexed query, and the event
itself names the paragraph the change was made to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select

from drafting.audit.models import AuditEvent
from drafting.audit.operations import record_event
from drafting.auth.models import User
from drafting.auth.policy import authorize
from drafting.documents.models import Document, Paragraph, ParagraphStatus, Version
from drafting.documents.statuses import statuses_of
from drafting.documents.working_draft import working_draft_of
from drafting.extensions import db

# How far back the screen looks for the last change that names a paragraph still in the text.
_RECENT_EVENTS = 20

# What the room is told a change was, by the audit event's action.
CHANGE_WORDS = {
    "paragraph.opened": "being edited",
    "paragraph.edited": "edited",
    "paragraph.inserted": "inserted",
    "paragraph.moved": "moved",
    "paragraph.split": "split",
    "paragraphs.merged": "merged",
    "amendment.applied": "amended",
    "paragraph.status": "marked",
}


@dataclass(frozen=True)
class Change:
    """The last change the room saw: to which paragraph, what it was, by whom and when."""

    paragraph_uid: str
    words: str
    actor_name: str | None
    made_dt: datetime


@dataclass
class Room:
    """What the screen shows: the version on the table, its statuses, the last change."""

    document: Document
    version: Version | None
    revision: int
    statuses: dict[str, ParagraphStatus]
    change: Change | None

    @property
    def paragraphs(self) -> list[Paragraph]:
        return self.version.paragraphs if self.version is not None else []

    def predecessor(self, paragraph: Paragraph) -> Paragraph | None:
        """The paragraph as it stood in the version the draft is based on (None if new)."""
        if self.version is None or self.version.based_on_id is None:
            return None
        return db.session.scalar(
            select(Paragraph).where(
                Paragraph.version_id == self.version.based_on_id, Paragraph.uid == paragraph.uid
            )
        )


def version_on_the_table(document: Document) -> Version | None:
    """The working draft the secretariat edits, else the latest published version."""
    return working_draft_of(document) or document.latest_published


def room_revision(document: Document) -> int:
    """The id of the latest audit event on the document or any of its versions (0: none)."""
    versions = select(Version.id).where(Version.document_id == document.id).scalar_subquery()
    on_versions = and_(AuditEvent.object_type == "version", AuditEvent.object_id.in_(versions))
    on_document = and_(AuditEvent.object_type == "document", AuditEvent.object_id == document.id)
    latest = db.session.scalar(select(func.max(AuditEvent.id)).where(or_(on_versions, on_document)))
    return latest or 0


def last_change(version: Version) -> Change | None:
    """The latest change to a paragraph still in ``version``, from its recent audit events."""
    events = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.object_type == "version", AuditEvent.object_id == version.id)
        .order_by(AuditEvent.id.desc())
        .limit(_RECENT_EVENTS)
    )
    present = {p.uid for p in version.paragraphs}
    for event in events:
        words = CHANGE_WORDS.get(event.action)
        details = event.details or {}
        uid = details.get("uid") or details.get("paragraph_uid")
        if words and uid in present:
            actor = event.actor.name if event.actor is not None else None
            return Change(uid, words, actor, event.created_dt)
    return None


def room_of(document: Document, revision: int | None = None) -> Room:
    """Everything the screen shows of ``document`` now (``revision``: already read)."""
    version = version_on_the_table(document)
    return Room(
        document=document,
        version=version,
        revision=room_revision(document) if revision is None else revision,
        statuses=statuses_of(version) if version is not None else {},
        change=last_change(version) if version is not None else None,
    )


def show_paragraph_opened(actor: User, version: Version, uid: str) -> bool:
    """Tell the room that ``actor`` began typing in the paragraph ``uid`` of the working draft
    in the editor, so that the screen highlights it before it is saved. Recorded as an audit event:
    what the room is shown is the room's state. False when the draft has no such paragraph.
    Flushes; the request commits."""
    authorize(actor, "version.edit", version)
    found = db.session.scalar(
        select(Paragraph.id).where(Paragraph.version_id == version.id, Paragraph.uid == uid)
    )
    if found is None:
        return False
    record_event(actor, "paragraph.opened", version, uid=uid)
    db.session.flush()
    return True
