"""What a review of the comment pages found, each fixed and kept fixed: a comment's history
shows outsiders only what the delegation sent; no route tells a comment it hides from one it
refuses; a form sent twice, a colleague's change, a withdrawal or a decision meanwhile, or a
refused CSRF token never lose what the delegate typed; co-sponsoring after the deadline says
why; a paragraph id that is no paragraph id never reaches a query."""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import event, select

from drafting.consultations import commenting, cosponsoring, decisions
from drafting.consultations.models import Comment, Support
from drafting.extensions import db
from tests.conftest import FormClient, csrf_token_from
from tests.consultations.conftest import paragraph
from tests.consultations.test_comment_pages import count, field_value, stored, token_of

DEADLINE = datetime(2030, 3, 1, 17, 0, tzinfo=UTC)
BEFORE = DEADLINE - timedelta(days=1)
AFTER = DEADLINE + timedelta(hours=1)


def _as(auth, user):
    auth.logout()
    auth.login(user)


def followed(client, response) -> str:
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return client.get(response.headers["Location"]).get_data(as_text=True)


# ---------------------------------------------------------------------------------------------
# 1. The history of a comment: the delegation's drafts stay its own


@pytest.fixture
def rewritten(open_round, people, published):
    """An "open" round in which AUT drafted a fallback position, then a colleague rewrote and
    submitted it, then AUT amended the submitted text before the deadline."""
    consultation = open_round(visibility="open")
    comment, _ = commenting.create_comment(
        people.aut,
        consultation,
        kind="replace",
        paragraph_uid=paragraph(published, "1.").uid,
        proposed_text="We reject SECRETFALLBACK responsibility.",
        body="Internal note: our red line.",
    )
    db.session.commit()
    commenting.edit_comment(
        people.aut2,
        comment,
        base_revision=1,
        proposed_text="We affirm the principle of joint responsibility.",
        body="Clearer.",
        submit=True,
    )
    db.session.commit()
    commenting.edit_comment(
        people.aut,
        comment,
        base_revision=2,
        proposed_text="We affirm the principle of joint and fair responsibility.",
        body="Clearer.",
    )
    db.session.commit()
    return comment


@pytest.mark.parametrize("who", ["pak", "observer", "chair", "secretariat"])
def test_readers_outside_the_delegation_see_the_history_from_its_submission_without_names(
    client, auth, people, rewritten, who
):
    auth.login(getattr(people, who))
    response = client.get(f"/comments/{rewritten.id}/history")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "SECRETFALLBACK" not in page and "red line" not in page
    assert people.aut.name not in page and people.aut2.name not in page
    assert "by AUT" in page
    # the submission, shown in full, then the edit compared with the submission only
    assert "Revision 1: Submitted" in page and "Revision 2: Edited" in page
    assert "Revision 3" not in page and "Written" not in page
    assert "We affirm the principle of joint responsibility.</pre>" in page
    assert re.search(r'<ins class="redline-ins">\s*and fair</ins>', page)
    assert "redline-del" not in page.split("Revision 2: Edited")[1].split("</li>")[0]


def test_the_delegation_sees_every_save_of_its_comment_and_who_made_it(
    client, auth, people, rewritten
):
    auth.login(people.aut2)
    page = client.get(f"/comments/{rewritten.id}/history").get_data(as_text=True)
    assert "Revision 1: Written" in page and "Revision 3: Edited" in page
    assert "SECRETFALLBACK" in page and "red line" in page
    assert people.aut.name in page and people.aut2.name in page


# ---------------------------------------------------------------------------------------------
# 2. No oracle: what a user may not see is not found, whatever its state


