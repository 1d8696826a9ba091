"""The silence procedure in the pages, the command for cron and the API: started by the
secretariat through its form, broken by a delegate's statement, and the document showing the
adopted text first once the deadline has passed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from drafting.consultations.silence import operations
from drafting.consultations.silence.models import Adoption, SilenceProcedure, SilenceState
from drafting.extensions import db

START = datetime(2030, 3, 2, 9, 0, tzinfo=UTC)
DEADLINE = START + timedelta(hours=72)


@pytest.fixture
def under_silence(published, people):
    with time_machine.travel(START, tick=False):
        silence = operations.start_silence(
            people.secretariat,
            published,
            deadline_dt=DEADLINE,
            timezone="Europe/Vienna",
            note="Silence until **Tuesday**.",
        )
        db.session.commit()
    return silence


def start_form(**given) -> dict:
    return {"day": "2030-03-05", "at": "10:00", "timezone": "Europe/Vienna", "confirm": "y"} | given


def test_the_start_form_offers_72_hours_from_now_in_the_secretariats_zone(
    auth, client, people, published
):
    with time_machine.travel(START, tick=False):
        auth.login(people.secretariat)
        page = client.get(f"/versions/{published.id}/silence").get_data(as_text=True)
    assert 'value="2030-03-05"' in page and 'value="10:00"' in page
    assert '<option selected value="Europe/Vienna">' in page


def test_the_secretariat_puts_a_version_under_silence_through_the_form(
    auth, client, people, published
):
    with time_machine.travel(START, tick=False):
        auth.login(people.secretariat)
        response = client.post(f"/versions/{published.id}/silence", data=start_form(note="Please."))
    assert response.status_code == 302
    silence = db.session.scalar(db.select(SilenceProcedure))
    assert silence.deadline_dt == DEADLINE and silence.note == "Please."


def test_a_deadline_that_does_not_exist_is_refused_and_the_note_kept(
    auth, client, people, published
):
    with time_machine.travel(START, tick=False):
        auth.login(people.secretariat)
        response = client.post(
            f"/versions/{published.id}/silence",
            data=start_form(day="2030-03-31", at="02:30", note="Keep me"),
        )
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "does not exist" in page and "Keep me" in page


def test_a_delegate_cannot_open_the_start_form(auth, client, people, published):
    auth.login(people.aut)
    assert client.get(f"/versions/{published.id}/silence").status_code == 403


def test_a_delegate_breaks_silence_and_the_document_shows_the_statement(
    auth, client, people, under_silence
):
    with time_machine.travel(DEADLINE - timedelta(seconds=1), tick=False):
        auth.login(people.pak)
        response = client.post(
            f"/silences/{under_silence.id}/break", data={"statement": "We **object**."}
        )
        page = client.get(f"/documents/{under_silence.version.document_id}").get_data(as_text=True)
    assert response.status_code == 302
    assert "Silence broken" in page and "<strong>object</strong>" in page
    assert "Delegation PAK" in page


def test_a_late_statement_is_refused_and_kept_in_the_form(auth, client, people, under_silence):
    with time_machine.travel(DEADLINE + timedelta(seconds=1), tick=False):
        auth.login(people.pak)
        response = client.post(f"/silences/{under_silence.id}/break", data={"statement": "Late!"})
    page = response.get_data(as_text=True)
    assert response.status_code == 409 and "silence can no longer be broken" in page
    assert "Late!" in page


def test_an_observer_is_told_why_it_cannot_break_silence(auth, client, people, under_silence):
    with time_machine.travel(START + timedelta(hours=1), tick=False):
        auth.login(people.observer)
        page = client.get(f"/silences/{under_silence.id}").get_data(as_text=True)
        refused = client.post(f"/silences/{under_silence.id}/break", data={"statement": "No."})
    assert "Observers follow the silence procedure" in page and refused.status_code == 403


def test_reading_the_document_after_the_deadline_adopts_and_shows_the_adopted_text_first(
    auth, client, people, under_silence
):
    with time_machine.travel(DEADLINE + timedelta(minutes=1), tick=False):
        auth.login(people.aut)
        page = client.get(f"/documents/{under_silence.version.document_id}").get_data(as_text=True)
    adopted_on = page[page.index("Adopted on") : page.index("by silence procedure")]
    assert "5 March 2030, 10:00 CET (Europe/Vienna)" in adopted_on
    assert page.index("Adopted text") < page.index("<h2>Versions</h2>")
    assert under_silence.version.text_hash in page
    assert db.session.scalar(db.select(db.func.count(Adoption.id))) == 1


def test_the_document_counts_down_while_silence_runs(auth, client, people, under_silence):
    with time_machine.travel(DEADLINE - timedelta(hours=2, seconds=5), tick=False):
        auth.login(people.aut)
        page = client.get(f"/documents/{under_silence.version.document_id}").get_data(as_text=True)
    assert "2 hours 5 seconds" in page and 'data-deadline="2030-03-05T09:00:00Z"' in page


def test_the_settle_command_adopts_once_however_often_it_runs(runner, under_silence):
    with time_machine.travel(DEADLINE, tick=False):
        first = runner.invoke(args=["silence", "settle"])
        second = runner.invoke(args=["silence", "settle"])
    assert first.exit_code == 0 and "Adopted: Zero draft" in first.output
    assert second.exit_code == 0 and "0 versions adopted." in second.output
    db.session.expire_all()
    assert db.session.get(SilenceProcedure, under_silence.id).state == SilenceState.ADOPTED


def test_the_start_page_says_why_while_a_silence_runs(auth, client, people, under_silence):
    with time_machine.travel(START + timedelta(hours=1), tick=False):
        auth.login(people.secretariat)
        response = client.get(f"/versions/{under_silence.version_id}/silence")
    page = response.get_data(as_text=True)
    assert response.status_code == 409 and "already under silence until" in page
    assert "Start the silence procedure" not in page


def test_the_documents_feed_announces_the_silence_and_its_breaking(
    auth, client, people, under_silence
):
    with time_machine.travel(START + timedelta(hours=1), tick=False):
        operations.break_silence(people.tur, under_silence, "No.")
        db.session.commit()
        auth.login(people.aut)
        feed = client.get(f"/documents/{under_silence.version.document_id}/feed.atom")
    text = feed.get_data(as_text=True)
    assert "Silence procedure on Zero draft: Silence broken" in text and "(TUR)" in text


@pytest.mark.parametrize(
    ("statement", "said"),
    [("   ", "silence is broken in writing"), ("x" * 10_001, "at most 10,000 characters")],
)
def test_an_empty_or_huge_statement_is_refused_in_the_page(
    auth, client, people, under_silence, statement, said
):
    with time_machine.travel(START + timedelta(hours=1), tick=False):
        auth.login(people.pak)
        response = client.post(f"/silences/{under_silence.id}/break", data={"statement": statement})
    assert response.status_code == 422 and said in response.get_data(as_text=True)
    assert under_silence.state == SilenceState.RUNNING


def test_verify_checks_the_adoption_against_the_trail(runner, under_silence):
    with time_machine.travel(DEADLINE, tick=False):
        runner.invoke(args=["silence", "settle"])
    result = runner.invoke(args=["verify"])
    assert result.exit_code == 0 and "1 adoptions" in result.output
