"""The secretariat records a delegation's comment (an oral statement, an e-mail, a letter): it
is that delegation's submitted comment, audited, judged late by the time it was received, sealed
like any comment, and the delegation corrects or withdraws it until its deadline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from drafting.audit.models import AuditEvent
from drafting.auth.policy import NotAllowed, can
from drafting.consultations import commenting, recording, refusals
from drafting.consultations.models import CommentStatus
from drafting.extensions import db
from drafting.notifications.models import OutboxMessage
from drafting.verification import verify_tables
from tests.consultations.conftest import delegation, paragraph

DEADLINE = datetime(2030, 2, 1, 17, 0, tzinfo=UTC)


def _record(people, consultation, version, **kwargs):
    values = {
        "kind": "replace",
        "paragraph_uid": paragraph(version, "1.").uid,
        "proposed_text": "The term border management should be used, not border control.",
        "source": "email",
        "source_detail": "E-mail of the Permanent Mission, 3 December",
        "received_dt": datetime.now(UTC) - timedelta(minutes=5),
    }
    values.update(kwargs)
    return recording.record_comment(people.secretariat, consultation, delegation("PAK"), **values)


def test_recorded_comment_is_the_delegations_submitted_and_audited(open_round, people, published):
    comment, created = _record(people, open_round(), published)
    db.session.commit()
    assert created and comment.delegation.code == "PAK" and comment.is_submitted
    assert comment.recorded_by_id == people.secretariat.id and not comment.is_late
    assert comment.recorded_source == "E-mail: E-mail of the Permanent Mission, 3 December"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "comment.recorded"))
    assert event.object_id == comment.id and event.details["delegation"] == "PAK"
    assert [r.action for r in comment.revisions] == ["submitted"]


def test_a_delegate_cannot_record_for_another_delegation(open_round, people, published):
    with pytest.raises(NotAllowed):
        recording.record_comment(
            people.aut, open_round(), delegation("PAK"), kind="general", body="x",
            source="oral", received_dt=datetime.now(UTC),
        )  # fmt: skip


def test_an_uninvited_delegation_cannot_be_recorded_for(open_round, people, published):
    consultation = open_round(invited=("AUT",))
    with pytest.raises(refusals.ConsultationError, match="not invited"):
        _record(people, consultation, published)


def test_email_received_before_deadline_and_recorded_after_is_on_time(
    open_round, people, published
):
    with time_machine.travel(DEADLINE - timedelta(days=5), tick=False):
        consultation = open_round(closes_dt=DEADLINE)
    with time_machine.travel(DEADLINE + timedelta(hours=2), tick=False):
        comment, _ = _record(
            people, consultation, published, received_dt=DEADLINE - timedelta(hours=1)
        )
        db.session.commit()
    assert comment.is_submitted and not comment.is_late


def test_received_after_deadline_is_refused_or_marked_late_by_the_round(
    open_round, people, published
):
    with time_machine.travel(DEADLINE - timedelta(days=5), tick=False):
        refusing = open_round(closes_dt=DEADLINE)
        accepting = open_round(closes_dt=DEADLINE, late_rule="accept")
    after = DEADLINE + timedelta(minutes=1)
    with time_machine.travel(DEADLINE + timedelta(hours=2), tick=False):
        with pytest.raises(refusals.DeadlineRefused, match="Nothing was recorded"):
            _record(people, refusing, published, received_dt=after)
        late, _ = _record(people, accepting, published, received_dt=after)
    assert late.is_late


def test_received_in_the_future_or_without_source_is_refused(open_round, people, published):
    consultation = open_round()
    with pytest.raises(refusals.ConsultationError, match="still to come"):
        _record(people, consultation, published, received_dt=datetime.now(UTC) + timedelta(days=1))
    with pytest.raises(refusals.ConsultationError, match="Describe the source"):
        _record(people, consultation, published, source="other", source_detail="  ")
    with pytest.raises(refusals.ConsultationError, match="control character"):
        _record(people, consultation, published, source_detail="mail\x00")


def test_recorded_comment_is_sealed_from_other_delegations_until_the_deadline(
    open_round, people, published
):
    with time_machine.travel(DEADLINE - timedelta(days=5), tick=False):
        consultation = open_round(closes_dt=DEADLINE)
        comment, _ = _record(people, consultation, published)
        db.session.commit()
        assert can(people.pak, "comment.view", comment)
        assert not can(people.aut, "comment.view", comment)
    with time_machine.travel(DEADLINE + timedelta(minutes=1), tick=False):
        assert can(people.aut, "comment.view", comment)


def test_delegation_corrects_then_withdraws_its_recorded_comment(open_round, people, published):
    comment, _ = _record(people, open_round(), published)
    commenting.edit_comment(
        people.pak, comment, base_revision=1, proposed_text="Border management, please."
    )
    commenting.withdraw_comment(people.pak, comment, base_revision=2)
    db.session.commit()
    assert comment.status == CommentStatus.WITHDRAWN
    assert [r.action for r in comment.revisions] == ["submitted", "edited", "withdrawn"]
    assert comment.recorded_by_id == people.secretariat.id  # still says who wrote it down


def test_secretariat_corrects_what_it_recorded_but_not_a_delegations_own(
    open_round, people, published
):
    consultation = open_round()
    comment, _ = _record(people, consultation, published)
    commenting.edit_comment(people.secretariat, comment, base_revision=1, proposed_text="Border.")
    assert comment.revision == 2 and comment.revisions[-1].saved_by_id == people.secretariat.id
    own, _ = commenting.create_comment(people.pak, consultation, kind="general", body="Ours.")
    with pytest.raises(NotAllowed):
        commenting.edit_comment(people.secretariat, own, base_revision=1, body="Changed.")


def test_delegation_cannot_withdraw_its_recorded_comment_after_deadline(
    open_round, people, published
):
    with time_machine.travel(DEADLINE - timedelta(days=5), tick=False):
        consultation = open_round(closes_dt=DEADLINE)
        comment, _ = _record(people, consultation, published)
        db.session.commit()
    with (
        time_machine.travel(DEADLINE + timedelta(minutes=1), tick=False),
        pytest.raises(refusals.DeadlineRefused),
    ):
        commenting.withdraw_comment(people.pak, comment)


def test_the_same_recording_form_sent_twice_records_one_comment(open_round, people, published):
    consultation = open_round()
    token = commenting.new_form_token()
    first, created = _record(people, consultation, published, form_token=token)
    again, created_again = _record(people, consultation, published, form_token=token)
    assert (created, created_again) == (True, False) and first.id == again.id


def test_a_recorded_comment_verifies_clean_and_a_rewritten_one_is_named(
    open_round, people, published
):
    comment, _ = _record(people, open_round(), published)
    db.session.commit()
    assert not verify_tables().mismatches
    comment.proposed_text = "Rewritten behind the audit trail's back."
    db.session.commit()
    [mismatch] = verify_tables().mismatches
    assert f"comment #{comment.id}" in str(mismatch)


def test_the_delegation_is_told_by_mail_what_was_recorded_for_it(open_round, people, published):
    comment, _ = _record(people, open_round(), published)
    db.session.commit()
    mail = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "comment.recorded")
    ).all()
    assert {m.user_id for m in mail} == {people.pak.id}
    assert "Permanent Mission, 3 December" in mail[0].body and "withdraw" in mail[0].body
