"""Paragraph status: pending, agreed ad referendum or agreed, marked by the chair or the
secretariat on a version's paragraphs (see ParagraphStatus)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from drafting.audit.operations import record_event
from drafting.auth.models import User
from drafting.auth.policy import authorize
from drafting.database import utcnow
from drafting.documents.models import AgreementStatus, Paragraph, ParagraphStatus, Version
from drafting.documents.operations import DocumentError
from drafting.extensions import db

MAX_STATUS_NOTE = 500
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class StatusError(DocumentError):
    """A marking refused because of what was chosen or typed; the message says what to do."""


def statuses_of(
    version: Version, uids: Collection[str] | None = None
) -> dict[str, ParagraphStatus]:
    """The recorded status of each paragraph uid of the version (a uid absent is pending);
    of those paragraphs only, with ``uids``."""
    query = db.select(ParagraphStatus).where(ParagraphStatus.version_id == version.id)
    if uids is not None:
        query = query.where(ParagraphStatus.paragraph_uid.in_(uids))
    return {row.paragraph_uid: row for row in db.session.scalars(query)}


def _paragraphs_of(version: Version, uids: Collection[str] | None) -> list[Paragraph]:
    """The version's paragraphs in order; only those of ``uids`` (a query, not the whole
    version loaded), with them."""
    if uids is None:
        return version.paragraphs
    query = db.select(Paragraph).where(Paragraph.version_id == version.id, Paragraph.uid.in_(uids))
    return list(db.session.scalars(query.order_by(Paragraph.position)))


def status_of(statuses: dict[str, ParagraphStatus], uid: str) -> AgreementStatus:
    row = statuses.get(uid)
    return row.status if row is not None else AgreementStatus.PENDING


def status_counts(version: Version) -> Counter[AgreementStatus]:
    """How many of the version's numbered paragraphs (not headings) have each status."""
    statuses = statuses_of(version)
    return Counter(status_of(statuses, p.uid) for p in version.paragraphs if not p.is_heading)


def set_paragraph_status(
    actor: User, version: Version, paragraph: Paragraph, status: AgreementStatus, note: str = ""
) -> ParagraphStatus:
    """Mark a paragraph of the version; flushes, the request commits."""
    authorize(actor, "paragraph.mark", version)
    note = check_status_note(note)
    if paragraph.is_heading:
        raise StatusError(
            "A heading has no status of its own: mark the paragraphs under it instead."
        )
    row = db.session.scalar(
        db.select(ParagraphStatus).where(
            ParagraphStatus.version_id == version.id,
            ParagraphStatus.paragraph_uid == paragraph.uid,
        )
    )
    before = row.status if row is not None else AgreementStatus.PENDING
    if row is None:
        row = ParagraphStatus(version_id=version.id, paragraph_uid=paragraph.uid, status=status)
        db.session.add(row)
    row.status, row.note, row.set_by_id = status, note, actor.id
    row.set_dt = utcnow()  # a later edit of the paragraph resets what was marked before it
    row.carried_from_version_id = None
    row.reset_from = None
    db.session.flush()
    record_event(
        actor,
        "paragraph.status",
        version,
        paragraph_uid=paragraph.uid,
        label=paragraph.label,
        before=before.value,
        after=status.value,
    )
    return row


def check_status_note(note: str | None) -> str:
    """The chair's note on a marking: one short line of plain text, or a refusal."""
    note = " ".join((note or "").split())
    if len(note) > MAX_STATUS_NOTE:
        raise StatusError(
            f"The note is {len(note):,} characters long; it may have at most {MAX_STATUS_NOTE}. "
            "Shorten it: the note stands beside the paragraph."
        )
    if _CONTROL.search(note):
        raise StatusError(
            "The note contains an invisible control character, probably from a copy and paste. "
            "Remove it and mark the paragraph again."
        )
    return note