@pytest.fixture
def hidden(open_round, people):
    """In a sealed round before its deadline: AUT's comments in every state, none of which
    PAK may see."""
    consultation = open_round(visibility="sealed")
    submitted, _ = commenting.create_comment(
        people.aut, consultation, kind="general", body="Sealed until the deadline.", submit=True
    )
    draft, _ = commenting.create_comment(people.aut, consultation, kind="general", body="Draft.")
    unsent, _ = commenting.create_comment(people.aut, consultation, kind="general", body="Gone.")
    commenting.withdraw_comment(people.aut, unsent)
    withdrawn, _ = commenting.create_comment(
        people.aut, consultation, kind="general", body="Sent, then taken back.", submit=True
    )
    commenting.withdraw_comment(people.aut, withdrawn)
    db.session.commit()
    return {
        "submitted": submitted.id,
        "draft": draft.id,
        "withdrawn unsent": unsent.id,
        "withdrawn": withdrawn.id,
        "no such comment": 999_999,
    }


ROUTES = [
    ("get", "edit", {}),
    ("post", "edit", {"body": "x", "base_revision": "1", "action": "save"}),
    ("post", "submit", {"base_revision": "1"}),
    ("post", "withdraw", {"base_revision": "1", "confirm": "y"}),
    ("post", "support", {}),
    ("post", "unsupport", {}),
    ("get", "history", {}),
    ("post", "decision", {"outcome": "noted"}),
]


@pytest.mark.parametrize(("method", "route", "data"), ROUTES, ids=[r[1] for r in ROUTES])
def test_another_delegations_hidden_comment_is_not_found_whatever_its_state(
    client, auth, people, hidden, method, route, data
):
    auth.login(people.pak)
    answers = {}
    for state, comment_id in hidden.items():
        url = f"/comments/{comment_id}/{route}"
        response = client.get(url) if method == "get" else client.post(url, data=dict(data))
        answers[state] = response.status_code
    assert set(answers.values()) == {404}, answers


def test_the_chair_cannot_count_sealed_submissions_through_the_decision_route(
    client, auth, people, hidden
):
    auth.login(people.chair)
    answers = {
        state: client.post(f"/comments/{cid}/decision", data={"outcome": "noted"}).status_code
        for state, cid in hidden.items()
    }
    assert set(answers.values()) == {404}, answers


def test_a_delegate_may_not_decide_on_its_own_submitted_comment_and_its_draft_is_not_found(
    client, auth, people, hidden
):
    auth.login(people.aut)
    own_submitted = client.post(
        f"/comments/{hidden['submitted']}/decision", data={"outcome": "noted"}
    )
    own_draft = client.post(f"/comments/{hidden['draft']}/decision", data={"outcome": "noted"})
    assert own_submitted.status_code == 403
    assert own_draft.status_code == 404


# ---------------------------------------------------------------------------------------------
# 3. A new-comment form sent again


def _new_form(client, consultation) -> tuple[str, str]:
    page = client.get(f"/consultations/{consultation.id}/comments/new?kind=general")
    html = page.get_data(as_text=True)
    return token_of(html), field_value(html, "delegation_id")


def test_a_form_sent_again_with_other_text_keeps_both_texts_and_links_to_the_saved_comment(
    client, auth, people, open_round
):
    consultation = open_round()
    auth.login(people.aut)
    token, delegation_id = _new_form(client, consultation)
    data = {
        "kind": "general",
        "paragraph": "",
        "form_token": token,
        "delegation_id": delegation_id,
        "body": "The first text, saved before the network failed.",
        "action": "save",
    }
    first = client.post(f"/consultations/{consultation.id}/comments/new", data=dict(data))
    assert first.status_code == 303
    again = client.post(
        f"/consultations/{consultation.id}/comments/new",
        data=dict(data, body="A second, corrected text.", action="submit"),
    )
    page = again.get_data(as_text=True)
    assert again.status_code == 409
    assert "A second, corrected text.</textarea>" in page
    assert "The first text, saved before the network failed." in page
    assert "first sent" in page
    comment = db.session.scalars(select(Comment)).one()
    assert f'href="/comments/{comment.id}/edit"' in page
    assert comment.is_draft and comment.body.startswith("The first text")


