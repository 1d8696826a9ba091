"""The compilation page by pages: what a person reads first, the rest a link (or a click) away.

At 1,000 paragraphs and 5,000 comments the whole compilation is 15 MB of HTML and seconds of
work, so the page shows one part of it: the general comments, then the text paragraph by
paragraph, cut into pages of at most ``PAGE_COMMENTS`` comments and ``PAGE_PARAGRAPHS``
paragraphs. The filters are conditions of the query, so the pages and their counts are those of
everything that matches; the figures are counted by the database over the whole round. Each page
costs the same few statements and renders the same few hundred kilobytes at any size of round.
The exports still read the whole ``Compilation`` of ``compilation.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, case, func, not_, or_, select
from sqlalchemy.orm import joinedload

from drafting.auth.models import Delegation, User
from drafting.consultations.compilation import (
    NO_DECISION,
    Compilation,
    CompilationFilters,
    Figures,
    Section,
    place_comments,
)
from drafting.consultations.conflicts import find_conflicts
from drafting.consultations.models import (
    AmendmentStance,
    Comment,
    CommentKind,
    CommentStatus,
    Consultation,
    Decision,
    DecisionRevision,
    Outcome,
    Support,
)
from drafting.consultations.policy import visible_comments
from drafting.consultations.stances import stances_on
from drafting.consultations.vocabulary import AMENDMENT_KINDS
from drafting.documents.models import Paragraph
from drafting.extensions import db

PAGE_COMMENTS = 120  # a page closes once it holds this many comments...
PAGE_PARAGRAPHS = 60  # ...or this many paragraphs, whichever comes first
GENERAL = "general"


def filter_conditions(filters: CompilationFilters) -> list[ColumnElement[bool]]:
    """``CompilationFilters.matches`` as conditions on ``Comment``, for the database to apply."""
    conditions: list[ColumnElement[bool]] = []
    if not filters.withdrawn:
        conditions.append(Comment.status != CommentStatus.WITHDRAWN)
    if filters.delegation:
        codes = select(Delegation.id).where(func.upper(Delegation.code) == filters.delegation)
        conditions.append(Comment.delegation_id.in_(codes))
    if filters.kind == "comment":
        conditions.append(Comment.kind.not_in(AMENDMENT_KINDS))
    elif filters.kind == "amendment":
        conditions.append(Comment.kind.in_(AMENDMENT_KINDS))
    elif filters.kind:
        conditions.append(Comment.kind == CommentKind(filters.kind))
    decided = select(Decision.comment_id)
    if filters.decision == NO_DECISION:
        conditions.append(Comment.id.not_in(decided))
    elif filters.decision:
        outcome = Outcome(filters.decision)
        conditions.append(Comment.id.in_(decided.where(Decision.outcome == outcome)))
    if filters.late:
        conditions.append(Comment.is_late.is_(True))
    if filters.recorded == "secretariat":
        conditions.append(Comment.recorded_by_id.is_not(None))
    elif filters.recorded == "delegation":
        conditions.append(Comment.recorded_by_id.is_(None))
    return conditions


def _round_comments(user: User, consultation: Consultation, *columns):
    """A query of the round's comments ``user`` may see, drafts never (as ``load_comment_rows``)."""
    stmt = select(*columns).where(
        Comment.consultation_id == consultation.id,
        Comment.status != CommentStatus.DRAFT,
        Comment.submitted_dt.is_not(None),
    )
    return visible_comments(user, stmt, [consultation])


def count_figures(user: User, consultation: Consultation) -> tuple[list[Figures], Figures]:
    """The figures of every delegation and the total, counted by the database in one query."""
    kept = Comment.status != CommentStatus.WITHDRAWN

    def how_many(condition) -> ColumnElement[int]:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    taken = Decision.outcome.in_([o for o in Outcome if o.taken_into_account])
    stmt = _round_comments(
        user,
        consultation,
        Comment.delegation_id,
        how_many(kept),
        how_many(and_(kept, Comment.is_late.is_(True))),
        how_many(and_(kept, Comment.kind.in_(AMENDMENT_KINDS))),
        how_many(and_(kept, Decision.id.is_not(None))),
        how_many(and_(kept, taken)),
        how_many(not_(kept)),
    )
    stmt = stmt.outerjoin(Decision, Decision.comment_id == Comment.id).group_by(
        Comment.delegation_id
    )
    rows = db.session.execute(stmt).all()
    delegations = {d.id: d for d in consultation.invited}
    missing = {row[0] for row in rows} - delegations.keys()
    if missing:
        found = db.session.scalars(select(Delegation).where(Delegation.id.in_(missing)))
        delegations |= {d.id: d for d in found}
    per_delegation = {key: Figures(d) for key, d in delegations.items()}
    total = Figures(None)
    for delegation_id, received, late, amendments, decided, taken_count, withdrawn in rows:
        for figures in (per_delegation[delegation_id], total):
            figures.received += received
            figures.late += late
            figures.on_time += received - late
            figures.amendments += amendments
            figures.decided += decided
            figures.taken_into_account += taken_count
            figures.withdrawn += withdrawn
    ordered = sorted(per_delegation.values(), key=lambda f: f.delegation.name.casefold())
    return ordered, total


