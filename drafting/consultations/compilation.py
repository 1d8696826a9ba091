"""The compilation of a round: every comment and amendment, paragraph by paragraph.

Loaded in a fixed number of queries whatever the size of the round (the round, its paragraphs,
its comments with their delegations, co-sponsors and decisions), then grouped in Python by the
paragraph's stable identity. The page, the Word files and the CSV file all read the same
`Compilation`, so they always show the same comments in the same order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from markupsafe import Markup

from drafting.auth.models import Delegation, User
from drafting.consultations.compilation_rows import load_comment_rows
from drafting.consultations.conflicts import Conflict, find_conflicts
from drafting.consultations.models import (
    Comment,
    CommentKind,
    Consultation,
    DecisionRevision,
    Outcome,
)
from drafting.consultations.presenting import proposal_html
from drafting.consultations.queries import load_paragraphs
from drafting.documents.models import Document, Paragraph, Version
from drafting.extensions import N_
from drafting.text.inline import display_text

# Within a paragraph: comments on its section, then on the paragraph, then amendments to it;
# proposals to insert a paragraph after it come right after it, on their own.
_KIND_ORDER = {
    CommentKind.GENERAL: 0,
    CommentKind.SECTION: 1,
    CommentKind.PARAGRAPH: 2,
    CommentKind.REPLACE: 3,
    CommentKind.DELETE: 4,
    CommentKind.INSERT: 5,
}
KIND_FILTERS = {
    "comment": N_("Comments (all kinds)"),
    "amendment": N_("Amendments (all kinds)"),
    **{kind.value: kind.title for kind in CommentKind},
}
NO_DECISION = "none"
# Who wrote a comment down: the secretariat on the delegation's behalf, or the delegation.
RECORDED_FILTERS = {"secretariat": "Recorded by the secretariat", "delegation": "By the delegation"}
DECISION_FILTERS = {
    NO_DECISION: N_("No decision yet"),
    **{outcome.value: outcome.title for outcome in Outcome},
}


@dataclass(frozen=True)
class CompilationFilters:
    """What the reader narrowed the compilation to, read from the query string. Values that
    mean nothing (an unknown kind, say) are ignored rather than refused: a filter only hides."""

    delegation: str = ""  # a delegation's code
    kind: str = ""  # "comment", "amendment" or a CommentKind value
    decision: str = ""  # NO_DECISION or an Outcome value
    late: bool = False  # only comments received after the deadline
    withdrawn: bool = False  # show withdrawn comments too (the secretariat sees them)
    commented_only: bool = False  # only paragraphs with a comment shown
    recorded: str = ""  # a RECORDED_FILTERS key

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> CompilationFilters:
        kind = args.get("kind", "")
        decision = args.get("decision", "")
        return cls(
            delegation=args.get("delegation", "").strip().upper()[:16],
            kind=kind if kind in KIND_FILTERS else "",
            decision=decision if decision in DECISION_FILTERS else "",
            late=args.get("late") == "1",
            withdrawn=args.get("withdrawn") == "1",
            commented_only=args.get("commented") == "1",
            recorded=recorded if (recorded := args.get("recorded", "")) in RECORDED_FILTERS else "",
        )

    def query_args(self) -> dict[str, str]:
        """The filters as query-string arguments, for links and forms that keep them."""
        args = {
            "delegation": self.delegation,
            "kind": self.kind,
            "decision": self.decision,
            "late": "1" if self.late else "",
            "withdrawn": "1" if self.withdrawn else "",
            "commented": "1" if self.commented_only else "",
            "recorded": self.recorded,
        }
        return {name: value for name, value in args.items() if value}

    @property
    def active(self) -> bool:
        return bool(self.query_args())

    def matches(self, comment: Comment) -> bool:
        if comment.is_withdrawn and not self.withdrawn:
            return False
        if self.delegation and comment.delegation.code.upper() != self.delegation:
            return False
        if self.kind == "comment" and comment.is_amendment:
            return False
        if self.kind == "amendment" and not comment.is_amendment:
            return False
        if self.kind not in ("", "comment", "amendment") and comment.kind.value != self.kind:
            return False
        if self.decision == NO_DECISION and comment.decision is not None:
            return False
        if self.decision not in ("", NO_DECISION) and (
            comment.decision is None or comment.decision.outcome.value != self.decision
        ):
            return False
        if self.recorded and (comment.recorded_by_id is not None) != (
            self.recorded == "secretariat"
        ):
            return False
        return not (self.late and not comment.is_late)


@dataclass
class Figures:
    """How many comments one delegation (or everyone, ``delegation`` None) sent and what
    became of them. Counted over the whole round, whatever the filters."""

    delegation: Delegation | None
    received: int = 0  # submitted (and not withdrawn)
    on_time: int = 0
    late: int = 0
    amendments: int = 0
    decided: int = 0
    taken_into_account: int = 0  # accepted or partly accepted
    withdrawn: int = 0

    def count(self, comment: Comment) -> None:
        if comment.is_withdrawn:
            self.withdrawn += 1
            return
        self.received += 1
        if comment.is_late:
            self.late += 1
        else:
            self.on_time += 1
        if comment.is_amendment:
            self.amendments += 1
        if comment.decision is not None:
            self.decided += 1
            if comment.decision.outcome.taken_into_account:
                self.taken_into_account += 1


@dataclass
class Section:
    """One heading or paragraph of the consulted version and what was said about it."""

    paragraph: Paragraph
    comments: list[Comment] = field(default_factory=list)  # on it (section, paragraph, amendments)
    insertions: list[Comment] = field(default_factory=list)  # new paragraphs proposed after it

    @property
    def shown(self) -> list[Comment]:
        return [*self.comments, *self.insertions]

    @property
    def anchor(self) -> str:
        return self.paragraph.anchor


@dataclass
class Compilation:
    consultation: Consultation
    paragraphs: list[Paragraph]
    comments: list[Comment]  # every comment the reader may see, drafts never
    filters: CompilationFilters
    general: list[Comment]
    sections: list[Section]
    elsewhere: list[Comment]  # on a paragraph the version does not have (should not happen)
    figures: list[Figures]
    total: Figures
    decision_history: dict[int, list[DecisionRevision]] = field(default_factory=dict)
    # Amendments in conflict with one applied to a draft, by comment id (see conflicts.py).
    conflicts: dict[int, Conflict] = field(default_factory=dict)

    @property
    def version(self) -> Version:
        return self.consultation.version

    @property
    def document(self) -> Document:
        return self.consultation.version.document

    @cached_property
    def paragraphs_by_uid(self) -> dict[str, Paragraph]:
        return {p.uid: p for p in self.paragraphs}

    @cached_property
    def delegations(self) -> list[Delegation]:
        """The delegations the filter offers: those invited and any that commented."""
        found = {d.id: d for d in self.consultation.invited}
        for comment in self.comments:
            found.setdefault(comment.delegation_id, comment.delegation)
        return sorted(found.values(), key=lambda d: d.name.casefold())

    @property
    def shown_count(self) -> int:
        return sum(1 for _ in self.shown())

    @property
    def available_count(self) -> int:
        """How many comments there are to show: withdrawn ones only when asked for."""
        return sum(1 for c in self.comments if self.filters.withdrawn or not c.is_withdrawn)

    def shown(self) -> Iterator[tuple[Paragraph | None, Comment]]:
        """Every comment the filters let through, in the compilation's order, with the
        paragraph it is on (None for a comment on the whole text)."""
        for comment in self.general:
            yield None, comment
        for section in self.sections:
            for comment in section.shown:
                yield section.paragraph, comment
        for comment in self.elsewhere:
            yield self.paragraphs_by_uid.get(comment.paragraph_uid or ""), comment

    def earlier_decisions(self, comment: Comment) -> list[DecisionRevision]:
        """The decisions this comment had before the one it has now, the latest first."""
        history = self.decision_history.get(comment.id, [])
        return list(reversed(history[:-1]))

    def conflict_of(self, comment: Comment) -> Conflict | None:
        return self.conflicts.get(comment.id)

    def paragraph_of(self, comment: Comment) -> Paragraph | None:
        return self.paragraphs_by_uid.get(comment.paragraph_uid or "")

    def diff_html(self, comment: Comment) -> Markup:
        """A proposed replacement as a word-level redline against the paragraph's text (what a
        reader sees of both: Markdown markers would only be noise in a redline)."""
        return proposal_html(CommentKind.REPLACE, self.paragraph_of(comment), comment.proposed_text)


def place_comments(
    comments: Iterable[Comment], sections: dict[str, Section]
) -> tuple[list[Comment], list[Comment]]:
    """Put each comment, in the compilation's order, with the section of its paragraph (as a
    comment on it or a new paragraph after it); gives back those on the whole text and those
    on a paragraph the version does not have."""
    general: list[Comment] = []
    elsewhere: list[Comment] = []
    for comment in sorted(comments, key=lambda c: (_KIND_ORDER[c.kind], c.submitted_dt, c.id)):
        section = sections.get(comment.paragraph_uid or "")
        if comment.kind == CommentKind.GENERAL:
            general.append(comment)
        elif section is None:
            elsewhere.append(comment)
        elif comment.kind == CommentKind.INSERT:
            section.insertions.append(comment)
        else:
            section.comments.append(comment)
    return general, elsewhere


def compile_round(
    user: User, consultation: Consultation, filters: CompilationFilters | None = None
) -> Compilation:
    """The compilation of ``consultation`` as ``user`` may see it, narrowed by ``filters``, for
    the files that hold all of it: its comments as plain rows (compilation_rows), without the
    decisions' history, which no file prints. (The page reads one part at a time:
    compilation_pages.)"""
    filters = filters or CompilationFilters()
    paragraphs = load_paragraphs(consultation)
    comments = load_comment_rows(user, consultation)

    sections = {p.uid: Section(p) for p in paragraphs}
    general, elsewhere = place_comments((c for c in comments if filters.matches(c)), sections)
    ordered = list(sections.values())
    if filters.commented_only:
        ordered = [s for s in ordered if s.shown]

    per_delegation = {d.id: Figures(d) for d in consultation.invited}
    total = Figures(None)
    for comment in comments:
        figures = per_delegation.get(comment.delegation_id)
        if figures is None:
            figures = per_delegation[comment.delegation_id] = Figures(comment.delegation)
        figures.count(comment)
        total.count(comment)
    return Compilation(
        consultation=consultation,
        paragraphs=paragraphs,
        comments=comments,
        filters=filters,
        general=general,
        sections=ordered,
        elsewhere=elsewhere,
        figures=sorted(per_delegation.values(), key=lambda f: f.delegation.name.casefold()),
        total=total,
        conflicts=find_conflicts(comments),
    )


def paragraph_reference(paragraph: Paragraph | None) -> str:
    """How a paragraph is named in a table: its label ("3."), or a heading's text."""
    if paragraph is None:
        return "General"
    if paragraph.label:
        return paragraph.label
    text = " ".join(display_text(paragraph.text).split())
    return text if len(text) <= 60 else text[:59] + "…"
