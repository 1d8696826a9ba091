"""The silence procedure: started on a published version, broken by a delegation's statement
before the deadline, or adopted, with its hash, when the deadline passes unbroken. The server's
clock decides, frozen here."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy.exc import DBAPIError

from drafting.auth.policy import NotAllowed
from drafting.consultations.refusals import ConsultationError, DeadlineRefused
from drafting.consultations.silence import operations
from drafting.consultations.silence.models import Adoption, SilenceState
from drafting.extensions import db
from drafting.notifications.models import OutboxMessage
from tests.conftest import SAMPLE_DRAFT

START = datetime(2030, 3, 2, 9, 0, tzinfo=UTC)
DEADLINE = START + timedelta(hours=72)
SECOND = timedelta(seconds=1)


@pytest.fixture
def under_silence(published, people):
    with time_machine.travel(START, tick=False):
        silence = operations.start_silence(
            people.secretariat, published, deadline_dt=DEADLINE, timezone="Europe/Vienna"
        )
        db.session.commit()
    return silence


def mail(kind: str) -> list[OutboxMessage]:
    return list(db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.kind == kind)))


def adoptions() -> list[Adoption]:
    return list(db.session.scalars(db.select(Adoption)))


def test_every_participating_delegation_is_told_when_silence_starts(under_silence, people):
    told = {m.to_address for m in mail("silence.started")}
    for person in (people.aut, people.aut2, people.pak, people.tur, people.observer, people.chair):
        assert person.email in told
    assert "Deadline: 5 March 2030, 10:00 CET (Europe/Vienna)" in mail("silence.started")[0].body


def test_silence_unbroken_at_the_deadline_adopts_the_version_with_its_hash(under_silence):
    with time_machine.travel(DEADLINE, tick=False):
        [adoption] = operations.settle_due()
        db.session.commit()
    version = under_silence.version
    assert adoption.text_hash == version.text_hash == version.compute_hash()
    assert adoption.adopted_dt == DEADLINE and under_silence.state == SilenceState.ADOPTED
    assert {m.kind for m in mail("version.adopted")} == {"version.adopted"}


def test_nothing_is_adopted_one_second_before_the_deadline(under_silence):
    with time_machine.travel(DEADLINE - SECOND, tick=False):
        assert operations.settle_due() == []
    assert under_silence.state == SilenceState.RUNNING and adoptions() == []


def test_a_delegate_breaks_silence_one_second_before_the_deadline_and_everyone_is_told(
    under_silence, people
):
    with time_machine.travel(DEADLINE - SECOND, tick=False):
        operations.break_silence(people.pak, under_silence, "We *cannot* accept paragraph 2.")
        db.session.commit()
    with time_machine.travel(DEADLINE + timedelta(days=1), tick=False):
        assert operations.settle_due() == []
    assert under_silence.state == SilenceState.BROKEN and adoptions() == []
    told = {m.to_address for m in mail("silence.broken")}
    assert {people.aut.email, people.tur.email, people.secretariat.email} <= told
    assert "We *cannot* accept paragraph 2." in mail("silence.broken")[0].body


def test_a_delegate_cannot_break_silence_one_second_after_the_deadline(under_silence, people):
    with (
        time_machine.travel(DEADLINE + SECOND, tick=False),
        pytest.raises(DeadlineRefused, match="ended on 5 March 2030, 10:00 CET"),
    ):
        operations.break_silence(people.pak, under_silence, "Too late.")


def test_a_delegate_cannot_break_silence_at_the_deadline_even_when_it_was_settled_first(
    under_silence, people
):
    with time_machine.travel(DEADLINE, tick=False):
        operations.settle_due()
        db.session.commit()
        with pytest.raises(DeadlineRefused):
            operations.break_silence(people.pak, under_silence, "At the deadline.")


@pytest.mark.parametrize("who", ["observer", "chair", "secretariat"])
def test_only_delegates_break_silence(under_silence, people, who):
    with time_machine.travel(START + SECOND, tick=False), pytest.raises(NotAllowed):
        operations.break_silence(getattr(people, who), under_silence, "No.")


def test_a_statement_is_required_and_bounded(under_silence, people):
    with time_machine.travel(START + SECOND, tick=False):
        for statement in ("", "   \n\t ", "x" * 10_001, "bad\x00byte"):
            with pytest.raises(ConsultationError):
                operations.break_silence(people.pak, under_silence, statement)
    assert under_silence.state == SilenceState.RUNNING


def test_a_statement_of_markup_characters_is_kept_as_written(under_silence, people):
    statement = "[" * 5000 + "*_`]{" * 900
    with time_machine.travel(START + SECOND, tick=False):
        broken = operations.break_silence(people.pak, under_silence, statement)
    assert broken.statement == statement


def test_a_statement_in_raw_html_is_refused(under_silence, people):
    with (
        time_machine.travel(START + SECOND, tick=False),
        pytest.raises(ConsultationError, match="raw HTML"),
    ):
        operations.break_silence(people.pak, under_silence, "<script>alert(1)</script>")


def test_a_second_silence_is_refused_while_one_runs(under_silence, published, people):
    with (
        time_machine.travel(START + SECOND, tick=False),
        pytest.raises(ConsultationError, match="already under silence"),
    ):
        operations.start_silence(
            people.secretariat, published, deadline_dt=DEADLINE, timezone="UTC"
        )


def test_a_new_silence_can_start_after_one_was_broken(under_silence, published, people):
    with time_machine.travel(START + SECOND, tick=False):
        operations.break_silence(people.tur, under_silence, "Not yet.")
        again = operations.start_silence(
            people.secretariat, published, deadline_dt=DEADLINE + SECOND, timezone="UTC"
        )
    assert again.is_running and under_silence.state == SilenceState.BROKEN


def test_a_working_version_cannot_be_put_under_silence(create_document, people):
    document = create_document(("Draft 1", SAMPLE_DRAFT, False))
    with pytest.raises(NotAllowed, match="working draft"):
        operations.start_silence(
            people.secretariat, document.versions[0], deadline_dt=DEADLINE, timezone="UTC"
        )


def test_settling_twice_adopts_once(under_silence):
    with time_machine.travel(DEADLINE + timedelta(hours=1), tick=False):
        assert len(operations.settle_due()) == 1
        db.session.commit()
        assert operations.settle_due() == []
        assert operations.settle(under_silence) is None
    assert len(adoptions()) == 1 and len(mail("version.adopted")) > 0


def test_an_adoption_cannot_be_undone(under_silence):
    with time_machine.travel(DEADLINE, tick=False):
        [adoption] = operations.settle_due()
        db.session.commit()
    with pytest.raises(DBAPIError, match="an adoption cannot be undone"):
        db.session.execute(db.delete(Adoption).where(Adoption.id == adoption.id))
    db.session.rollback()
    with pytest.raises(DBAPIError, match="an adoption cannot be undone"):
        db.session.execute(db.update(Adoption).values(text_hash="0" * 64))
    db.session.rollback()


def test_the_adopted_text_in_akoma_ntoso_says_it_was_adopted_by_silence_procedure(under_silence):
    from drafting.exports.akn import version_akn
    from tests.exports.akn_schema import AKN, valid_akn

    with time_machine.travel(DEADLINE, tick=False):
        operations.settle_due()
        db.session.commit()
    root = valid_akn(version_akn(under_silence.version))
    [step] = root.iter(f"{AKN}step")
    assert (step.get("date"), step.get("outcome")) == (DEADLINE.date().isoformat(), "#adopted")
    assert root.find(f".//{AKN}TLCProcess").get("showAs") == "Silence procedure"
