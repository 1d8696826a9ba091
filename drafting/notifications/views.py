"""Feeds: an Atom feed per document announcing new drafts and rounds of comments."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("feeds", __name__)
