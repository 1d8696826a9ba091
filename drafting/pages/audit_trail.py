"""Reading the audit trail: the secretariat's filters applied in SQL, a page of events, and the
same events as CSV and JSON files.

Every query here is one statement whatever the number of events, so the page and the exports
cost the same few queries for ten events or ten thousand.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from math import ceil
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, Text, and_, cast, func, or_, select
from sqlalchemy.orm import joinedload

from drafting.audit.models import AuditEvent
from drafting.auth.models import Delegation, User
from drafting.consultations.models import Comment, Consultation, Decision
from drafting.documents.models import Document, Paragraph, Version
from drafting.exports.spreadsheet import neutralise_formula
from drafting.extensions import db
from drafting.text.numbers import whole_number
from drafting.web import MAX_ID

PAGE_SIZE = 100
SYSTEM = "system"  # the actor filter's value for events no person caused (command line, jobs)
MAX_SEARCH = 200
# Dates outside these years mean a typing slip; refusing them also keeps every day's start and
# end, in any zone, inside what datetime can hold.
_FIRST_YEAR, _LAST_YEAR = 1970, 9998


class FilterError(ValueError):
    """A filter value that means nothing: the page says which, and shows no events."""


@dataclass(frozen=True)
class AuditFilters:
    """What the secretariat narrowed the trail to, read from the query string.

    Dates are whole days in ``zone`` (the reader's own time zone), both ends included.
    """

    action: str = ""
    actor: str = ""  # a user's id, SYSTEM, or "" for anyone
    object_type: str = ""
    document_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    text: str = ""
    zone: str = "UTC"

    @classmethod
    def from_args(cls, args: Mapping[str, str], zone: str) -> tuple[AuditFilters, list[str]]:
        """The filters, and a message for each value that cannot be used (that filter dropped)."""
        errors: list[str] = []
        actor = args.get("actor", "").strip()
        if actor and actor != SYSTEM and _positive_id(actor) is None:
            errors.append("“Person” must be one of the people listed.")
            actor = ""
        document_id = _positive_id(args.get("document", "").strip())
        if args.get("document", "").strip() and document_id is None:
            errors.append("“Document” must be one of the documents listed.")
        date_from = _day(args.get("from", ""), "From", errors)
        date_to = _day(args.get("to", ""), "To", errors)
        if date_from and date_to and date_from > date_to:
            errors.append("“From” must be the same day as “To” or earlier.")
        text = args.get("q", "").strip()
        if len(text) > MAX_SEARCH:
            errors.append(f"The search text may have at most {MAX_SEARCH} characters.")
            text = ""
        filters = cls(
            action=args.get("action", "").strip()[:64],
            actor=actor,
            object_type=args.get("object_type", "").strip()[:32],
            document_id=document_id,
            date_from=date_from,
            date_to=date_to,
            text=text,
            zone=zone,
        )
        return filters, errors

    def query_args(self) -> dict[str, str]:
        """The filters as query-string arguments, for links and forms that keep them."""
        args = {
            "action": self.action,
            "actor": self.actor,
            "object_type": self.object_type,
            "document": str(self.document_id or ""),
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
            "q": self.text,
        }
        return {name: value for name, value in args.items() if value}

    @property
    def active(self) -> bool:
        return bool(self.query_args())

    def conditions(self) -> list[ColumnElement[bool]]:
        """The WHERE clauses of these filters, for any statement over AuditEvent; never the
        events of a delegation's private drafts (see ``not_private_drafts``)."""
        where: list[ColumnElement[bool]] = [not_private_drafts()]
        if self.action:
            where.append(AuditEvent.action == self.action)
        if self.actor == SYSTEM:
            where.append(AuditEvent.actor_id.is_(None))
        elif self.actor:
            where.append(AuditEvent.actor_id == int(self.actor))
        if self.object_type:
            where.append(AuditEvent.object_type == self.object_type)
        if self.document_id is not None:
            where.append(_on_document(self.document_id))
        if self.date_from:
            where.append(AuditEvent.created_dt >= self._start_of(self.date_from))
        if self.date_to:
            where.append(AuditEvent.created_dt < self._start_of(self.date_to + timedelta(1)))
        if self.text:
            where.append(_details_contain(self.text))
        return where

    def _start_of(self, day: date) -> datetime:
        # A zone that skips midnight (Santiago, once) starts that day at the skipped instant.
        return datetime.combine(day, time(), tzinfo=ZoneInfo(self.zone)).astimezone(UTC)


def _positive_id(raw: str) -> int | None:
    return whole_number(raw, MAX_ID)


def _day(raw: str, name: str, errors: list[str]) -> date | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw) if len(raw) == 10 else None
    except ValueError:
        day = None
    if day is None or not _FIRST_YEAR <= day.year <= _LAST_YEAR:
        errors.append(f"“{name}” must be a date such as 2029-12-22.")
        return None
    return day


