"""A draft's text stored as a new working version of its document, each paragraph inheriting the
identity of the paragraph it continues in the version before, so that comments, decisions and
comparisons follow it. (Reading a Word file into such a text is docx_import's part.)"""

from __future__ import annotations

from collections.abc import Sequence

from drafting.audit.operations import record_event
from drafting.auth.models import User
from drafting.auth.policy import authorize
from drafting.compare import align_paragraphs
from drafting.documents.models import Document, Paragraph, Version
from drafting.documents.operations import DocumentError, check_label
from drafting.documents.publishing import publish_version
from drafting.extensions import db
from drafting.text.draft_format import Block, DraftFormatError, parse_draft, refuse_markup
from drafting.text.footnotes import gather_notes


def inherit_identities(previous: Sequence[Paragraph], blocks: Sequence[Block]) -> list[str | None]:
    """Give each new block the stable identity of the paragraph it continues, where there is one.

    The comparison's alignment decides; a split keeps the identity on its first part and a merge
    on the merged paragraph, so comments on the old paragraph follow it.
    """
    return inherit_origins(previous, blocks)[0]


def inherit_origins(
    previous: Sequence[Paragraph], blocks: Sequence[Block]
) -> tuple[list[str | None], list[list[str] | None]]:
    """The identities of :func:`inherit_identities`, and for the parts of a split and for a
    merged paragraph the identities they came from, as the in-page editor records them."""
    uids: list[str | None] = [None] * len(blocks)
    origins: list[list[str] | None] = [None] * len(blocks)
    if not previous:
        return uids, origins
    comparison = align_paragraphs([p.block for p in previous], list(blocks))
    for entry in comparison.entries:
        if entry.old and entry.new and entry.kind != "added":
            uids[entry.new[0]] = previous[entry.old[0]].uid
            if len(entry.old) > 1 or len(entry.new) > 1:
                came_from = [previous[i].uid for i in entry.old]
                for index in entry.new:
                    origins[index] = came_from
    return uids, origins


def check_importable(document: Document, source: str, *, label: str) -> tuple[str, list[Block]]:
    """What import_version refuses, checked on its own so that a draft can be refused before it
    is shown for review: the label, the text, and a working draft already in progress."""
    label = check_label(document, label)
    try:
        blocks = gather_notes(parse_draft(source))
        refuse_markup(blocks)
    except DraftFormatError as exc:
        raise DocumentError(str(exc)) from None
    working = next((v for v in document.versions if not v.is_published), None)
    if working is not None:
        raise DocumentError(
            f"{working.label} is still a working draft of this document. Publish it, or import "
            "your file into it by editing it in the service, before importing another draft: "
            "a document has one working draft at a time."
        )
    return label, blocks


def import_version(
    actor: User | None, document: Document, source: str, *, label: str, publish: bool = False
) -> Version:
    """Store a draft's text as a new working version of ``document`` (published if asked).

    Identities come from the latest version, so comments and comparisons follow each paragraph.
    """
    authorize(actor, "version.import", document)
    label, blocks = check_importable(document, source, label=label)
    based_on = document.versions[-1] if document.versions else None
    uids, origins = inherit_origins(based_on.paragraphs if based_on else [], blocks)
    version = Version(
        document=document, label=label, based_on=based_on, created_by_id=getattr(actor, "id", None)
    )
    version.paragraphs = [
        Paragraph.from_block(block, position, uid)
        for position, (block, uid) in enumerate(zip(blocks, uids, strict=True))
    ]
    for paragraph, came_from in zip(version.paragraphs, origins, strict=True):
        paragraph.derived_from = came_from
    db.session.add(version)
    record_event(actor, "version.imported", version, label=label, paragraphs=len(blocks))
    if publish:
        publish_version(actor, version)
    return version
