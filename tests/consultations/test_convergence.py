"""The chair's convergence view: paragraph by paragraph, the status, open amendments with their
supports and objections, the figures, and the filters "still open", "contested by more than N"
and "no comment at all"; for the chair and the secretariat, with sealed comments kept sealed."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from drafting.consultations import commenting, decisions, stances
from drafting.consultations.convergence import Filters, contested_over, converge
from drafting.documents.models import AgreementStatus
from drafting.documents.statuses import set_paragraph_status
from drafting.extensions import db
from tests.consultations.conftest import paragraph
from tests.consultations.test_stances import amend


@pytest.fixture
def room(open_round, people, published):
    """An open round: AUT amends 1., PAK objects, TUR supports; PAK and TUR amend 2. (competing);
    a plain comment on 3.; 4. untouched and agreed; 1. ad ref."""
    consultation = open_round(visibility="open")
    first = amend(people.aut, consultation, "1.", "We affirm shared responsibility.")
    stances.state_stance(people.pak, first, "objection", "Too weak.")
    stances.state_stance(people.tur, first, "support")
    amend(people.pak, consultation, "2.", "We will cooperate on pathways.")
    amend(people.tur, consultation, "2.", "We will cooperate on regular pathways.")
    commenting.create_comment(
        people.aut,
        consultation,
        kind="paragraph",
        paragraph_uid=paragraph(published, "3.").uid,
        body="Fine.",
        submit=True,
    )
    set_paragraph_status(
        people.secretariat, published, paragraph(published, "4."), AgreementStatus.AGREED
    )
    set_paragraph_status(
        people.secretariat, published, paragraph(published, "1."), AgreementStatus.AD_REFERENDUM
    )
    db.session.commit()
    return consultation


def _labels(view) -> list[str]:
    return [row.paragraph.label or "(unnumbered)" for row in view.shown]


def _view(people, room, **filters):
    return converge(people.chair, room.version, [room], Filters(**filters))


def test_each_paragraph_shows_its_status_amendments_and_stances(people, room):
    rows = {r.paragraph.label: r for r in _view(people, room).rows}
    first = rows["1."]
    assert first.status == AgreementStatus.AD_REFERENDUM
    [amendment] = first.open_amendments
    assert [s.delegation.code for s in amendment.objections] == ["PAK"]
    assert [s.delegation.code for s in amendment.supports] == ["TUR"]
    assert first.contesting == ["PAK"]
    assert rows["2."].contesting == ["PAK", "TUR"]  # competing amendments
    assert rows["3."].comment_count == 1 and rows["3."].contesting == []


def test_the_figures_count_the_whole_draft(people, room):
    figures = _view(people, room, uncommented=True).figures
    assert (figures.paragraphs, figures.agreed, figures.ad_referendum) == (5, 1, 1)
    assert (figures.still_open, figures.contested) == (4, 2)


def test_still_open_leaves_out_agreed_paragraphs(people, room):
    assert "4." not in _labels(_view(people, room, still_open=True))
    assert "1." in _labels(_view(people, room, still_open=True))  # ad ref. is still open


def test_contested_by_more_than_n_counts_distinct_delegations(people, room):
    assert _labels(_view(people, room, contested_over=0)) == ["1.", "2."]
    assert _labels(_view(people, room, contested_over=1)) == ["2."]
    assert _labels(_view(people, room, contested_over=2)) == []


def test_no_comment_at_all_lists_the_untouched_paragraphs(people, room):
    assert _labels(_view(people, room, uncommented=True)) == ["(unnumbered)", "4."]


def test_a_decided_amendment_no_longer_contests_its_paragraph(people, room):
    [first] = [r for r in _view(people, room).rows if r.paragraph.label == "1."]
    comment = first.open_amendments[0].comment
    decisions.record_decision(people.secretariat, comment, outcome="not_retained")
    db.session.commit()
    [first] = [r for r in _view(people, room).rows if r.paragraph.label == "1."]
    assert first.contesting == [] and [a.decision.outcome.value for a in first.decided] == [
        "not_retained"
    ]


def test_open_points_in_brackets_are_counted_per_paragraph(create_document, people):
    source = "# Declaration\n\n1. We [shall][should] act [now].\n\n2. Agreed text.\n"
    version = create_document(("Draft 1", source, True)).versions[0]
    view = converge(people.secretariat, version, [], Filters())
    assert [r.open_points for r in view.rows] == [2, 0]
    assert view.figures.open_points == 2


@pytest.mark.parametrize("typed", ["-1", "two", "1e3", "99999", "1" * 500, "\x00", "²", "١"])
def test_a_mistyped_n_is_refused_in_words(typed):
    with pytest.raises(ValueError, match="not a number of delegations"):
        contested_over(typed)


def test_the_chair_filters_the_page_and_keeps_the_filters_in_the_form(client, auth, people, room):
    auth.login(people.chair)
    page = client.get(
        f"/consultations/{room.id}/convergence", query_string={"contested": "1", "open": "1"}
    ).get_data(as_text=True)
    assert re.findall(r'data-paragraph="([^"]*)"', page) == ["2."]
    assert 'name="contested" value="1"' in page and 'name="open" value="1" checked' in page
    assert 'data-figure="contested"><dt>Contested</dt><dd>2</dd>' in page


def test_a_mistyped_n_shows_the_message_and_keeps_what_was_typed(client, auth, people, room):
    auth.login(people.chair)
    response = client.get(f"/consultations/{room.id}/convergence?contested=lots&part=²")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "not a number of delegations" in page and 'value="lots"' in page


@pytest.mark.parametrize("who", ["aut", "observer"])
def test_delegations_do_not_see_the_convergence_view(client, auth, people, room, who):
    auth.login(getattr(people, who))
    assert client.get(f"/consultations/{room.id}/convergence").status_code == 403
    assert client.get(f"/versions/{room.version_id}/convergence").status_code == 403


def test_sealed_amendments_stay_sealed_from_the_chair_until_the_deadline(
    client, auth, open_round, people
):
    sealed = open_round(visibility="sealed", closes_dt=datetime.now(UTC) + timedelta(days=1))
    amend(people.aut, sealed, "1.", "Sealed wording.")
    auth.login(people.chair)
    page = client.get(f"/consultations/{sealed.id}/convergence").get_data(as_text=True)
    assert "Sealed wording" not in page and "data-comment=" not in page


def test_the_secretariat_opens_the_view_per_draft_from_the_draft_page(client, auth, people, room):
    auth.login(people.secretariat)
    draft = client.get(f"/versions/{room.version_id}").get_data(as_text=True)
    assert f"/versions/{room.version_id}/convergence" in draft
    round_page = client.get(f"/consultations/{room.id}").get_data(as_text=True)
    assert f"/consultations/{room.id}/convergence" in round_page
    page = client.get(f"/versions/{room.version_id}/convergence").get_data(as_text=True)
    assert "Too weak." in page and "We will cooperate on regular pathways." in page


def test_a_long_draft_comes_in_pages_with_the_filters_kept(client, auth, people, room, monkeypatch):
    monkeypatch.setattr("drafting.consultations.convergence.PAGE_ROWS", 2)
    auth.login(people.chair)
    url = f"/consultations/{room.id}/convergence?open=1"
    first = client.get(url).get_data(as_text=True)
    assert re.findall(r'data-paragraph="([^"]*)"', first) == ["", "1."]
    assert "Paragraphs 1–2 of the 4 that match" in first
    assert "part=2" in first and "open=1" in first.split('rel="next"')[1].split(">")[0]
    second = client.get(url + "&part=2").get_data(as_text=True)
    assert re.findall(r'data-paragraph="([^"]*)"', second) == ["2.", "3."]
    assert "We will cooperate on regular pathways." in second  # its amendments loaded


def test_the_view_of_a_working_draft_counts_the_round_on_the_draft_it_was_started_from(
    client, auth, people, room
):
    from drafting.documents.editing import open_working_draft

    working = open_working_draft(people.secretariat, room.version, label="Draft 2")
    db.session.commit()
    auth.login(people.secretariat)
    page = client.get(f"/versions/{working.id}/convergence").get_data(as_text=True)
    assert "Too weak." in page and room.title in page
    assert 'data-figure="contested"><dt>Contested</dt><dd>2</dd>' in page
