"""Fixtures for the API: the consultation tests' people, draft and rounds, tokens for them, and
a client that speaks JSON with a bearer token."""

from __future__ import annotations

import pytest

from drafting.extensions import db
from tests.consultations import conftest as consultations
from tests.consultations.conftest import DRAFT, delegation, paragraph  # noqa: F401 - for tests

people = consultations.people
published = consultations.published
open_round = consultations.open_round


@pytest.fixture
def token_for(app):
    """A fresh API token (the secret) for a person, made by the operation the page uses."""
    from drafting.api.operations import create_token

    def _token(user, name: str = "Test client") -> str:
        _token_row, secret = create_token(user, name)
        db.session.commit()
        return secret

    return _token


class Api:
    """Requests to /api/v1 as one person (or nobody), with JSON bodies."""

    def __init__(self, client, secret: str | None):
        self.client = client
        self.secret = secret

    def headers(self, extra: dict | None = None) -> dict:
        headers = {"Authorization": f"Bearer {self.secret}"} if self.secret else {}
        return {**headers, **(extra or {})}

    def get(self, path: str, **kwargs):
        return self.client.get(
            f"/api/v1{path}", headers=self.headers(kwargs.pop("headers", None)), **kwargs
        )

    def post(self, path: str, json=None, **kwargs):
        headers = self.headers(kwargs.pop("headers", None))
        return self.client.post(f"/api/v1{path}", json=json, headers=headers, **kwargs)

    def patch(self, path: str, json=None, **kwargs):
        headers = self.headers(kwargs.pop("headers", None))
        return self.client.patch(f"/api/v1{path}", json=json, headers=headers, **kwargs)


@pytest.fixture
def api_as(client, token_for):
    """``api_as(user)``: an API client with a new token of ``user``; ``api_as(None)``: none."""

    def _as(user):
        return Api(client, token_for(user) if user is not None else None)

    return _as
