"""Where conflicting amendments show: the compilation (badge, rebased redline, link to the
amendment that superseded one), its decision form, the Word and CSV exports, the editor's side
panel and the API's comment answer."""

from __future__ import annotations

import csv
import io
import uuid

import docx
import lxml.html
import pytest

from drafting.consultations import amending
from drafting.consultations.models import Decision
from drafting.extensions import db
from tests.api import conftest as api
from tests.consultations.test_compilation import css
from tests.editing.conftest import paragraph

# The API's fixtures: a client with a person's token.
api_as = api.api_as
token_for = api.token_for


@pytest.fixture
def conflicted(people, published, working, amendments):
    """AUT's replacement of 1. applied to Draft 1; PAK's change to other words of 1. (rebased)
    and TUR's change to the same words (superseded) still waiting."""
    from drafting.consultations.commenting import create_comment

    def send(user, proposed):
        comment, _ = create_comment(
            user,
            amendments.round,
            kind="replace",
            paragraph_uid=paragraph(published, "1.").uid,
            body="Reason.",
            proposed_text=proposed,
            form_token=uuid.uuid4().hex,
            submit=True,
        )
        return comment

    rebased = send(people.pak, "We reaffirm the principle of shared responsibility.")
    superseded = send(people.tur, "We affirm the principle of common duties.")
    amending.apply_amendment(people.secretariat, working, amendments.replace)
    db.session.commit()
    return amendments.replace, rebased, superseded


def card(client, round_, comment):
    html = client.get(f"/consultations/{round_.id}/compilation").get_data(as_text=True)
    return lxml.html.fromstring(html).get_element_by_id(f"c-{comment.id}")


def test_the_compilation_shows_a_rebased_redline(client, auth, people, amendments, conflicted):
    applied, rebased, _ = conflicted
    auth.login(people.secretariat)
    note = css(card(client, amendments.round, rebased), ".conflict-rebased")[0]
    assert "conflict" in css(note, ".badge-conflict")[0].text_content()
    assert f"AUT’s amendment #{applied.id}" in note.text_content()
    redline = css(note, ".conflict-redline")[0]
    assert [d.text_content() for d in css(redline, "del")] == [" affirm"]
    assert [i.text_content() for i in css(redline, "ins")] == [" reaffirm"]


def test_the_compilation_links_a_superseded_amendment_to_the_applied_one(
    client, auth, people, amendments, conflicted
):
    applied, _, superseded = conflicted
    auth.login(people.secretariat)
    link = css(card(client, amendments.round, superseded), ".conflict-superseded a")[0]
    assert link.text_content() == f"#{applied.id}"
    target = client.get(link.get("href").split("#")[0]).get_data(as_text=True)
    assert f'id="c-{applied.id}"' in target


def test_a_superseded_amendment_is_offered_superseded_not_accepted(
    client, auth, people, amendments, conflicted
):
    _, _, superseded = conflicted
    auth.login(people.secretariat)
    form = css(card(client, amendments.round, superseded), "details.decision-form")[0]
    options = {o.get("value"): o for o in css(form, "select[name=outcome] option")}
    assert "accepted" not in options and options["superseded"].get("selected") is not None
    assert "Not retained (not applied)" in options["not_retained"].text_content()
    assert "superseded" in css(form, ".superseded-hint")[0].text_content()


def test_accepting_a_superseded_amendment_is_refused_and_keeps_the_text(
    client, auth, people, amendments, conflicted
):
    _, _, superseded = conflicted
    auth.login(people.secretariat)
    typed = {"outcome": "accepted", "justification": "Careful words.", "reflected_in": ""}
    response = client.post(f"/comments/{superseded.id}/decision", data=typed)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "It cannot be accepted" in page and "Careful words." in page
    assert superseded.decision is None
    ok = client.post(f"/comments/{superseded.id}/decision", data={**typed, "outcome": "superseded"})
    assert ok.status_code == 302
    assert db.session.get(Decision, superseded.decision.id).outcome.value == "superseded"


def test_the_csv_and_word_compilation_carry_the_conflict(
    client, auth, people, amendments, conflicted
):
    applied, rebased, superseded = conflicted
    auth.login(people.secretariat)
    data = client.get(f"/consultations/{amendments.round.id}/compilation.csv").data
    rows = {r["Proposed text"]: r for r in csv.DictReader(io.StringIO(data.decode("utf-8-sig")))}
    row = rows[superseded.proposed_text]
    assert row["Conflict"].startswith(f"Superseded by AUT’s amendment #{applied.id}")
    assert rows[rebased.proposed_text]["Rebased wording"] == (
        "We reaffirm the principle of shared and fair responsibility."
    )
    word = client.get(f"/consultations/{amendments.round.id}/compilation.docx").data
    text = "\n".join(c.text for t in docx.Document(io.BytesIO(word)).tables for c in t._cells)
    assert f"Conflict: Superseded by AUT’s amendment #{applied.id}" in text
    compiled = client.get(f"/consultations/{amendments.round.id}/compilation.docx?layout=text")
    body = "\n".join(p.text for p in docx.Document(io.BytesIO(compiled.data)).paragraphs)
    assert f"(superseded by #{applied.id})" in body


def test_the_editor_panel_shows_the_conflict_and_no_apply_for_a_superseded_one(
    client, auth, people, working, conflicted
):
    _, rebased, superseded = conflicted
    auth.login(people.secretariat)
    page = lxml.html.fromstring(client.get(f"/versions/{working.id}/edit").get_data(as_text=True))
    gone = page.get_element_by_id(f"amendment-{superseded.id}")
    assert css(gone, ".conflict-superseded") and not css(gone, ".apply-form")
    kept = page.get_element_by_id(f"amendment-{rebased.id}")
    assert css(kept, ".conflict-rebased") and css(kept, ".apply-form")


def test_the_api_answers_a_conflict_to_the_secretariat_only(people, api_as, conflicted):
    applied, rebased, superseded = conflicted
    answer = api_as(people.secretariat).get(f"/comments/{superseded.id}").get_json()
    assert answer["conflict"]["kind"] == "superseded"
    assert answer["conflict"]["superseded_by"] == applied.id
    listed = api_as(people.secretariat).get(f"/consultations/{rebased.consultation_id}/comments")
    found = {c["id"]: c["conflict"] for c in listed.get_json()["comments"]}
    assert found[rebased.id]["rebased_text"].startswith("We reaffirm the principle of shared and")
    assert found[applied.id] is None
    # The decision that caused it is internal until the draft is published.
    assert api_as(people.tur).get(f"/comments/{superseded.id}").get_json()["conflict"] is None


def test_a_rebased_redline_of_runs_of_markup_is_shown_as_text(
    client, auth, people, published, amendments, working
):
    from drafting.consultations.commenting import create_comment

    hostile = "We affirm the principle of shared responsibility. " + "*_[`" * 500 + " &lt;x&gt;"
    comment, _ = create_comment(
        people.pak,
        amendments.round,
        kind="replace",
        paragraph_uid=paragraph(published, "1.").uid,
        body="Reason.",
        proposed_text=hostile,
        form_token=uuid.uuid4().hex,
        submit=True,
    )
    amending.apply_amendment(people.secretariat, working, amendments.replace)
    db.session.commit()
    auth.login(people.secretariat)
    html = client.get(f"/consultations/{amendments.round.id}/compilation").get_data(as_text=True)
    assert "<x>" not in html
    assert css(card(client, amendments.round, comment), ".conflict-rebased")
