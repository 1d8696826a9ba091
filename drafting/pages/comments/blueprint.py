"""The one blueprint of the comment pages, and where they send a reader back to."""

from __future__ import annotations

from flask import Blueprint, url_for

from drafting.consultations.models import Comment
from drafting.consultations.presenting import full_stop, reflected_place, said_paragraph_name

bp = Blueprint("comments", __name__)
bp.add_app_template_global(said_paragraph_name, "paragraph_name")  # in the reader's language
bp.add_app_template_filter(full_stop)
bp.add_app_template_global(reflected_place)


def anchor_of(comment: Comment) -> str:
    """Where ``comment`` stands on the draft page: beside its paragraph, or with the general."""
    if comment.paragraph_uid:
        return f"p-{comment.paragraph_uid[:12]}"
    return "general"


def draft_url(consultation_id: int, anchor: str | None) -> str:
    """The draft page at ``anchor``: ``at`` opens the part of a long draft that holds it."""
    at = anchor if anchor and (anchor.startswith("p-") or anchor == "general") else None
    return url_for("comments.draft", consultation_id=consultation_id, at=at, _anchor=anchor)


bp.add_app_template_global(draft_url)
