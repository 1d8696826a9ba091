"""Turning a published version into the next draft: a working draft edited paragraph by paragraph.

Every operation here is one small edit, saved at once, in the transaction of its request:

- the working draft's row is locked first (``FOR UPDATE`` on PostgreSQL; SQLite's writer lock
  does it there), so two editors' saves are applied one after the other, never interleaved;
- a save that changes a paragraph names the revision it was based on; if another editor saved
  the paragraph since, it is refused with :class:`StaleParagraph`, which carries their version,
  so nothing is silently overwritten;
- paragraphs keep their identity (``uid``): an edit or a move keeps it, a split keeps it on the
  first part and records the origin on both parts, a merge keeps the first one's and records
  both; numbering is recomputed on publication (see documents.numbering);
- each operation records an audit event on the version, with the paragraph's uid.
"""

from __future__ import annotations

from collections.abc import Sequence

from drafting.audit.operations import record_event
from drafting.auth.models import User
from drafting.auth.policy import authorize
from drafting.database import lock_row
from drafting.documents.models import Paragraph, Version
from drafting.documents.operations import DocumentError, check_label
from drafting.documents.statuses import carry_statuses
from drafting.documents.working_draft import (
    EditError,
    begin_edit,
    begin_paragraph_edit,
    check_revision,
    find_paragraph,
    reposition,
    set_block,
    touch,
    working_draft_of,
)
from drafting.extensions import db
from drafting.text.draft_format import (
    Block,
    DraftFormatError,
    forbidden_markup,
    parse_block,
    split_raw_blocks,
)
from drafting.text.labels import inserted_label, label_before

MAX_PARAGRAPH_CHARS = 20_000


def open_working_draft(actor: User | None, version: Version, *, label: str) -> Version:
    """Start the next draft from a published version: the same paragraphs, the same identities."""
    authorize(actor, "version.import", version.document)
    if not version.is_published:
        raise EditError(
            f"{version.label} is not published yet: edit it directly, or publish it first."
        )
    # Two people starting the next draft at once: the second waits, then sees the first's.
    lock_row(version.document, reload=("versions",))
    latest = version.document.latest_published
    if latest is not version:
        raise EditError(
            f"{version.label} is not the latest published draft: {latest.label} is. Start the "
            f"next draft from {latest.label}, so that its changes are not lost."
        )
    current = working_draft_of(version.document)
    if current is not None:
        raise EditError(
            f"{current.label} is already being prepared from this document; continue editing it "
            "(or publish it) before starting another draft."
        )
    try:
        label = check_label(version.document, label)
    except DocumentError as exc:  # a label refused as the import's: said in the page, not a 500
        raise EditError(str(exc)) from None
    sources = list(version.paragraphs)
    with db.session.no_autoflush:
        draft = Version(
            document=version.document,
            label=label,
            based_on=version,
            created_by_id=getattr(actor, "id", None),
        )
        draft.paragraphs = [
            Paragraph(
                uid=p.uid,
                position=p.position,
                kind=p.kind,
                level=p.level,
                label=p.label,
                label_bold=p.label_bold,
                text=p.text,
            )
            for p in sources
        ]
        db.session.add(draft)
    db.session.flush()
    carry_statuses(actor, draft)
    record_event(
        actor,
        "version.draft_opened",
        draft,
        label=label,
        based_on=version.label,
        paragraphs=len(draft.paragraphs),
    )
    return draft


def edit_paragraph(
    actor: User | None, version: Version, uid: str, *, source: str, base_revision: int
) -> Paragraph:
    """Replace a paragraph's text (label and kind included, as typed: "7. The …", "## Part II")."""
    paragraph = begin_paragraph_edit(actor, version, uid)
    check_revision(paragraph, base_revision)
    block = read_block(source)
    if block == paragraph.block:
        return paragraph
    before = paragraph.text
    set_block(paragraph, block)
    touch(actor, paragraph)
    record_event(
        actor,
        "paragraph.edited",
        version,
        uid=uid,
        label=paragraph.label,
        revision=paragraph.revision,
        before=before[:500],
    )
    return paragraph


