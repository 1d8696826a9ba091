"""The closed lists a round of comments is described with: who sees what is submitted, the kinds
of comment, a comment's status, and what the secretariat decided. Stored by value; the models and
the pages import them from here (or through `consultations.models`)."""

from __future__ import annotations

import enum


class Visibility(enum.StrEnum):
    """Who sees a delegation's submitted comments, besides the delegation and the secretariat."""

    SEALED = "sealed"  # other delegations see them once the round has closed for everyone
    OPEN = "open"  # every participant sees them as soon as they are submitted
    SECRETARIAT = "secretariat"  # only the secretariat (and, after the deadline, the chair)

    @property
    def title(self) -> str:
        return {
            "sealed": "Sealed until the deadline",
            "open": "Open: all see all at once",
            "secretariat": "Secretariat only",
        }[self.value]


class CommentKind(enum.StrEnum):
    GENERAL = "general"  # on the whole text: general and structural comments
    SECTION = "section"  # on a section, by its heading
    PARAGRAPH = "paragraph"  # on one paragraph, optionally quoting a passage
    REPLACE = "replace"  # amendment: proposed replacement text for a paragraph
    INSERT = "insert"  # amendment: a new paragraph after a given one
    DELETE = "delete"  # amendment: delete a paragraph

    @property
    def is_amendment(self) -> bool:
        return self in AMENDMENT_KINDS

    @property
    def needs_paragraph(self) -> bool:
        return self != CommentKind.GENERAL

    @property
    def title(self) -> str:
        return KIND_TITLES[self]


AMENDMENT_KINDS = frozenset({CommentKind.REPLACE, CommentKind.INSERT, CommentKind.DELETE})
KIND_TITLES = {
    CommentKind.GENERAL: "General comment",
    CommentKind.SECTION: "Comment on a section",
    CommentKind.PARAGRAPH: "Comment on a paragraph",
    CommentKind.REPLACE: "Amendment: new wording",
    CommentKind.INSERT: "Amendment: new paragraph after",
    CommentKind.DELETE: "Amendment: delete the paragraph",
}


class CommentStatus(enum.StrEnum):
    DRAFT = "draft"  # the delegation's private draft: its colleagues see and edit it
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"


class Outcome(enum.StrEnum):
    ACCEPTED = "accepted"
    PARTLY_ACCEPTED = "partly_accepted"
    NOT_RETAINED = "not_retained"
    NOTED = "noted"
    # Another amendment on the same words was applied first: this one's text no longer exists.
    SUPERSEDED = "superseded"

    @property
    def title(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def taken_into_account(self) -> bool:
        return self in (Outcome.ACCEPTED, Outcome.PARTLY_ACCEPTED)


class StanceKind(enum.StrEnum):
    """Where a delegation stands on another delegation's amendment (not co-sponsoring: a
    supporter does not put its name to the text)."""

    SUPPORT = "support"
    OBJECTION = "objection"

    @property
    def title(self) -> str:
        return self.value.capitalize()