@dataclass(frozen=True)
class Part:
    """One page of the compilation: a slice of the general comments and a run of paragraphs."""

    number: int
    general: tuple[int, int] | None = None  # offset and count among the general comments
    uids: tuple[str, ...] = ()
    labels: tuple[str, str] = ("", "")  # the first and last numbered paragraph on it
    comments: int = 0

    @property
    def title(self) -> str:
        first, last = self.labels
        where = f"¶ {first.rstrip('.')}–{last.rstrip('.')}" if first else ""
        if self.general and where:
            return _("general comments, %(where)s", where=where)
        if self.general:
            return _("general comments")
        return where or _("the title and headings")


def cut_into_parts(
    counts: dict[str | None, int], outline: list[tuple[str, str]], commented_only: bool
) -> list[Part]:
    """The pages: ``counts`` of matching comments by paragraph (None: general comments) and
    the version's ``outline`` of (uid, label) in order."""
    parts: list[Part] = []
    general = counts.get(GENERAL, 0)
    full, rest = divmod(general, PAGE_COMMENTS)
    for index in range(full):
        slice_ = (index * PAGE_COMMENTS, PAGE_COMMENTS)
        parts.append(Part(len(parts) + 1, general=slice_, comments=PAGE_COMMENTS))
    # The last, short slice of general comments shares its page with the first paragraphs.
    carried = (full * PAGE_COMMENTS, rest) if rest else None
    uids: list[str] = []
    labels: list[str] = []
    shown = rest

    def close() -> None:
        nonlocal uids, labels, shown, carried
        if not uids and carried is None:
            return
        numbered = [label for label in labels if label]
        parts.append(
            Part(
                len(parts) + 1,
                general=carried,
                uids=tuple(uids),
                labels=(numbered[0], numbered[-1]) if numbered else ("", ""),
                comments=shown,
            )
        )
        uids, labels, shown, carried = [], [], 0, None

    for uid, label in outline:
        count = counts.get(uid, 0)
        if commented_only and not count:
            continue
        if uids and (shown + count > PAGE_COMMENTS or len(uids) >= PAGE_PARAGRAPHS):
            close()
        uids.append(uid)
        labels.append(label)
        shown += count
    close()
    return parts or [Part(1)]


@dataclass
class CompilationPage(Compilation):
    """One page of the compilation, read by the same template as the whole of it."""

    parts: list[Part] = field(default_factory=list)
    part: Part = field(default_factory=lambda: Part(1))
    matching: int = 0  # comments that match the filters, on every page
    all_delegations: list[Delegation] = field(default_factory=list)
    stances: dict[int, list[AmendmentStance]] = field(default_factory=dict)  # by amendment

    @property
    def shown_count(self) -> int:
        return self.matching

    @property
    def available_count(self) -> int:
        return self.total.received + (self.total.withdrawn if self.filters.withdrawn else 0)

    @property
    def delegations(self) -> list[Delegation]:
        return self.all_delegations

    @property
    def next_part(self) -> Part | None:
        return self.parts[self.part.number] if self.part.number < len(self.parts) else None

    @property
    def has_paragraphs(self) -> bool:
        """Whether any page shows a paragraph (not when the filters leave none)."""
        return any(part.uids for part in self.parts)

    @property
    def first_paragraphs(self) -> bool:
        """Whether this page starts the text (earlier ones hold only general comments)."""
        return bool(self.part.uids) and not any(
            part.uids for part in self.parts[: self.part.number - 1]
        )


def _counts(user, consultation, conditions) -> dict[str | None, int]:
    key = case((Comment.kind == CommentKind.GENERAL, GENERAL), else_=Comment.paragraph_uid)
    stmt = _round_comments(user, consultation, key, func.count()).where(*conditions)
    return {uid: count for uid, count in db.session.execute(stmt.group_by(key))}


def _outline(consultation: Consultation) -> list[tuple[str, str]]:
    stmt = (
        select(Paragraph.uid, Paragraph.label)
        .where(Paragraph.version_id == consultation.version_id)
        .order_by(Paragraph.position)
    )
    return [(uid, label or "") for uid, label in db.session.execute(stmt)]