def insert_paragraph(
    actor: User | None, version: Version, *, after_uid: str | None, source: str
) -> Paragraph:
    """A new paragraph after ``after_uid`` (at the start when None), with a new identity."""
    paragraphs = begin_edit(actor, version)
    index = (
        0
        if after_uid is None
        else paragraphs.index(find_paragraph(paragraphs, after_uid, version)) + 1
    )
    block = labelled_for(read_block(source), [p.block for p in paragraphs], index)
    paragraph = Paragraph.from_block(block, position=-1)
    touch(actor, paragraph, bump=False)
    paragraph.version = version
    db.session.add(paragraph)
    reposition(version, [*paragraphs[:index], paragraph, *paragraphs[index:]])
    record_event(
        actor,
        "paragraph.inserted",
        version,
        uid=paragraph.uid,
        after=after_uid,
        label=block.label,
        text=block.text,
    )
    return paragraph


def delete_paragraph(actor: User | None, version: Version, uid: str, *, base_revision: int) -> None:
    paragraphs = begin_edit(actor, version)
    paragraph = find_paragraph(paragraphs, uid, version)
    check_revision(paragraph, base_revision)
    rest = [p for p in paragraphs if p is not paragraph]
    if not any(not p.is_heading for p in rest):
        raise EditError(
            "This is the draft's last paragraph: a draft needs at least one. Edit its text "
            "instead of deleting it."
        )
    version.paragraphs.remove(paragraph)
    db.session.delete(paragraph)
    db.session.flush()
    reposition(version, rest)
    record_event(
        actor, "paragraph.deleted", version, uid=uid, label=paragraph.label, text=paragraph.text
    )


def move_paragraph(
    actor: User | None, version: Version, uid: str, *, after_uid: str | None
) -> Paragraph:
    """Move a paragraph after another (to the start when None), keeping its identity."""
    paragraphs = begin_edit(actor, version)
    paragraph = find_paragraph(paragraphs, uid, version)
    if after_uid == uid:
        raise EditError("A paragraph cannot be moved after itself.")
    rest = [p for p in paragraphs if p is not paragraph]
    index = 0 if after_uid is None else rest.index(find_paragraph(rest, after_uid, version)) + 1
    order = [*rest[:index], paragraph, *rest[index:]]
    if order == paragraphs:
        return paragraph
    reposition(version, order)
    record_event(actor, "paragraph.moved", version, uid=uid, label=paragraph.label, after=after_uid)
    return paragraph


def move_by(actor: User | None, version: Version, uid: str, *, step: int) -> Paragraph:
    """Move a paragraph one place up (``step=-1``) or down (``step=1``)."""
    paragraphs = begin_edit(actor, version)  # the order is read under the draft's lock
    paragraph = find_paragraph(paragraphs, uid, version)
    index = paragraphs.index(paragraph)
    target = index + step
    if not 0 <= target < len(paragraphs):
        where = "first" if step < 0 else "last"
        raise EditError(f"This paragraph is already the {where} one: it cannot move further.")
    rest = [p for p in paragraphs if p is not paragraph]
    after = rest[target - 1].uid if target > 0 else None
    return move_paragraph(actor, version, uid, after_uid=after)


