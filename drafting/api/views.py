"""The JSON API under /api/v1 (see drafting/api/openapi.py for its description)."""

from __future__ import annotations

from flask import Blueprint

from drafting.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Bearer tokens, never the login cookie, authenticate the API: CSRF cannot apply.
csrf.exempt(bp)
