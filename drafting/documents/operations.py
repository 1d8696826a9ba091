"""What is done with documents: create them, import drafts, publish, export and verify."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from drafting.audit.operations import record_event
from drafting.auth.models import Delegation, User
from drafting.auth.policy import authorize
from drafting.database import utcnow
from drafting.documents.draft_format import (
    Block,
    DraftFormatError,
    export_draft,
    parse_draft,
    refuse_markup,
)
from drafting.documents.models import Document, Paragraph, Version, VersionStatus
from drafting.extensions import db
from drafting.notifications.operations import announce_version

MAX_LABEL_LENGTH = 100


class DocumentError(ValueError):
    """A request about a document that cannot be done; the message says why."""


def create_document(
    actor: User | None, *, title: str, participants: Sequence[Delegation]
) -> Document:
    authorize(actor, "document.create")
    title = " ".join((title or "").split())
    if not title:
        raise DocumentError("Give the document a title.")
    if len(title) > 300:
        raise DocumentError("The title may have at most 300 characters.")
    document = Document(
        title=title, participants=list(participants), created_by_id=getattr(actor, "id", None)
    )
    db.session.add(document)
    record_event(actor, "document.created", document, title=title)
    return document


def set_participants(actor: User, document: Document, participants: Sequence[Delegation]) -> None:
    """Say which delegations take part: they read its published drafts; others do not see it."""
    authorize(actor, "document.manage", document)
    before = {d.code for d in document.participants}
    after = {d.code for d in participants}
    if before == after:
        return
    document.participants = sorted(participants, key=lambda d: d.name)
    record_event(
        actor,
        "document.participants_changed",
        document,
        added=sorted(after - before),
        removed=sorted(before - after),
    )


def inherit_identities(previous: Sequence[Paragraph], blocks: Sequence[Block]) -> list[str | None]:
    """Give each new block the stable identity of the paragraph it continues, where there is one.

    The comparison's alignment decides; a split keeps the identity on its first part and a merge
    on the merged paragraph, so comments on the old paragraph follow it.
    """
    if not previous:
        return [None] * len(blocks)
    from drafting.compare import align_paragraphs

    comparison = align_paragraphs([p.block for p in previous], list(blocks))
    uids: list[str | None] = [None] * len(blocks)
    for entry in comparison.entries:
        if entry.old and entry.new and entry.kind != "added":
            uids[entry.new[0]] = previous[entry.old[0]].uid
    return uids


def _check_label(document: Document, label: str) -> str:
    label = " ".join((label or "").split())
    if not label:
        raise DocumentError('Give the version a label, e.g. "Zero draft" or "Draft 1".')
    if len(label) > MAX_LABEL_LENGTH:
        raise DocumentError(f"The label may have at most {MAX_LABEL_LENGTH} characters.")
    exists = db.session.scalar(
        select(Version.id).where(
            Version.document_id == document.id, func.lower(Version.label) == label.lower()
        )
    )
    if exists:
        raise DocumentError(f'This document already has a version labelled "{label}".')
    return label


def import_version(
    actor: User | None, document: Document, source: str, *, label: str, publish: bool = False
) -> Version:
    """Store a draft's text as a new working version of ``document`` (published if asked).

    Identities come from the latest version, so comments and comparisons follow each paragraph.
    """
    authorize(actor, "version.import", document)
    label = _check_label(document, label)
    try:
        blocks = parse_draft(source)
        refuse_markup(blocks)
    except DraftFormatError as exc:
        raise DocumentError(str(exc)) from None
    based_on = document.versions[-1] if document.versions else None
    uids = inherit_identities(based_on.paragraphs if based_on else [], blocks)
    version = Version(
        document=document, label=label, based_on=based_on, created_by_id=getattr(actor, "id", None)
    )
    version.paragraphs = [
        Paragraph.from_block(block, position, uid)
        for position, (block, uid) in enumerate(zip(blocks, uids, strict=True))
    ]
    db.session.add(version)
    record_event(actor, "version.imported", version, label=label, paragraphs=len(blocks))
    if publish:
        publish_version(actor, version)
    return version


def publish_version(actor: User | None, version: Version) -> Version:
    """Freeze a working version: from now on neither it nor its paragraphs may change."""
    if version.is_published:
        raise DocumentError(f"{version.label} is already published.")
    authorize(actor, "version.publish", version)
    if not any(not p.is_heading for p in version.paragraphs):
        raise DocumentError("An empty draft cannot be published: it has no paragraph.")
    version.text_hash = version.compute_hash()
    version.status = VersionStatus.PUBLISHED
    version.published_dt = utcnow()
    version.published_by_id = getattr(actor, "id", None)
    record_event(actor, "version.published", version, label=version.label, sha256=version.text_hash)
    announce_version(version)
    return version


def export_markdown(version: Version) -> str:
    return export_draft(version.blocks)


@dataclass(frozen=True)
class HashMismatch:
    version_id: int
    document_title: str
    label: str
    stored: str | None
    computed: str


def verify_published_hashes() -> tuple[int, list[HashMismatch]]:
    """Recompute every published version's hash: (how many were checked, which differ)."""
    versions = db.session.scalars(
        select(Version)
        .where(Version.status == VersionStatus.PUBLISHED)
        .options(selectinload(Version.paragraphs), selectinload(Version.document))
        .order_by(Version.id)
    ).all()
    mismatches = [
        HashMismatch(v.id, v.document.title, v.label, v.text_hash, computed)
        for v in versions
        if (computed := v.compute_hash()) != v.text_hash
    ]
    return len(versions), mismatches
