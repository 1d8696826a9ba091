"""One loader for the object a URL names: 404 when there is none, and when the policy refuses
it, 404 to whom may not learn it exists or 403 to whom may see it but not act."""

from __future__ import annotations

import pytest
from flask_login import login_user
from werkzeug.exceptions import Forbidden, NotFound

from drafting.documents.models import Document
from drafting.web.loading import load


@pytest.fixture
def outsider(app, create_user, client):
    """A delegate whose delegation takes no part in the document, logged in for one request."""
    user = create_user("delegate", "AUT")
    with app.test_request_context():
        login_user(user)
        yield user


def test_load_gives_the_object_with_that_id(outsider, create_document):
    document = create_document()
    assert load(Document, document.id) is document


def test_load_answers_404_when_there_is_no_such_object(outsider):
    with pytest.raises(NotFound):
        load(Document, 2_000_000)


def test_load_hides_what_the_policy_refuses_to_show(outsider, create_document):
    document = create_document()
    with pytest.raises(NotFound):
        load(Document, document.id, action="document.view")


def test_load_answers_403_when_not_hiding(outsider, create_document):
    document = create_document()
    with pytest.raises(Forbidden):
        load(Document, document.id, action="document.view", hide=False)


def test_load_gives_what_the_policy_allows(outsider, create_document):
    document = create_document(participants=[outsider.delegation])
    assert load(Document, document.id, action="document.view") is document
