"""The comments of a round as plain rows, for the files that hold all of them (the Word table,
the compiled text, the CSV).

An export reads every comment of a round once and changes none: loading thousands of ORM objects
(each with its identity, its state and a collection for its co-sponsors) cost more than writing
the file. Here a few column-only queries fill slotted rows that answer what the writers ask of a
comment (`CommentRow`) and of its decision (`DecisionRow`), under the same names as the models.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from drafting.auth.models import Delegation, User
from drafting.consultations.models import (
    Comment,
    CommentKind,
    CommentStatus,
    Consultation,
    Decision,
    Outcome,
    Support,
)
from drafting.consultations.policy import visible_comments
from drafting.consultations.vocabulary import CommentState
from drafting.documents.models import Paragraph, Version
from drafting.extensions import db


@dataclass(slots=True, eq=False)
class DecisionRow:
    """What the exports read of a decision: its outcome, justification, and where it is
    reflected (the linked paragraph and version, loaded only for decisions that have one)."""

    outcome: Outcome
    justification: str
    is_shared: bool
    reflected_in: str
    reflected_paragraph_uid: str | None
    reflected_version_id: int | None
    decided_dt: datetime
    reflected_version: Version | None = None
    reflected_paragraph: Paragraph | None = None

    @property
    def is_linked(self) -> bool:
        return self.reflected_version_id is not None and self.reflected_paragraph_uid is not None


@dataclass(slots=True, eq=False)
class CommentRow(CommentState):
    """A submitted (or withdrawn) comment as the exports and the conflicts read it."""

    id: int
    consultation_id: int
    delegation_id: int
    kind: CommentKind
    paragraph_id: int | None
    paragraph_uid: str | None
    quote: str
    body: str
    proposed_text: str
    status: CommentStatus
    is_late: bool
    submitted_dt: datetime | None
    recorded_by_id: int | None
    recorded_source: str
    received_dt: datetime | None
    quote_language: str
    delegation: Delegation | None = None
    supporters: list[Delegation] = field(default_factory=list)
    decision: DecisionRow | None = None
    consultation: Consultation | None = None
    recorded_by: User | None = None  # loaded only for comments the secretariat recorded


_COMMENT_COLUMNS = (
    Comment.id,
    Comment.consultation_id,
    Comment.delegation_id,
    Comment.kind,
    Comment.paragraph_id,
    Comment.paragraph_uid,
    Comment.quote,
    Comment.body,
    Comment.proposed_text,
    Comment.status,
    Comment.is_late,
    Comment.submitted_dt,
    Comment.recorded_by_id,
    Comment.recorded_source,
    Comment.received_dt,
    Comment.quote_language,
)
_DECISION_COLUMNS = (
    Decision.comment_id,
    Decision.outcome,
    Decision.justification,
    Decision.is_shared,
    Decision.reflected_in,
    Decision.reflected_paragraph_uid,
    Decision.reflected_version_id,
    Decision.decided_dt,
)


def load_comment_rows(user: User, consultation: Consultation) -> list[CommentRow]:
    """Every comment of the round that ``user`` may see, except drafts, in the order they were
    submitted: four queries whatever the size of the round (six when decisions link to a
    paragraph), no ORM object per comment."""
    stmt = select(*_COMMENT_COLUMNS).where(
        Comment.consultation_id == consultation.id,
        Comment.status != CommentStatus.DRAFT,
        Comment.submitted_dt.is_not(None),
    )
    stmt = visible_comments(user, stmt, [consultation]).order_by(Comment.submitted_dt, Comment.id)
    rows = [CommentRow(*values) for values in db.session.execute(stmt)]
    if not rows:
        return rows
    by_id = {row.id: row for row in rows}
    of_round = Comment.consultation_id == consultation.id
    supports = db.session.execute(
        select(Support.comment_id, Support.delegation_id)
        .join(Comment, Comment.id == Support.comment_id)
        .where(of_round)
        # Co-sponsors who joined at the same instant (a bulk import) in the delegations' order.
        .order_by(Support.comment_id, Support.created_dt, Support.delegation_id)
    ).all()
    needed = {row.delegation_id for row in rows} | {d for _, d in supports}
    delegations = {
        d.id: d for d in db.session.scalars(select(Delegation).where(Delegation.id.in_(needed)))
    }
    recorders = {row.recorded_by_id for row in rows} - {None}
    people = (
        {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(recorders)))}
        if recorders
        else {}
    )
    for row in rows:
        row.delegation = delegations[row.delegation_id]
        row.consultation = consultation
        row.recorded_by = people.get(row.recorded_by_id)
    for comment_id, delegation_id in supports:
        if (row := by_id.get(comment_id)) is not None:
            row.supporters.append(delegations[delegation_id])
    decisions = db.session.execute(
        select(*_DECISION_COLUMNS).join(Comment, Comment.id == Decision.comment_id).where(of_round)
    )
    linked: list[DecisionRow] = []
    for comment_id, *values in decisions:
        if (row := by_id.get(comment_id)) is not None:
            row.decision = DecisionRow(*values)
            if row.decision.is_linked:
                linked.append(row.decision)
    _link_places(linked)
    return rows


def _link_places(decisions: list[DecisionRow]) -> None:
    """Give the decisions linked to a paragraph their version and paragraph, in two queries."""
    if not decisions:
        return
    version_ids = {d.reflected_version_id for d in decisions}
    versions = db.session.scalars(select(Version).where(Version.id.in_(version_ids)))
    by_id = {version.id: version for version in versions}
    uids = {d.reflected_paragraph_uid for d in decisions}
    found = db.session.scalars(
        select(Paragraph).where(Paragraph.version_id.in_(version_ids), Paragraph.uid.in_(uids))
    )
    paragraphs = {(p.version_id, p.uid): p for p in found}
    for decision in decisions:
        decision.reflected_version = by_id.get(decision.reflected_version_id)
        key = (decision.reflected_version_id, decision.reflected_paragraph_uid)
        decision.reflected_paragraph = paragraphs.get(key)
