"""`drafting verify` compares the tables with what the audit trail recorded: a published text
rewritten with its hash recomputed, a submitted comment, a submission time, a decision or a role
changed by someone with SQL, each is named; an untouched database verifies clean."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import bindparam, text
from sqlalchemy.exc import DatabaseError
from sqlalchemy.sql.elements import TextClause

from drafting.consultations.models import Comment, CommentStatus, Decision
from drafting.database import UTCDateTime
from drafting.documents.models import Version
from drafting.extensions import db


def as_a_dba(table: str, *statements: str | TextClause, **params) -> None:
    """Run SQL on ``table`` as its owner could, with its triggers out of the way, then back."""
    db.session.commit()
    postgres = db.engine.dialect.name == "postgresql"
    with db.engine.begin() as conn:
        if postgres:
            conn.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
        else:
            triggers = conn.execute(
                text(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t"
                ),
                {"t": table},
            ).all()
            for name, _sql in triggers:
                conn.execute(text(f"DROP TRIGGER {name}"))
        for statement in statements:
            conn.execute(text(statement) if isinstance(statement, str) else statement, params)
        if postgres:
            conn.execute(text(f"ALTER TABLE {table} ENABLE TRIGGER USER"))
        else:
            for _name, sql in triggers:
                conn.execute(text(sql))
    db.session.expire_all()


@pytest.fixture
def demo(runner):
    """The sample: published drafts, a round, submitted comments, a draft and decisions."""
    assert runner.invoke(args=["demo"]).exit_code == 0
    db.session.commit()


def submitted(code: str = "AUT") -> Comment:
    return next(
        c
        for c in db.session.scalars(db.select(Comment).order_by(Comment.id))
        if c.status == CommentStatus.SUBMITTED and c.delegation.code == code
    )


def verify(runner) -> tuple[int, str]:
    result = runner.invoke(args=["verify"])
    return result.exit_code, result.output


def test_the_untouched_sample_verifies_clean(demo, runner):
    code, output = verify(runner)
    assert code == 0, output
    assert "The tables say what the audit trail recorded" in output
    assert "could not be compared" not in output


def test_a_published_paragraph_rewritten_with_its_hash_recomputed_is_named(demo, runner):
    zero = db.session.scalar(db.select(Version).where(Version.label == "Zero draft"))
    zero_id = zero.id
    as_a_dba(
        "paragraphs", "UPDATE paragraphs SET text = 'We reject.' WHERE version_id = :v", v=zero_id
    )
    rewritten = db.session.get(Version, zero_id).compute_hash()
    as_a_dba("versions", "UPDATE versions SET text_hash = :h WHERE id = :v", h=rewritten, v=zero_id)
    code, output = verify(runner)
    assert code != 0
    assert f"TAMPERED version #{zero_id} “Zero draft”" in output
    assert "All 2 published versions match their hash" in output  # the old check alone passes


def test_a_changed_submitted_comment_is_named(demo, runner):
    comment_id = submitted().id
    as_a_dba(
        "comments", "UPDATE comments SET body = 'We never said that.' WHERE id = :c", c=comment_id
    )
    code, output = verify(runner)
    assert code != 0 and f"TAMPERED comment #{comment_id} of AUT" in output


def test_a_rewritten_submission_time_is_named(demo, runner):
    comment_id = submitted("PAK").id
    earlier = text("UPDATE comments SET submitted_dt = :t WHERE id = :c").bindparams(
        bindparam("t", type_=UTCDateTime)
    )
    as_a_dba("comments", earlier, t=datetime(2029, 12, 1, 10, 0, tzinfo=UTC), c=comment_id)
    code, output = verify(runner)
    assert code != 0 and f"TAMPERED comment #{comment_id} of PAK" in output


def test_a_changed_decision_is_named(demo, runner):
    decision = db.session.scalar(db.select(Decision).order_by(Decision.id))
    comment_id = decision.comment_id
    as_a_dba(
        "decisions", "UPDATE decisions SET outcome = 'not_retained' WHERE id = :d", d=decision.id
    )
    code, output = verify(runner)
    assert code != 0 and f"TAMPERED the decision on comment #{comment_id}" in output


def test_a_changed_role_is_named(demo, runner):
    as_a_dba("users", "UPDATE users SET role = 'secretariat' WHERE email = 'delegate@example.org'")
    code, output = verify(runner)
    assert code != 0 and "TAMPERED delegate@example.org" in output
    assert "their role is secretariat, not the delegate" in output


def test_the_service_cannot_rewrite_a_submission_time(demo):
    comment = submitted()
    with pytest.raises(DatabaseError, match="keeps its round, author and submission"):
        db.session.execute(
            db.update(Comment).where(Comment.id == comment.id).values(submitted_by_id=None)
        )
        db.session.flush()
    db.session.rollback()


def test_the_service_cannot_rewrite_a_comments_history(demo):
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(text("UPDATE comment_revisions SET body = 'Rewritten.'"))
    db.session.rollback()


def test_a_comment_slipped_into_the_table_is_named(demo, runner):
    columns = ", ".join(
        c.name for c in Comment.__table__.columns if c.name not in ("id", "form_token")
    )
    copy = f"INSERT INTO comments ({columns}, form_token) SELECT {columns}, :token FROM comments"  # noqa: S608
    as_a_dba("comments", copy + " WHERE id = :c", token="forged-form-token-0001", c=submitted().id)
    forged = db.session.scalar(db.select(db.func.max(Comment.id)))
    code, output = verify(runner)
    assert (
        code != 0 and f"TAMPERED comment #{forged} of AUT: it is not in the audit trail" in output
    )
