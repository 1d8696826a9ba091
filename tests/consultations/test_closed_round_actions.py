"""A round that has closed (at its deadline, or early) shows no action the server would refuse:
no Comment, Co-sponsor, Edit, Withdraw or Submit on any page that shows comments, rather than
a refusal after the click. And a round that accepts late comments still offers new ones."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import lxml.html
import pytest
import time_machine

from drafting.consultations import commenting, rounds
from drafting.extensions import db
from tests.consultations.conftest import paragraph

ACTION_BUTTONS = {"Submit", "Save", "Save as draft", "Save as a new draft", "Co-sponsor",
                  "Stop co-sponsoring", "Withdraw", "Submit this text", "Preview"}  # fmt: skip
CLOSES = datetime.now(UTC) + timedelta(days=2)
AFTER = CLOSES + timedelta(hours=1)


def _comment(person, consultation, kind, label=None, submit=True, **fields):
    comment, _ = commenting.create_comment(
        person,
        consultation,
        kind=kind,
        paragraph_uid=paragraph(consultation.version, label).uid if label else None,
        submit=submit,
        **fields,
    )
    return comment


@pytest.fixture
def lived_round(open_round, people):
    """An open-visibility round in which AUT has a draft and a submitted amendment, and PAK an
    amendment AUT could co-sponsor."""

    def _make(late_rule: str = "refuse"):
        consultation = open_round(visibility="open", late_rule=late_rule, closes_dt=CLOSES)
        own = {
            "draft": _comment(people.aut, consultation, "paragraph", "1.", False, body="Draft."),
            "submitted": _comment(
                people.aut, consultation, "replace", "2.", proposed_text="We will act."
            ),
            "theirs": _comment(people.pak, consultation, "insert", "3.", proposed_text="New."),
        }
        db.session.commit()
        return consultation, own

    return _make


def comment_actions(html: str) -> list[str]:
    """Every form, link or button of the page that writes, changes, submits, withdraws or
    co-sponsors a comment."""
    page = lxml.html.fromstring(html)
    writing = re.compile(r"/comments/(new|submit)\b|/comments/\d+/(edit|submit|withdraw|support)")
    found = [
        target
        for element in page.iter("a", "form")
        if writing.search(target := element.get("href") or element.get("action") or "")
    ]
    buttons = [b.text_content().strip() for b in page.iter("button")]
    return found + [b for b in buttons if b in ACTION_BUTTONS]


def _pages(client, consultation, own) -> dict[str, tuple[int, str]]:
    draft, submitted = own["draft"], own["submitted"]
    base = f"/consultations/{consultation.id}"
    urls = {
        "round": base,
        "draft page": f"{base}/draft",
        "draft page, amendments": f"{base}/draft?kind=replace&only=commented",
        "new comment": f"{base}/comments/new?kind=paragraph&paragraph="
        + paragraph(consultation.version, "1.").uid,
        "edit a draft": f"/comments/{draft.id}/edit",
        "edit a submitted comment": f"/comments/{submitted.id}/edit",
        "history": f"/comments/{submitted.id}/history",
        "version": f"/versions/{consultation.version_id}",
    }
    pages = {name: client.get(url) for name, url in urls.items()}
    stale = {"csrf_token": client.csrf_token(), "base_revision": "0"}
    pages["changed meanwhile"] = client.post(f"/comments/{draft.id}/submit", data=stale)
    return {name: (r.status_code, r.get_data(as_text=True)) for name, r in pages.items()}


@pytest.mark.parametrize("how", ["past the deadline", "closed early"])
def test_a_closed_round_shows_no_comment_action_on_any_page(client, auth, people, lived_round, how):
    consultation, own = lived_round()
    if how == "closed early":
        rounds.close_early(people.secretariat, consultation)
        db.session.commit()
    auth.login(people.aut)
    with time_machine.travel(AFTER if how == "past the deadline" else datetime.now(UTC)):
        pages = _pages(client, consultation, own)
    for name, (status, html) in pages.items():
        assert status < 500, name
        assert comment_actions(html) == [], name


def test_the_same_pages_offer_the_actions_while_the_round_is_open(
    client, auth, people, lived_round
):
    consultation, own = lived_round()
    auth.login(people.aut)
    pages = _pages(client, consultation, own)
    assert "Co-sponsor" in comment_actions(pages["draft page"][1])
    assert f"/comments/{own['submitted'].id}/edit" in comment_actions(pages["draft page"][1])
    assert "Submit" in comment_actions(pages["new comment"][1])


def test_a_closed_round_says_why_when_a_comment_form_is_asked_for(
    client, auth, people, lived_round
):
    consultation, own = lived_round()
    auth.login(people.aut)
    with time_machine.travel(AFTER):
        response = client.get(f"/comments/{own['submitted'].id}/edit")
    html = response.get_data(as_text=True)
    assert response.status_code == 409 and "Too late" in html
    assert "The deadline passed on" in html and "can no longer be written" in html


def test_after_the_deadline_a_round_taking_late_comments_offers_only_new_ones(
    client, auth, people, lived_round
):
    consultation, own = lived_round(late_rule="accept")
    auth.login(people.aut)
    with time_machine.travel(AFTER):
        html = client.get(f"/consultations/{consultation.id}/draft").get_data(as_text=True)
    actions = comment_actions(html)
    assert any("/comments/new" in a for a in actions)
    assert f"/comments/{own['draft'].id}/edit" in actions
    assert f"/comments/{own['submitted'].id}/edit" not in actions
    assert "Co-sponsor" not in actions


def test_the_countdown_counts_to_the_second_on_the_draft_and_form_pages(
    client, auth, people, lived_round
):
    consultation, own = lived_round()
    auth.login(people.aut)
    with time_machine.travel(CLOSES - timedelta(minutes=3, seconds=7), tick=False):
        for url in (f"/consultations/{consultation.id}/draft", f"/comments/{own['draft'].id}/edit"):
            page = lxml.html.fromstring(client.get(url).get_data(as_text=True))
            [clock] = page.find_class("countdown")
            assert clock.get("data-ends-actions") is not None, url
            assert clock.find_class("countdown-text")[0].text == "3 minutes 7 seconds", url
