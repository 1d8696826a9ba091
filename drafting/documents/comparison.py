"""Comparing two stored versions: load them with their identities, align, shape for the page."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from drafting.compare import align_paragraphs
from drafting.compare.concordance import ConcordanceRow, concordance
from drafting.compare.headings import heading_parts
from drafting.compare.html import diff_to_html, label_range
from drafting.compare.model import Comparison, DiffOp, Entry
from drafting.compare.words import diff_words, join_texts
from drafting.documents.models import Paragraph, Version
from drafting.documents.translations import paragraphs_in
from drafting.extensions import db
from drafting.keeping import Kept
from drafting.text.inline import display_text
from drafting.text.markup import render_markdown


class ComparisonError(ValueError):
    """Two versions that cannot be compared; the message says why."""


@dataclass
class Row:
    """One entry of the redline as the page shows it."""

    entry: Entry
    old: list[Paragraph]
    new: list[Paragraph]
    change_index: int | None  # 1-based position among the changes, for next/previous links

    @property
    def kind(self) -> str:
        return self.entry.kind

    @property
    def is_heading(self) -> bool:
        first = (self.new or self.old)[0]
        return first.is_heading

    @property
    def is_sub_item(self) -> bool:
        return (self.new or self.old)[0].block.is_sub_item

    @property
    def heading_level(self) -> int:
        return (self.new or self.old)[0].level

    @property
    def label(self) -> str | None:
        """The row's number in the margin: the new paragraphs' (the old ones' for a deletion),
        once for a merged or split run ("PP2.–PP3.")."""
        return self.side_label("new" if self.new else "old") or None

    def side_label(self, side: str) -> str:
        """The number of one column of the side-by-side view, once for a run of paragraphs."""
        return label_range(p.label for p in (self.new if side == "new" else self.old))

    @property
    def relabelled_from(self) -> str | None:
        """The old number of a paragraph that was only renumbered: shown, but not as a change."""
        if len(self.old) != 1 or len(self.new) != 1:
            return None
        old, new = self.old[0], self.new[0]
        if old.is_heading and new.is_heading:
            # A heading's number is in its text: "Article 9, was Article 8".
            old_label, new_label = heading_parts(old.text)[0], heading_parts(new.text)[0]
            return old_label if old_label != new_label else None
        return old.label if old.label != new.label else None

    @property
    def anchor(self) -> str:
        return (self.new or self.old)[0].anchor

    @cached_property
    def reader_diff(self) -> tuple[DiffOp, ...]:
        """The word diff of what a reader sees: Markdown markers would only be noise here.
        Most paragraphs carry none, and for them the alignment's own diff is already that."""
        old_text, new_text = _joined(self.old), _joined(self.new)
        old_shown, new_shown = display_text(old_text), display_text(new_text)
        if old_shown == old_text and new_shown == new_text:
            return self.entry.diff
        return diff_words(old_shown, new_shown)

    def inline_html(self) -> Markup:
        if self.kind in ("changed", "split", "merged"):
            return diff_to_html(self.reader_diff)
        if self.kind == "added":
            return _marked("ins", self.new)
        if self.kind == "deleted":
            return _marked("del", self.old)
        return render_markdown(_joined(self.new), inline=True)

    def side_html(self, side: str) -> Markup:
        """One column of the side-by-side view: the old text with deletions, or the new with
        insertions."""
        if self.kind == "unchanged":
            return render_markdown(_joined(self.new if side == "new" else self.old), inline=True)
        if self.kind == "added":
            return _marked("ins", self.new) if side == "new" else Markup("")
        if self.kind == "deleted":
            return _marked("del", self.old) if side == "old" else Markup("")
        hidden = 1 if side == "old" else -1
        return diff_to_html([(op, text) for op, text in self.reader_diff if op != hidden])


def _joined(paragraphs: list[Paragraph]) -> str:
    return join_texts([p.text for p in paragraphs])


def _marked(tag: str, paragraphs: list[Paragraph]) -> Markup:
    """A whole added or deleted paragraph, with its emphasis and links kept."""
    return Markup('<{0} class="redline-{0}">{1}</{0}>').format(
        tag, render_markdown(_joined(paragraphs), inline=True)
    )


@dataclass
class VersionComparison:
    old: Version
    new: Version
    comparison: Comparison
    rows: list[Row] = field(default_factory=list)
    concordance: list[ConcordanceRow] = field(default_factory=list)
    language: str | None = None  # None: the original's

    @property
    def summary(self) -> dict[str, int]:
        return self.comparison.summary()

    @property
    def change_count(self) -> int:
        return sum(1 for row in self.rows if row.change_index is not None)


def load_versions(*version_ids: int) -> dict[int, Version]:
    """Versions with their paragraphs and document, in a constant number of queries."""
    versions = db.session.scalars(
        select(Version)
        .where(Version.id.in_(version_ids))
        .options(selectinload(Version.paragraphs), selectinload(Version.document))
    ).all()
    return {v.id: v for v in versions}


def compare_versions(old: Version, new: Version, language: str | None = None) -> VersionComparison:
    """Align two versions of one document by stable identity first, then by text; with a
    ``language``, their texts in that language (the original's where a paragraph has none)."""
    if old.document_id != new.document_id:
        raise ComparisonError("These two versions belong to different documents.")
    if language == old.document.language:
        language = None
    old_paragraphs, new_paragraphs = paragraphs_in(old, language), paragraphs_in(new, language)

    def align() -> Comparison:
        return align_paragraphs(
            [p.block for p in old_paragraphs],
            [p.block for p in new_paragraphs],
            [p.uid for p in old_paragraphs],
            [p.uid for p in new_paragraphs],
        )

    if (
        old.is_published and new.is_published and not language
    ):  # neither changes: aligned once per process
        identities = hash((*(p.uid for p in old_paragraphs), "|", *(p.uid for p in new_paragraphs)))
        key = (old.id, old.text_hash, new.id, new.text_hash, identities)
        comparison = _ALIGNED.get(key, align)
    else:
        comparison = align()
    rows, changes = [], 0
    for entry in comparison.entries:
        change_index = None
        if entry.is_change:
            changes += 1
            change_index = changes
        rows.append(
            Row(
                entry=entry,
                old=[old_paragraphs[i] for i in entry.old],
                new=[new_paragraphs[i] for i in entry.new],
                change_index=change_index,
            )
        )
    return VersionComparison(old, new, comparison, rows, concordance(comparison), language)


# Two published versions never change: their alignment is made once per process (the last few).
_ALIGNED: Kept[Comparison] = Kept(8)


def default_pair(versions: list[Version]) -> tuple[Version, Version] | None:
    """The previous and the latest of the given versions (oldest first), if there are two."""
    if len(versions) < 2:
        return None
    return versions[-2], versions[-1]
