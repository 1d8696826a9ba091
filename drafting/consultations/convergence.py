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

from drafting.auth.models import Delegation, User
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
from drafting.consultations.stances import stances_on
from drafting.consultations.vocabulary import AMENDMENT_KINDS
from drafting.documents.models import AgreementStatus, Paragraph, ParagraphStatus, Version
from drafting.documents.statuses import status_of, statuses_of
from drafting.extensions import db
from drafting.text.brackets import count_open_points

PAGE_ROWS = 100  # paragraphs a page shows; the figures and filters count every one
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
    """One paragraph and where the room stands on it. The counts are over every comment; the
    amendments themselves are loaded for the rows of the page shown only."""

    paragraph: Paragraph
    status: AgreementStatus
    open_points: int
    comment_count: int = 0  # every submitted comment on it, amendments included
    contesting: list[str] = field(default_factory=list)  # codes (see CONTESTED_HELP)
    amendments: list[Amendment] = field(default_factory=list)

    @property
    def open_amendments(self) -> list[Amendment]:
        return [a for a in self.amendments if a.is_open]

    @property
    def decided(self) -> list[Amendment]:
        return [a for a in self.amendments if not a.is_open]

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
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 4 or int(raw) > MAX_CONTESTED:
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
    rows: list[Row]  # every paragraph, whatever the filters
    filters: Filters
    matching: list[Row] = field(default_factory=list)  # those the filters keep, on every page
    page: int = 1

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.matching) // PAGE_ROWS))

    @property
    def shown(self) -> list[Row]:
        """The rows of the page shown (the amendments are loaded for these only)."""
        return self.matching[(self.page - 1) * PAGE_ROWS : self.page * PAGE_ROWS]

    @property
    def first_shown(self) -> int:
        return (self.page - 1) * PAGE_ROWS + 1 if self.matching else 0

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
    user: User,
    version: Version,
    consultations: list[Consultation],
    filters: Filters,
    page: int = 1,
) -> Convergence:
    """The view of ``version`` for ``user``, counting the comments of ``consultations``: the
    counts from light rows of every comment, the amendments in full for the page shown."""
    paragraphs = db.session.scalars(
        select(Paragraph).where(Paragraph.version_id == version.id).order_by(Paragraph.position)
    ).all()
    statuses: dict[str, ParagraphStatus] = statuses_of(version)
    rows = {
        p.uid: Row(p, status_of(statuses, p.uid), count_open_points(p.text))
        for p in paragraphs
        if not p.is_heading
    }
    amendment_ids = _count(user, consultations, rows)
    matching = [row for row in rows.values() if filters.keeps(row)]
    view = Convergence(version, consultations, list(rows.values()), filters, matching)
    view.page = min(max(page, 1), view.pages)
    shown = view.shown
    wanted = [i for row in shown for i in amendment_ids.get(row.paragraph.uid, [])]
    by_uid = {row.paragraph.uid: row for row in shown}
    for amendment in _amendments(wanted):
        by_uid[amendment.comment.paragraph_uid].amendments.append(amendment)
    return view


def _visible(user: User, consultations: list[Consultation], *columns):
    stmt = select(*columns).where(
        Comment.consultation_id.in_([c.id for c in consultations]),
        Comment.status == CommentStatus.SUBMITTED,
    )
    return visible_comments(user, stmt, consultations)


def _count(user: User, consultations: list[Consultation], rows: dict[str, Row]) -> dict:
    """Count each row's comments and find who contests it, from one light row per comment and
    per stance (no objects: 5,000 comments cost milliseconds); the ids of each row's
    amendments, in order."""
    amendment_ids: dict[str, list[int]] = defaultdict(list)
    if not consultations:
        return amendment_ids
    # Core rows, not the ORM's: the same columns, a fraction of the time for 5,000 rows.
    connection = db.session.connection()
    comments = connection.execute(
        _visible(
            user,
            consultations,
            Comment.id,
            Comment.paragraph_uid,
            Comment.delegation_id,
            Comment.kind.in_(AMENDMENT_KINDS),  # a flag, not an enum to convert 5,000 times
            Decision.id,
        )
        .outerjoin(Decision, Decision.comment_id == Comment.id)
        .order_by(Comment.submitted_dt, Comment.id)
    ).all()
    open_by: dict[int, tuple[str, int]] = {}  # open amendment -> its paragraph, its proposer
    proposers: dict[str, set[int]] = defaultdict(set)
    for comment_id, uid, delegation_id, is_amendment, decision_id in comments:
        row = rows.get(uid)
        if row is None:
            continue  # on the whole text, on a heading, or on a paragraph since deleted
        row.comment_count += 1
        if is_amendment:
            amendment_ids[uid].append(comment_id)
            if decision_id is None:
                open_by[comment_id] = (uid, delegation_id)
                proposers[uid].add(delegation_id)
    contesting: dict[str, set[int]] = defaultdict(set)
    for uid, found in proposers.items():
        if len(found) > 1:
            contesting[uid] |= found  # competing amendments
    objections = connection.execute(
        select(AmendmentStance.comment_id, AmendmentStance.delegation_id)
        .join(Comment, Comment.id == AmendmentStance.comment_id)
        .where(
            Comment.consultation_id.in_([c.id for c in consultations]),
            AmendmentStance.kind == StanceKind.OBJECTION,
        )
    )
    for comment_id, delegation_id in objections:
        if comment_id in open_by:
            contesting[open_by[comment_id][0]].add(delegation_id)
    codes = dict(connection.execute(select(Delegation.id, Delegation.code)).all())
    for uid, found in contesting.items():
        rows[uid].contesting = sorted(codes[d] for d in found)
    return amendment_ids


def _amendments(ids: list[int]) -> list[Amendment]:
    """The amendments of the page shown, with their co-sponsors, decision and stances: two
    queries."""
    if not ids:
        return []
    comments = db.session.scalars(
        select(Comment)
        .where(Comment.id.in_(ids))
        .options(
            joinedload(Comment.supports).joinedload(Support.delegation),
            joinedload(Comment.decision),
        )
    ).unique()
    found = {c.id: Amendment(c) for c in comments}
    for comment_id, stated in stances_on(ids).items():
        amendment = found[comment_id]
        for stance in stated:
            side = amendment.supports if stance.kind == StanceKind.SUPPORT else amendment.objections
            side.append(stance)
    return [found[i] for i in ids if i in found]
