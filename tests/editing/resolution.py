"""A declaration numbered the way resolutions are (PP1 … PP6, then 1. to 4. with sub-items (a)
to (d) under 2.), published, with a round of comments, and the next draft opened from it: the
fixtures of the numbering tests, in the editor and in Chromium."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from drafting.extensions import db
from tests.consultations.conftest import delegation

RESOLUTION = """# Declaration on Safe Routes

PP1 *Recalling* our earlier commitments,

PP2 *Reaffirming* the Charter,

PP3 *Acknowledging* the contribution of migration,

PP4 *Deeply concerned* by the loss of life,

PP5 *Noting* the pressure on reception systems,

PP6 *Resolved* to act together,

## Commitments

1. We affirm the principle of shared responsibility.

2. We undertake:

(a) to protect those in need;

(b) to share responsibility fairly;

(c) to inform migrants of the risks;

(d) to include migrants in our societies.

3. We will mobilise the resources needed.

4. We will meet again next year.
"""

# Every label of the zero draft, in order (None: the title, a heading).
LABELS = [None, "PP1", "PP2", "PP3", "PP4", "PP5", "PP6", None, "1.", "2."]
LABELS += ["(a)", "(b)", "(c)", "(d)", "3.", "4."]


@pytest.fixture
def resolution(create_document, people):
    """The published zero draft of the declaration, AUT, PAK and TUR taking part."""
    participants = [delegation(code) for code in ("AUT", "PAK", "TUR")]
    document = create_document(("Zero draft", RESOLUTION, True), participants=participants)
    return document.versions[0]


@pytest.fixture
def insertion_after_pp5(people, resolution):
    """PAK's submitted amendment in an open round: a new paragraph after PP5, without a label."""
    from drafting.consultations.commenting import create_comment
    from drafting.consultations.rounds import open_consultation

    now = datetime.now(UTC)
    consultation = open_consultation(
        None,
        resolution,
        title="Comments on the zero draft",
        opens_dt=now - timedelta(hours=1),
        closes_dt=now + timedelta(days=10),
        timezone="Europe/Vienna",
        invited=[delegation(code) for code in ("AUT", "PAK", "TUR")],
        visibility="sealed",
        late_rule="refuse",
    )
    comment, _created = create_comment(
        people.pak,
        consultation,
        kind="insert",
        paragraph_uid=by_label(resolution, "PP5").uid,
        body="Children deserve a mention.",
        proposed_text="*Mindful* of the needs of children on the move,",
        form_token=uuid.uuid4().hex,
        submit=True,
    )
    db.session.commit()
    return comment


@pytest.fixture
def next_draft(people, resolution):
    from drafting.documents.editing import open_working_draft

    draft = open_working_draft(people.secretariat, resolution, label="Draft 1")
    db.session.commit()
    return draft


def by_label(version, label: str):
    """The paragraph of ``version`` printed with ``label``."""
    (found,) = [p for p in version.paragraphs if p.label == label]
    return found


def labels_of(version) -> list[str | None]:
    db.session.expire(version, ["paragraphs"])
    return [p.label for p in version.paragraphs]