def _on_document(document_id: int) -> ColumnElement[bool]:
    """Events on the document, its versions and their paragraphs, its rounds of comments and
    their comments and decisions: object ids matched against subqueries, in one statement."""
    versions = select(Version.id).where(Version.document_id == document_id)
    consultations = select(Consultation.id).where(Consultation.version_id.in_(versions))
    comments = select(Comment.id).where(Comment.consultation_id.in_(consultations))
    owned = {
        "version": versions,
        "paragraph": select(Paragraph.id).where(Paragraph.version_id.in_(versions)),
        "consultation": consultations,
        "comment": comments,
        "decision": select(Decision.id).where(Decision.comment_id.in_(comments)),
    }
    return or_(
        and_(AuditEvent.object_type == "document", AuditEvent.object_id == document_id),
        *(
            and_(AuditEvent.object_type == kind, AuditEvent.object_id.in_(ids))
            for kind, ids in owned.items()
        ),
    )


def not_private_drafts() -> ColumnElement[bool]:
    """Every event but those about a comment its delegation has never submitted: until then it
    is the delegation's private draft, and what the trail would tell of it (that it exists, who
    wrote it, on which paragraph, of which kind) is the delegation's business alone. Once the
    comment is submitted its whole story is the secretariat's to read."""
    private = select(Comment.id).where(Comment.submitted_dt.is_(None))
    return or_(AuditEvent.object_type != "comment", AuditEvent.object_id.not_in(private))


def _like_escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _details_contain(text: str) -> ColumnElement[bool]:
    """Details whose JSON text contains ``text``, ignoring case. JSON is stored with non-ASCII
    characters and quotes escaped ("Côte" as "C\\u00f4te"), so the escaped form is sought too."""
    stored = cast(AuditEvent.details, Text)
    forms = {text, json.dumps(text)[1:-1]}
    return or_(*(stored.ilike(f"%{_like_escaped(form)}%", escape="\\") for form in forms))


# ---------------------------------------------------------------------------------------------
# The page


@dataclass(frozen=True)
class EventPage:
    events: list[AuditEvent]
    total: int
    number: int  # from 1
    size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.size))

    @property
    def first_index(self) -> int:
        return (self.number - 1) * self.size + 1 if self.events else 0

    @property
    def last_index(self) -> int:
        return (self.number - 1) * self.size + len(self.events)


def page_number(raw: str | None) -> int:
    if raw is None or raw.strip() == "":
        return 1
    number = _positive_id(raw.strip())
    if number is None:
        raise FilterError("“Page” must be a whole number from 1.")
    return number


def find_events(filters: AuditFilters, number: int, size: int = PAGE_SIZE) -> EventPage:
    """One page of the matching events, newest first, with their actors: two queries."""
    where = filters.conditions()
    total = db.session.scalar(select(func.count(AuditEvent.id)).where(*where)) or 0
    pages = max(1, ceil(total / size))
    if number > pages:
        raise FilterError(
            f"There is no page {number}: the events found fill {pages} "
            f"page{'s' if pages != 1 else ''}."
        )
    stmt = (
        _newest_first(select(AuditEvent).where(*where))
        .options(joinedload(AuditEvent.actor).joinedload(User.delegation))
        .offset((number - 1) * size)
        .limit(size)
    )
    return EventPage(list(db.session.scalars(stmt).unique()), total, number, size)


