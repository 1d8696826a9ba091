"""Fixtures for the security tests: a small world with one object of every kind a URL can name,
and apps built with other settings (HTTPS only, behind proxies) on the same database."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from config import TestConfig
from drafting.api.models import ApiToken
from drafting.app import create_app
from drafting.extensions import db
from tests.conftest import FormClient
from tests.consultations import conftest as consultations
from tests.consultations.conftest import delegation, paragraph

people = consultations.people
published = consultations.published
open_round = consultations.open_round


@pytest.fixture
def world(people, published, open_round):
    """A published zero draft with an open round (AUT, PAK, TUR invited, comments open to all
    participants), AUT's draft comment, PAK's submitted amendment, a working draft, and an API
    token of AUT's delegate."""
    from drafting.consultations.commenting import create_comment
    from drafting.consultations.silence.operations import start_silence
    from drafting.documents.editing import open_working_draft

    consultation = open_round(visibility="open")

    def comment(user, kind, label=None, proposed="", submit=False):
        created, _ = create_comment(
            user,
            consultation,
            kind=kind,
            paragraph_uid=paragraph(published, label).uid if label else None,
            body="A reason.",
            proposed_text=proposed,
            form_token=uuid.uuid4().hex,
            submit=submit,
        )
        return created

    class World:
        document = published.document
        version = published
        round = consultation
        draft_comment = comment(people.aut, "general")
        amendment = comment(people.pak, "replace", "1.", "We affirm shared duties.", True)
        working = open_working_draft(people.secretariat, published, label="Draft 1")
        uid = paragraph(published, "1.").uid
        delegations = {code: delegation(code) for code in ("AUT", "PAK", "TUR", "GEO", "MDS")}
        silence = start_silence(
            None, published, deadline_dt=datetime.now(UTC) + timedelta(days=10), timezone="UTC"
        )

    World.people = people
    secret = "dft_" + uuid.uuid4().hex
    World.api_token = ApiToken(
        user=people.aut, name="Sweep", token_hash=ApiToken.hash_token(secret), prefix=secret[:8]
    )
    db.session.add(World.api_token)
    db.session.commit()
    return World


@pytest.fixture
def make_app(app, database_url):
    """Another app on the test database, with some settings changed: another instance of the
    service, as a second server behind a load balancer would be."""
    made = []

    def _make(**overrides):
        other = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=database_url, **overrides)
        other.test_client_class = FormClient
        made.append(other)
        return other

    yield _make
    for other in made:
        with other.app_context():
            db.engine.dispose()


def snapshot() -> dict[str, int]:
    """The row count of every table and the last audit event: what a refused request must
    leave as it was."""
    db.session.commit()
    counts = {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }
    audit = db.metadata.tables["audit_events"]
    counts["audit_events.max_id"] = db.session.scalar(select(func.max(audit.c.id))) or 0
    return counts
