"""The request chores every face shares: one commit at the edge, answered in the face the request
came by when the database refuses it; one path for a refused CSRF token, which gives back what
was typed."""

from __future__ import annotations

import pytest
from wtforms import PasswordField

from drafting.auth import forms as auth_forms
from drafting.auth.models import Delegation, DelegationKind
from drafting.extensions import db
from drafting.web.csrf import _SECRET_FIELD, FORM_REFUSED
from tests.conftest import PASSWORD


@pytest.fixture
def refused_commit(app, create_delegation):
    """A page and an API route whose work the database refuses only at the end-of-request
    commit: a second delegation with a code already taken, added but never flushed."""
    create_delegation("AUT")

    def add_twin():
        db.session.add(Delegation(name="Another Austria", code="AUT", kind=DelegationKind.STATE))
        return {"added": True}

    app.add_url_rule("/edge-test/twin", "edge_page", add_twin, methods=["POST"])
    app.add_url_rule("/api/v1/edge-test/twin", "edge_api", add_twin, methods=["POST"])
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    return app.test_client()


def _delegations() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(Delegation))


def test_a_refused_commit_answers_an_api_request_with_problem_details(refused_commit):
    response = refused_commit.post("/api/v1/edge-test/twin")
    assert response.status_code == 409
    assert response.mimetype == "application/problem+json"
    assert "nothing was saved" in response.get_json()["detail"]
    assert _delegations() == 1


def test_a_refused_commit_answers_a_page_request_with_a_page(refused_commit):
    response = refused_commit.post("/edge-test/twin")
    assert response.status_code == 409 and response.mimetype == "text/html"
    assert "nothing was saved" in response.get_data(as_text=True)
    assert _delegations() == 1


def test_a_refused_form_gives_back_the_text_typed(client, auth, create_user):
    auth.login(create_user("delegate", "AUT"))
    response = client.post(
        "/settings/tokens", data={"name": "Our reporting script", "csrf_token": None}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and FORM_REFUSED in page
    assert ">Our reporting script</textarea>" in page


def test_a_refused_form_never_shows_a_password_back(client, auth, create_user):
    auth.login(create_user("delegate", "AUT"))
    typed = {"current_password": PASSWORD, "new_password": "a new long secret phrase"}
    data = {**typed, "confirmation": typed["new_password"], "csrf_token": None}
    page = client.post("/settings/password", data=data).get_data(as_text=True)
    assert FORM_REFUSED in page
    assert PASSWORD not in page and "a new long secret phrase" not in page


def test_every_password_field_is_one_the_refusal_keeps_back():
    forms = [value for value in vars(auth_forms).values() if isinstance(value, type)]
    names = [
        name
        for form in forms
        for name, field in vars(form).items()
        if getattr(field, "field_class", None) is PasswordField
    ]
    assert names and all(_SECRET_FIELD.search(name) for name in names)