def _newest_first(stmt: Select) -> Select:
    return stmt.order_by(AuditEvent.created_dt.desc(), AuditEvent.id.desc())


@dataclass(frozen=True)
class FilterChoices:
    """What the filter form offers: only values present in the trail, and every document."""

    actions: list[str]
    object_types: list[str]
    actors: list[User]
    documents: list[Document]


def filter_choices() -> FilterChoices:
    shown = not_private_drafts()
    pairs = db.session.execute(
        select(AuditEvent.action, AuditEvent.object_type).where(shown).distinct()
    ).all()
    acting = select(AuditEvent.actor_id).where(AuditEvent.actor_id.is_not(None), shown)
    actors = db.session.scalars(
        select(User).where(User.id.in_(acting)).order_by(User.name, User.id)
    ).all()
    documents = db.session.scalars(select(Document).order_by(Document.title, Document.id)).all()
    return FilterChoices(
        actions=sorted({action for action, _ in pairs}),
        object_types=sorted({kind for _, kind in pairs}),
        actors=list(actors),
        documents=list(documents),
    )


def existing_objects(events: list[AuditEvent]) -> dict[str, dict[int, Any]]:
    """The documents, versions, rounds and comments the events name that still exist, by type
    and id: one query per type present on the page, so that each can be linked to its page."""
    models = {
        "document": select(Document),
        "version": select(Version),
        "consultation": select(Consultation),
        # The policy decides who sees a comment from its round, version and document.
        "comment": select(Comment).options(
            joinedload(Comment.consultation)
            .joinedload(Consultation.version)
            .joinedload(Version.document)
        ),
    }
    found: dict[str, dict[int, Any]] = {}
    for kind, stmt in models.items():
        ids = {e.object_id for e in events if e.object_type == kind and e.object_id is not None}
        if not ids:
            continue
        model = stmt.column_descriptions[0]["entity"]
        rows = db.session.scalars(stmt.where(model.id.in_(ids))).unique()
        found[kind] = {row.id: row for row in rows}
    return found


# ---------------------------------------------------------------------------------------------
# Exports


EXPORT_COLUMNS = (
    "id",
    "time_utc",
    "actor_email",
    "actor_delegation",
    "action",
    "object_type",
    "object_id",
    "details",
)


def export_rows(filters: AuditFilters) -> list[dict[str, Any]]:
    """Every matching event (all pages), newest first, as plain values: one query."""
    stmt = _newest_first(
        select(
            AuditEvent.id,
            AuditEvent.created_dt,
            User.email,
            Delegation.code,
            AuditEvent.action,
            AuditEvent.object_type,
            AuditEvent.object_id,
            AuditEvent.details,
        )
        .outerjoin(User, AuditEvent.actor_id == User.id)
        .outerjoin(Delegation, User.delegation_id == Delegation.id)
        .where(*filters.conditions())
    )
    return [
        {
            "id": row[0],
            "time_utc": utc_iso(row[1]),
            "actor_email": row[2] or "",
            "actor_delegation": row[3] or "",
            "action": row[4],
            "object_type": row[5],
            "object_id": row[6],
            "details": row[7] or {},
        }
        for row in db.session.execute(stmt)
    ]


def utc_iso(instant: datetime) -> str:
    return instant.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def build_csv(rows: list[dict[str, Any]]) -> bytes:
    """One row per event, details as JSON; UTF-8 with a byte-order mark so that Excel reads the
    accents, and no cell a spreadsheet would run as a formula."""
    output = io.StringIO()
    writer = csv.writer(output, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    for row in rows:
        cells = {**row, "details": _json(row["details"])}
        writer.writerow(neutralise_formula(_cell(cells[name])) for name in EXPORT_COLUMNS)
    return output.getvalue().encode("utf-8-sig")


def build_json(rows: list[dict[str, Any]], filters: AuditFilters) -> bytes:
    document = {"filters": filters.query_args(), "count": len(rows), "events": rows}
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _json(details: Any) -> str:
    return json.dumps(details, ensure_ascii=False, sort_keys=True)


def _cell(value: Any) -> str:
    return "" if value is None else str(value)
