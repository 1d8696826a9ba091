"""The audit page: every event, for the secretariat."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("audit", __name__)
