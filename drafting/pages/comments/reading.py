"""The consulted draft paragraph by paragraph, with beside each the comments the reader may see.

One query for all of them, narrowed by the policy in SQL, so that the page costs the same
number of queries for ten comments or five thousand. A long draft is read in parts
(documents.sections): the filters and the counts run over every comment, in SQL, but only the
part shown is loaded and rendered; the general comments are then a part of their own.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from flask import abort, render_template, request
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from drafting.auth.models import Delegation
from drafting.auth.policy import can
from drafting.consultations.comment_forms import ActionForm, WithdrawForm
from drafting.consultations.models import (
    AmendmentStance,
    Comment,
    CommentKind,
    CommentStatus,
    Consultation,
    Decision,
    Support,
)
from drafting.consultations.policy import visible_comments
from drafting.consultations.presenting import proposal_html
from drafting.consultations.queries import load_paragraphs
from drafting.documents.models import Paragraph
from drafting.documents.sections import Part, paragraph_parts, part_holding, part_numbered
from drafting.documents.translations import paragraphs_in, reading_language
from drafting.extensions import db
from drafting.pages.comments.blueprint import bp
from drafting.pages.comments.deadline import Deadline, reader_deadline
from drafting.pages.consultations import load_consultation
from drafting.web.parts import part_url_maker

GENERAL = "general"  # the part of the general comments, on a draft read in parts


@dataclass(slots=True)
class Shown:
    """A comment as the reader sees it on the draft page, with what the reader may do with it:
    asked of the policy once here rather than from the template, for thousands of comments."""

    comment: Comment
    proposal: Markup | None
    own: bool
    may_edit: bool
    may_support: bool
    supporting: bool
    may_take_stance: bool  # support or object (not co-sponsoring): consultations/stances.py
    stance: AmendmentStance | None  # the reader's delegation's, if stated
    decision: Decision | None
    ends_at_deadline: bool  # the countdown takes its Edit, Submit, Withdraw away at zero


def _own_stances(consultation: Consultation) -> dict[int, AmendmentStance]:
    """The reader's delegation's stances in the round, by amendment: one query."""
    rows = db.session.scalars(
        select(AmendmentStance)
        .join(Comment, Comment.id == AmendmentStance.comment_id)
        .where(
            Comment.consultation_id == consultation.id,
            AmendmentStance.delegation_id == current_user.delegation_id,
        )
    )
    return {row.comment_id: row for row in rows}


def _shown(comments, paragraph_by_uid: dict, deadline: Deadline, stances: dict) -> list[Shown]:
    user = current_user._get_current_object()
    mine = user.delegation_id
    shown = []
    for c in comments:
        own = c.delegation_id == mine
        others_amendment = not own and c.is_submitted and c.is_amendment
        proposal = None
        if c.is_amendment:
            proposal = proposal_html(c.kind, paragraph_by_uid.get(c.paragraph_uid), c.proposed_text)
        shown.append(
            Shown(
                comment=c,
                proposal=proposal,
                own=own,
                may_edit=own and can(user, "comment.edit_now", c),
                may_support=others_amendment and can(user, "comment.support_now", c),
                supporting=any(s.delegation_id == mine for s in c.supports),
                may_take_stance=others_amendment and can(user, "comment.take_stance", c),
                stance=stances.get(c.id),
                decision=c.decision if c.decision and can(user, "decision.view", c) else None,
                ends_at_deadline=not (c.is_draft and deadline.keeps_late_writes),
            )
        )
    return shown


@dataclass(frozen=True, slots=True)
class Filters:
    """What the reader chose to see: one delegation's comments, one kind, commented paragraphs."""

    delegation: Delegation | None
    kind: CommentKind | None
    only_commented: bool


def _filters(consultation: Consultation) -> Filters:
    code = request.args.get("delegation", "").strip()
    chosen = None
    if code:
        chosen = next((d for d in consultation.invited if d.code == code), None)
        if chosen is None:
            abort(400, description=f"“{code[:20]}” is not a delegation invited to this round.")
    raw_kind = request.args.get("kind", "").strip()
    kind = None
    if raw_kind:
        try:
            kind = CommentKind(raw_kind)
        except ValueError:
            abort(400, description=f"“{raw_kind[:20]}” is not a kind of comment.")
    return Filters(chosen, kind, request.args.get("only") == "commented")


def _filtered(stmt, consultation: Consultation, filters: Filters):
    if filters.delegation is not None:
        stmt = stmt.where(Comment.delegation_id == filters.delegation.id)
    if filters.kind is not None:
        stmt = stmt.where(Comment.kind == filters.kind)
    return visible_comments(current_user, stmt, [consultation])


def _comment_counts(consultation: Consultation, filters: Filters) -> dict[str | None, int]:
    """How many comments the reader sees on each paragraph (None: on the whole text), over
    the whole draft, filtered: one grouped query."""
    stmt = (
        select(Comment.paragraph_uid, func.count(Comment.id))
        .where(Comment.consultation_id == consultation.id)
        .group_by(Comment.paragraph_uid)
    )
    return dict(db.session.execute(_filtered(stmt, consultation, filters)).all())


