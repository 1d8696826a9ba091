"""A refusal carries its reason, and the page and the API say it in the same words: the
policy's (`why_not`), or the operation's when the clock decided against a request already sent."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from drafting.auth.policy import ROLE_REFUSAL, why_not
from drafting.consultations import commenting
from drafting.documents import editing
from drafting.extensions import db
from tests.api.conftest import paragraph
from tests.api.test_errors import assert_problem


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def write_in_page(client, auth, user, consultation):
    auth.login(user)
    return client.post(
        f"/consultations/{consultation.id}/comments/new",
        data={
            "kind": "general",
            "body": "Our remark.",
            "form_token": "refusal-test-form-token-1",
            "delegation_id": str(user.delegation_id),
            "action": "submit",
        },
    )


def write_in_api(api_as, user, consultation):
    body = {"kind": "general", "body": "Our remark.", "submit": True}
    return api_as(user).post(f"/consultations/{consultation.id}/comments", json=body)


@pytest.mark.parametrize("who", ["observer", "tur"])
def test_an_observer_or_a_delegation_not_invited_is_told_why_alike(
    people, open_round, api_as, client, auth, who
):
    consultation = open_round(invited=("AUT", "PAK"))
    user = getattr(people, who)
    reason = why_not(user, "comment.write", consultation)
    assert reason != ROLE_REFUSAL
    problem = assert_problem(write_in_api(api_as, user, consultation), 403)
    page = write_in_page(client, auth, user, consultation)
    assert problem["detail"] == reason
    assert page.status_code == 403 and reason in page_text(page)


def test_a_delegation_not_invited_is_named_in_the_reason(people, open_round):
    consultation = open_round(invited=("AUT", "PAK"))
    assert "Delegation TUR is not invited" in why_not(people.tur, "comment.write", consultation)


def test_a_comment_after_the_deadline_is_refused_in_the_policys_words_everywhere(
    people, open_round, api_as, client, auth
):
    now = datetime.now(UTC)
    consultation = open_round(closes_dt=now + timedelta(hours=1))
    with time_machine.travel(now + timedelta(hours=2), tick=False):
        reason = why_not(people.aut, "comment.write_now", consultation)
        problem = assert_problem(write_in_api(api_as, people.aut, consultation), 409)
        sent = write_in_page(client, auth, people.aut, consultation)
        form = client.get(f"/consultations/{consultation.id}/comments/new")
    assert reason.startswith("The deadline passed on ")
    assert problem["detail"].startswith(reason)
    assert sent.status_code == 409 and problem["detail"] in page_text(sent)
    assert form.status_code == 409 and reason in page_text(form)


def test_changing_another_delegations_comment_is_refused_alike(
    people, open_round, api_as, client, auth
):
    consultation = open_round(visibility="open")  # PAK reads AUT's comment at once
    comment, _ = commenting.create_comment(
        people.aut, consultation, kind="general", body="Ours.", submit=True
    )
    db.session.commit()
    reason = why_not(people.pak, "comment.edit", comment)
    problem = assert_problem(
        api_as(people.pak).patch(
            f"/comments/{comment.id}", json={"base_revision": 1, "body": "Theirs."}
        ),
        403,
    )
    auth.login(people.pak)
    page = client.get(f"/comments/{comment.id}/edit")
    assert reason.startswith("Only the delegates of Delegation AUT")
    assert problem["detail"] == reason
    assert page.status_code == 403 and reason in page_text(page)


def test_editing_a_published_draft_is_refused_in_the_policys_words(people, published, client, auth):
    reason = why_not(people.secretariat, "version.edit", published)
    assert "has been published: it can no longer change" in reason
    with pytest.raises(editing.EditError) as refused:
        editing.move_by(people.secretariat, published, paragraph(published, "1.").uid, step=1)
    assert str(refused.value) == reason
    auth.login(people.secretariat)
    page = client.get(f"/versions/{published.id}/edit")
    assert page.status_code == 409 and reason in page_text(page)


def test_a_page_refused_by_the_policy_says_its_reason(people, open_round, client, auth):
    consultation = open_round()  # sealed: the chair reads the compilation after the deadline
    reason = why_not(people.chair, "compilation.view", consultation)
    assert reason != ROLE_REFUSAL
    auth.login(people.chair)
    page = client.get(f"/consultations/{consultation.id}/compilation")
    assert page.status_code == 403 and reason in page_text(page)
