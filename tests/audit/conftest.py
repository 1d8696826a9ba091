"""Fixtures for the audit page: people of each role and a trail made by real operations."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from drafting.audit.models import AuditEvent
from drafting.auth.models import Delegation
from drafting.extensions import db
from tests.conftest import SAMPLE_DRAFT
from tests.consultations.conftest import people  # noqa: F401 - the one set of people


@dataclass
class Trail:
    """Two documents with their events: one with a round and a submitted comment."""

    routes: object  # the document with the round
    other: object
    consultation: object
    comment: object

    def ids(self, **where) -> set[int]:
        """The ids of the events matching ``where`` (column == value)."""
        stmt = db.select(AuditEvent.id)
        for column, value in where.items():
            stmt = stmt.where(getattr(AuditEvent, column) == value)
        return set(db.session.scalars(stmt))


@pytest.fixture
def trail(app, people, create_document) -> Trail:  # noqa: F811
    from drafting.consultations import commenting, rounds

    codes = ("AUT", "GEO", "UNHCR")
    participants = [
        db.session.scalar(db.select(Delegation).where(Delegation.code == c)) for c in codes
    ]
    routes = create_document(
        ("Zero draft", SAMPLE_DRAFT, True),
        title="Declaration on Safe Routes",
        participants=participants,
    )
    other = create_document(("Zero draft", SAMPLE_DRAFT, False), title="Another Declaration")
    now = datetime.now(UTC)
    consultation = rounds.open_consultation(
        people.secretariat,
        routes.versions[0],
        title="Comments on the zero draft",
        opens_dt=now - timedelta(hours=1),
        closes_dt=now + timedelta(days=10),
        timezone="Europe/Vienna",
        invited=participants[:1],
        visibility="open",
    )
    comment, _ = commenting.create_comment(
        people.aut, consultation, kind="general", body="A general remark.", submit=True
    )
    db.session.commit()
    return Trail(routes=routes, other=other, consultation=consultation, comment=comment)


def record(actor, action: str, target=None, at: datetime | None = None, **details) -> AuditEvent:
    """An event written directly, optionally at a given instant (before it is ever stored)."""
    from drafting.audit.operations import record_event

    event = record_event(actor, action, target, **details)
    if at is not None:
        event.created_dt = at
    db.session.commit()
    return event


def shown(html: str) -> list[int]:
    """The ids of the events listed in the page, in order."""
    return [int(i) for i in re.findall(r'data-event="(\d+)"', html)]
