"""Amendments in conflict: once one amendment of a round is applied to a working draft, every
other amendment of the round on the same paragraph proposes a change to a text that is no longer
the text. Each is carried onto the paragraph's new text where it still applies (its own word
edits made in it: "rebased"), or is *superseded* by the applied one, so that no one decides on a
text that no longer exists. A deletion applied supersedes every replacement; new paragraphs
proposed after the same one all stay, in the order they would come.

Computed, not stored: from the applied decisions (their "applied" revision) and the text of the
draft they were applied to, in three queries for any number of comments, and a word merge only
for the few amendments that share a paragraph with an applied one. So it is never out of step
with the draft, whoever edits it afterwards.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import Markup
from sqlalchemy import and_, exists, select
from sqlalchemy.orm import joinedload

from drafting.compare.html import diff_to_html
from drafting.compare.rebase import rebase
from drafting.compare.words import diff_words
from drafting.consultations.models import (
    Comment,
    CommentKind,
    CommentStatus,
    Decision,
    DecisionRevision,
    Outcome,
)
from drafting.consultations.vocabulary import AMENDMENT_KINDS
from drafting.documents import editing
from drafting.documents.models import Paragraph, Version
from drafting.documents.working_draft import EditError
from drafting.extensions import db
from drafting.text.inline import display_text


class ConflictKind(enum.StrEnum):
    REBASED = "rebased"  # still applies: carried onto the paragraph's new text
    SUPERSEDED = "superseded"  # changes words already changed, or a paragraph deleted
    FOLLOWS = "follows"  # a new paragraph after one that already has an applied new paragraph


@dataclass(frozen=True)
class Conflict:
    """What applying other amendments to the same paragraph did to one amendment."""

    comment: Comment
    kind: ConflictKind
    applied: tuple[Comment, ...]  # the amendments applied to that paragraph, in the order applied
    version: Version  # the draft they were applied to (the latest, if several)
    text: str  # the paragraph's text there now ("" once deleted)
    rebased: str = ""  # a replacement carried onto that text
    order: int = 0  # a new paragraph: its place among the new paragraphs after the same one

    @property
    def cause(self) -> Comment:
        """The applied amendment this one is in conflict with: the last that changed the
        paragraph (or inserted after it)."""
        return self.applied[-1]

    @property
    def is_superseded(self) -> bool:
        return self.kind == ConflictKind.SUPERSEDED

    @property
    def cause_name(self) -> str:
        return f"{self.cause.delegation.code}’s amendment #{self.cause.id}"

    @property
    def summary(self) -> str:
        """The conflict in one sentence, as the compilation, its exports and the API say it."""
        applied = " and ".join(
            f"{c.delegation.code}’s amendment #{c.id}"
            for c in self.applied
            if c.kind != CommentKind.INSERT or self.kind == ConflictKind.FOLLOWS
        )
        where = self.version.label
        if self.kind == ConflictKind.FOLLOWS:
            return (
                f"{applied} already inserted a new paragraph here in {where}; this one would "
                f"come after it, as the {_ordinal(self.order)} new paragraph."
            )
        if self.kind == ConflictKind.REBASED and self.comment.kind == CommentKind.DELETE:
            return f"Deletes the paragraph as it reads after applying {applied} to {where}."
        if self.kind == ConflictKind.REBASED:
            return f"Rebased on the text after applying {applied} to {where}."
        if self.cause.kind == CommentKind.DELETE:
            inserts = self.comment.kind == CommentKind.INSERT
            deleted = "the paragraph it follows" if inserts else "it"
            return f"Superseded by {self.cause_name}, applied to {where}: {deleted} is deleted."
        return (
            f"Superseded by {self.cause_name}, applied to {where}: it changes the same words, "
            "so the text it amends no longer exists."
        )

    def redline_html(self) -> Markup:
        """A rebased replacement as a word redline against the paragraph's new text."""
        if self.kind != ConflictKind.REBASED:
            return Markup("")
        if self.comment.kind == CommentKind.DELETE:
            return Markup('<del class="redline-del">{}</del>').format(display_text(self.text))
        return diff_to_html(diff_words(display_text(self.text), display_text(self.rebased)))


def proposed_wording(comment: Comment) -> str:
    """The text a replacement or insertion proposes, as "Apply" would take it (a number the
    delegation typed in front of it left out)."""
    try:
        return editing.read_block(comment.proposed_text).text
    except EditError:
        return (comment.proposed_text or "").strip()


