"""Feeds: an Atom feed per document announcing new drafts and rounds of comments."""

from __future__ import annotations

from flask import Blueprint, abort

bp = Blueprint("feeds", __name__)


# Stub: the feed is being written; the endpoint exists so that other pages can link to it.
@bp.route("/documents/<id:document_id>/feed.atom")
def document_feed(document_id: int):
    abort(501)
