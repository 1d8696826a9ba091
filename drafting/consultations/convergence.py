"""The chair's convergence view: paragraph by paragraph, where the room stands on a draft.

For each paragraph of a version: its agreement status, its open points in brackets, the open
amendments with their proposers, co-sponsors, supports and objections, the decisions taken, and
how many delegations contest it. The comments are those of the rounds on the version (for a
working draft, of the rounds on the draft it was started from: comments follow the paragraph by
its identity), narrowed by the reading rule (`visible_comments`), so that a sealed round shows
nothing of the delegations' comments before its deadline. A constant number of queries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from drafting.auth.models import User
from drafting.consultations.models import (
    AmendmentStance,
    Comment,
    CommentStatus,
    Consultation,
    Decision,
    StanceKind,
    Support,
)
from drafting.consultations.policy import visible_comments
from drafting.documents.models import AgreementStatus, Paragraph, ParagraphStatus, Version
from drafting.documents.statuses import status_of, statuses_of
from drafting.extensions import db
from drafting.text.brackets import count_open_points

MAX_CONTESTED = 1000  # "contested by more than N": N beyond any number of delegations

CONTESTED_HELP = (
    "A paragraph is contested by a delegation that objects to one of its open amendments, and, "
    "where open amendments from two or more delegations compete on it, by each of them. "
    "“Contested by more than N” counts those delegations, each once. An amendment is open "
    "until the secretariat records a decision on it."
)


@dataclass(slots=True)
class Amendment:
    """An amendment as the view shows it: who proposed and co-sponsors it, who supports or
    objects to it (and why), and the decision when there is one."""

    comment: Comment
    supports: list[AmendmentStance] = field(default_factory=list)
    objections: list[AmendmentStance] = field(default_factory=list)

    @property
    def decision(self) -> Decision | None:
        return self.comment.decision

    @property
    def is_open(self) -> bool:
        return self.comment.decision is None


@dataclass(slots=True)
class Row:
    """One paragraph and where the room stands on it."""

    paragraph: Paragraph
    status: AgreementStatus
    open_points: int
    amendments: list[Amendment] = field(default_factory=list)
    comment_count: int = 0  # every submitted comment on it, amendments included

    @property
    def open_amendments(self) -> list[Amendment]:
        return [a for a in self.amendments if a.is_open]

    @property
    def decided(self) -> list[Amendment]:
        return [a for a in self.amendments if not a.is_open]

    @property
    def contesting(self) -> list[str]:
        """The codes of the delegations contesting the paragraph (see CONTESTED_HELP)."""
        codes = {s.delegation.code for a in self.open_amendments for s in a.objections}
        proposers = {a.comment.delegation.code for a in self.open_amendments}
        if len(proposers) > 1:
            codes |= proposers
        return sorted(codes)

    @property
    def is_open(self) -> bool:
        return self.status != AgreementStatus.AGREED


@dataclass(frozen=True, slots=True)
class Filters:
    """What the chair chose to see; each is a GET parameter, kept in the form."""

    still_open: bool = False
    contested_over: int | None = None
    uncommented: bool = False

    @property
    def any(self) -> bool:
        return self.still_open or self.contested_over is not None or self.uncommented

    def keeps(self, row: Row) -> bool:
        if self.still_open and not row.is_open:
            return False
        if self.contested_over is not None and len(row.contesting) <= self.contested_over:
            return False
        return not (self.uncommented and row.comment_count)


def contested_over(raw: str | None) -> int | None:
    """The N of "contested by more than N delegations" as typed; None when left empty.
    Raises ValueError, with words for the page, on anything but a whole number from 0."""
    raw = (raw or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 4 or int(raw) > MAX_CONTESTED:
        shown = raw[:20] + ("…" if len(raw) > 20 else "")
        raise ValueError(
            f"“{shown}” is not a number of delegations: give a whole number from 0 to "
            f"{MAX_CONTESTED}, or leave it empty."
        )
    return int(raw)


@dataclass(frozen=True, slots=True)
class Figures:
    paragraphs: int
    agreed: int
    ad_referendum: int
    still_open: int  # not agreed: pending or ad ref.
    contested: int
    open_points: int


@dataclass(slots=True)
class Convergence:
    version: Version
    consultations: list[Consultation]
    rows: list[Row]
    filters: Filters

    @property
    def shown(self) -> list[Row]:
        return [row for row in self.rows if self.filters.keeps(row)]

    @property
    def figures(self) -> Figures:
        rows = self.rows
        return Figures(
            paragraphs=len(rows),
            agreed=sum(r.status == AgreementStatus.AGREED for r in rows),
            ad_referendum=sum(r.status == AgreementStatus.AD_REFERENDUM for r in rows),
            still_open=sum(r.is_open for r in rows),
            contested=sum(bool(r.contesting) for r in rows),
            open_points=sum(r.open_points for r in rows),
        )


def rounds_of(version: Version) -> list[Consultation]:
    """The rounds whose comments the view of ``version`` counts: those on it, or for a working
    draft, those on the draft it was started from."""
    on = version.id if version.is_published or version.based_on_id is None else version.based_on_id
    return list(
        db.session.scalars(
            select(Consultation)
            .where(Consultation.version_id == on)
            .options(selectinload(Consultation.extensions))
            .order_by(Consultation.id)
        )
    )


def converge(
    user: User, version: Version, consultations: list[Consultation], filters: Filters
) -> Convergence:
    """The view of ``version`` for ``user``, counting the comments of ``consultations``."""
    paragraphs = db.session.scalars(
        select(Paragraph).where(Paragraph.version_id == version.id).order_by(Paragraph.position)
    ).all()
    statuses: dict[str, ParagraphStatus] = statuses_of(version)
    rows = {
        p.uid: Row(p, status_of(statuses, p.uid), count_open_points(p.text))
        for p in paragraphs
        if not p.is_heading
    }
    comments = _comments(user, consultations)
    by_comment = _amendments(comments)
    for comment in comments:
        row = rows.get(comment.paragraph_uid)
        if row is None:
            continue  # on the whole text, on a heading, or on a paragraph since deleted
        row.comment_count += 1
        if comment.id in by_comment:
            row.amendments.append(by_comment[comment.id])
    return Convergence(version, consultations, list(rows.values()), filters)


def _comments(user: User, consultations: list[Consultation]) -> list[Comment]:
    if not consultations:
        return []
    stmt = (
        select(Comment)
        .where(
            Comment.consultation_id.in_([c.id for c in consultations]),
            Comment.status == CommentStatus.SUBMITTED,
        )
        .options(
            joinedload(Comment.supports).joinedload(Support.delegation),
            joinedload(Comment.decision),
        )
        .order_by(Comment.submitted_dt, Comment.id)
    )
    return db.session.scalars(visible_comments(user, stmt, consultations)).unique().all()


def _amendments(comments: list[Comment]) -> dict[int, Amendment]:
    """Each amendment with its supports and objections: one query for every stance."""
    found = {c.id: Amendment(c) for c in comments if c.is_amendment}
    if not found:
        return found
    consultation_ids = {c.consultation_id for c in comments}
    stances = db.session.scalars(
        select(AmendmentStance)
        .join(Comment, Comment.id == AmendmentStance.comment_id)
        .where(Comment.consultation_id.in_(consultation_ids))
        .order_by(AmendmentStance.stated_dt, AmendmentStance.id)
    )
    grouped: dict[int, list[AmendmentStance]] = defaultdict(list)
    for stance in stances:
        grouped[stance.comment_id].append(stance)
    for comment_id, amendment in found.items():
        for stance in grouped.get(comment_id, []):
            side = amendment.supports if stance.kind == StanceKind.SUPPORT else amendment.objections
            side.append(stance)
    return found