def find_conflicts(comments: Iterable[Comment]) -> dict[int, Conflict]:
    """The conflicts of ``comments`` (by comment id) with the amendments of their round applied
    to a draft. Comments in no conflict are not in it."""
    amendments = [
        c for c in comments if c.kind in AMENDMENT_KINDS and c.status == CommentStatus.SUBMITTED
    ]
    uids = {c.paragraph_uid for c in amendments if c.paragraph_uid}
    if not uids:
        return {}
    applied = _applied_amendments({c.consultation_id for c in amendments}, uids)
    if not applied:
        return {}
    groups: dict[tuple[int, str], list[Comment]] = {}
    for comment in applied:
        groups.setdefault((comment.consultation_id, comment.paragraph_uid), []).append(comment)
    applied_ids = {c.id for c in applied}
    waiting = [
        c
        for c in amendments
        if c.id not in applied_ids and (c.consultation_id, c.paragraph_uid) in groups
    ]
    if not waiting:
        return {}
    texts = _texts(groups, waiting)
    conflicts: dict[int, Conflict] = {}
    waiting.sort(key=lambda c: (c.submitted_dt, c.id))
    following: dict[tuple[int, str], int] = {}
    for comment in waiting:
        key = (comment.consultation_id, comment.paragraph_uid)
        conflict = _conflict(comment, groups[key], texts, following)
        if conflict is not None:
            conflicts[comment.id] = conflict
    return conflicts


def _applied_amendments(consultation_ids: set[int], uids: set[str]) -> list[Comment]:
    """The amendments of the rounds on those paragraphs that "Apply" took into a draft, and
    whose decision still says so (accepted, reflected in the draft it was applied to)."""
    was_applied = exists().where(
        DecisionRevision.comment_id == Comment.id,
        DecisionRevision.action == "applied",
        DecisionRevision.reflected_version_id == Decision.reflected_version_id,
    )
    stmt = (
        select(Comment)
        .join(Decision, Decision.comment_id == Comment.id)
        .where(
            Comment.consultation_id.in_(consultation_ids),
            Comment.paragraph_uid.in_(uids),
            Comment.kind.in_(AMENDMENT_KINDS),
            Comment.status == CommentStatus.SUBMITTED,
            Decision.outcome == Outcome.ACCEPTED,
            Decision.reflected_version_id.is_not(None),
            was_applied,
        )
        .options(joinedload(Comment.delegation), joinedload(Comment.decision))
        .order_by(Decision.decided_dt, Comment.id)
    )
    return list(db.session.scalars(stmt).unique())


def _texts(
    groups: dict[tuple[int, str], list[Comment]], waiting: list[Comment]
) -> dict[tuple[int, str], str]:
    """The paragraphs' texts needed: as commented on (by paragraph id) and as they now stand
    in the drafts the amendments were applied to, keyed (version id, uid)."""
    version_ids = {c.decision.reflected_version_id for group in groups.values() for c in group}
    uids = {uid for _, uid in groups}
    consulted_ids = {c.paragraph_id for c in waiting if c.paragraph_id is not None}
    stmt = select(Paragraph.id, Paragraph.version_id, Paragraph.uid, Paragraph.text).where(
        (and_(Paragraph.version_id.in_(version_ids), Paragraph.uid.in_(uids)))
        | Paragraph.id.in_(consulted_ids)
    )
    texts: dict = {}
    for paragraph_id, version_id, uid, text in db.session.execute(stmt):
        texts[(version_id, uid)] = text
        texts[paragraph_id] = text
    return texts


def _conflict(
    comment: Comment,
    applied: list[Comment],
    texts: dict,
    following: dict[tuple[int, str], int],
) -> Conflict | None:
    newest = max(applied, key=lambda c: c.decision.reflected_version_id).decision
    latest, version = newest.reflected_version_id, newest.reflected_version
    current = texts.get((latest, comment.paragraph_uid))
    deletions = [c for c in applied if c.kind == CommentKind.DELETE]
    changes = [c for c in applied if c.kind != CommentKind.INSERT]

    def conflict(kind: ConflictKind, by: list[Comment], **more) -> Conflict:
        return Conflict(comment, kind, tuple(by), version, current or "", **more)

    if deletions:
        return conflict(ConflictKind.SUPERSEDED, deletions)
    if comment.kind == CommentKind.INSERT:
        insertions = [c for c in applied if c.kind == CommentKind.INSERT]
        if not insertions:
            return None
        key = (comment.consultation_id, comment.paragraph_uid)
        following[key] = following.get(key, len(insertions)) + 1
        return conflict(ConflictKind.FOLLOWS, insertions, order=following[key])
    base = texts.get(comment.paragraph_id)
    if not changes or current is None or base is None or base == current:
        return None
    if comment.kind == CommentKind.DELETE:
        return conflict(ConflictKind.REBASED, changes)
    rebased = rebase(base, current, proposed_wording(comment))
    if rebased is None or rebased == current:
        return conflict(ConflictKind.SUPERSEDED, changes)
    return conflict(ConflictKind.REBASED, changes, rebased=rebased)


def _ordinal(number: int) -> str:
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') }"
