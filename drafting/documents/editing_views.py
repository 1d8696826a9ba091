"""Editing a working draft in the page: each edit small, saved at once, never silently lost."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("editing", __name__)
