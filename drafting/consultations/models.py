"""Rounds of written comments on a published version, the comments and amendments delegations
submit, their history, co-sponsors, and the secretariat's decision on each."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
)
from sqlalchemy.orm import Mapped, declared_attr, foreign, mapped_column, relationship

from drafting.audit.chain import fingerprint
from drafting.auth.models import Delegation, User
from drafting.consultations import deadlines
from drafting.consultations.deadlines import LateRule, RoundState, Window
from drafting.consultations.vocabulary import (
    CommentKind,
    CommentState,
    CommentStatus,
    Outcome,
    StanceKind,
    Visibility,
)
from drafting.database import UTCDateTime, db_enum, has_member, utcnow
from drafting.documents.models import Paragraph, Version
from drafting.extensions import db

consultation_invitations = Table(
    "consultation_invitations",
    db.metadata,
    Column("consultation_id", ForeignKey("consultations.id", ondelete="CASCADE"), primary_key=True),
    Column("delegation_id", ForeignKey("delegations.id", ondelete="CASCADE"), primary_key=True),
)


class Consultation(db.Model):
    """A round of written comments on one published version, open between two exact instants.

    Times are stored in UTC; ``timezone`` is the IANA zone in which the secretariat set them and
    in which they are announced ("18:00 Vienna time").
    """

    __tablename__ = "consultations"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    instructions: Mapped[str] = mapped_column(Text, default="")
    opens_dt: Mapped[datetime] = mapped_column(UTCDateTime)
    closes_dt: Mapped[datetime] = mapped_column(UTCDateTime)
    timezone: Mapped[str] = mapped_column(String(64))
    visibility: Mapped[Visibility] = mapped_column(db_enum(Visibility), default=Visibility.SEALED)
    late_rule: Mapped[LateRule] = mapped_column(db_enum(LateRule), default=LateRule.REFUSE)
    closed_early_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    version: Mapped[Version] = relationship(lazy="joined")
    invited: Mapped[list[Delegation]] = relationship(
        secondary=consultation_invitations, order_by=Delegation.name
    )
    extensions: Mapped[list[Extension]] = relationship(
        back_populates="consultation", cascade="all, delete-orphan"
    )

    @property
    def document(self):
        return self.version.document

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def is_invited(self, delegation_id: int | None) -> bool:
        """Whether the delegation is invited (see has_member: no loading of every invitation
        when ``invited`` is not loaded)."""
        return has_member(
            self, "invited", consultation_invitations, "consultation_id", delegation_id
        )

    def extension_for(self, delegation_id: int | None) -> Extension | None:
        return next((e for e in self.extensions if e.delegation_id == delegation_id), None)

    # The deadline rule lives in `deadlines`; these read it off the round.

    def deadline_for(self, delegation_id: int | None) -> datetime:
        return deadlines.deadline_for(self, delegation_id)

    @property
    def final_deadline(self) -> datetime:
        return deadlines.final_deadline(self)

    def has_opened(self, now: datetime) -> bool:
        return now >= self.opens_dt

    def is_open_for(self, delegation_id: int | None, now: datetime) -> bool:
        return self.opens_dt <= now < self.deadline_for(delegation_id)

    def has_closed(self, now: datetime) -> bool:
        return now >= self.final_deadline

    def window_for(self, delegation_id: int | None, now: datetime, *, late_ok: bool) -> Window:
        return deadlines.window(self, delegation_id, now, late_ok=late_ok)

    def state_for(self, delegation_id: int | None, now: datetime) -> RoundState:
        return deadlines.state_for(self, delegation_id, now)

    def state(self, now: datetime) -> RoundState:
        return deadlines.state(self, now)

    def __repr__(self) -> str:
        return f"<Consultation {self.id} {self.title!r}>"


class Extension(db.Model):
    """A later deadline granted to one delegation."""

    __tablename__ = "consultation_extensions"
    __table_args__ = (UniqueConstraint("consultation_id", "delegation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"))
    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegations.id"))
    closes_dt: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(Text, default="")
    granted_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    consultation: Mapped[Consultation] = relationship(back_populates="extensions")
    delegation: Mapped[Delegation] = relationship(lazy="joined")


class Comment(CommentState, db.Model):
    """What a delegation says about the text: a comment, or an amendment proposing text.

    ``paragraph_uid`` is the stable identity of the paragraph it is about, so that the comment
    follows the paragraph into later versions; ``paragraph_id`` is that paragraph as it stood in
    the consulted version. ``revision`` counts saves: an edit names the revision it started from.
    """

    __tablename__ = "comments"
    __table_args__ = (
        UniqueConstraint("delegation_id", "form_token"),
        Index("ix_comments_consultation_status", "consultation_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"))
    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegations.id"), index=True)
    kind: Mapped[CommentKind] = mapped_column(db_enum(CommentKind))
    paragraph_id: Mapped[int | None] = mapped_column(ForeignKey("paragraphs.id"))
    paragraph_uid: Mapped[str | None] = mapped_column(String(32), index=True)
    quote: Mapped[str] = mapped_column(Text, default="")
    quote_language: Mapped[str] = mapped_column(String(8), default="", server_default="")
    body: Mapped[str] = mapped_column(Text, default="")  # the comment, or the justification
    proposed_text: Mapped[str] = mapped_column(Text, default="")  # for replace and insert
    status: Mapped[CommentStatus] = mapped_column(
        db_enum(CommentStatus), default=CommentStatus.DRAFT
    )
    is_late: Mapped[bool] = mapped_column(default=False)
    revision: Mapped[int] = mapped_column(default=1)
    form_token: Mapped[str] = mapped_column(String(64))  # one form sent twice: one comment
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    submitted_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    withdrawn_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Recorded by the secretariat on the delegation's behalf (an oral statement in the meeting,
    # an e-mail, a letter, a marked-up Word file): who wrote it down, from what, received when.
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_source: Mapped[str] = mapped_column(Text, default="", server_default="")
    received_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)

    consultation: Mapped[Consultation] = relationship()
    delegation: Mapped[Delegation] = relationship(lazy="joined")
    paragraph: Mapped[Paragraph | None] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    updated_by: Mapped[User] = relationship(foreign_keys=[updated_by_id])
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])
    decision: Mapped[Decision | None] = relationship(
        back_populates="comment", uselist=False, cascade="all, delete-orphan"
    )
    decision_revisions: Mapped[list[DecisionRevision]] = relationship(
        order_by="DecisionRevision.revision", cascade="all, delete-orphan", viewonly=True
    )
    supports: Mapped[list[Support]] = relationship(
        back_populates="comment", order_by="Support.created_dt", cascade="all, delete-orphan"
    )
    revisions: Mapped[list[CommentRevision]] = relationship(
        back_populates="comment", order_by="CommentRevision.revision", cascade="all, delete-orphan"
    )

    @property
    def supporters(self) -> list[Delegation]:
        return [s.delegation for s in self.supports]

    def fingerprint(self) -> str:
        """What each event of the comment records of it, for `drafting verify`."""
        return fingerprint(
            {
                "consultation": self.consultation_id,
                "delegation": self.delegation_id,
                "kind": self.kind.value,
                "paragraph_uid": self.paragraph_uid,
                "quote": self.quote,
                "body": self.body,
                "proposed_text": self.proposed_text,
                "status": self.status.value,
                "is_late": self.is_late,
                "created_by": self.created_by_id,
                "submitted_dt": self.submitted_dt,
                "submitted_by": self.submitted_by_id,
            }
        )

    def __repr__(self) -> str:
        return f"<Comment {self.id} {self.kind} {self.status}>"


class CommentRevision(db.Model):
    """A comment as it stood after each save, submission or withdrawal: its history."""

    __tablename__ = "comment_revisions"
    __table_args__ = (UniqueConstraint("comment_id", "revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    revision: Mapped[int]
    kind: Mapped[CommentKind] = mapped_column(db_enum(CommentKind))
    paragraph_uid: Mapped[str | None] = mapped_column(String(32))
    quote: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    proposed_text: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[CommentStatus] = mapped_column(db_enum(CommentStatus))
    action: Mapped[str] = mapped_column(String(16))  # created, edited, submitted, withdrawn
    saved_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    saved_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    comment: Mapped[Comment] = relationship(back_populates="revisions")
    saved_by: Mapped[User] = relationship(lazy="joined")


class Support(db.Model):
    """Another delegation joining a submitted amendment as a co-sponsor ("supported by")."""

    __tablename__ = "comment_supports"
    __table_args__ = (UniqueConstraint("comment_id", "delegation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegations.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    comment: Mapped[Comment] = relationship(back_populates="supports")
    delegation: Mapped[Delegation] = relationship(lazy="joined")


class AmendmentStance(db.Model):
    """A delegation's support for, or objection to, another delegation's amendment, with its
    reason; one per amendment and delegation, changed in place, deleted when withdrawn (the
    audit trail keeps every change)."""

    __tablename__ = "amendment_stances"
    __table_args__ = (UniqueConstraint("comment_id", "delegation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegations.id"))
    kind: Mapped[StanceKind] = mapped_column(db_enum(StanceKind))
    reason: Mapped[str] = mapped_column(Text, default="")
    stated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    stated_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    delegation: Mapped[Delegation] = relationship(lazy="joined")


class ReflectsParagraph:
    """A decision's link to the paragraph that reflects it (a version and a paragraph identity),
    for the decision and each revision of its history alike. Both declare the two columns."""

    # Joined with its row, so that a page of thousands of decisions names each paragraph by its
    # current number without a query per decision.
    @declared_attr
    def reflected_paragraph(cls) -> Mapped[Paragraph | None]:  # noqa: N805
        return relationship(
            primaryjoin=lambda: and_(
                foreign(cls.reflected_version_id) == Paragraph.version_id,
                foreign(cls.reflected_paragraph_uid) == Paragraph.uid,
            ),
            viewonly=True,
            uselist=False,
            lazy="joined",
        )

    @property
    def is_linked(self) -> bool:
        return self.reflected_version_id is not None and self.reflected_paragraph_uid is not None


class Decision(ReflectsParagraph, db.Model):
    """What the secretariat did with a comment, and whether delegations may see it.

    Where it is reflected is a link to a paragraph (its stable identity in a version), shown
    with that paragraph's current number, so that it never goes stale; ``reflected_in`` is an
    optional note in the secretariat's words. Every change appends a DecisionRevision.
    """

    __tablename__ = "decisions"
    __table_args__ = (UniqueConstraint("comment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    outcome: Mapped[Outcome] = mapped_column(db_enum(Outcome))
    justification: Mapped[str] = mapped_column(Text, default="")
    is_shared: Mapped[bool] = mapped_column(default=True)  # shown to delegations, or internal
    reflected_in: Mapped[str] = mapped_column(String(200), default="")  # a note, free text
    reflected_paragraph_uid: Mapped[str | None] = mapped_column(String(32))
    # The version holding that paragraph (a working draft until it is published).
    reflected_version_id: Mapped[int | None] = mapped_column(ForeignKey("versions.id"), index=True)
    # Counts changes: "Apply" names the revision it was shown, so none is replaced unseen.
    revision: Mapped[int] = mapped_column(default=1, server_default="1")
    decided_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: system

    comment: Mapped[Comment] = relationship(back_populates="decision")
    decided_by: Mapped[User | None] = relationship(lazy="joined")
    reflected_version: Mapped[Version | None] = relationship(
        foreign_keys=[reflected_version_id], lazy="joined"
    )

    def fingerprint(self) -> str:
        """What each event of the decision records of it, for `drafting verify`."""
        return fingerprint(
            {
                "comment": self.comment.id if self.comment is not None else self.comment_id,
                "outcome": self.outcome.value,
                "justification": self.justification,
                "is_shared": self.is_shared,
                "reflected_in": self.reflected_in,
                "reflected_paragraph_uid": self.reflected_paragraph_uid,
                "reflected_version": self.reflected_version_id,
                "decided_dt": self.decided_dt,
                "decided_by": self.decided_by_id,
            }
        )


class DecisionRevision(ReflectsParagraph, db.Model):
    """A decision as it stood after each change: append-only (a database trigger refuses
    updates and deletes), so a decision replaced, by "Apply" or in the compilation, stays on
    record with its justification."""

    __tablename__ = "decision_revisions"
    __table_args__ = (UniqueConstraint("comment_id", "revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    revision: Mapped[int]
    action: Mapped[str] = mapped_column(String(16))  # recorded, changed, applied, published
    outcome: Mapped[Outcome] = mapped_column(db_enum(Outcome))
    justification: Mapped[str] = mapped_column(Text, default="")
    is_shared: Mapped[bool]
    reflected_in: Mapped[str] = mapped_column(String(200), default="")
    reflected_paragraph_uid: Mapped[str | None] = mapped_column(String(32))
    reflected_version_id: Mapped[int | None] = mapped_column(ForeignKey("versions.id"))
    decided_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    decided_by: Mapped[User | None] = relationship(lazy="joined")
    reflected_version: Mapped[Version | None] = relationship(lazy="joined")