def test_a_form_sent_again_with_the_same_text_and_submit_says_the_comment_was_submitted(
    client, auth, people, open_round
):
    consultation = open_round()
    auth.login(people.aut)
    token, delegation_id = _new_form(client, consultation)
    data = {
        "kind": "general",
        "form_token": token,
        "delegation_id": delegation_id,
        "body": "Saved, then submitted from the same form.",
        "action": "save",
    }
    client.post(f"/consultations/{consultation.id}/comments/new", data=dict(data))
    response = client.post(
        f"/consultations/{consultation.id}/comments/new", data=dict(data, action="submit")
    )
    page = followed(client, response)
    assert "already been sent" in page and "Submitted on" in page
    assert db.session.scalars(select(Comment)).one().is_submitted


# ---------------------------------------------------------------------------------------------
# 4. Submit and Withdraw say which revision the delegate was reading


def _form_fields(page: str, action_path: str) -> dict[str, str]:
    form = re.search(rf'<form[^>]*action="{re.escape(action_path)}"[^>]*>(.*?)</form>', page, re.S)
    assert form, f"no form for {action_path}"
    fields = {}
    for tag in re.findall(r"<input[^>]*>", form.group(1)):
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        if 'type="hidden"' in tag and name and value:
            fields[name.group(1)] = value.group(1)
    return fields


@pytest.fixture
def draft_seen(client, auth, people, open_round):
    """AUT's draft, the draft page as AUT's first delegate read it, then a colleague's change."""
    consultation = open_round()
    comment, _ = commenting.create_comment(
        people.aut, consultation, kind="general", body="Version A, which the first delegate read."
    )
    db.session.commit()
    auth.login(people.aut)
    page = client.get(f"/consultations/{consultation.id}/draft").get_data(as_text=True)
    commenting.edit_comment(
        people.aut2, comment, base_revision=1, body="Version B, not yet agreed by the team."
    )
    db.session.commit()
    return comment, page


def test_the_submit_and_withdraw_buttons_carry_the_revision_the_page_shows(client, draft_seen):
    comment, page = draft_seen
    assert _form_fields(page, f"/comments/{comment.id}/submit")["base_revision"] == "1"
    assert _form_fields(page, f"/comments/{comment.id}/withdraw")["base_revision"] == "1"


