"""The secretariat's decisions on submitted comments: record or change one (each change appended to
its history), and find the paragraph, in the consulted draft or a later one, that reflects it.
"""

from __future__ import annotations

import re

from drafting.audit.operations import record_event
from drafting.auth.models import User
from drafting.auth.policy import authorize
from drafting.consultations.checks import check_plain, check_text
from drafting.consultations.conflicts import find_conflicts
from drafting.consultations.models import Comment, Consultation, Decision, DecisionRevision, Outcome
from drafting.consultations.refusals import ConsultationError
from drafting.database import utcnow
from drafting.documents.models import Paragraph, Version
from drafting.extensions import N_, db

MAX_REFLECTED_LENGTH = 200
# "Leave as it is": the default of arguments that may also be set to None.
KEEP = object()


def record_decision(
    actor: User | None,
    comment: Comment,
    *,
    outcome: Outcome | str,
    justification: str = "",
    is_shared: bool = True,
    reflected_in: str = "",
    reflected_paragraph_uid: str | None | object = KEEP,
    reflected_version_id: int | None | object = KEEP,
    action: str | None = None,
) -> Decision:
    """Record (or change) what the secretariat did with a submitted comment.

    Where it is reflected is a link to a paragraph (``reflected_paragraph_uid`` in
    ``reflected_version_id``: see reflecting_paragraph), kept as it is unless given, and
    ``reflected_in`` an optional note. Every change appends the decision as it now stands to its
    history (DecisionRevision), so a decision replaced stays on record."""
    authorize(actor, "decision.record", comment)
    if not comment.is_submitted:
        raise ConsultationError("Only a submitted comment can be decided on.")
    try:
        outcome = Outcome(outcome)
    except ValueError:
        raise ConsultationError("Choose a decision from the list.") from None
    if outcome == Outcome.ACCEPTED and action != "applied":
        conflict = find_conflicts([comment]).get(comment.id)
        if conflict is not None and conflict.is_superseded:
            raise ConsultationError(
                f"{conflict.summary} It cannot be accepted: decide “superseded” or "
                "“not retained”, or another decision."
            )
    check_text(N_("The justification"), justification)
    check_plain(N_("“Reflected in”"), reflected_in)
    reflected_in = " ".join((reflected_in or "").split())
    if len(reflected_in) > MAX_REFLECTED_LENGTH:
        raise ConsultationError(
            f"“Reflected in” may have at most {MAX_REFLECTED_LENGTH} characters."
        )
    decision = comment.decision
    before = decision.outcome.value if decision else None
    if reflected_paragraph_uid is KEEP:
        reflected_paragraph_uid = decision.reflected_paragraph_uid if decision else None
    if reflected_version_id is KEEP:
        reflected_version_id = decision.reflected_version_id if decision else None
    if decision is None:
        decision = Decision(comment=comment, outcome=outcome, revision=1)
        db.session.add(decision)
        action = action or "recorded"
    else:
        decision.revision += 1
        action = action or "changed"
    decision.outcome = outcome
    decision.justification = justification or ""
    decision.is_shared = bool(is_shared)
    decision.reflected_in = reflected_in
    decision.reflected_paragraph_uid = reflected_paragraph_uid
    decision.reflected_version_id = reflected_version_id
    decision.decided_dt = utcnow()
    decision.decided_by_id = getattr(actor, "id", None)
    keep_decision_revision(decision, action)
    record_event(
        actor,
        "decision.recorded",
        comment,
        outcome=outcome.value,
        previous=before,
        revision=decision.revision,
        shared=decision.is_shared,
        reflected_in=reflected_in,
        reflected_paragraph=reflected_paragraph_uid,
        reflected_version=reflected_version_id,
        fingerprint=decision.fingerprint(),
    )
    return decision


def keep_decision_revision(decision: Decision, action: str) -> None:
    """Append the decision as it now stands to its history (append-only, by trigger)."""
    db.session.add(
        DecisionRevision(
            comment_id=decision.comment.id,
            revision=decision.revision,
            action=action,
            outcome=decision.outcome,
            justification=decision.justification,
            is_shared=decision.is_shared,
            reflected_in=decision.reflected_in,
            reflected_paragraph_uid=decision.reflected_paragraph_uid,
            reflected_version_id=decision.reflected_version_id,
            decided_dt=decision.decided_dt,
            decided_by_id=decision.decided_by_id,
        )
    )
    db.session.flush()
    # The link may have changed: read the paragraph and its version afresh when next asked.
    db.session.expire(decision, ["reflected_paragraph", "reflected_version"])
    db.session.expire(decision.comment, ["decision_revisions"])


def reflecting_versions(consultation: Consultation) -> list[Version]:
    """The versions a decision in ``consultation`` may be reflected in: the consulted one and
    every later one of the document, the newest first."""
    consulted = consultation.version
    versions = [v for v in consulted.document.versions if v.id >= consulted.id]
    return sorted(versions, key=lambda v: v.id, reverse=True)


def reflecting_paragraph(
    consultation: Consultation, version_id: int | None, label: str
) -> Paragraph:
    """The paragraph numbered ``label`` ("6", "PP6.", "(a)") in one of reflecting_versions, or
    a ConsultationError that says what to choose."""
    version = next((v for v in reflecting_versions(consultation) if v.id == version_id), None)
    if version is None:
        raise ConsultationError("Choose the draft in which the decision is reflected.")
    wanted = _label_key(label)
    found = [p for p in version.paragraphs if p.label and _label_key(p.label) == wanted]
    if not found:
        raise ConsultationError(
            f"{version.label} has no paragraph numbered “{label.strip()[:20]}”: type a number "
            f"as printed in {version.label}, or leave it empty."
        )
    return found[0]


def _label_key(label: str) -> str:
    """A label as typed or printed, without what people leave out: "PP6." is "pp6"."""
    return re.sub(r"[\s.*]", "", label or "").casefold()
