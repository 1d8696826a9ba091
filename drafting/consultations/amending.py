"""Where a draft meets the comments on it: applying a delegation's amendment to the working
draft, and, when that draft is published, the decisions following the paragraphs that reflect
them. Documents know nothing of comments; this module, in the domain above, joins the two."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from drafting.audit.operations import record_event
from drafting.auth.models import User
from drafting.auth.policy import authorize
from drafting.compare.rebase import rebase
from drafting.consultations.conflicts import ConflictKind, find_conflicts, proposed_wording
from drafting.consultations.decisions import keep_decision_revision, record_decision
from drafting.consultations.models import CommentKind, Decision, DecisionRevision, Outcome
from drafting.consultations.presenting import paragraph_name
from drafting.documents import editing, working_draft
from drafting.documents.models import Paragraph, Version
from drafting.documents.publishing import version_published
from drafting.documents.working_draft import EditError
from drafting.extensions import db
from drafting.text.draft_format import Block


class DecisionToReplace(EditError):
    """Applying an amendment that already has a decision, without confirming that this very
    decision (by its revision) is to be replaced. Carries it, to be shown before asking again."""

    def __init__(self, decision):
        super().__init__(
            f"{decision.comment.delegation.code}'s amendment already has a decision: "
            f"{decision.outcome.title.lower()}. Applying it replaces that decision; confirm first."
        )
        self.decision = decision


def apply_amendment(
    actor: User | None,
    version: Version,
    comment,
    *,
    base_revision: int | None = None,
    justification: str = "",
    replacing: int | None = None,
) -> Paragraph | None:
    """Apply a submitted replacement, insertion or deletion amendment to the working draft in
    one step, and record the decision on the comment ("accepted, reflected in …"), linked to
    the paragraph that reflects it. Returns that paragraph (None for a deletion).

    An amendment already decided on is applied only when ``replacing`` names the revision of
    its decision that the secretariat was shown (DecisionToReplace otherwise): the earlier
    decision stays in the decision's history, and a shared decision stays shared."""
    paragraphs = working_draft.begin_edit(actor, version)
    authorize(actor, "decision.record", comment)
    if comment.consultation.version.document_id != version.document_id:
        raise EditError("This comment is about another document.")
    if not comment.is_submitted:
        raise EditError(
            "Only a submitted amendment can be applied: this one was withdrawn or is still a "
            "draft of its delegation."
        )
    if comment.kind not in (CommentKind.REPLACE, CommentKind.INSERT, CommentKind.DELETE):
        raise EditError("This comment proposes no text to apply; record a decision on it instead.")
    decision = comment.decision
    if decision is not None and decision.reflected_version_id == version.id:
        raise EditError(f"This amendment has already been applied to {version.label}.")
    if decision is not None and decision.revision != replacing:
        raise DecisionToReplace(decision)
    who = comment.delegation.code
    conflict = find_conflicts([comment]).get(comment.id)
    if conflict is not None and conflict.is_superseded:
        raise EditError(
            f"{conflict.summary} Record a decision on it in the compilation instead: "
            "superseded, or not retained."
        )
    target = _amended_paragraph(paragraphs, comment, version)
    if comment.kind == CommentKind.REPLACE:
        if base_revision is not None:
            working_draft.check_revision(target, base_revision)
        block = editing.read_block(comment.proposed_text)
        if conflict is not None:
            # Another amendment of the round changed this paragraph first: only this one's own
            # word edits are made in the text as it now stands, never the text it replaced.
            consulted = comment.paragraph.text if comment.paragraph is not None else ""
            rebased = rebase(consulted, target.text, proposed_wording(comment))
            if rebased is None:
                raise EditError(
                    f"The words this amendment changes have been changed since "
                    f"{conflict.cause_name} was applied. Record a decision on it instead."
                )
            block = Block(block.kind, rebased, block.level, block.label, block.label_bold)
        if block.kind == "paragraph" and not target.is_heading:
            # New wording, not a new number: a label the delegation typed ("3." for what is
            # "(c)" here) would take the paragraph out of its series and renumber the rest.
            block = Block("paragraph", block.text, label=target.label, label_bold=target.label_bold)
        if target.is_heading and block.kind == "paragraph":
            block = Block(target.kind.value, block.text, level=target.level)
        working_draft.set_block(target, block)
        working_draft.touch(actor, target)
        reflected, where = target, f"{version.label}, {paragraph_name(target)}"
    elif comment.kind == CommentKind.INSERT:
        index = paragraphs.index(target) + 1
        if conflict is not None and conflict.kind == ConflictKind.FOLLOWS:
            # New paragraphs proposed after the same one come in the order they were applied.
            inserted = {c.decision.reflected_paragraph_uid for c in conflict.applied}
            while index < len(paragraphs) and paragraphs[index].uid in inserted:
                index += 1
        block = editing.labelled_for(
            editing.read_block(comment.proposed_text), [p.block for p in paragraphs], index
        )
        reflected = Paragraph.from_block(block, position=-1)
        working_draft.touch(actor, reflected, bump=False)
        reflected.version = version
        db.session.add(reflected)
        working_draft.reposition(version, [*paragraphs[:index], reflected, *paragraphs[index:]])
        where = f"{version.label}, {paragraph_name(reflected)} (new)"
    else:
        if base_revision is not None:
            working_draft.check_revision(target, base_revision)
        rest = [p for p in paragraphs if p is not target]
        if not any(not p.is_heading for p in rest):
            raise EditError("This deletion would leave the draft without any paragraph.")
        version.paragraphs.remove(target)
        db.session.delete(target)
        db.session.flush()
        working_draft.reposition(version, rest)
        reflected, where = None, f"{version.label}: {paragraph_name(target)} deleted"
    record_decision(
        actor,
        comment,
        # A new decision is internal until the draft is published (settle_reflections shares
        # it then): the delegations learn of it with the text that reflects it. One already
        # shared stays shared: it is never taken back from the delegations unseen.
        is_shared=decision is not None and decision.is_shared,
        outcome=Outcome.ACCEPTED,
        justification=justification,
        # The paragraph is linked and named by its number of the day; a deletion has none.
        reflected_in="" if reflected is not None else where[:200],
        reflected_paragraph_uid=reflected.uid if reflected is not None else None,
        reflected_version_id=version.id,
        action="applied",
    )
    record_event(
        actor,
        "amendment.applied",
        version,
        comment_id=comment.id,
        delegation=who,
        kind=comment.kind.value,
        uid=reflected.uid if reflected is not None else comment.paragraph_uid,
    )
    return reflected