def part_of(user, consultation, filters: CompilationFilters, comment: Comment) -> int:
    """The number of the page that shows ``comment`` under ``filters`` (1 if none does)."""
    conditions = filter_conditions(filters)
    parts = cut_into_parts(
        _counts(user, consultation, conditions), _outline(consultation), filters.commented_only
    )
    if comment.kind == CommentKind.GENERAL:
        earlier = _round_comments(user, consultation, func.count()).where(
            *conditions,
            Comment.kind == CommentKind.GENERAL,
            or_(
                Comment.submitted_dt < comment.submitted_dt,
                and_(Comment.submitted_dt == comment.submitted_dt, Comment.id < comment.id),
            ),
        )
        rank = db.session.scalar(earlier) or 0
        for part in parts:
            if part.general and part.general[0] <= rank < sum(part.general):
                return part.number
        return 1
    for part in parts:
        if comment.paragraph_uid in part.uids:
            return part.number
    return len(parts)  # on a paragraph the version lacks: the last page


def compile_page(
    user: User, consultation: Consultation, filters: CompilationFilters, number: int = 1
) -> CompilationPage:
    """Page ``number`` of the compilation (the last one if there are fewer)."""
    conditions = filter_conditions(filters)
    outline = _outline(consultation)
    counts = _counts(user, consultation, conditions)
    parts = cut_into_parts(counts, outline, filters.commented_only)
    part = parts[min(max(number, 1), len(parts)) - 1]
    paragraphs = list(
        db.session.scalars(
            select(Paragraph)
            .where(Paragraph.version_id == consultation.version_id, Paragraph.uid.in_(part.uids))
            .order_by(Paragraph.position)
        )
    )
    shown = _page_comments(user, consultation, conditions, part, last=part is parts[-1])
    sections = {p.uid: Section(p) for p in paragraphs}
    general, elsewhere = place_comments(shown, sections)
    figures, total = count_figures(user, consultation)
    return CompilationPage(
        consultation=consultation,
        paragraphs=paragraphs,
        comments=shown,
        filters=filters,
        general=general,
        sections=list(sections.values()),
        elsewhere=elsewhere,
        figures=figures,
        total=total,
        decision_history=_decision_history([c.id for c in shown]),
        conflicts=find_conflicts(shown),
        parts=parts,
        part=part,
        matching=sum(counts.values()),
        all_delegations=sorted((f.delegation for f in figures), key=lambda d: d.name.casefold()),
        stances=stances_on([c.id for c in shown if c.is_amendment]),
    )


def _page_comments(user, consultation, conditions, part: Part, *, last: bool) -> list[Comment]:
    """The comments of one page, with what their cards show, in one statement."""
    options = (
        joinedload(Comment.delegation),
        joinedload(Comment.decision).joinedload(Decision.decided_by),
        joinedload(Comment.supports).joinedload(Support.delegation),
        joinedload(Comment.recorded_by),
    )
    base = _round_comments(user, consultation, Comment).where(*conditions).options(*options)
    on_paragraphs = and_(Comment.kind != CommentKind.GENERAL, Comment.paragraph_uid.in_(part.uids))
    if last:  # and those on a paragraph the version does not have (should not happen)
        version_uids = select(Paragraph.uid).where(Paragraph.version_id == consultation.version_id)
        on_paragraphs = or_(
            on_paragraphs,
            and_(
                Comment.kind != CommentKind.GENERAL,
                or_(Comment.paragraph_uid.is_(None), Comment.paragraph_uid.not_in(version_uids)),
            ),
        )
    if part.general:  # a slice of the general comments, in the order they came in
        offset, count = part.general
        general = (
            _round_comments(user, consultation, Comment.id)
            .where(*conditions, Comment.kind == CommentKind.GENERAL)
            .order_by(Comment.submitted_dt, Comment.id)
            .offset(offset)
            .limit(count)
        )
        on_paragraphs = or_(on_paragraphs, Comment.id.in_(general))
    return list(db.session.scalars(base.where(on_paragraphs)).unique())


def _decision_history(comment_ids: list[int]) -> dict[int, list[DecisionRevision]]:
    """The decisions of the page's comments as they stood after each change."""
    if not comment_ids:
        return {}
    revisions = db.session.scalars(
        select(DecisionRevision)
        .where(DecisionRevision.comment_id.in_(comment_ids))
        .order_by(DecisionRevision.comment_id, DecisionRevision.revision)
    ).unique()
    history: dict[int, list[DecisionRevision]] = {}
    for revision in revisions:
        history.setdefault(revision.comment_id, []).append(revision)
    return history
