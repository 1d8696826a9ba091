"""What reading a marked-up Word file finds: the records it reads (one per paragraph, as
accepting every change leaves them) and the changes it proposes, in the shape the command line
prints and the review page shows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from drafting.text.draft_format import Block
from drafting.text.inline import display_text

KINDS = ("replace", "insert", "delete", "comment")


@dataclass(slots=True)
class Record:
    """One paragraph of the file (or several, joined where a paragraph mark was deleted)."""

    elements: list
    # per element: (its identities, whether any accepted text is left in it, its deleted text)
    parts: list
    block: Block | None
    text: str  # the accepted plain text
    style: str = ""
    in_table: bool = False
    row_deleted: bool = False
    changes: int = 0  # tracked insertions, deletions and moves inside it
    is_furniture: bool = False  # the version line or a status mark the Word copy adds
    owner: str | None = None  # the version's paragraph it is
    attached: str | None = None  # the version's paragraph it follows
    accounted: bool = False

    @property
    def identity(self) -> str | None:
        """The paragraph a remark on this record is about: its own, or the one before it."""
        return self.owner or self.attached


@dataclass(slots=True)
class FoundChange:
    kind: str
    paragraph_uid: str | None
    after_paragraph_uid: str | None
    label: str
    quote: str = ""
    proposed_text: str = ""
    body: str = ""
    old_text: str = ""  # the version's text, for the redline

    def to_json(self) -> dict:
        return {
            "paragraph_uid": self.paragraph_uid,
            "after_paragraph_uid": self.after_paragraph_uid,
            "label": self.label,
            "kind": self.kind,
            "quote": self.quote,
            "proposed_text": self.proposed_text,
            "body": self.body,
        }

    @property
    def anchor(self) -> str | None:
        return self.paragraph_uid or self.after_paragraph_uid

    @classmethod
    def delete(cls, uid: str, block: Block) -> FoundChange:
        return cls("delete", uid, None, _label(block), old_text=block.text)

    @classmethod
    def replace(cls, uid: str, old: Block, new: Block) -> FoundChange:
        return cls("replace", uid, None, _label(old), proposed_text=new.text, old_text=old.text)

    @classmethod
    def insert(
        cls,
        after: str | None,
        blocks: Mapping[str, Block],
        block: Block,
        *,
        moved_from: str | None = None,
    ) -> FoundChange:
        body = f"Moved here from its place as {label_of(moved_from, blocks)}." if moved_from else ""
        return cls(
            "insert", None, after, label_of(after, blocks), proposed_text=block.text, body=body
        )


def _label(block: Block) -> str:
    if block.label:
        return block.label
    text = " ".join(display_text(block.text).split())
    return f"“{text[:40]}…”" if len(text) > 40 else f"“{text}”"


def label_of(uid: str | None, blocks: Mapping[str, Block]) -> str:
    """How a person names a paragraph of the version: its number, or its first words."""
    if uid is None or uid not in blocks:
        return "the beginning"
    return _label(blocks[uid])


def _plain(text: str) -> str:
    return " ".join(display_text(text).split())


def same_text(new: Block | None, old: Block) -> bool:
    """Whether a paragraph reads the same (formatting aside: that is counted, not proposed)."""
    return new is None or _plain(new.text) == _plain(old.text)


def comment_change(
    uid: str | None, blocks: Mapping[str, Block], quote: str, body: str
) -> FoundChange:
    """A Word comment on a paragraph, quoting what it is anchored to: a passage the version
    does not hold (it was typed in Word) goes into the comment's text instead."""
    quote = " ".join(quote.split())
    if quote and (uid is None or quote.casefold() not in _plain(blocks[uid].text).casefold()):
        body, quote = f"On “{quote}”: {body}", ""
    return FoundChange("comment", uid, None, label_of(uid, blocks), quote=quote, body=body)


@dataclass(slots=True)
class MarkupReading:
    """Everything found in one file: the changes to propose, the paragraphs that could not be
    matched, formatting changes counted and left out, footnote and table changes named."""

    marked: bool = False
    amendments: list[FoundChange] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    ignored_formatting_changes: int = 0
    tracked_changes: int = 0
    accounted: dict[str, int] = field(default_factory=dict)

    def add(self, record: Record, change: FoundChange) -> None:
        record.accounted = True
        self.amendments.append(change)

    def to_json(self) -> dict:
        return {
            "amendments": [change.to_json() for change in self.amendments],
            "unmatched": list(self.unmatched),
            "ignored_formatting_changes": self.ignored_formatting_changes,
        }

    def settle(self, records: Sequence[Record], originals: Sequence[tuple[str, Block]]) -> None:
        """Name the table changes, turn what cannot be proposed on the title into comments,
        order the changes as the version reads, and account for every tracked change."""
        blocks = dict(originals)
        for record in records:
            if (record.in_table or record.row_deleted) and record.changes and not record.accounted:
                what = "A table row deleted" if record.row_deleted else "A change in a table"
                body = f"{what}: “{record.text}”"
                self.notes.append(f"{body} (after {label_of(record.identity, blocks)})")
                self.add(record, comment_change(record.identity, blocks, "", body))
        self.amendments = [_proposable(change, blocks) for change in self.amendments]
        position = {uid: number for number, (uid, _) in enumerate(originals)}
        # An insertion after a paragraph follows what is proposed on the paragraph itself.
        self.amendments.sort(
            key=lambda change: (position.get(change.anchor, -1), change.kind == "insert")
        )
        stored = sum(r.changes for r in records if r.accounted)
        # What is left made no difference to the text (a word deleted and typed again).
        self.accounted = {
            "stored_or_named": stored,
            "without_effect": self.tracked_changes - stored,
        }


def _proposable(change: FoundChange, blocks: Mapping[str, Block]) -> FoundChange:
    """The title cannot be replaced or deleted by an amendment, nor a paragraph inserted before
    everything: those are kept as comments saying what the file proposes."""
    anchor = change.anchor
    title = anchor is not None and blocks[anchor].kind == "title"
    if change.kind == "insert" and anchor is None:
        body = f"A new paragraph at the beginning: “{display_text(change.proposed_text)}”"
        return comment_change(None, blocks, "", _joined(body, change.body))
    if change.kind in ("replace", "delete") and title:
        body = (
            f"Proposed title: “{display_text(change.proposed_text)}”"
            if change.kind == "replace"
            else "Delete the title."
        )
        return comment_change(anchor, blocks, "", _joined(body, change.body))
    return change


def _joined(first: str, second: str) -> str:
    return f"{first} {second}".strip()