def _amended_paragraph(paragraphs: Sequence[Paragraph], comment, version: Version) -> Paragraph:
    for paragraph in paragraphs:
        if paragraph.uid == comment.paragraph_uid:
            return paragraph
    old = comment.paragraph
    named = paragraph_name(old) if old is not None else "the paragraph"
    raise EditError(
        f"{named[:1].upper()}{named[1:]} (as numbered in {comment.consultation.version.label}) is "
        f"no longer in {version.label}: it was deleted or merged meanwhile, so this amendment "
        f"from {comment.delegation.code} cannot be applied. Record a decision on it in the "
        "compilation instead."
    )


def settle_reflections(actor: User | None, version: Version) -> int:
    """At publication, after renumbering: decisions reflected in this draft follow their
    paragraph through a merge (they are named by its current number wherever shown), and those
    recorded by applying an amendment are shared with the delegations. Each change is kept in
    the decision's history and is an audit event with the decision's new fingerprint. How many
    were changed."""
    decisions = db.session.scalars(
        select(Decision).where(Decision.reflected_version_id == version.id)
    ).all()
    by_uid = {p.uid: p for p in version.paragraphs}
    merged_into = {
        origin: p
        for p in version.paragraphs
        for origin in (p.derived_from or [])
        if origin != p.uid
    }
    # Only a decision that "Apply" made is shared with the published text: one the secretariat
    # recorded in the compilation, linked to this draft and kept internal, stays internal.
    current = {d.comment_id: d.revision for d in decisions}
    applied = {
        comment_id
        for comment_id, revision in db.session.execute(
            select(DecisionRevision.comment_id, DecisionRevision.revision).where(
                DecisionRevision.comment_id.in_(current), DecisionRevision.action == "applied"
            )
        )
        if current[comment_id] == revision
    }
    changed = 0
    for decision in decisions:
        before = (decision.is_shared, decision.reflected_paragraph_uid, decision.reflected_in)
        if decision.comment_id in applied:
            decision.is_shared = True
        uid = decision.reflected_paragraph_uid
        if uid is not None:
            paragraph = by_uid.get(uid) or merged_into.get(uid)
            if paragraph is None:
                decision.reflected_paragraph_uid = None
                decision.reflected_in = f"{version.label} (the paragraph was later removed)"
            else:
                decision.reflected_paragraph_uid = paragraph.uid
        if before != (decision.is_shared, decision.reflected_paragraph_uid, decision.reflected_in):
            decision.revision += 1
            keep_decision_revision(decision, "published")
            record_event(
                actor,
                "decision.settled",
                decision.comment,
                version=version.label,
                shared=decision.is_shared,
                reflected_in=decision.reflected_in,
                fingerprint=decision.fingerprint(),
            )
            changed += 1
    return changed


@version_published.connect
def _settle_on_publication(version: Version, actor: User | None) -> None:
    """Every publication settles the decisions reflected in the draft, in its transaction."""
    settle_reflections(actor, version)
