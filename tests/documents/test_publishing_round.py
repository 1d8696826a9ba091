"""Publishing and opening a round of comments in the same step: both happen, or neither."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from drafting.audit.models import AuditEvent
from drafting.consultations.models import Consultation
from drafting.consultations.refusals import ConsultationError
from drafting.consultations.rounds import publish_and_open_round
from drafting.extensions import db
from tests.consultations.conftest import delegation, people, published
from tests.documents.test_publishing import AS_EDITED, numbers, working
from tests.notifications.conftest import last_queued, outbox

__all__ = ["people", "published", "working"]


def round_fields(**changes) -> dict:
    fields = {
        "confirm": "y",
        "label": "Draft 1",
        "note": "Comments welcome.",
        "open_round": "y",
        "round-title": "Comments on Draft 1",
        "round-closes_day": (date.today() + timedelta(days=20)).isoformat(),
        "round-closes_time": "18:00",
        "round-timezone": "Europe/Vienna",
        "round-invited": [delegation(c).id for c in ("AUT", "PAK")],
        "round-visibility": "open",
        "round-late_rule": "accept",
    }
    fields.update(changes)
    return {k: v for k, v in fields.items() if v is not None}


def rounds() -> list[Consultation]:
    db.session.expire_all()
    return list(db.session.scalars(select(Consultation)))


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_publishing_with_a_round_opens_it_in_the_same_step(client, auth, people, working):
    auth.login(people.secretariat)
    mark = last_queued()
    response = client.post(f"/versions/{working.id}/publish", data=round_fields())
    assert response.status_code == 302
    (consultation,) = rounds()
    assert working.is_published and working.label == "Draft 1"
    assert consultation.version_id == working.id and consultation.title == "Comments on Draft 1"
    assert [d.code for d in consultation.invited] == ["AUT", "PAK"]
    assert consultation.visibility.value == "open" and consultation.late_rule.value == "accept"
    assert consultation.timezone == "Europe/Vienna"
    assert consultation.opens_dt <= datetime.now(UTC) < consultation.closes_dt
    assert actions()[-2:] == ["version.published", "consultation.opened"]
    assert {m.kind for m in outbox(after=mark)} == {"version.published", "consultation.opened"}


def test_the_round_is_shown_after_publication(client, auth, people, working):
    auth.login(people.secretariat)
    response = client.post(
        f"/versions/{working.id}/publish", data=round_fields(), follow_redirects=True
    )
    assert "the round “Comments on Draft 1” is open to 2 delegations" in response.get_data(
        as_text=True
    )


def test_an_unticked_round_is_ignored_even_with_bad_fields(client, auth, people, working):
    auth.login(people.secretariat)
    data = round_fields(open_round=None, **{"round-closes_day": "not a date"})
    assert client.post(f"/versions/{working.id}/publish", data=data).status_code == 302
    assert rounds() == [] and working.is_published


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"round-closes_day": "22/12/2029"}, "Give the date as year-month-day"),
        ({"round-closes_time": ""}, "Give the time."),
        ({"round-timezone": "Mars/Olympus"}, "Mars/Olympus"),
        ({"round-invited": []}, "Invite at least one delegation."),
    ],
)
def test_invalid_round_fields_publish_nothing_and_keep_what_was_typed(
    client, auth, people, working, changes, message
):
    auth.login(people.secretariat)
    mark = last_queued()
    data = round_fields(**changes)
    response = client.post(f"/versions/{working.id}/publish", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    assert 'value="Draft 1"' in page and "Comments welcome.</textarea>" in page
    assert 'value="Comments on Draft 1"' in page
    assert '<input checked id="open_round"' in page
    db.session.expire_all()
    assert not working.is_published and working.label == "Draft 1 (working)"
    assert rounds() == [] and outbox(after=mark) == []


def test_a_deadline_already_past_is_refused_at_its_field(client, auth, people, working):
    auth.login(people.secretariat)
    past = (date.today() - timedelta(days=2)).isoformat()
    response = client.post(
        f"/versions/{working.id}/publish", data=round_fields(**{"round-closes_day": past})
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "This deadline is already past" in page and f'value="{past}"' in page
    db.session.expire_all()
    assert not working.is_published and rounds() == []


def test_a_round_refused_after_publishing_undoes_the_publication(client, auth, people, working):
    """A title with a control character passes the form and is refused by the round's own
    check, after the draft was published in the same transaction: both are undone."""
    auth.login(people.secretariat)
    mark = last_queued()
    response = client.post(
        f"/versions/{working.id}/publish", data=round_fields(**{"round-title": "Round\x01 1"})
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The title contains an invisible control character" in page
    assert 'value="Draft 1"' in page and "Comments welcome.</textarea>" in page
    db.session.expire_all()
    assert not working.is_published and working.text_hash is None
    assert numbers(working) == AS_EDITED
    assert rounds() == [] and outbox(after=mark) == []
    assert actions().count("version.published") == 1  # the zero draft's only


def test_the_operation_undoes_the_publication_when_the_round_is_refused(people, working):
    now = datetime.now(UTC)
    with pytest.raises(ConsultationError):
        publish_and_open_round(
            people.secretariat,
            working,
            label="Draft 1",
            round_of_comments={
                "title": "Too late",
                "opens_dt": now,
                "closes_dt": now - timedelta(days=1),
                "timezone": "Europe/Vienna",
                "invited": [delegation("AUT")],
            },
        )
    assert not working.is_published and working.label == "Draft 1 (working)"
    assert numbers(working) == AS_EDITED
