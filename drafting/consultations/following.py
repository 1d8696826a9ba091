"""Comments follow the paragraph: what delegations said in earlier rounds about a paragraph,
found by its stable identity (``uid``) in whichever later version the reader opens.

Three queries whatever the size of the document (the rounds of the document; their
extensions; the comments, joined with their decisions, co-sponsors and the paragraph as it
stood when commented on), narrowed to what the reader may see by the policy, in SQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from drafting.auth.models import User
from drafting.auth.policy import can
from drafting.consultations.models import (
    Comment,
    CommentStatus,
    Consultation,
    Decision,
)
from drafting.consultations.policy import visible_comments
from drafting.documents.models import Paragraph, Version
from drafting.extensions import db

# Up to this many paragraphs, their comments are asked for by their identities; beyond, by the
# versions they belong to (a bound list of parameters either way).
FEW_PARAGRAPHS = 400


@dataclass(frozen=True)
class FollowedComment:
    """A submitted comment shown beside a paragraph of a later version (or a comparison row)."""

    comment: Comment
    changed: bool  # the paragraph's text differs from the text the delegation commented on
    decision: Decision | None  # only when the reader may see it ("decision.view")
    own: bool  # written by the reader's own delegation

    @property
    def consultation(self) -> Consultation:
        return self.comment.consultation

    @property
    def version_label(self) -> str:
        """The version the round was on: the one the delegation commented on."""
        return self.comment.consultation.version.label

    @property
    def commented_label(self) -> str | None:
        """The paragraph's number as it stood when commented on ("3.")."""
        paragraph = self.comment.paragraph
        return paragraph.label if paragraph is not None else None


@dataclass
class Following:
    """Earlier comments by paragraph identity, and the texts they are compared with."""

    by_uid: dict[str, list[Comment]] = field(default_factory=dict)
    # Held here so that the session's (weak) identity map keeps them while the page renders.
    consultations: list[Consultation] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # uid -> the text shown to the reader
    user: User | None = None

    def __bool__(self) -> bool:
        return bool(self.by_uid)

    @property
    def count(self) -> int:
        return sum(len(comments) for comments in self.by_uid.values())

    def beside(self, paragraphs: Iterable[Paragraph]) -> list[FollowedComment]:
        """The comments on any of ``paragraphs`` (one paragraph, or a comparison row's old and
        new ones), oldest round first, each once."""
        seen: set[int] = set()
        found: list[FollowedComment] = []
        for paragraph in paragraphs:
            for comment in self.by_uid.get(paragraph.uid, ()):
                if comment.id in seen:
                    continue
                seen.add(comment.id)
                found.append(self._shown(comment))
        found.sort(key=_order)
        return found

    def _shown(self, comment: Comment) -> FollowedComment:
        commented = comment.paragraph.text if comment.paragraph is not None else None
        current = self.texts.get(comment.paragraph_uid)
        user = self.user
        return FollowedComment(
            comment=comment,
            changed=current is None or (commented is not None and commented != current),
            decision=comment.decision if can(user, "decision.view", comment) else None,
            own=user is not None and comment.delegation_id == getattr(user, "delegation_id", None),
        )


def _order(item: FollowedComment):
    comment = item.comment
    return (
        comment.consultation.version_id,
        comment.consultation_id,
        comment.submitted_dt,
        comment.id,
    )


def document_consultations(
    document_id: int, *, through_version_id: int, inclusive: bool = True
) -> list[Consultation]:
    """The rounds on the versions of a document up to the given one (included, or only those
    before it), with their extensions, which the visibility rule needs: two queries."""
    last = Version.id <= through_version_id if inclusive else Version.id < through_version_id
    return list(
        db.session.scalars(
            select(Consultation)
            .join(Version, Consultation.version_id == Version.id)
            .where(Version.document_id == document_id, last)
            .options(selectinload(Consultation.extensions))
            .order_by(Version.id, Consultation.id)
        ).all()
    )


def follow(
    user: User,
    consultations: Sequence[Consultation],
    paragraphs: Sequence[Paragraph],
    *,
    texts: Sequence[Paragraph] | None = None,
    delegation_id: int | None = None,
) -> Following:
    """The submitted comments of ``consultations`` on any of ``paragraphs`` (by uid) that
    ``user`` may see, optionally only those of one delegation.

    ``texts`` are the paragraphs whose text a comment is compared with to say "the paragraph
    has changed since" (by default ``paragraphs``); a comment whose paragraph is not among them
    (deleted since) is marked changed. General comments (no paragraph) are left out.
    """
    compared = paragraphs if texts is None else texts
    following = Following(
        texts={p.uid: p.text for p in compared}, user=user, consultations=list(consultations)
    )
    if not consultations or not paragraphs:
        return following
    uids = {p.uid for p in paragraphs}
    version_ids = {p.version_id for p in paragraphs}
    on_paragraphs = Comment.paragraph_uid.in_(
        select(Paragraph.uid).where(Paragraph.version_id.in_(version_ids))
    )
    if len(uids) <= FEW_PARAGRAPHS:  # one paragraph, or a part of a page: only their comments
        on_paragraphs = Comment.paragraph_uid.in_(sorted(uids))
    stmt = (
        select(Comment)
        .where(
            Comment.consultation_id.in_([c.id for c in consultations]),
            Comment.status == CommentStatus.SUBMITTED,
            on_paragraphs,
        )
        .options(
            # Joined, not "selectin": a selectin load asks again for every 500 comments.
            joinedload(Comment.decision),
            joinedload(Comment.paragraph),
            joinedload(Comment.supports),
        )
        .order_by(Comment.submitted_dt, Comment.id)
    )
    if delegation_id is not None:
        stmt = stmt.where(Comment.delegation_id == delegation_id)
    by_id = {c.id: c for c in consultations}
    for comment in db.session.scalars(visible_comments(user, stmt, consultations)).unique():
        set_committed_value(comment, "consultation", by_id[comment.consultation_id])
        if comment.paragraph_uid in uids:
            following.by_uid.setdefault(comment.paragraph_uid, []).append(comment)
    return following


def versions_commented_by(
    delegation_id: int | None, consultations: Sequence[Consultation]
) -> list[Version]:
    """The versions on which this delegation submitted comments in the given rounds, latest
    first: what "what changed since the draft we commented on" compares from. One query."""
    if delegation_id is None or not consultations:
        return []
    ids = set(
        db.session.scalars(
            select(Comment.consultation_id)
            .where(
                Comment.consultation_id.in_([c.id for c in consultations]),
                Comment.delegation_id == delegation_id,
                Comment.status == CommentStatus.SUBMITTED,
            )
            .distinct()
        )
    )
    versions = {c.version_id: c.version for c in consultations if c.id in ids}
    return [versions[key] for key in sorted(versions, reverse=True)]