def set_paragraph_statuses(
    actor: User,
    version: Version,
    uids: Sequence[str],
    status: AgreementStatus,
    note: str = "",
) -> list[ParagraphStatus]:
    """Mark several paragraphs at once (the bulk form): every one or, when a uid is not a
    paragraph of the version, none."""
    authorize(actor, "paragraph.mark", version)
    by_uid = {p.uid: p for p in version.paragraphs if not p.is_heading}
    chosen = list(dict.fromkeys(uids))
    if not chosen:
        raise StatusError("Nothing was marked: tick the paragraphs to mark first.")
    missing = [uid for uid in chosen if uid not in by_uid]
    if missing:
        raise StatusError(
            f"Nothing was marked: {len(missing)} of the paragraphs chosen "
            f"{'is' if len(missing) == 1 else 'are'} not a paragraph of {version.label} any "
            "more. Reload the draft and choose again."
        )
    return [set_paragraph_status(actor, version, by_uid[uid], status, note) for uid in chosen]


@dataclass(frozen=True)
class StatusMark:
    """What a reader sees beside a paragraph: its status, the chair's note, and where the status
    came from (carried over from an earlier draft, or reset there because the text changed)."""

    status: AgreementStatus = AgreementStatus.PENDING
    note: str = ""
    carried_from: str | None = None  # the label of the draft the status was carried from
    reset_from: AgreementStatus | None = None
    reset_in: str | None = None  # the label of the draft where it had ``reset_from``

    @property
    def name(self) -> str:
        """The status as negotiators say it: "pending", "agreed ad ref.", "agreed"."""
        return self.status.title.lower()

    @property
    def reset_reason(self) -> str | None:
        """Why a paragraph is pending again: "was agreed ad ref. in Draft 1; text changed"."""
        if self.reset_from is None:
            return None
        where = f" in {self.reset_in}" if self.reset_in else ""
        return f"was {self.reset_from.title.lower()}{where}; text changed"

    @property
    def printed(self) -> str | None:
        """The margin tag of the Word and PDF copies ("[agreed ad ref.]"); None: no tag."""
        if self.reset_from is not None:
            return f"[pending: {self.reset_reason}]"
        if self.status is AgreementStatus.PENDING:
            return None
        return f"[{self.name}]"


@dataclass(frozen=True)
class _Settled:
    status: AgreementStatus
    note: str = ""
    carried_from_version_id: int | None = None
    reset_from: AgreementStatus | None = None
    set_by_id: int | None = None


def _marked_here(row: ParagraphStatus) -> bool:
    return row.carried_from_version_id is None and row.reset_from is None


def _settle(version: Version, uids: Collection[str] | None = None) -> dict[str, _Settled]:
    """Each paragraph's status as the draft's text now stands: a status marked on this version
    holds until its paragraph is edited after the marking; otherwise the status of the version
    it is based on is carried while the paragraph's text is the same, and reset to pending
    (keeping the earlier status) when it changed. With ``uids``, of those paragraphs only."""
    rows = statuses_of(version, uids)
    earlier = version.based_on
    earlier_rows = statuses_of(earlier, uids) if earlier is not None else {}
    earlier_texts = (
        {p.uid: (p.kind, p.text) for p in _paragraphs_of(earlier, uids)} if earlier else {}
    )
    settled: dict[str, _Settled] = {}
    for paragraph in _paragraphs_of(version, uids):
        if paragraph.is_heading:
            continue
        row = rows.get(paragraph.uid)
        if row is not None and _marked_here(row):
            edited = paragraph.edited_dt is not None and paragraph.edited_dt > row.set_dt
            if edited and row.status is not AgreementStatus.PENDING:
                settled[paragraph.uid] = _Settled(AgreementStatus.PENDING, reset_from=row.status)
            else:
                settled[paragraph.uid] = _Settled(row.status, row.note, None, None, row.set_by_id)
            continue
        before = earlier_rows.get(paragraph.uid)
        if before is None or before.status is AgreementStatus.PENDING:
            continue
        if earlier_texts.get(paragraph.uid) == (paragraph.kind, paragraph.text):
            settled[paragraph.uid] = _Settled(
                before.status, before.note, earlier.id, None, before.set_by_id
            )
        else:
            settled[paragraph.uid] = _Settled(AgreementStatus.PENDING, reset_from=before.status)
    return settled


