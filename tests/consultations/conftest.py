"""Fixtures for rounds of comments: a published draft, people of several delegations, a round."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from drafting.auth.models import Delegation
from drafting.extensions import db
from tests.conftest import SAMPLE_DRAFT

DRAFT = SAMPLE_DRAFT  # the name the tests of rounds import it by


@pytest.fixture
def people(create_user):
    """One person per role: delegates of AUT (two), PAK and TUR, an observer of UNHCR, the
    chair (GEO) and the secretariat (MDS)."""

    class People:
        secretariat = create_user("secretariat", "MDS", kind="organisation")
        chair = create_user("chair", "GEO")
        aut = create_user("delegate", "AUT")
        aut2 = create_user("delegate", "AUT", email="second.delegate.aut@example.org")
        pak = create_user("delegate", "PAK")
        tur = create_user("delegate", "TUR")
        observer = create_user("observer", "UNHCR", kind="organisation")

    return People


def delegation(code: str) -> Delegation:
    return db.session.scalar(db.select(Delegation).where(Delegation.code == code))


@pytest.fixture
def published(create_document, people):
    """A document with one published version, AUT, PAK, TUR, GEO and UNHCR taking part."""
    participants = [delegation(c) for c in ("AUT", "PAK", "TUR", "GEO", "UNHCR")]
    document = create_document(("Zero draft", DRAFT, True), participants=participants)
    return document.versions[0]


@pytest.fixture
def open_round(app, published):
    """Open a round on the published version: open since an hour, closing in ``closes_in``."""
    from drafting.consultations import rounds

    def _open(
        *,
        closes_dt: datetime | None = None,
        opens_dt: datetime | None = None,
        timezone: str = "Europe/Vienna",
        invited: tuple[str, ...] = ("AUT", "PAK", "TUR"),
        visibility: str = "sealed",
        late_rule: str = "refuse",
        version=None,
    ):
        now = datetime.now(UTC)
        consultation = rounds.open_consultation(
            None,
            version or published,
            title="Comments on the zero draft",
            opens_dt=opens_dt or now - timedelta(hours=1),
            closes_dt=closes_dt or now + timedelta(days=10),
            timezone=timezone,
            invited=[delegation(c) for c in invited],
            visibility=visibility,
            late_rule=late_rule,
        )
        db.session.commit()
        return consultation

    return _open


def paragraph(version, label: str):
    """The paragraph of ``version`` printed with ``label`` ("1."), or the heading with that text."""
    for p in version.paragraphs:
        if p.label == label or p.text == label:
            return p
    raise LookupError(label)
