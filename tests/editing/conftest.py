"""Fixtures for the working-draft editor: a published draft with a round of comments and
amendments from AUT and PAK, and a working draft opened from it."""

from __future__ import annotations

import uuid

import pytest

from drafting.extensions import db
from tests.consultations import conftest as consultations
from tests.consultations.conftest import DRAFT, delegation, paragraph  # noqa: F401 - for tests

# The fixtures of the consultation tests, shared here.
people = consultations.people
published = consultations.published
open_round = consultations.open_round


@pytest.fixture
def amendments(people, published, open_round):
    """Submitted amendments on the zero draft: AUT replaces 1., PAK inserts after 2., TUR
    deletes 4., and a general comment from AUT."""
    from drafting.consultations.commenting import create_comment

    consultation = open_round()

    def send(user, kind, label=None, proposed="", body="Reason."):
        comment, _created = create_comment(
            user,
            consultation,
            kind=kind,
            paragraph_uid=paragraph(published, label).uid if label else None,
            body=body,
            proposed_text=proposed,
            form_token=uuid.uuid4().hex,
            submit=True,
        )
        return comment

    class Amendments:
        round = consultation
        replace = send(
            people.aut,
            "replace",
            "1.",
            "We affirm the principle of shared and fair responsibility.",
        )
        insert = send(people.pak, "insert", "2.", "We will protect children on the move.")
        delete = send(people.tur, "delete", "4.")
        general = send(people.aut, "general", body="A general remark.")

    db.session.commit()
    return Amendments


@pytest.fixture
def working(people, published):
    from drafting.documents.editing import open_working_draft

    draft = open_working_draft(people.secretariat, published, label="Draft 1")
    db.session.commit()
    return draft
