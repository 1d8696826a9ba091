"""Mends found by reading the merged branches: what one branch assumed and another changed."""

from __future__ import annotations

from datetime import date, time

from drafting.consultations.decisions import record_decision
from drafting.documents.publishing import publish_version
from drafting.extensions import db
from drafting.times import to_utc
from tests.editing.test_apply_decided import _apply, not_retained  # noqa: F401


def test_a_decision_kept_internal_in_the_compilation_stays_internal_at_publication(
    people, working, amendments
):
    comment = amendments.replace
    decision = record_decision(
        people.secretariat,
        comment,
        outcome="noted",
        justification="For the secretariat only.",
        is_shared=False,
        reflected_paragraph_uid=comment.paragraph_uid,
        reflected_version_id=working.id,
    )
    db.session.commit()
    publish_version(people.secretariat, working, accept_numbering=True)
    db.session.commit()
    db.session.refresh(decision)
    assert decision.is_shared is False


def test_the_confirmation_before_apply_gives_the_decisions_time_in_the_rounds_zone(
    client,
    auth,
    people,
    working,
    not_retained,  # noqa: F811
):
    not_retained.consultation.timezone = "Asia/Tokyo"
    db.session.commit()
    auth.login(people.secretariat)
    page = _apply(client, working, not_retained, justification="x").get_data(as_text=True)
    assert "Asia/Tokyo" in next(line for line in page.splitlines() if "Decided" in line)


def test_a_round_stored_with_an_old_zone_name_still_converts_its_times():
    assert to_utc(date(2029, 12, 22), time(18, 0), "Asia/Calcutta").hour == 12


def test_a_refused_apply_shows_the_confirmation_again_with_the_justification_typed(
    client,
    auth,
    people,
    working,
    not_retained,  # noqa: F811
):
    from drafting.documents import editing

    auth.login(people.secretariat)
    target = next(p for p in working.paragraphs if p.uid == not_retained.paragraph_uid)
    editing.delete_paragraph(people.secretariat, working, target.uid, base_revision=target.revision)
    db.session.commit()
    response = _apply(
        client, working, not_retained, replacing="1", justification="Our long reasons."
    )
    assert response.status_code == 409
    assert "Our long reasons." in response.get_data(as_text=True)


def test_an_apply_confirmed_after_publication_keeps_the_justification_typed(
    client,
    auth,
    people,
    working,
    not_retained,  # noqa: F811
):
    auth.login(people.secretariat)
    publish_version(people.secretariat, working, accept_numbering=True)
    db.session.commit()
    response = _apply(client, working, not_retained, replacing="1", justification="Our reasons.")
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Our reasons." in html and "has been published" in html
