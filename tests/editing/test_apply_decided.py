""" "Apply" on an amendment the secretariat has already decided on: it asks first, naming the
decision; the earlier decision stays in the decision's history; a shared decision stays shared.
And "reflected in" links a paragraph, named by its current number."""

from __future__ import annotations

import lxml.html
import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from drafting.consultations import amending
from drafting.consultations.decisions import record_decision
from drafting.consultations.models import Comment, DecisionRevision
from drafting.documents import editing
from drafting.extensions import db
from tests.consultations.test_compilation import css
from tests.editing.conftest import paragraph


@pytest.fixture
def not_retained(people, amendments):
    """PAK's insertion, decided "not retained" and shared with the delegations."""
    comment = amendments.insert
    record_decision(
        people.secretariat,
        comment,
        outcome="not_retained",
        justification="Out of the declaration's scope.",
        is_shared=True,
    )
    db.session.commit()
    return comment


def _apply(client, working, comment, **fields):
    return client.post(f"/versions/{working.id}/amendments/{comment.id}/apply", data=fields)


def _fresh(comment) -> Comment:
    db.session.expire_all()
    return db.session.get(Comment, comment.id)


def test_apply_on_a_decided_amendment_asks_first_and_names_the_decision(
    client, auth, people, working, not_retained
):
    auth.login(people.secretariat)
    response = _apply(client, working, not_retained, justification="Agreed after all.")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "already has a decision" in html
    assert "Not retained" in html and "Out of the declaration" in html
    assert "shared with delegations" in html and "Agreed after all." in html
    comment = _fresh(not_retained)
    assert comment.decision.outcome.value == "not_retained"
    assert len(working.paragraphs) == len(paragraph(working, "1.").version.paragraphs)
    assert "children on the move" not in " ".join(p.text for p in working.paragraphs)


def test_confirming_keeps_the_earlier_decision_in_its_history_and_it_stays_shared(
    client, auth, people, working, not_retained
):
    auth.login(people.secretariat)
    response = _apply(client, working, not_retained, replacing="1", justification="Agreed.")
    assert response.status_code == 302
    comment = _fresh(not_retained)
    assert (comment.decision.outcome.value, comment.decision.is_shared) == ("accepted", True)
    history = [(r.outcome.value, r.justification, r.action) for r in comment.decision_revisions]
    assert history == [
        ("not_retained", "Out of the declaration's scope.", "recorded"),
        ("accepted", "Agreed.", "applied"),
    ]


def test_the_compilation_shows_the_earlier_decision(client, auth, people, working, not_retained):
    auth.login(people.secretariat)
    _apply(client, working, not_retained, replacing="1")
    url = f"/consultations/{not_retained.consultation_id}/compilation"
    page = lxml.html.fromstring(client.get(url).get_data(as_text=True))
    card = page.get_element_by_id(f"c-{not_retained.id}")
    earlier = css(card, ".decision-history")[0].text_content()
    assert "Not retained" in earlier and "Out of the declaration's scope." in earlier


def test_a_confirmation_of_a_decision_changed_meanwhile_asks_again(
    client, auth, people, working, not_retained
):
    record_decision(people.secretariat, not_retained, outcome="noted", justification="Noted.")
    db.session.commit()
    auth.login(people.secretariat)
    response = _apply(client, working, not_retained, replacing="1")
    html = response.get_data(as_text=True)
    assert response.status_code == 409 and "changed after you were asked" in html
    assert "Noted" in html and 'name="replacing" value="2"' in html
    assert _fresh(not_retained).decision.outcome.value == "noted"


def test_the_operation_never_replaces_a_decision_it_was_not_shown(people, working, not_retained):
    with pytest.raises(amending.DecisionToReplace, match="not retained"):
        amending.apply_amendment(people.secretariat, working, not_retained)
    with pytest.raises(amending.DecisionToReplace):
        amending.apply_amendment(people.secretariat, working, not_retained, replacing=7)


def test_a_new_decision_by_apply_stays_internal_until_publication(people, working, amendments):
    amending.apply_amendment(people.secretariat, working, amendments.replace)
    assert amendments.replace.decision.is_shared is False


def test_the_decision_history_cannot_be_rewritten(people, not_retained):
    revision = db.session.scalar(select(DecisionRevision.id))
    with pytest.raises(DatabaseError), db.session.begin_nested():
        db.session.execute(
            text("UPDATE decision_revisions SET justification = 'x' WHERE id = :id"),
            {"id": revision},
        )
    with pytest.raises(DatabaseError), db.session.begin_nested():
        db.session.execute(text("DELETE FROM decision_revisions"))


# ---------------------------------------------------------------------------------------------
# "Reflected in" is a paragraph, named by its current number


def _decide(client, comment, **fields):
    data = {"outcome": "accepted", "justification": "", "reflected_in": "", **fields}
    return client.post(f"/comments/{comment.id}/decision", data=data)


def test_reflected_in_names_the_paragraph_by_its_current_number(
    client, auth, people, working, amendments
):
    auth.login(people.secretariat)
    target = paragraph(working, "2.")
    fields = {"reflected_paragraph": "2", "reflected_version": str(working.id)}
    assert _decide(client, amendments.insert, **fields).status_code == 302
    editing.edit_paragraph(
        people.secretariat, working, target.uid, source="7. Renumbered.", base_revision=1
    )
    db.session.commit()
    url = f"/consultations/{amendments.round.id}/compilation"
    card = lxml.html.fromstring(client.get(url).get_data(as_text=True)).get_element_by_id(
        f"c-{amendments.insert.id}"
    )
    link = css(card, ".reflected-link")[0]
    assert link.text_content() == "Draft 1, paragraph 7."
    assert link.get("href") == f"/versions/{working.id}#{target.anchor}"


def test_an_unknown_paragraph_number_is_refused_keeping_what_was_typed(
    client, auth, people, working, amendments
):
    auth.login(people.secretariat)
    response = _decide(
        client,
        amendments.insert,
        justification="Kept as typed.",
        reflected_paragraph="99",
        reflected_version=str(working.id),
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Draft 1 has no paragraph numbered “99”" in html
    assert "Kept as typed." in html and 'value="99"' in html
    assert _fresh(amendments.insert).decision is None


def test_a_paragraph_merged_in_the_working_draft_still_names_where_it_is_reflected(
    people, working, amendments
):
    from drafting.consultations.presenting import reflected_text

    amending.apply_amendment(people.secretariat, working, amendments.insert)  # after 2.
    before = paragraph(working, "2.")
    editing.merge_with_next(people.secretariat, working, before.uid, base_revision=1)
    db.session.expire(amendments.insert.decision)
    assert reflected_text(amendments.insert.decision) == "Draft 1, paragraph 2."


def test_the_sample_links_its_accepted_amendment_to_the_paragraph_of_draft_2(app):
    from drafting.consultations.models import Decision
    from drafting.consultations.presenting import reflected_text
    from drafting.demo import load_sample

    load_sample()
    db.session.flush()
    decision = db.session.scalar(select(Decision).where(Decision.outcome == "accepted"))
    assert decision.is_linked and reflected_text(decision) == "Draft 2, paragraph 2."
