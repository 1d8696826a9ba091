"""What every change to a working draft goes through, whoever makes it (the editor in editing, an
amendment applied in consultations.amending): the draft's row locked and its paragraphs read
afresh (begin_edit), a save based on a replaced revision refused (check_revision), the
paragraph's new block set and its editor recorded (set_block, touch), the order rewritten
(reposition). The refusals they raise carry what the page shows beside them."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from drafting.auth.models import User
from drafting.auth.policy import authorize
from drafting.database import lock_row, utcnow
from drafting.documents.models import Paragraph, ParagraphKind, Version
from drafting.documents.operations import DocumentError
from drafting.documents.policy import published_refusal
from drafting.extensions import db
from drafting.text.draft_format import Block


class EditError(DocumentError):
    """An edit that cannot be made; the message says why and what to do instead."""


class StaleParagraph(EditError):
    """A save based on a revision another editor has replaced since. Carries their version."""

    def __init__(self, paragraph: Paragraph | None, message: str):
        super().__init__(message)
        self.paragraph = paragraph


def working_draft_of(document) -> Version | None:
    """The document's working draft, if one is being edited (there is at most one)."""
    return next((v for v in document.versions if not v.is_published), None)


def begin_edit(actor: User | None, version: Version) -> list[Paragraph]:
    """Authorise, lock the draft, make sure it is still a working draft, and load its
    paragraphs afresh in order."""
    lock_row(version)
    if version.is_published:
        # Checked before the policy, which refuses any edit of a published version: someone
        # who opened the draft before it was published deserves the reason, not a refusal.
        raise EditError(published_refusal(version))
    authorize(actor, "version.edit", version)
    return current_paragraphs(version)


def begin_paragraph_edit(actor: User | None, version: Version, uid: str) -> Paragraph:
    """As begin_edit, for an edit of one paragraph's text: only that paragraph is read afresh
    under the lock, so that the lock is held as briefly in a draft of a thousand paragraphs as
    in one of ten. StaleParagraph when it was deleted or merged meanwhile."""
    lock_row(version)
    if version.is_published:
        raise EditError(published_refusal(version))
    authorize(actor, "version.edit", version)
    paragraph = db.session.scalar(
        select(Paragraph)
        .where(Paragraph.version_id == version.id, Paragraph.uid == uid)
        .execution_options(populate_existing=True)
    )
    if paragraph is None:
        raise _no_longer_in(version)
    return paragraph


def current_paragraphs(version: Version) -> list[Paragraph]:
    """The draft's paragraphs in order, read afresh from the database (under the lock)."""
    return list(
        db.session.scalars(
            select(Paragraph)
            .where(Paragraph.version_id == version.id)
            .order_by(Paragraph.position)
            .execution_options(populate_existing=True)
        )
    )


def find_paragraph(paragraphs: Sequence[Paragraph], uid: str | None, version: Version) -> Paragraph:
    """The paragraph ``uid`` among ``paragraphs``, or StaleParagraph: it was deleted or merged."""
    for paragraph in paragraphs:
        if paragraph.uid == uid:
            return paragraph
    raise _no_longer_in(version)


def _no_longer_in(version: Version) -> StaleParagraph:
    return StaleParagraph(
        None,
        f"That paragraph is no longer in {version.label}: someone deleted or merged it "
        "meanwhile. Reload the draft to see its current text.",
    )


def check_revision(paragraph: Paragraph, base_revision: int | None) -> None:
    """Refuse a save made from another revision than the paragraph's present one."""
    if base_revision is None:
        raise EditError(
            "The form was incomplete (it did not say which revision of the paragraph it was "
            "made from). Reload the draft and make the change again."
        )
    if paragraph.revision != base_revision:
        who = paragraph.edited_by.name if paragraph.edited_by else "Someone"
        raise StaleParagraph(
            paragraph,
            f"{who} changed this paragraph after you opened it (your edit was based on "
            f"revision {base_revision}, it is now at revision {paragraph.revision}). Your text "
            "is kept below: compare it with theirs and save again.",
        )


def set_block(paragraph: Paragraph, block: Block) -> None:
    """Give the paragraph what an editor typed: kind, level, label and text."""
    paragraph.kind = ParagraphKind(block.kind)
    paragraph.level = block.level
    paragraph.label = block.label
    paragraph.label_bold = block.label_bold
    paragraph.text = block.text


def touch(actor: User | None, paragraph: Paragraph, *, bump: bool = True) -> None:
    """Record who changed the paragraph and when; ``bump`` gives it a new revision."""
    if bump:
        paragraph.revision = (paragraph.revision or 1) + 1
    paragraph.edited_by_id = getattr(actor, "id", None)
    paragraph.edited_dt = utcnow()


def reposition(version: Version, order: Sequence[Paragraph]) -> None:
    """Give the paragraphs the positions 0, 1, 2 … in ``order``. Positions are unique per
    version, so the rows that move go through negative positions first."""
    moving = [(i, p) for i, p in enumerate(order) if p.position != i]
    for i, paragraph in moving:
        paragraph.position = -(i + 1)
    db.session.flush()
    for i, paragraph in moving:
        paragraph.position = i
    db.session.flush()
    db.session.expire(version, ["paragraphs"])
