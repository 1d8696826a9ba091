"""The API's version says where its silence procedure stands, and settles an adoption due."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine

from drafting.consultations.silence import operations
from drafting.extensions import db

START = datetime(2030, 3, 2, 9, 0, tzinfo=UTC)
DEADLINE = START + timedelta(hours=72)


def test_a_version_under_silence_says_so_with_its_deadline(api_as, people, published):
    with time_machine.travel(START, tick=False):
        operations.start_silence(
            people.secretariat, published, deadline_dt=DEADLINE, timezone="Europe/Vienna"
        )
        db.session.commit()
        answer = api_as(people.aut).get(f"/versions/{published.id}").get_json()
    assert answer["silence"]["state"] == "running" and answer["adoption"] is None
    assert answer["silence"]["deadline"] == "2030-03-05T09:00:00Z"


def test_a_version_read_after_its_deadline_is_answered_adopted_with_its_hash(
    api_as, people, published
):
    with time_machine.travel(START, tick=False):
        operations.start_silence(
            people.secretariat, published, deadline_dt=DEADLINE, timezone="UTC"
        )
        db.session.commit()
    with time_machine.travel(DEADLINE, tick=False):
        answer = api_as(people.aut).get(f"/versions/{published.id}").get_json()
    assert answer["silence"]["state"] == "adopted"
    assert answer["adoption"]["text_hash"] == published.text_hash


def test_a_broken_silence_gives_the_statements(api_as, people, published):
    with time_machine.travel(START, tick=False):
        silence = operations.start_silence(
            people.secretariat, published, deadline_dt=DEADLINE, timezone="UTC"
        )
        operations.break_silence(people.pak, silence, "Not acceptable.")
        db.session.commit()
        answer = api_as(people.aut).get(f"/versions/{published.id}").get_json()
    assert answer["silence"]["state"] == "broken"
    assert answer["silence"]["statements"][0]["delegation"] == "PAK"
    assert answer["silence"]["statements"][0]["statement"] == "Not acceptable."


def test_a_version_never_under_silence_answers_null(api_as, people, published):
    answer = api_as(people.aut).get(f"/versions/{published.id}").get_json()
    assert answer["silence"] is None and answer["adoption"] is None
