"""The closed lists a round of comments is described with: who sees what is submitted, the kinds
of comment, a comment's status, and what the secretariat decided. Stored by value; the models and
the pages import them from here (or through `consultations.models`)."""

from __future__ import annotations

import enum

from drafting.extensions import N_


class Visibility(enum.StrEnum):
    """Who sees a delegation's submitted comments, besides the delegation and the secretariat."""

    SEALED = "sealed"  # other delegations see them once the round has closed for everyone
    OPEN = "open"  # every participant sees them as soon as they are submitted
    SECRETARIAT = "secretariat"  # only the secretariat (and, after the deadline, the chair)

    @property
    def title(self) -> str:
        return {
            "sealed": N_("Sealed until the deadline"),
            "open": N_("Open: all see all at once"),
            "secretariat": N_("Secretariat only"),
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
    CommentKind.GENERAL: N_("General comment"),
    CommentKind.SECTION: N_("Comment on a section"),
    CommentKind.PARAGRAPH: N_("Comment on a paragraph"),
    CommentKind.REPLACE: N_("Amendment: new wording"),
    CommentKind.INSERT: N_("Amendment: new paragraph after"),
    CommentKind.DELETE: N_("Amendment: delete the paragraph"),
}


class CommentStatus(enum.StrEnum):
    DRAFT = "draft"  # the delegation's private draft: its colleagues see and edit it
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"


class CommentState:
    """What a comment's ``kind`` and ``status`` say of it, for the model and for the plain rows
    the exports read (consultations.compilation_rows) alike."""

    __slots__ = ()

    @property
    def is_amendment(self) -> bool:
        return self.kind.is_amendment

    @property
    def is_draft(self) -> bool:
        return self.status == CommentStatus.DRAFT

    @property
    def is_submitted(self) -> bool:
        return self.status == CommentStatus.SUBMITTED

    @property
    def is_withdrawn(self) -> bool:
        return self.status == CommentStatus.WITHDRAWN


class Outcome(enum.StrEnum):
    ACCEPTED = "accepted"
    PARTLY_ACCEPTED = "partly_accepted"
    NOT_RETAINED = "not_retained"
    NOTED = "noted"
    # Another amendment on the same words was applied first: this one's text no longer exists.
    SUPERSEDED = "superseded"

    @property
    def title(self) -> str:
        return OUTCOME_TITLES[self.value]

    @property
    def taken_into_account(self) -> bool:
        return self in (Outcome.ACCEPTED, Outcome.PARTLY_ACCEPTED)


OUTCOME_TITLES = {
    "accepted": N_("Accepted"),
    "partly_accepted": N_("Partly accepted"),
    "not_retained": N_("Not retained"),
    "noted": N_("Noted"),
    "superseded": N_("Superseded"),
}


class StanceKind(enum.StrEnum):
    """Where a delegation stands on another delegation's amendment (not co-sponsoring: a
    supporter does not put its name to the text)."""

    SUPPORT = "support"
    OBJECTION = "objection"

    @property
    def title(self) -> str:
        return self.value.capitalize()
