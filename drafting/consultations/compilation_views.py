"""The compilation of a round for the secretariat and the chair: decisions, figures, exports."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("compilation", __name__)