def carry_statuses(actor: User | None, version: Version) -> None:
    """Store each paragraph's settled status (see _settle): when a draft is made from a
    published version and again when it is published. Flushes; audited when anything changed."""
    settled = _settle(version)
    rows = statuses_of(version)
    carried, reset = [], []
    for uid, row in rows.items():
        if uid not in settled:
            db.session.delete(row)
    for paragraph in version.paragraphs:
        state = settled.get(paragraph.uid)
        if state is None:
            continue
        row = rows.get(paragraph.uid)
        if row is None:
            row = ParagraphStatus(version_id=version.id, paragraph_uid=paragraph.uid)
            db.session.add(row)
        elif (row.status, row.carried_from_version_id, row.reset_from) == (
            state.status,
            state.carried_from_version_id,
            state.reset_from,
        ):
            continue
        row.status, row.note, row.set_by_id = state.status, state.note, state.set_by_id
        row.carried_from_version_id = state.carried_from_version_id
        row.reset_from = state.reset_from
        named = paragraph.label or paragraph.uid
        (reset if state.reset_from is not None else carried).append(named)
    db.session.flush()
    if carried or reset:
        based_on = version.based_on.label if version.based_on else None
        record_event(
            actor,
            "paragraph.statuses_carried",
            version,
            based_on=based_on,
            carried=carried,
            reset=reset,
        )


def marks_of(version: Version, uids: Collection[str] | None = None) -> dict[str, StatusMark]:
    """What to show beside each paragraph of the version (a uid absent: plain pending). A
    working draft's are worked out afresh from its text, so that an edit shows its reset at
    once; a published version's are as stored. With ``uids``, of those paragraphs only: what
    the editor's one row needs costs the same in a draft of 10 and of 1,000 paragraphs."""
    if version.is_published:
        settled = {
            uid: _Settled(r.status, r.note, r.carried_from_version_id, r.reset_from, r.set_by_id)
            for uid, r in statuses_of(version, uids).items()
        }
    else:
        settled = _settle(version, uids)
    earlier = version.based_on
    earlier_rows = statuses_of(earlier, uids) if earlier is not None and settled else {}
    marks = {}
    for uid, state in settled.items():
        carried_from = None
        if state.carried_from_version_id is not None:
            source = db.session.get(Version, state.carried_from_version_id)
            carried_from = source.label if source is not None else None
        reset_in = None
        if state.reset_from is not None:
            came_from_earlier = status_of(earlier_rows, uid) is state.reset_from
            reset_in = earlier.label if came_from_earlier and earlier else version.label
        marks[uid] = StatusMark(state.status, state.note, carried_from, state.reset_from, reset_in)
    return marks


def count_line(version: Version) -> str:
    """The document page's summary: "3 of 12 paragraphs agreed (2 ad ref.)"."""
    marks = marks_of(version)
    paragraphs = [p for p in version.paragraphs if not p.is_heading]
    statuses = Counter(marks.get(p.uid, StatusMark()).status for p in paragraphs)
    agreed = statuses[AgreementStatus.AGREED] + statuses[AgreementStatus.AD_REFERENDUM]
    noun = "paragraph" if len(paragraphs) == 1 else "paragraphs"
    return (
        f"{agreed} of {len(paragraphs)} {noun} agreed "
        f"({statuses[AgreementStatus.AD_REFERENDUM]} ad ref.)"
    )


def status_tags(version: Version) -> list[str | None]:
    """The margin tag of each of the version's blocks in order, for the Word and PDF copies."""
    marks = marks_of(version)
    return [
        mark.printed if (mark := marks.get(p.uid)) is not None else None for p in version.paragraphs
    ]