def test_submitting_a_draft_a_colleague_changed_since_shows_their_text_and_submits_nothing(
    client, draft_seen
):
    comment, page = draft_seen
    fields = _form_fields(page, f"/comments/{comment.id}/submit")
    response = client.post(f"/comments/{comment.id}/submit", data=fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Version B, not yet agreed by the team." in html and "nothing was submitted" in html
    assert f"/consultations/{comment.consultation_id}/draft?at=general#general" in html
    db.session.refresh(comment)
    assert comment.is_draft and comment.revision == 2
    # having read it, the delegate submits the text as it now stands
    again = client.post(
        f"/comments/{comment.id}/submit", data=_form_fields(html, f"/comments/{comment.id}/submit")
    )
    assert again.status_code == 303
    db.session.refresh(comment)
    assert comment.is_submitted and comment.body.startswith("Version B")


def test_withdrawing_a_comment_a_colleague_changed_since_shows_their_text_and_withdraws_nothing(
    client, draft_seen
):
    comment, page = draft_seen
    fields = _form_fields(page, f"/comments/{comment.id}/withdraw")
    response = client.post(f"/comments/{comment.id}/withdraw", data=dict(fields, confirm="y"))
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Version B, not yet agreed by the team." in html and "nothing was withdrawn" in html
    db.session.refresh(comment)
    assert comment.is_draft


@pytest.mark.parametrize("revision", [None, "", "two", "²", "-1", "1" * 12])
def test_a_submit_or_withdraw_form_without_a_usable_revision_is_refused(
    client, auth, people, open_round, revision
):
    consultation = open_round()
    comment, _ = commenting.create_comment(people.aut, consultation, kind="general", body="A.")
    db.session.commit()
    auth.login(people.aut)
    extra = {} if revision is None else {"base_revision": revision}
    submitted = client.post(f"/comments/{comment.id}/submit", data=dict(extra))
    withdrawn = client.post(f"/comments/{comment.id}/withdraw", data=dict(extra, confirm="y"))
    for response in (submitted, withdrawn):
        assert response.status_code == 400
        assert "which revision of the comment you were reading" in response.get_data(as_text=True)
    db.session.refresh(comment)
    assert comment.is_draft and comment.revision == 1


# ---------------------------------------------------------------------------------------------
# 5. Refusals on the edit form keep the text


def _edit(client, comment, **fields):
    form = client.get(f"/comments/{comment.id}/edit").get_data(as_text=True)
    data = {
        "base_revision": field_value(form, "base_revision"),
        "delegation_id": field_value(form, "delegation_id"),
        "kind": comment.kind.value,
        "action": "save",
        **fields,
    }
    return form, data


def test_an_edit_of_a_comment_a_colleague_withdrew_meanwhile_keeps_the_text_and_saves_it_anew(
    client, auth, people, open_round
):
    consultation = open_round()
    comment, _ = commenting.create_comment(
        people.aut, consultation, kind="general", body="Our first word.", submit=True
    )
    db.session.commit()
    auth.login(people.aut)
    _form, data = _edit(client, comment, body="MY LONG AND CAREFUL REWRITE.")
    commenting.withdraw_comment(people.aut2, comment)
    db.session.commit()
    response = client.post(f"/comments/{comment.id}/edit", data=dict(data))
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "MY LONG AND CAREFUL REWRITE.</textarea>" in page
    assert f"{people.aut2.name} withdrew this comment" in page
    assert f'formaction="/consultations/{consultation.id}/comments/new"' in page
    # "Save as a new draft": the same form, sent to the new-comment page
    resent = {
        "kind": "general",
        "paragraph": "",
        "form_token": token_of(page),
        "delegation_id": field_value(page, "delegation_id"),
        "body": "MY LONG AND CAREFUL REWRITE.",
        "action": "save",
    }
    saved = client.post(f"/consultations/{consultation.id}/comments/new", data=resent)
    assert saved.status_code == 303
    new = db.session.scalars(select(Comment).where(Comment.id != comment.id)).one()
    assert new.is_draft and new.body == "MY LONG AND CAREFUL REWRITE."


def test_an_edit_of_a_comment_decided_meanwhile_keeps_the_text_and_says_why(
    client, auth, people, open_round
):
    consultation = open_round()
    comment, _ = commenting.create_comment(
        people.aut, consultation, kind="general", body="Our first word.", submit=True
    )
    db.session.commit()
    auth.login(people.aut)
    _form, data = _edit(client, comment, body="A rewrite typed while the secretariat decided.")
    decisions.record_decision(people.secretariat, comment, outcome="noted")
    db.session.commit()
    response = client.post(f"/comments/{comment.id}/edit", data=dict(data))
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "A rewrite typed while the secretariat decided.</textarea>" in page
    assert "already decided on this comment" in page
    db.session.refresh(comment)
    assert comment.body == "Our first word." and comment.revision == 1


def _foreign_token(app, user) -> str:
    """A valid CSRF token, but of another session."""
    app.test_client_class = FormClient
    other = app.test_client()
    other.post("/login", data={"email": user.email, "password": "correct horse battery staple"})
    return csrf_token_from(other.get("/login").get_data(as_text=True))


@pytest.mark.parametrize("token", ["missing", "foreign", "garbage"])
def test_an_edit_with_a_refused_csrf_token_keeps_the_text_and_changes_nothing(
    app, client, auth, people, open_round, token
):
    consultation = open_round()
    comment, _ = commenting.create_comment(
        people.aut, consultation, kind="general", body="Our first word."
    )
    db.session.commit()
    auth.login(people.aut)
    _form, data = _edit(client, comment, body="Typed for an hour.", action="submit")
    data["csrf_token"] = {
        "missing": None,
        "foreign": _foreign_token(app, people.aut2),
        "garbage": "not-a-token",
    }[token]
    response = client.post(f"/comments/{comment.id}/edit", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Your session expired or the form is too old; your text is kept" in page
    assert "Typed for an hour.</textarea>" in page
    db.session.refresh(comment)
    assert comment.is_draft and comment.body == "Our first word." and comment.revision == 1
    # the form comes back with this session's token: sent again, it is saved
    data["csrf_token"] = csrf_token_from(page)
    assert client.post(f"/comments/{comment.id}/edit", data=data).status_code == 303
    db.session.refresh(comment)
    assert comment.is_submitted and comment.body == "Typed for an hour."


@pytest.mark.parametrize("token", ["missing", "foreign"])
def test_a_new_comment_with_a_refused_csrf_token_keeps_the_text_and_stores_nothing(
    app, client, auth, people, open_round, token
):
    consultation = open_round()
    auth.login(people.aut)
    form_token, delegation_id = _new_form(client, consultation)
    data = {
        "kind": "general",
        "form_token": form_token,
        "delegation_id": delegation_id,
        "body": "A new comment typed for an hour.",
        "action": "submit",
        "csrf_token": None if token == "missing" else _foreign_token(app, people.aut2),
    }
    response = client.post(f"/consultations/{consultation.id}/comments/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Your session expired" in page and "A new comment typed for an hour.</textarea>" in page
    assert stored() == (0, 0, 0)


# ---------------------------------------------------------------------------------------------
# 6. Co-sponsoring after the deadline


def test_co_sponsoring_after_the_deadline_says_why_and_changes_nothing(
    client, auth, people, open_round, published
):
    with time_machine.travel(BEFORE, tick=False):
        consultation = open_round(
            closes_dt=DEADLINE, opens_dt=BEFORE - timedelta(days=1), visibility="open"
        )
        amendment, _ = commenting.create_comment(
            people.aut,
            consultation,
            kind="replace",
            paragraph_uid=paragraph(published, "1.").uid,
            proposed_text="We affirm the principle of joint responsibility.",
            submit=True,
        )
        cosponsoring.support_comment(people.tur, amendment)
        db.session.commit()
    with time_machine.travel(AFTER, tick=False):
        auth.login(people.pak)
        joined = client.post(f"/comments/{amendment.id}/support", data={})
        joined_page = followed(client, joined)
        _as(auth, people.tur)
        left = client.post(f"/comments/{amendment.id}/unsupport", data={})
        left_page = followed(client, left)
    assert "deadline passed" in joined_page and "can no longer co-sponsor" in joined_page
    assert "can no longer stop co-sponsoring" in left_page
    assert "flash-error" in joined_page and "flash-error" in left_page
    assert [s.delegation.code for s in db.session.scalars(select(Support))] == ["TUR"]


# ---------------------------------------------------------------------------------------------
# 7. A paragraph id is checked before it reaches a query


@contextmanager
def parameters_sent():
    sent: list = []

    def remember(conn, cursor, statement, parameters, context, executemany):
        sent.append(repr(parameters))

    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        yield sent
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)


GARBAGE = ["no-such-paragraph", "' OR 1=1 --", "A" * 32, "0" * 33, "%ff", "<script>"]


@pytest.mark.parametrize("garbage", GARBAGE)
def test_a_paragraph_id_that_is_no_paragraph_id_is_refused_before_any_query(
    client, auth, people, open_round, garbage
):
    consultation = open_round()
    auth.login(people.aut)
    with parameters_sent() as sent:
        response = client.get(
            f"/consultations/{consultation.id}/comments/new",
            query_string={"kind": "replace", "paragraph": garbage},
        )
    assert response.status_code == 400
    assert "is not the identity of a paragraph" in response.get_data(as_text=True)
    assert not [p for p in sent if garbage in p]


@pytest.mark.parametrize("garbage", GARBAGE)
def test_a_sent_form_with_a_garbled_paragraph_keeps_the_text_and_queries_nothing_with_it(
    client, auth, people, open_round, garbage
):
    consultation = open_round()
    auth.login(people.aut)
    with parameters_sent() as sent:
        response = client.post(
            f"/consultations/{consultation.id}/comments/new",
            data={
                "kind": "paragraph",
                "paragraph": garbage,
                "form_token": commenting.new_form_token(),
                "body": "On a paragraph that does not exist.",
                "action": "save",
            },
        )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "On a paragraph that does not exist.</textarea>" in page
    assert not [p for p in sent if garbage in p]
    assert count(Comment) == 0
