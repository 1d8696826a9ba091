"""Who calls the API: the owner of the bearer token that the request was let in with."""

from __future__ import annotations

from flask import g

from drafting.auth.models import User


def caller() -> User:
    return g.api_token.user
