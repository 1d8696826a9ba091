"""The API answers a comment the secretariat recorded on a delegation's behalf as that
delegation's, saying who recorded it, from what and when it was received."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from drafting.consultations import commenting, recording
from drafting.extensions import db
from tests.api.conftest import delegation


def test_api_answers_who_recorded_a_comment_its_source_and_when_received(
    people, open_round, api_as
):
    consultation = open_round()
    received = (datetime.now(UTC) - timedelta(minutes=10)).replace(microsecond=0)
    comment, _ = recording.record_comment(
        people.secretariat, consultation, delegation("PAK"), kind="general",
        body="As said in the meeting.", source="letter", received_dt=received,
    )  # fmt: skip
    commenting.create_comment(people.pak, consultation, kind="general", body="Ours.", submit=True)
    db.session.commit()
    answer = api_as(people.pak).get(f"/consultations/{consultation.id}/comments").get_json()
    recorded, own = answer["comments"]
    assert recorded["delegation"] == "PAK" and recorded["status"] == "submitted"
    assert recorded["recorded_by"] == people.secretariat.name
    assert recorded["recorded_source"] == "Letter"
    assert recorded["received_at"] == received.isoformat().replace("+00:00", "Z")
    assert (own["recorded_by"], own["recorded_source"], own["received_at"]) == (None, "", None)
