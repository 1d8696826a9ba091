"""What a review of the first version found, each now refused or kept as it should be."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from drafting.consultations import commenting, cosponsoring, decisions, refusals, rounds
from drafting.consultations.models import Comment
from drafting.extensions import db
from tests.consultations.conftest import paragraph

DEADLINE = datetime(2030, 3, 1, 17, 0, tzinfo=UTC)


def _late_round(open_round, **kwargs):
    with time_machine.travel(DEADLINE - timedelta(days=5), tick=False):
        return open_round(closes_dt=DEADLINE, late_rule="accept", **kwargs)


def test_accepting_late_comments_does_not_reopen_on_time_ones_for_rewriting(open_round, people):
    consultation = _late_round(open_round)
    with time_machine.travel(DEADLINE - timedelta(hours=1), tick=False):
        on_time, _ = commenting.create_comment(
            people.aut, consultation, kind="general", body="On time.", submit=True
        )
        draft, _ = commenting.create_comment(
            people.aut, consultation, kind="general", body="Still a draft."
        )
        db.session.commit()
    with time_machine.travel(DEADLINE + timedelta(hours=1), tick=False):
        with pytest.raises(refusals.DeadlineRefused):
            commenting.edit_comment(people.aut, on_time, base_revision=1, body="Rewritten.")
        db.session.rollback()
        with pytest.raises(refusals.DeadlineRefused):
            commenting.withdraw_comment(people.aut, on_time)
        db.session.rollback()
        # A draft may still be completed and sent, and is flagged late.
        commenting.edit_comment(
            people.aut, draft, base_revision=1, body="Completed late.", submit=True
        )
        db.session.commit()
    assert (on_time.body, on_time.is_submitted, on_time.is_late) == ("On time.", True, False)
    assert (draft.is_submitted, draft.is_late) == (True, True)


def test_co_sponsoring_stops_at_the_deadline(open_round, people, published):
    with time_machine.travel(DEADLINE - timedelta(days=5), tick=False):
        consultation = open_round(closes_dt=DEADLINE, visibility="open", late_rule="accept")
        amendment, _ = commenting.create_comment(
            people.aut,
            consultation,
            kind="delete",
            paragraph_uid=paragraph(published, "4.").uid,
            submit=True,
        )
        cosponsoring.support_comment(people.tur, amendment)
        db.session.commit()
    with time_machine.travel(DEADLINE, tick=False):
        with pytest.raises(refusals.DeadlineRefused):
            cosponsoring.support_comment(people.pak, amendment)
        with pytest.raises(refusals.DeadlineRefused):
            cosponsoring.withdraw_support(people.tur, amendment)
    db.session.rollback()
    assert [d.code for d in amendment.supporters] == ["TUR"]


def test_a_decided_comment_can_no_longer_change(open_round, people):
    consultation = open_round()
    comment, _ = commenting.create_comment(
        people.aut, consultation, kind="general", body="Judged text.", submit=True
    )
    decisions.record_decision(people.secretariat, comment, outcome="accepted")
    db.session.commit()
    with pytest.raises(refusals.ConsultationError, match="already decided"):
        commenting.edit_comment(people.aut, comment, base_revision=1, body="Other text.")
    with pytest.raises(refusals.ConsultationError, match="already decided"):
        commenting.withdraw_comment(people.aut, comment)
    db.session.rollback()
    assert comment.body == "Judged text." and comment.is_submitted


def test_a_form_sent_again_with_submit_submits_the_saved_draft(open_round, people):
    consultation = open_round()
    token = commenting.new_form_token()
    draft, created = commenting.create_comment(
        people.aut, consultation, kind="general", body="Same text.", form_token=token
    )
    again, created_again = commenting.create_comment(
        people.aut, consultation, kind="general", body="Same text.", form_token=token, submit=True
    )
    db.session.commit()
    assert created and not created_again and again.id == draft.id
    assert draft.is_submitted


def test_a_form_sent_again_with_other_text_keeps_both(open_round, people):
    consultation = open_round()
    token = commenting.new_form_token()
    commenting.create_comment(
        people.aut, consultation, kind="general", body="First text.", form_token=token
    )
    with pytest.raises(refusals.AlreadySent) as sent:
        commenting.create_comment(
            people.aut,
            consultation,
            kind="general",
            body="Second, corrected text.",
            form_token=token,
            submit=True,
        )
    assert sent.value.comment.body == "First text."
    assert db.session.scalar(db.select(db.func.count(Comment.id))) == 1


def test_submitting_or_withdrawing_what_a_colleague_changed_meanwhile_is_refused(
    open_round, people
):
    consultation = open_round()
    comment, _ = commenting.create_comment(
        people.aut, consultation, kind="general", body="Version A."
    )
    commenting.edit_comment(people.aut2, comment, base_revision=1, body="Version B.")
    db.session.commit()
    with pytest.raises(refusals.StaleEdit):
        commenting.submit_comment(people.aut, comment, base_revision=1)
    with pytest.raises(refusals.StaleEdit):
        commenting.withdraw_comment(people.aut, comment, base_revision=1)
    db.session.rollback()
    assert comment.is_draft
    assert commenting.submit_comment(people.aut, comment, base_revision=2)


def test_submit_all_drafts_submits_them_at_one_instant(open_round, people):
    consultation = open_round()
    for n in range(3):
        commenting.create_comment(people.aut, consultation, kind="general", body=f"Draft {n}.")
    db.session.commit()
    assert commenting.submit_drafts(people.aut2, consultation) == 3
    db.session.commit()
    stamps = set(db.session.scalars(db.select(Comment.submitted_dt)))
    assert len(stamps) == 1


@pytest.mark.parametrize(
    "proposed",
    [
        "We affirm the Principle of Shared Responsibility.",  # capitals matter in a text
        "We affirm the principle of **shared** responsibility.",  # so does emphasis
    ],
)
def test_a_change_of_capitals_or_emphasis_is_a_real_amendment(
    open_round, people, published, proposed
):
    consultation = open_round()
    comment, _ = commenting.create_comment(
        people.aut,
        consultation,
        kind="replace",
        paragraph_uid=paragraph(published, "1.").uid,
        proposed_text=proposed,
    )
    assert comment.proposed_text == proposed


def test_only_spacing_is_not_a_change(open_round, people, published):
    consultation = open_round()
    with pytest.raises(refusals.ConsultationError, match="same as the current text"):
        commenting.create_comment(
            people.aut,
            consultation,
            kind="replace",
            paragraph_uid=paragraph(published, "1.").uid,
            proposed_text="We  affirm the principle of shared\nresponsibility.",
        )


@pytest.mark.parametrize("field", ["body", "quote"])
def test_control_characters_are_refused_with_a_message(open_round, people, published, field):
    consultation = open_round()
    with pytest.raises(refusals.ConsultationError, match="invisible control character"):
        commenting.create_comment(
            people.aut,
            consultation,
            kind="paragraph",
            paragraph_uid=paragraph(published, "1.").uid,
            **{"body": "Fine.", field: "We\x00 affirm"},
        )


@pytest.mark.parametrize("uid", ["\x00", "1 OR 1=1", "A" * 32, "0" * 33])
def test_a_malformed_paragraph_id_is_refused_before_any_query(open_round, people, uid):
    consultation = open_round()
    with pytest.raises(refusals.ConsultationError, match="no such paragraph"):
        commenting.create_comment(
            people.aut, consultation, kind="paragraph", paragraph_uid=uid, body="Hm."
        )


def test_a_round_title_or_decision_with_a_control_character_is_refused(
    open_round, people, published
):
    from tests.consultations.conftest import delegation

    now = datetime.now(UTC)
    with pytest.raises(refusals.ConsultationError, match="control character"):
        rounds.open_consultation(
            people.secretariat,
            published,
            title="Round\x00",
            opens_dt=now,
            closes_dt=now + timedelta(days=1),
            timezone="UTC",
            invited=[delegation("AUT")],
        )
    consultation = open_round()
    comment, _ = commenting.create_comment(
        people.aut, consultation, kind="general", body="Ours.", submit=True
    )
    with pytest.raises(refusals.ConsultationError, match="control character"):
        decisions.record_decision(
            people.secretariat, comment, outcome="noted", reflected_in="para\x00graph 2"
        )


def test_other_delegations_do_not_learn_of_an_extension(client, auth, open_round, people):
    from tests.consultations.conftest import delegation

    with time_machine.travel(DEADLINE - timedelta(days=5), tick=False):
        consultation = open_round(closes_dt=DEADLINE)
        rounds.grant_extension(
            people.secretariat, consultation, delegation("AUT"), DEADLINE + timedelta(days=2)
        )
        db.session.commit()
    consultation_id, document_id = consultation.id, consultation.version.document_id
    with time_machine.travel(DEADLINE + timedelta(days=1), tick=True):
        auth.login(people.pak)
        for path in (f"/consultations/{consultation_id}", f"/documents/{document_id}"):
            html = client.get(path).get_data(as_text=True)
            assert "extension" not in html.lower(), path
            assert "badge-round-closed" in html, path
        auth.logout()
        auth.login(people.aut)
        html = client.get(f"/consultations/{consultation_id}").get_data(as_text=True)
        assert "badge-round-open" in html