def split_paragraph(
    actor: User | None, version: Version, uid: str, *, source: str, base_revision: int
) -> tuple[Paragraph, Paragraph]:
    """Split a paragraph where the editor left a blank line in its text. The first part keeps
    the identity (comments on the paragraph follow it); both record where they came from."""
    paragraphs = begin_edit(actor, version)
    paragraph = find_paragraph(paragraphs, uid, version)
    check_revision(paragraph, base_revision)
    normalised = (source or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    parts = [part for part in _split_on_blank_line(normalised) if part.strip()]
    if len(parts) != 2:
        raise EditError(
            "Put one blank line (press Enter twice) where the paragraph should be split: the "
            f"text has {len(parts)} part{'s' if len(parts) != 1 else ''}, a split needs two."
        )
    first, second = (read_block(part) for part in parts)
    index = paragraphs.index(paragraph)
    blocks = [p.block for p in paragraphs]
    second = labelled_for(second, [*blocks[:index], first, *blocks[index + 1 :]], index + 1)
    origins = list(paragraph.derived_from or [uid])  # a merged paragraph keeps both origins
    set_block(paragraph, first)
    paragraph.derived_from = origins
    touch(actor, paragraph)
    new = Paragraph.from_block(second, position=-1)
    new.derived_from = list(origins)
    touch(actor, new, bump=False)
    new.version = version
    db.session.add(new)
    reposition(version, [*paragraphs[: index + 1], new, *paragraphs[index + 1 :]])
    record_event(actor, "paragraph.split", version, uid=uid, new_uid=new.uid, label=first.label)
    return paragraph, new


def merge_with_next(
    actor: User | None,
    version: Version,
    uid: str,
    *,
    base_revision: int,
    next_revision: int | None = None,
) -> Paragraph:
    """Merge a paragraph with the one after it: the merged paragraph keeps the first identity
    and records both."""
    paragraphs = begin_edit(actor, version)
    paragraph = find_paragraph(paragraphs, uid, version)
    check_revision(paragraph, base_revision)
    index = paragraphs.index(paragraph)
    if index + 1 >= len(paragraphs):
        raise EditError(
            "This is the last paragraph of the draft: there is no paragraph after it to merge "
            "it with."
        )
    following = paragraphs[index + 1]
    if next_revision is not None:
        check_revision(following, next_revision)
    if paragraph.is_heading or following.is_heading:
        raise EditError(
            "Only two paragraphs can be merged; a heading or the title cannot be. Edit the "
            "heading's text instead."
        )
    merged = " ".join(part for part in (paragraph.text.strip(), following.text.strip()) if part)
    origins = [*(paragraph.derived_from or [paragraph.uid]), following.uid]
    paragraph.text = merged
    paragraph.derived_from = list(dict.fromkeys(origins))
    touch(actor, paragraph)
    version.paragraphs.remove(following)
    db.session.delete(following)
    db.session.flush()
    reposition(version, [p for p in paragraphs if p is not following])
    record_event(
        actor,
        "paragraphs.merged",
        version,
        uid=uid,
        merged_uid=following.uid,
        label=paragraph.label,
        merged_label=following.label,
    )
    return paragraph


def read_block(source: str) -> Block:
    """One block as the editor typed it, or EditError saying what to change."""
    text = (source or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise EditError(
            "The paragraph is empty. Type its text, or delete the paragraph with its Delete button."
        )
    if len(text) > MAX_PARAGRAPH_CHARS:
        raise EditError(
            f"The paragraph is {len(text):,} characters long; at most {MAX_PARAGRAPH_CHARS:,} "
            "are accepted. Split it into several paragraphs."
        )
    if "\x00" in text or any(ord(c) < 32 and c not in "\n\t" for c in text):
        raise EditError(
            "The text contains an invisible control character, probably from a copy and paste. "
            "Remove it and save again."
        )
    if len([part for part in _split_on_blank_line(text) if part.strip()]) > 1:
        raise EditError(
            "The text has a blank line, which would make two paragraphs. Remove the blank line, "
            "or use Split to cut the paragraph in two."
        )
    try:
        block = parse_block(text)
    except DraftFormatError as exc:  # pragma: no cover - parse_block does not raise today
        raise EditError(str(exc)) from None
    reason = forbidden_markup(block.text)
    if reason:
        raise EditError(f"The text {reason}.")
    return block


def label_for_new(version: Version, after_uid: str | None) -> str | None:
    """The label a paragraph typed without one would take if inserted after ``after_uid`` (at
    the start when None), as the insert form tells the editor beforehand."""
    paragraphs = list(version.paragraphs)
    uids = [p.uid for p in paragraphs]
    if after_uid is not None and after_uid not in uids:
        return None
    index = 0 if after_uid is None else uids.index(after_uid) + 1
    return labelled_for(Block("paragraph", ""), [p.block for p in paragraphs], index).label


def _split_on_blank_line(text: str) -> list[str]:
    return split_raw_blocks(text)


def labelled_for(block: Block, blocks: Sequence[Block], index: int) -> Block:
    """A new paragraph, to be put at ``index`` among ``blocks``, with the label it is printed
    with: the one typed ("1bis." is kept), or else the next label in the series of the
    paragraph before it ("(d)" → "(e)", "PP6" → "PP7", "3." → "4."; none after an unnumbered
    one), or "3bis." between "3." and "4." in a draft that already inserts with "bis" labels
    (text.labels.inserted_label). After a heading or at the start it takes a label that
    renumbering counts before the paragraph after it ("0." before "1."). Publication renumbers
    the whole draft (documents.numbering) and checks that no label is left out or printed
    twice."""
    if block.kind != "paragraph" or block.label is not None:
        return block
    before = blocks[index - 1] if index > 0 else None
    after = blocks[index] if index < len(blocks) else None
    if before is not None and not before.is_heading:
        label, bold = inserted_label(blocks, index - 1), before.label_bold
    elif after is not None and not after.is_heading:
        label, bold = label_before(blocks, index), after.label_bold
    else:
        return block
    if label is None:
        return block
    return Block("paragraph", block.text, label=label, label_bold=bold)
