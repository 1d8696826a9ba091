"""The API's ``conflict`` of a comment: an amendment in conflict with another of its round
applied to a draft (drafting/consultations/conflicts.py), as the pages show it."""

from __future__ import annotations

from flask import g
from marshmallow import Schema, fields

from drafting.api.caller import caller
from drafting.auth.policy import can
from drafting.consultations.conflicts import ConflictKind, find_conflicts


def _about(text: str, **more) -> dict:
    return {"required": True, "metadata": {"description": text, **more}}


class Conflict(Schema):
    """An amendment in conflict with another of its round applied to a draft."""

    kind = fields.Enum(ConflictKind, by_value=True, required=True, metadata={"type": "string"})
    summary = fields.String(**_about("The conflict in one sentence."))
    superseded_by = fields.Function(
        lambda c: c.cause.id if c.is_superseded else None,
        **_about("The applied amendment that superseded it.", type="integer", nullable=True),
    )
    applied = fields.Function(
        lambda c: [a.id for a in c.applied],
        **_about("The amendments applied.", type="array", items={"type": "integer"}),
    )
    version_id = fields.Function(
        lambda c: c.version.id, **_about("The draft they were applied to.", type="integer")
    )
    text = fields.String(**_about("The paragraph's text in that draft now (Markdown)."))
    rebased_text = fields.Function(
        lambda c: c.rebased or None,
        **_about("A replacement carried onto that text.", type="string", nullable=True),
    )
    order = fields.Function(
        lambda c: c.order or None,
        **_about(
            "A new paragraph: its place among the new paragraphs after the same one.",
            type="integer",
            nullable=True,
        ),
    )


def visible_conflict(comment):
    """The comment's conflict, if the caller may see the decision that caused it (the
    secretariat and the chair; a delegation once that decision is shared). A list's conflicts
    are found once for the whole list (the list's schema puts them in ``g.api_conflicts``)."""
    found = getattr(g, "api_conflicts", None)
    if found is None or comment.id not in found["asked"]:
        found = {"asked": {comment.id}, "conflicts": find_conflicts([comment])}
    conflict = found["conflicts"].get(comment.id)
    if conflict is None or not can(caller(), "decision.view", conflict.cause):
        return None
    return conflict


def conflicts_of_list(result: dict) -> dict:
    """A list of comments about to be answered, its conflicts found at once for all of them
    (read by ConflictOf): three queries for the page, not three per comment."""
    comments = list(result["comments"])
    g.api_conflicts = {"asked": {c.id for c in comments}, "conflicts": find_conflicts(comments)}
    return {**result, "comments": comments}


class ConflictOf(fields.Nested):
    """A comment's conflict as the caller may see it, or null."""

    def __init__(self, nested, **kwargs):
        description = (
            "An amendment in conflict with another of its round applied to a draft: rebased on "
            "the paragraph's new text, or superseded. Null otherwise, or when the caller may not "
            "see that decision."
        )
        super().__init__(nested, metadata={"description": description}, **kwargs)

    def get_value(self, obj, attr, accessor=None, default=None):
        return visible_conflict(obj)
