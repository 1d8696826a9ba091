"""Support and objection: a delegation states where it stands on another delegation's amendment,
once it can see it, changes or withdraws its stance; never on its own amendment; audited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from drafting.audit.models import AuditEvent
from drafting.auth.policy import NotAllowed
from drafting.consultations import commenting, cosponsoring, stances
from drafting.consultations.models import AmendmentStance, StanceKind
from drafting.consultations.refusals import ConsultationError
from drafting.extensions import db
from tests.conftest import csrf_token_from
from tests.consultations.conftest import paragraph


def amend(person, consultation, label="2.", text="We will cooperate on safe pathways."):
    comment, _ = commenting.create_comment(
        person,
        consultation,
        kind="replace",
        paragraph_uid=paragraph(consultation.version, label).uid,
        proposed_text=text,
        body="Shorter.",
        submit=True,
    )
    db.session.commit()
    return comment


def _actions() -> list[str]:
    return list(db.session.scalars(db.select(AuditEvent.action).order_by(AuditEvent.id)))


def test_delegate_objects_to_another_delegations_amendment_with_a_reason(open_round, people):
    amendment = amend(people.aut, open_round(visibility="open"))
    stance = stances.state_stance(people.pak, amendment, "objection", "  Weakens the text. ")
    db.session.commit()
    assert (stance.kind, stance.reason, stance.stated_by_id) == (
        StanceKind.OBJECTION,
        "Weakens the text.",
        people.pak.id,
    )
    assert _actions()[-1] == "amendment.stance"


def test_delegate_changes_then_withdraws_its_stance_each_audited(open_round, people):
    amendment = amend(people.aut, open_round(visibility="open"))
    stances.state_stance(people.pak, amendment, "objection")
    stances.state_stance(people.pak, amendment, "support", "Convinced.")
    db.session.commit()
    assert db.session.scalar(db.select(AmendmentStance.kind)) == StanceKind.SUPPORT
    assert stances.withdraw_stance(people.pak, amendment) is True
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count(AmendmentStance.id))) == 0
    assert _actions()[-3:] == ["amendment.stance", "amendment.stance", "amendment.stance_withdrawn"]


def test_delegation_cannot_take_a_stance_on_its_own_amendment(open_round, people):
    amendment = amend(people.aut, open_round(visibility="open"))
    with pytest.raises(NotAllowed, match="Your delegation proposed this amendment"):
        stances.state_stance(people.aut2, amendment, "support")


def test_support_is_not_co_sponsoring(open_round, people):
    amendment = amend(people.aut, open_round(visibility="open"))
    stances.state_stance(people.pak, amendment, "support")
    cosponsoring.support_comment(people.tur, amendment)
    db.session.commit()
    assert [d.code for d in amendment.supporters] == ["TUR"]
    assert db.session.scalar(db.select(db.func.count(AmendmentStance.id))) == 1


def test_sealed_amendment_takes_no_stance_until_the_deadline(open_round, people):
    closes = datetime.now(UTC) + timedelta(days=1)
    amendment = amend(people.aut, open_round(visibility="sealed", closes_dt=closes))
    with pytest.raises(NotAllowed, match="not shared"):
        stances.state_stance(people.pak, amendment, "objection")
    with time_machine.travel(closes + timedelta(minutes=1), tick=False):
        stances.state_stance(people.pak, amendment, "objection", "Revealed now.")
    db.session.commit()
    assert db.session.scalar(db.select(AmendmentStance.reason)) == "Revealed now."


def test_no_stance_on_a_withdrawn_amendment(open_round, people):
    amendment = amend(people.aut, open_round(visibility="open"))
    commenting.withdraw_comment(people.aut, amendment)
    db.session.commit()
    with pytest.raises(NotAllowed):
        stances.state_stance(people.pak, amendment, "objection")


@pytest.mark.parametrize("who", ["chair", "observer", "secretariat"])
def test_only_delegates_take_a_stance(open_round, people, who):
    amendment = amend(people.aut, open_round(visibility="open"))
    with pytest.raises(NotAllowed):
        stances.state_stance(getattr(people, who), amendment, "support")


@pytest.mark.parametrize(
    "reason, refusal",
    [("x" * 1001, "at most 1,000"), ("Bad\x00byte", "invisible control character")],
)
def test_a_reason_too_long_or_with_control_characters_is_refused(
    open_round, people, reason, refusal
):
    amendment = amend(people.aut, open_round(visibility="open"))
    with pytest.raises(ConsultationError, match=refusal):
        stances.state_stance(people.pak, amendment, "objection", reason)


def test_delegate_objects_in_the_draft_page_and_sees_its_stance(client, auth, open_round, people):
    consultation = open_round(visibility="open")
    amendment = amend(people.aut, consultation)
    auth.login(people.pak)
    page = client.get(f"/consultations/{consultation.id}/draft").get_data(as_text=True)
    assert f"/comments/{amendment.id}/stance" in page
    data = {"csrf_token": csrf_token_from(page), "kind": "objection", "reason": "[[[**<b>"}
    response = client.post(f"/comments/{amendment.id}/stance", data=data)
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your delegation objects to this amendment: [[[**&lt;b&gt;" in page


def test_a_refused_reason_comes_back_in_the_form_as_typed(client, auth, open_round, people):
    consultation = open_round(visibility="open")
    amendment = amend(people.aut, consultation)
    auth.login(people.pak)
    page = client.get(f"/consultations/{consultation.id}/draft").get_data(as_text=True)
    typed = "Too long. " * 150
    data = {"csrf_token": csrf_token_from(page), "kind": "objection", "reason": typed}
    response = client.post(f"/comments/{amendment.id}/stance", data=data)
    assert response.status_code == 422
    assert "at most 1,000" in response.get_data(as_text=True)
    assert typed.strip() in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(AmendmentStance.id))) == 0


def test_the_stance_form_is_refused_without_csrf(client, auth, open_round, people):
    amendment = amend(people.aut, open_round(visibility="open"))
    auth.login(people.pak)
    data = {"kind": "support", "csrf_token": None}
    response = client.post(f"/comments/{amendment.id}/stance", data=data)
    assert response.status_code == 400


def test_the_compilation_shows_who_objects_and_supports_beside_the_amendment(
    client, auth, open_round, people
):
    amendment = amend(people.aut, open_round(visibility="open"))
    stances.state_stance(people.pak, amendment, "objection", "Too weak.")
    stances.state_stance(people.tur, amendment, "support")
    db.session.commit()
    auth.login(people.secretariat)
    page = client.get(f"/consultations/{amendment.consultation_id}/compilation")
    card = page.get_data(as_text=True).split(f'id="c-{amendment.id}"')[1]
    assert "PAK</abbr> objects: Too weak." in card and "TUR</abbr> supports" in card