@dataclass(frozen=True, slots=True)
class Reading:
    """Which part of the draft the page shows: ``part`` of ``parts`` (None with ``general``:
    the general comments alone), its paragraphs ``shown`` among those ``listed``."""

    parts: list[Part]
    part: Part | None
    listed: list[Paragraph]
    shown: list[Paragraph]
    general: bool

    @property
    def whole(self) -> bool:
        return len(self.parts) <= 1


def _reading(paragraphs: list[Paragraph], counts: dict, filters: Filters) -> Reading:
    listed = paragraphs
    if filters.only_commented:
        listed = [p for p in paragraphs if counts.get(p.uid)]
    parts = paragraph_parts(listed)
    raw, at = request.args.get("part"), request.args.get("at", "")
    if len(parts) > 1 and (raw == GENERAL or at == GENERAL):
        return Reading(parts, None, listed, [], True)
    part = part_numbered(parts, raw)
    if at.startswith("p-") and raw is None:
        index = next((i for i, p in enumerate(listed) if p.anchor == at), 0)
        part = part_holding(parts, index)
    if part is None and (parts or raw):
        abort(404)
    shown = part.items(listed) if part else []
    return Reading(parts, part, listed, shown, len(parts) <= 1)


def _visible_comments(
    consultation: Consultation, filters: Filters, reading: Reading
) -> list[Comment]:
    stmt = (
        select(Comment)
        .where(Comment.consultation_id == consultation.id)
        .options(
            # Joined, not "selectin": a select-in load asks again for every 500 comments, and
            # not at all when there are none, so the count of queries would vary.
            joinedload(Comment.supports).joinedload(Support.delegation),
            joinedload(Comment.decision),
            joinedload(Comment.updated_by),
            joinedload(Comment.recorded_by),
        )
        .order_by(Comment.created_dt, Comment.id)
    )
    if not reading.whole:  # the part's paragraphs only, or the general comments only
        uids = [p.uid for p in reading.shown]
        on_part = Comment.paragraph_uid.in_(uids)
        stmt = stmt.where(Comment.paragraph_uid.is_(None) if reading.general else on_part)
    return db.session.scalars(_filtered(stmt, consultation, filters)).unique().all()


def _own_drafts(consultation: Consultation) -> list[Comment]:
    return db.session.scalars(
        select(Comment)
        .where(
            Comment.consultation_id == consultation.id,
            Comment.delegation_id == current_user.delegation_id,
            Comment.status == CommentStatus.DRAFT,
        )
        # The decision too: the list asks the policy whether each draft may still change.
        .options(joinedload(Comment.updated_by), joinedload(Comment.decision))
        .order_by(Comment.created_dt, Comment.id)
    ).all()


def _part_counts(reading: Reading, counts: dict) -> dict[int, int]:
    return {
        part.number: sum(counts.get(p.uid, 0) for p in part.items(reading.listed))
        for part in reading.parts
    }


def _draft_page(
    consultation, filters: Filters, paragraphs, reading: Reading, counts, comments, languages
):
    """The draft page; ``languages``: the one it is read in ("" the original's) and all the
    version's, for the picker (a comment then quotes the language read)."""
    paragraph_by_uid = {p.uid: p for p in paragraphs}
    deadline = reader_deadline(consultation)
    by_uid: dict[str | None, list[Shown]] = defaultdict(list)
    stances = _own_stances(consultation) if current_user.delegation_id else {}
    for shown_comment in _shown(comments, paragraph_by_uid, deadline, stances):
        by_uid[shown_comment.comment.paragraph_uid].append(shown_comment)
    may_write = can(current_user, "comment.write", consultation)
    return render_template(
        "comments/draft.html",
        consultation=consultation,
        version=consultation.version,
        document=consultation.version.document,
        paragraphs=reading.shown,
        listed_count=len(reading.listed),
        paragraph_count=len(paragraphs),
        paragraph_by_uid=paragraph_by_uid,
        general=by_uid.get(None, []),
        general_count=counts.get(None, 0),
        reading=reading,
        part_counts=_part_counts(reading, counts),
        part_url=part_url_maker(),
        by_uid=by_uid,
        comment_count=sum(counts.values()),
        deadline=deadline,
        may_write=may_write,
        may_write_now=can(current_user, "comment.write_now", consultation),
        drafts=_own_drafts(consultation) if may_write else [],
        chosen=filters.delegation,
        kind=filters.kind,
        kinds=list(CommentKind),
        only_commented=filters.only_commented,
        filtered=bool(filters.delegation or filters.kind or filters.only_commented),
        action_form=ActionForm(formdata=None),
        withdraw_form=WithdrawForm(formdata=None),
        language=languages[0],
        languages=languages[1],
    )


@bp.route("/consultations/<id:consultation_id>/draft")
@login_required
def draft(consultation_id: int):
    consultation = load_consultation(consultation_id)
    filters = _filters(consultation)
    language, languages = reading_language(consultation.version, request.args.get("language"))
    paragraphs = paragraphs_in(consultation.version, language, load_paragraphs(consultation))
    counts = _comment_counts(consultation, filters)
    reading = _reading(paragraphs, counts, filters)
    comments = _visible_comments(consultation, filters, reading)
    return _draft_page(
        consultation, filters, paragraphs, reading, counts, comments, (language, languages)
    )
