"""The one loader of the object a URL names: 404 when it is missing or the policy hides it,
the policy's refusal with its reason (answered 403) when ``hide`` is off."""

from __future__ import annotations

import pytest
from flask_login import login_user
from werkzeug.exceptions import NotFound

from drafting.auth.models import User
from drafting.auth.policy import ROLE_REFUSAL, NotAllowed
from drafting.web.loading import load


@pytest.fixture
def as_user(app, create_user):
    """Log ``role`` of ``code`` in, in a request of its own."""
    contexts = []

    def _as(role: str, code: str):
        user = create_user(role, code)
        contexts.append(app.test_request_context("/"))
        contexts[-1].push()
        login_user(user)
        return user

    yield _as
    for context in reversed(contexts):
        context.pop()


def test_the_object_named_is_loaded(as_user):
    user = as_user("secretariat", "MDS")
    assert load(User, user.id) is user


def test_a_missing_object_is_not_found(as_user):
    as_user("secretariat", "MDS")
    with pytest.raises(NotFound):
        load(User, 999_999)


def test_an_object_the_policy_refuses_is_hidden_or_forbidden(as_user, create_user):
    other = create_user("delegate", "PAK")
    as_user("delegate", "AUT")
    with pytest.raises(NotFound):
        load(User, other.id, action="people.manage")
    with pytest.raises(NotAllowed) as refusal:
        load(User, other.id, action="people.manage", hide=False)
    assert refusal.value.reason == ROLE_REFUSAL
