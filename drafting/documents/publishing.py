"""Publishing a working draft: the numbering check shown before it is confirmed, the renumbering,
the freeze and the hash, then the signal to the domains above and the announcement to every
participant, all in the request's transaction."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from blinker import Namespace
from sqlalchemy import inspect, select

from drafting.audit.models import AuditEvent
from drafting.audit.operations import record_event
from drafting.auth.models import User
from drafting.auth.policy import authorize
from drafting.database import lock_row, utcnow
from drafting.documents.announcing import announce_version
from drafting.documents.models import Paragraph, Version, VersionStatus
from drafting.documents.numbering import NumberingProblem, numbering_problems, renumber
from drafting.documents.operations import DocumentError, check_label
from drafting.documents.statuses import carry_statuses
from drafting.extensions import db
from drafting.text.draft_format import forbidden_markup

# Sent inside the publishing transaction, after the renumbering and before the mail, with the
# actor: the domain above (consultations) settles there what it holds about the draft's
# paragraphs, so that a draft need not know who commented on it.
version_published = Namespace().signal("version-published")
MAX_NOTE_LENGTH = 5000


class PublicationError(DocumentError):
    """A publication refused because of what was typed; ``field`` names it ("label", "note")."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field


# Characters a person cannot type; PostgreSQL refuses NUL (the request refuses it first).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def apply_numbering(version: Version) -> int:
    """Give the working draft's paragraphs their numbers in their present order (see
    documents.numbering); how many labels changed. A changed paragraph gets a new revision,
    so that an editor's save made from the old one is refused rather than undoing it."""
    if version.is_published:
        raise DocumentError(f"{version.label} is published: its numbering cannot change.")
    changed = 0
    for paragraph, label in zip(version.paragraphs, renumber(version.blocks), strict=True):
        if paragraph.label != label:
            paragraph.label = label
            paragraph.revision = (paragraph.revision or 1) + 1
            changed += 1
    return changed


@dataclass(frozen=True)
class NumberingCheck:
    """What publication will do to a working draft's numbers, shown before it is confirmed:
    each label that changes, and what would be wrong with the result (a label printed twice
    in one list, a paragraph left unnumbered among numbered ones)."""

    renumbers: bool  # False: an imported file published with its numbers as printed
    changes: list[tuple[Paragraph, str | None, str | None]]  # paragraph, label now, published
    problems: list[tuple[Paragraph, NumberingProblem]]

    @property
    def refusal(self) -> str | None:
        """Why publication is refused unless the problems are accepted (None: nothing to fix).
        An imported file keeps its numbers as printed: its problems are shown, not refused."""
        if not self.renumbers or not self.problems:
            return None
        count = len(self.problems)
        first = self.problems[0][1].message
        return (
            f"Nothing was published: the numbering check found {count} problem"
            f"{'s' if count != 1 else ''}, listed above. The first: {first} Correct the draft "
            "in the editor, or tick the box to publish these labels as they are."
        )


def numbering_check(version: Version, *, renumbering: bool | None = None) -> NumberingCheck:
    """The numbering check of a working draft: the labels it will be published with and their
    problems. A paragraph that was already unnumbered in the draft it was made from is no
    accident (a closing paragraph, a continuation), so only new ones are reported."""
    if renumbering is None:
        renumbering = edited_in_the_service(version)
    paragraphs = list(version.paragraphs)
    blocks = [p.block for p in paragraphs]
    labels = renumber(blocks) if renumbering else [b.label for b in blocks]
    published = [replace(b, label=label) for b, label in zip(blocks, labels, strict=True)]
    previous = version.based_on.paragraphs if version.based_on is not None else []
    unnumbered_before = {p.uid for p in previous if p.label is None}
    problems = [
        (paragraphs[problem.index], problem)
        for problem in numbering_problems(published)
        if not (problem.kind == "unnumbered" and paragraphs[problem.index].uid in unnumbered_before)
    ]
    changes = [
        (p, p.label, label) for p, label in zip(paragraphs, labels, strict=True) if p.label != label
    ]
    return NumberingCheck(renumbering, changes, problems)


def _check_publication_label(version: Version, label: str | None) -> str:
    """The label the version is published under: its own, or a new one no other version has."""
    if label is None:
        return version.label
    normalised = " ".join(label.split())
    if normalised.lower() == version.label.lower() and normalised:
        return normalised  # the same label, perhaps with other capitals
    try:
        return check_label(version.document, normalised)
    except DocumentError as exc:
        raise PublicationError(str(exc), field="label") from None


