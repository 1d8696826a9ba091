"""The floor of bench/rush.py: the statements of the real submission path, and nothing else.

The service's ``POST /api/v1/consultations/{id}/comments`` runs, on SQLite, these statements
(tests/api/test_submission_path.py counts them): it reads the token and its person, the round
with the writer's two memberships, the paragraph and the Idempotency-Key; it rereads the round
under its lock with the extensions; it inserts the comment, reads the head of the audit chain,
and inserts the audit event, the receipt in the outbox and the comment's first revision; then it
commits. (On PostgreSQL two more: the chain's advisory lock and the event's id.)

This app runs the same statements on tables of the same shape, through the same stack
(Flask, Flask-SQLAlchemy, the ORM for the inserts as the reference does), with none of the
service's logic: no policy, no deadline rule, no validation, no Markdown checks, no JSON
schema, no hash, no savepoint, no error handling. Its throughput against the reference's
(bench/reference_app.py, one INSERT and its COMMIT) is the most any implementation of the issue's
path can reach in this stack without merging statements: what the issue's list of duties costs
before a line of the service's own code runs.

    DATABASE_URL=sqlite:////tmp/floor.sqlite .venv/bin/python bench/floor_app.py --create
    DATABASE_URL=sqlite:////tmp/floor.sqlite .venv/bin/gunicorn bench.floor_app:app
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime, timedelta

from flask import Flask, jsonify, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, ForeignKey, String, Text, exists, select, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bench.reference_app import bare_app

DELEGATIONS = 40
PARAGRAPHS = 30


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class Token(db.Model):
    __tablename__ = "floor_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    delegation_id: Mapped[int]


class Round(db.Model):
    __tablename__ = "floor_rounds"
    id: Mapped[int] = mapped_column(primary_key=True)
    closes_dt: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Member(db.Model):
    __tablename__ = "floor_members"
    round_id: Mapped[int] = mapped_column(ForeignKey("floor_rounds.id"), primary_key=True)
    delegation_id: Mapped[int] = mapped_column(primary_key=True)


class Extension(db.Model):
    __tablename__ = "floor_extensions"
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("floor_rounds.id"), index=True)


class Paragraph(db.Model):
    __tablename__ = "floor_paragraphs"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True)


class Comment(db.Model):
    __tablename__ = "floor_comments"
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("floor_rounds.id"))
    delegation_id: Mapped[int]
    key: Mapped[str] = mapped_column(String(64), unique=True)
    paragraph_uid: Mapped[str | None] = mapped_column(String(32))
    body: Mapped[str] = mapped_column(Text)


class Revision(db.Model):
    __tablename__ = "floor_revisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("floor_comments.id"))
    body: Mapped[str] = mapped_column(Text)


class Event(db.Model):
    __tablename__ = "floor_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    object_id: Mapped[int]
    prev_hash: Mapped[str] = mapped_column(String(64))


class Outbox(db.Model):
    __tablename__ = "floor_outbox"
    id: Mapped[int] = mapped_column(primary_key=True)
    delegation_id: Mapped[int]
    body: Mapped[str] = mapped_column(Text)


def create_app(url: str | None = None) -> Flask:
    app = bare_app(__name__, db, url)

    @app.post("/rounds/<int:round_id>/comments")
    def post_comment(round_id: int):
        data = request.get_json(silent=True) or {}
        secret = request.headers.get("Authorization", "").partition(" ")[2]
        session = db.session
        token = session.execute(select(Token).where(Token.token == secret)).scalar_one()
        member = exists().where(
            Member.round_id == Round.id, Member.delegation_id == token.delegation_id
        )
        session.execute(select(Round, member.label("m")).where(Round.id == round_id)).one()
        uid = data.get("paragraph_uid")
        if uid:
            session.execute(select(Paragraph).where(Paragraph.uid == uid)).scalar_one()
        key = request.headers.get("Idempotency-Key", "")
        session.execute(select(Comment.id).where(Comment.key == key)).first()
        session.execute(
            select(Round, Extension.id)
            .outerjoin(Extension, Extension.round_id == Round.id)
            .where(Round.id == round_id)
        ).first()
        body = str(data.get("body", ""))
        comment = Comment(
            round_id=round_id,
            delegation_id=token.delegation_id,
            key=key,
            paragraph_uid=uid,
            body=body,
        )
        session.add(comment)
        session.flush()
        if db.engine.dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(1)"))
        head = session.execute(select(Event.prev_hash).order_by(Event.id.desc()).limit(1)).first()
        session.add(Event(object_id=comment.id, prev_hash=head[0] if head else "0" * 64))
        session.add(Outbox(delegation_id=token.delegation_id, body=body))
        session.add(Revision(comment_id=comment.id, body=body))
        session.commit()
        return jsonify(id=comment.id), 201

    return app


def create_tables(url: str | None, tokens: list[str], paragraph_uids: list[str]) -> int:
    """(Re)create the tables with the tokens, one round (the id returned), its 40 members
    and the paragraphs."""
    floor = create_app(url)
    with floor.app_context():
        db.drop_all()
        db.create_all()
        round_ = Round(closes_dt=datetime.now(UTC) + timedelta(days=30))
        db.session.add(round_)
        db.session.flush()
        for number, token in enumerate(tokens):
            db.session.add(Token(token=token, delegation_id=number))
            db.session.add(Member(round_id=round_.id, delegation_id=number))
        for uid in paragraph_uids:
            db.session.add(Paragraph(uid=uid))
        db.session.commit()
        round_id = round_.id
        db.engine.dispose()
    return round_id


def rows(url: str) -> list[tuple[str, int]]:
    """(key, id) of every comment stored."""
    floor = create_app(url)
    with floor.app_context():
        found = [(key, id_) for key, id_ in db.session.execute(select(Comment.key, Comment.id))]
        db.engine.dispose()
    return found


app = create_app() if "DATABASE_URL" in os.environ else None

if __name__ == "__main__":
    if sys.argv[1:] != ["--create"]:
        raise SystemExit(__doc__)
    create_tables(None, [f"token-{n}" for n in range(DELEGATIONS)], [])
