"""The editor's rows: each paragraph of a working draft with its future number, what changed
since the draft it was made from (as a redline), and the comments that follow it.

One row (a paragraph fetched, its form, the answer to a save) is built from that paragraph
alone, its predecessor and its comments, and the draft's outline (labels and revisions, no
text), so that it costs the same in a draft of ten paragraphs or a thousand."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from flask import abort
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from drafting.compare.html import diff_to_html
from drafting.compare.words import diff_words
from drafting.consultations import following
from drafting.consultations.conflicts import Conflict, find_conflicts
from drafting.consultations.models import Comment
from drafting.documents.models import Paragraph, Version
from drafting.documents.numbering import renumber
from drafting.extensions import db
from drafting.pages.reading_parts import InParts, version_in_parts
from drafting.pages.statuses import only_marks_of
from drafting.text.draft_format import Block
from drafting.text.inline import display_text


@dataclass
class Row:
    """One paragraph of the working draft as the editor shows it."""

    paragraph: Paragraph
    number: str | None  # as it will be printed after renumbering
    status: str  # "unchanged", "changed", "new"
    redline: Markup | None
    comments: list  # FollowedComment, amendments first
    reflects: list[Comment]  # amendments applied to this paragraph
    next_revision: int | None = None  # the revision of the paragraph after it, for a merge
    # Amendments beside it in conflict with one applied (rebased or superseded), by comment id.
    conflicts: dict[int, Conflict] | None = None


@dataclass
class Editor:
    """What the editor page shows: the rows of the part of the draft shown, the comments on
    paragraphs no longer in it, and the figures of the whole draft."""

    rows: list[Row]
    orphans: list
    reading: InParts
    paragraph_count: int
    changed_count: int


def editor_rows(version: Version) -> Editor:
    """The rows of the part of ``version`` asked for (the whole of a short draft), built from
    that part's paragraphs and comments only."""
    paragraphs = version.paragraphs
    reading = version_in_parts(paragraphs, in_editor=True)
    base = version.based_on
    base_by_uid = {p.uid: p for p in base.paragraphs} if base is not None else {}
    present = {p.uid for p in paragraphs}
    gone = [p for uid, p in base_by_uid.items() if uid not in present]
    shown = reading.shown
    consultations = following.document_consultations(
        version.document_id, through_version_id=version.id, inclusive=False
    )
    predecessors = [base_by_uid[p.uid] for p in shown if p.uid in base_by_uid]
    followed = following.follow(
        current_user, consultations, [*shown, *predecessors, *gone], texts=paragraphs
    )
    reflected = _reflected(version, followed)
    conflicts = _conflicts(followed)
    numbers = _numbers(paragraphs)
    start = reading.part.start if reading.part else 0
    rows = []
    for index, paragraph in enumerate(shown, start=start):
        row = _row_of(
            paragraph, numbers[index], base_by_uid.get(paragraph.uid), followed, reflected
        )
        row.conflicts = conflicts
        if index + 1 < len(paragraphs):
            row.next_revision = paragraphs[index + 1].revision
        rows.append(row)
    orphans = [item for p in gone for item in followed.beside([p])]
    changed = sum(
        1 for p in paragraphs if p.uid not in base_by_uid or base_by_uid[p.uid].block != p.block
    )
    return Editor(rows, orphans, reading, len(paragraphs), changed)


def editor_row(version: Version, uid: str) -> Row:
    """The row of the paragraph ``uid``, or 404, from what that row needs only."""
    outline = db.session.execute(
        select(
            Paragraph.uid,
            Paragraph.revision,
            Paragraph.kind,
            Paragraph.level,
            Paragraph.label,
            Paragraph.label_bold,
        )
        .where(Paragraph.version_id == version.id)
        .order_by(Paragraph.position)
    ).all()
    index = next((i for i, line in enumerate(outline) if line.uid == uid), None)
    if index is None:
        abort(404)
    paragraph, old = _paragraph_and_predecessor(version, uid)
    consultations = following.document_consultations(
        version.document_id, through_version_id=version.id, inclusive=False
    )
    compared = [paragraph] if old is None else [paragraph, old]
    followed = following.follow(current_user, consultations, compared, texts=[paragraph])
    numbers = future_numbers(tuple((o.kind.value, o.level, o.label, o.label_bold) for o in outline))
    row = _row_of(paragraph, numbers[index], old, followed, _reflected(version, followed))
    row.conflicts = _conflicts(followed)
    if index + 1 < len(outline):
        row.next_revision = outline[index + 1].revision
    only_marks_of(version, [uid])
    return row


@lru_cache(maxsize=64)
def future_numbers(
    outline: tuple[tuple[str, int, str | None, bool], ...],
) -> tuple[str | None, ...]:
    """The numbers of a draft's outline (kind, level, label, bold) once renumbered, kept for
    the next row asked of the same outline: labels are all that renumbering reads."""
    return tuple(
        renumber([Block(kind, "", level, label, bold) for kind, level, label, bold in outline])
    )


def _paragraph_and_predecessor(version: Version, uid: str) -> tuple[Paragraph, Paragraph | None]:
    """The paragraph ``uid`` of the draft, and of the draft it was made from (None if new)."""
    versions = [version.id] if version.based_on_id is None else [version.id, version.based_on_id]
    found = {
        p.version_id: p
        for p in db.session.scalars(
            select(Paragraph).where(Paragraph.version_id.in_(versions), Paragraph.uid == uid)
        )
    }
    return found[version.id], found.get(version.based_on_id)


def _reflected(version: Version, followed: following.Following) -> dict[str, list[Comment]]:
    """The amendments applied to this draft, by the paragraph that reflects them."""
    reflected: dict[str, list[Comment]] = {}
    for comments in followed.by_uid.values():
        for comment in comments:
            decision = comment.decision
            if decision is not None and decision.reflected_version_id == version.id:
                reflected.setdefault(decision.reflected_paragraph_uid or "", []).append(comment)
    return reflected


def _conflicts(followed: following.Following) -> dict[int, Conflict]:
    return find_conflicts(c for comments in followed.by_uid.values() for c in comments)


def _row_of(
    paragraph: Paragraph,
    number: str | None,
    old: Paragraph | None,
    followed: following.Following,
    reflected: dict[str, list[Comment]],
) -> Row:
    if old is None:
        status, redline = "new", None
    elif old.block == paragraph.block:
        status, redline = "unchanged", None
    else:
        status, redline = "changed", paragraph_redline(old.block, paragraph.block)
    return Row(
        paragraph=paragraph,
        number=number,
        status=status,
        redline=redline,
        comments=followed.beside([paragraph]),
        reflects=reflected.get(paragraph.uid, []),
    )


def paragraph_redline(old: Block, new: Block) -> Markup:
    """The word redline of a paragraph against its predecessor, label included (the editor's
    rows and the meeting screen show the same)."""
    return diff_to_html(diff_words(_shown(old), _shown(new)))


def _shown(block: Block) -> str:
    label = f"{block.label} " if block.label else ""
    return label + display_text(block.text)


def _numbers(paragraphs: list[Paragraph]) -> tuple[str | None, ...]:
    """The numbers the paragraphs will carry once published (numbering is recomputed then)."""
    return future_numbers(tuple((p.kind.value, p.level, p.label, p.label_bold) for p in paragraphs))