def _check_note(note: str | None) -> str:
    """The note to the delegations: plain Markdown of a reasonable length, or a refusal."""
    note = (note or "").replace("\r\n", "\n").strip()
    if len(note) > MAX_NOTE_LENGTH:
        raise PublicationError(
            f"The note is {len(note):,} characters long; it may have at most "
            f"{MAX_NOTE_LENGTH:,}. Shorten it, or put the explanations in the draft's cover.",
            field="note",
        )
    if _CONTROL.search(note):
        raise PublicationError(
            "The note contains an invisible control character, probably from a copy and paste. "
            "Remove it and publish again.",
            field="note",
        )
    reason = forbidden_markup(note)
    if reason:
        raise PublicationError(f"The note {reason}.", field="note")
    return note


def edited_in_the_service(version: Version) -> bool:
    """Whether the draft's numbering is the service's to recompute: a draft made or changed in
    the service (paragraphs inserted, deleted, moved, split, merged, amended) is renumbered at
    publication; a file imported as it is keeps the numbers it was printed with. The audit
    trail is the record of which it is."""
    actions = set(
        db.session.scalars(
            select(AuditEvent.action).where(
                AuditEvent.object_type == "version", AuditEvent.object_id == version.id
            )
        )
    )
    imported = {action for action in actions if action.startswith("version.imported")}
    return not imported or bool(actions - imported)


def publish_version(
    actor: User | None,
    version: Version,
    *,
    label: str | None = None,
    note: str | None = "",
    renumber: bool | None = None,
    accept_numbering: bool = False,
) -> Version:
    """Freeze a working version: from now on neither it nor its paragraphs may change.

    Optionally under a new ``label`` (e.g. "Draft 2") and with a ``note`` to the delegations.
    The paragraphs are renumbered first (an edited draft's numbers have gaps and repeats), so
    the hash fixes the text as published; ``renumber`` left None renumbers a draft edited in
    the service and keeps an untouched imported file as printed. A renumbered draft whose
    numbering check finds a label printed twice or a new unnumbered paragraph among numbered
    ones is refused unless ``accept_numbering`` says so. Every participant is told through the
    outbox.
    """
    _lock_for_publication(version)
    if version.is_published:
        raise DocumentError(f"{version.label} is already published.")
    authorize(actor, "version.publish", version)
    if not any(not p.is_heading for p in version.paragraphs):
        raise DocumentError(
            f"An empty draft cannot be published: {version.label} has no paragraph, only a "
            "title or headings. Add its paragraphs first; nothing was published."
        )
    new_label = _check_publication_label(version, label)
    note = _check_note(note)
    if renumber is None:
        renumber = edited_in_the_service(version)
    check = numbering_check(version, renumbering=renumber)
    if check.refusal and not accept_numbering:
        raise PublicationError(check.refusal, field="accept_numbering")
    renumbered = apply_numbering(version) if renumber else 0
    # The new labels are stored while the version is still a working draft: the model and the
    # database refuse any change to a paragraph once its version is published.
    db.session.flush()
    previous_label = version.label
    version.label = new_label
    version.note = note
    version.text_hash = version.compute_hash()
    version.status = VersionStatus.PUBLISHED
    version.published_dt = utcnow()
    version.published_by_id = getattr(actor, "id", None)
    details = {"label": version.label, "sha256": version.text_hash, "renumbered": renumbered}
    if previous_label != version.label:
        details["previous_label"] = previous_label
    if note:
        details["note"] = note
    if check.changes:
        details["relabelled"] = [
            f"{old or '—'} → {new or '—'}" for _p, old, new in check.changes[:200]
        ]
    if check.problems and accept_numbering:
        details["numbering_accepted"] = [problem.message for _p, problem in check.problems]
    carry_statuses(actor, version)
    version_published.send(version, actor=actor)
    record_event(actor, "version.published", version, **details)
    announce_version(version)
    return version


def _lock_for_publication(version: Version) -> None:
    """Take the draft's row lock, as every edit does (working_draft.begin_edit), and read its
    state and paragraphs afresh: an edit saved while publishing is either in the hash or
    refused."""
    if inspect(version).pending:
        return
    lock_row(version)
    db.session.expire(version, ["paragraphs"])
