"""The one flow that takes a comment form, new or edited: it returns an outcome (saved, or the
form again with why) and stores nothing unless it calls the operation."""

from __future__ import annotations

import pytest
from flask_login import login_user

from drafting.consultations.comment_forms import CommentForm
from drafting.consultations.models import CommentKind
from drafting.pages.comments.refusals import Refusal
from drafting.pages.comments.writing import FormAgain, Saved, take_form
from drafting.web.csrf import FORM_EXPIRED


def never(submit: bool):
    pytest.fail("the operation was called")


@pytest.fixture
def sent(app, people):
    """A comment form sent by a delegate of AUT with ``data``, CSRF checks ``csrf`` or not."""

    contexts = []

    def _sent(data: dict, *, csrf: bool = False):
        app.config["WTF_CSRF_ENABLED"] = csrf
        contexts.append(app.test_request_context("/", method="POST", data=data))
        contexts[-1].push()
        login_user(people.aut)
        return CommentForm()

    yield _sent
    for context in reversed(contexts):
        context.pop()


def test_a_form_without_this_sessions_token_comes_back_as_typed(sent):
    form = sent({"body": "Our view."}, csrf=True)
    outcome = take_form(form, CommentKind.GENERAL, None, never)
    assert outcome == FormAgain(400, FORM_EXPIRED)
    assert form.body.data == "Our view."


def test_a_refusal_comes_back_with_its_reason_before_the_form_is_read(sent):
    refusal = Refusal("Withdrawn", "A colleague withdrew it.", 409, ours=True, offer_new=True)
    outcome = take_form(sent({"body": "x"}), CommentKind.GENERAL, None, never, refusal=refusal)
    assert outcome.status == 409 and outcome.refusal is refusal
    assert outcome.error.startswith("A colleague withdrew it. Nothing of yours was saved")


def test_a_preview_renders_the_text_and_saves_nothing(sent):
    form = sent({"action": "preview", "body": "Some *words*."})
    outcome = take_form(form, CommentKind.GENERAL, None, never)
    assert isinstance(outcome, FormAgain) and outcome.status == 200
    assert "<em>words</em>" in outcome.preview["body"]


@pytest.mark.parametrize(("action", "submit"), [("save", False), ("submit", True), ("", False)])
def test_save_and_submit_call_the_operation_once_with_what_was_pressed(sent, action, submit):
    calls = []

    def save(submitting: bool):
        calls.append(submitting)
        return Saved(comment=None, message="Saved.")

    outcome = take_form(sent({"action": action, "body": "x"}), CommentKind.GENERAL, None, save)
    assert calls == [submit] and outcome == Saved(None, "Saved.")
