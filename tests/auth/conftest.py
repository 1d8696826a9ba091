"""Fixtures for the account tests: the consultation tests' people and rounds."""

from __future__ import annotations

from tests.consultations import conftest as consultations

people = consultations.people
published = consultations.published
open_round = consultations.open_round
