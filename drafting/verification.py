"""What `drafting verify` checks beyond the audit chain itself: that the tables still say what
the chain recorded. An intruder with SQL can rewrite a published paragraph and recompute its
hash, or change a submitted comment, a decision, a submission time or a role, without touching
the trail; each of those rows is compared here with the fingerprint its latest event recorded.

- each published version: its hash recomputed from its paragraphs, against the hash stored with
  it and the one its "version.published" event recorded;
- each comment: its content against the fingerprint of its latest event that recorded one (every
  save, submission and withdrawal does); a comment submitted without any submission event;
- each decision: against the fingerprint of its latest "decision.*" event;
- each person: their role against the latest event that recorded one ("user.created", and any
  later change of role, which must record ``role=``);
- each adoption by silence procedure: its hash against its version's and the one its
  "version.adopted" event recorded.

Events recorded before fingerprints existed (migration 0007) cannot be compared; such rows are
counted as unchecked, not as tampered.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from drafting.audit.models import AuditEvent
from drafting.auth.models import User
from drafting.consultations.models import Comment, CommentStatus, Decision
from drafting.consultations.silence.models import Adoption
from drafting.documents.models import Version, VersionStatus
from drafting.extensions import db

# The events that record what a row should say, by the kind of row they are about.
_CONTENT_EVENTS = ("version.published",)
_DECISION_EVENTS = ("decision.recorded", "decision.settled")
_QUIET_USER_EVENTS = ("user.logged_in", "user.logged_out")


@dataclass(frozen=True)
class RowMismatch:
    """A row that differs from what the audit trail recorded of it."""

    what: str  # the object, as a person would name it
    detail: str

    def __str__(self) -> str:
        return f"{self.what}: {self.detail}"


@dataclass
class TableReport:
    checked: dict[str, int] = field(default_factory=dict)
    unchecked: dict[str, int] = field(default_factory=dict)
    mismatches: list[RowMismatch] = field(default_factory=list)


@dataclass
class _Recorded:
    """The latest event that recorded something of one row."""

    event_id: int
    action: str
    value: object


def _latest(actions_filter, key: str) -> tuple[dict[int, _Recorded], dict[int, _Recorded]]:
    """Per object id, the latest event carrying ``key`` in its details, and the latest event
    of those actions at all (to tell rows recorded before fingerprints from rows never
    recorded)."""
    with_value: dict[int, _Recorded] = {}
    any_event: dict[int, _Recorded] = {}
    stmt = (
        select(AuditEvent.id, AuditEvent.action, AuditEvent.object_id, AuditEvent.details)
        .where(actions_filter, AuditEvent.object_id.is_not(None))
        .order_by(AuditEvent.id)
    )
    for row in db.session.execute(stmt.execution_options(yield_per=1000)):
        details = row.details if isinstance(row.details, dict) else {}
        any_event[row.object_id] = _Recorded(row.id, row.action, None)
        if key in details:
            with_value[row.object_id] = _Recorded(row.id, row.action, details[key])
    return with_value, any_event


def _event(recorded: _Recorded) -> str:
    return f"event #{recorded.event_id} ({recorded.action})"


def _check_versions(report: TableReport) -> None:
    recorded, any_event = _latest(AuditEvent.action.in_(_CONTENT_EVENTS), "sha256")
    versions = db.session.scalars(
        select(Version)
        .options(selectinload(Version.paragraphs), selectinload(Version.document))
        .order_by(Version.id)
    ).all()
    published = unchecked = 0
    for version in versions:
        what = f"version #{version.id} “{version.label}” of “{version.document.title}”"
        seen = recorded.pop(version.id, None)
        if version.status != VersionStatus.PUBLISHED:
            if seen is not None:
                report.mismatches.append(
                    RowMismatch(what, f"{_event(seen)} recorded it published; it is not now")
                )
            continue
        published += 1
        computed = version.compute_hash()
        if seen is None and version.id in any_event:
            unchecked += 1  # its publication was recorded without the hash
        elif seen is None:
            report.mismatches.append(
                RowMismatch(what, "published, but no publication is in the audit trail")
            )
        elif seen.value != computed:
            report.mismatches.append(
                RowMismatch(
                    what,
                    f"its paragraphs hash to {computed}, not to the {seen.value} that "
                    f"{_event(seen)} recorded",
                )
            )
        if seen is not None and version.text_hash != seen.value:
            report.mismatches.append(
                RowMismatch(
                    what,
                    f"its stored hash {version.text_hash} is not the {seen.value} that "
                    f"{_event(seen)} recorded",
                )
            )
    for version_id, seen in recorded.items():
        report.mismatches.append(
            RowMismatch(f"version #{version_id}", f"{_event(seen)} recorded it; it is gone")
        )
    report.checked["published versions"] = published
    if unchecked:
        report.unchecked["published versions"] = unchecked


def _check_comments(report: TableReport) -> None:
    recorded, any_event = _latest(
        (AuditEvent.object_type == "comment") & AuditEvent.action.like("comment.%"),
        "fingerprint",
    )
    _, submissions = _latest(AuditEvent.action == "comment.submitted", "fingerprint")
    checked = unchecked = 0
    for comment in db.session.scalars(select(Comment).order_by(Comment.id)):
        what = f"comment #{comment.id} of {comment.delegation.code}"
        seen = recorded.pop(comment.id, None)
        was_submitted = comment.status != CommentStatus.DRAFT or comment.submitted_dt is not None
        if seen is None:
            if comment.id not in any_event:
                report.mismatches.append(RowMismatch(what, "it is not in the audit trail at all"))
            elif was_submitted and comment.id not in submissions:
                report.mismatches.append(
                    RowMismatch(what, "submitted, but no submission is in the audit trail")
                )
            else:
                unchecked += 1  # its events were recorded before fingerprints
            continue
        checked += 1
        if seen.value != comment.fingerprint():
            report.mismatches.append(
                RowMismatch(
                    what,
                    "its text, kind, paragraph, status, author or submission time is not what "
                    f"{_event(seen)} recorded",
                )
            )
    for comment_id, seen in recorded.items():
        report.mismatches.append(
            RowMismatch(f"comment #{comment_id}", f"{_event(seen)} recorded it; it is gone")
        )
    report.checked["comments"] = checked
    if unchecked:
        report.unchecked["comments"] = unchecked


def _check_decisions(report: TableReport) -> None:
    recorded, any_event = _latest(AuditEvent.action.in_(_DECISION_EVENTS), "fingerprint")
    checked = unchecked = 0
    decisions = db.session.scalars(
        select(Decision).options(selectinload(Decision.comment)).order_by(Decision.id)
    )
    for decision in decisions:
        what = f"the decision on comment #{decision.comment_id}"
        seen = recorded.pop(decision.comment_id, None)
        if seen is None:
            if decision.comment_id in any_event:
                unchecked += 1
            else:
                report.mismatches.append(RowMismatch(what, "no decision is in the audit trail"))
            continue
        checked += 1
        if seen.value != decision.fingerprint():
            report.mismatches.append(
                RowMismatch(
                    what,
                    "its outcome, justification, sharing, place or time is not what "
                    f"{_event(seen)} recorded",
                )
            )
    for comment_id, seen in recorded.items():
        report.mismatches.append(
            RowMismatch(
                f"the decision on comment #{comment_id}", f"{_event(seen)} recorded it; it is gone"
            )
        )
    report.checked["decisions"] = checked
    if unchecked:
        report.unchecked["decisions"] = unchecked


def _check_roles(report: TableReport) -> None:
    recorded, _ = _latest(
        (AuditEvent.object_type == "user") & AuditEvent.action.not_in(_QUIET_USER_EVENTS),
        "role",
    )
    checked = 0
    for user in db.session.scalars(select(User).order_by(User.id)):
        what = f"{user.email} (person #{user.id})"
        seen = recorded.get(user.id)
        checked += 1
        if seen is None:
            report.mismatches.append(RowMismatch(what, "no role of theirs is in the audit trail"))
        elif seen.value != user.role.value:
            report.mismatches.append(
                RowMismatch(
                    what, f"their role is {user.role.value}, not the {seen.value} of {_event(seen)}"
                )
            )
    report.checked["people's roles"] = checked


def _check_adoptions(report: TableReport) -> None:
    recorded, _ = _latest(AuditEvent.action == "version.adopted", "text_hash")
    checked = 0
    for adoption in db.session.scalars(select(Adoption).order_by(Adoption.id)):
        checked += 1
        version = adoption.version
        what = f"the adoption of version #{version.id} “{version.label}”"
        seen = recorded.get(version.id)
        if seen is None:
            report.mismatches.append(RowMismatch(what, "no adoption is in the audit trail"))
        elif seen.value != adoption.text_hash:
            report.mismatches.append(
                RowMismatch(
                    what, f"its hash {adoption.text_hash} is not the {seen.value} of {_event(seen)}"
                )
            )
        if adoption.text_hash != version.text_hash:
            report.mismatches.append(
                RowMismatch(what, f"its hash is not its version's, {version.text_hash}")
            )
    report.checked["adoptions"] = checked


def verify_tables() -> TableReport:
    """Compare the published versions, comments, decisions and roles with the trail."""
    report = TableReport()
    _check_versions(report)
    _check_comments(report)
    _check_decisions(report)
    _check_roles(report)
    _check_adoptions(report)
    return report
