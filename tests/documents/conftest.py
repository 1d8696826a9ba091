"""Fixtures for the documents' pages."""

from __future__ import annotations

import pytest


@pytest.fixture
def secretariat(auth, create_user):
    """The secretariat (MDS), logged in."""
    user = create_user("secretariat", "MDS")
    auth.login(user)
    return user
