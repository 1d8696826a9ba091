"""A comment's history: each revision the reader may see, with a word diff against the one
shown before it."""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template
from flask_babel import gettext
from flask_login import current_user, login_required
from markupsafe import Markup

from drafting.compare.html import diff_to_html
from drafting.compare.words import diff_words
from drafting.consultations.models import Comment, CommentStatus
from drafting.consultations.presenting import proposal_html
from drafting.pages.comments.blueprint import anchor_of, bp
from drafting.pages.consultations import load_comment


@dataclass
class Step:
    """One revision of a comment as the reader may see it, with what changed since the one
    shown before it."""

    revision: object
    changes: dict[str, Markup | None]  # field → word diff, None when unchanged
    first: bool
    number: int  # the revision's number, or for readers outside the delegation its place
    saved_by: str  # who saved it: a delegate's name, or outside the delegation its code


def _fields(comment: Comment) -> tuple[tuple[str, str], ...]:
    body = gettext("Justification") if comment.is_amendment else gettext("Comment")
    return (
        ("quote", gettext("Quoted passage")),
        ("body", body),
        ("proposed_text", gettext("Proposed text")),
    )


def _shown_revisions(comment: Comment, insider: bool) -> list:
    """The revisions the reader may see. The delegation's own people see every save; anyone
    else (the secretariat too) only what the delegation sent: from its first submission on,
    never a draft, since drafts are the delegation's private work."""
    revisions = list(comment.revisions)
    if insider:
        return revisions
    first = next((r.revision for r in revisions if r.status == CommentStatus.SUBMITTED), None)
    if first is None:
        return []
    return [r for r in revisions if r.status != CommentStatus.DRAFT and r.revision >= first]


def _steps(revisions, fields, *, insider: bool, code: str) -> list[Step]:
    """Each revision shown, with a word diff against the one shown before it (never against
    one the reader may not see)."""
    steps, previous = [], None
    for place, revision in enumerate(revisions, start=1):
        changes: dict[str, Markup | None] = {}
        for name, _title in fields:
            now = getattr(revision, name) or ""
            before = (getattr(previous, name) or "") if previous is not None else ""
            if previous is None or now == before:
                changes[name] = None
            else:
                changes[name] = diff_to_html(diff_words(before, now))
        steps.append(
            Step(
                revision,
                changes,
                previous is None,
                number=revision.revision if insider else place,
                saved_by=(revision.saved_by.name if revision.saved_by else code)
                if insider
                else code,
            )
        )
        previous = revision
    return steps


def _history_page(comment: Comment, insider: bool, steps: list[Step]):
    consultation = comment.consultation
    paragraph = comment.paragraph
    return render_template(
        "comments/history.html",
        comment=comment,
        consultation=consultation,
        version=consultation.version,
        document=consultation.version.document,
        paragraph=paragraph,
        steps=steps,
        insider=insider,
        fields=_fields(comment),
        proposal=proposal_html(comment.kind, paragraph, comment.proposed_text),
        anchor=anchor_of(comment),
    )


@bp.route("/comments/<id:comment_id>/history")
@login_required
def history(comment_id: int):
    comment = load_comment(comment_id)
    insider = comment.delegation_id == current_user.delegation_id
    steps = _steps(
        _shown_revisions(comment, insider),
        _fields(comment),
        insider=insider,
        code=comment.delegation.code,
    )
    return _history_page(comment, insider, steps)
