"""The refusals that the operations of a round raise. Each carries a message meant for the person
who asked, and some carry what the page needs to show beside it (the server's clock at a missed
deadline, the colleague's text of a stale edit, the comment a form had already stored).
"""

from __future__ import annotations

from datetime import datetime

from drafting.consultations.models import Comment
from drafting.times import format_instant


class ConsultationError(ValueError):
    """A request that cannot be done; the message is meant for the person who made it."""


class DeadlineRefused(ConsultationError):
    """A write outside the round's window. ``now`` is the server's clock when it decided."""

    def __init__(self, message: str, *, now: datetime, deadline: datetime | None = None):
        super().__init__(message)
        self.now = now
        self.deadline = deadline


class StaleEdit(ConsultationError):
    """An edit made from an older revision than the stored one: a colleague saved meanwhile."""

    def __init__(self, comment: Comment):
        who = comment.updated_by.name if comment.updated_by else "A colleague"
        super().__init__(
            f"{who} saved this comment at "
            f"{format_instant(comment.updated_dt, comment.consultation.timezone)} while you "
            "were editing it. Nothing of yours was saved: your text is kept below and theirs is "
            "shown beside it. Merge the two and save again."
        )
        self.comment = comment


class AlreadySent(ConsultationError):
    """A new-comment form sent again with other text than the first time: neither is dropped;
    ``comment`` is what was stored from the first sending."""

    def __init__(self, comment: Comment):
        super().__init__(
            "This form was already sent, with other text: that first text was saved and is "
            "shown beside yours. Nothing else was saved. Edit the saved comment to change it."
        )
        self.comment = comment
