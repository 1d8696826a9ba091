"""Pages where a delegation writes, previews, submits, edits, withdraws and co-sponsors comments."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("comments", __name__)
