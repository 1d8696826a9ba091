"""The floor of bench/rush.py: the statements of the real submission path, and nothing else.

The service's ``POST /api/v1/consultations/{id}/comments`` runs, on SQLite, these statements
(tests/api/test_submission_path.py counts them): one read of the token with its person, the
round with the writer's two memberships and the paragraph; then, under the write lock (BEGIN
IMMEDIATE, after the read transaction ends), the round reread with its extensions (the
deadline, read inside the writing transaction); the comment; the Idempotency-Key (INSERT … ON
CONFLICT DO NOTHING, in a table of its own); the receipt in the outbox and the comment's first
revision; the head of the audit chain and the audit event, last; then it commits, and only then
makes its answer. On PostgreSQL one more, the chain's advisory lock, before the event; the
round is reread FOR SHARE, and the chain's head is read with the event's id in one statement.

This app runs the same statements on tables of the same shape, through the same stack
(Flask, Flask-SQLAlchemy, the ORM for the inserts as the reference does), with the same
guarantees (the deadline read under the lock, one comment per key and a key reused with
another request refused, a chained audit event - its own hash over the previous one's, both
unique -, the receipt, the revision, SQLite's foreign keys enforced) and nothing more: no
policy, no deadline rule, no validation, no Markdown checks, no JSON schema, no error
handling. Its throughput against the reference's (bench/reference_app.py, one INSERT and its
COMMIT) is the most any implementation of the issue's path can reach in this stack without
merging statements: what the issue's list of duties costs before a line of the service's own
code runs. (Until this floor computed its events' hashes, every event of it named the same
previous one - no chain at all - and SQLite did not check its foreign keys.)

    DATABASE_URL=sqlite:////tmp/floor.sqlite .venv/bin/python bench/floor_app.py --create
    DATABASE_URL=sqlite:////tmp/floor.sqlite .venv/bin/gunicorn bench.floor_app:app
"""

from __future__ import annotations

import hashlib
import os
import sys
import threading
import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from flask import Flask, g, has_request_context, jsonify, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import (
    DateTime,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
    event,
    exists,
    func,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bench.reference_app import bare_app
from drafting.database import _begin_immediate

DELEGATIONS = 40
PARAGRAPHS = 30
CHAIN_LOCK_KEY = 1  # the floor's advisory lock for its events' chain
BUSY_TIMEOUT_MS = 15000  # as bench/reference_app.py's


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
    paragraph_uid: Mapped[str | None] = mapped_column(String(32))
    body: Mapped[str] = mapped_column(Text)


class Key(db.Model):
    """The Idempotency-Key, in a table of its own as the service's, unique in its round for
    its delegation."""

    __tablename__ = "floor_keys"
    __table_args__ = (UniqueConstraint("delegation_id", "round_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    delegation_id: Mapped[int]
    round_id: Mapped[int] = mapped_column(ForeignKey("floor_rounds.id"))
    key: Mapped[str] = mapped_column(String(64))
    fingerprint: Mapped[str] = mapped_column(String(64))  # the request's, as the service's
    comment_id: Mapped[int] = mapped_column(ForeignKey("floor_comments.id"))


class Revision(db.Model):
    __tablename__ = "floor_revisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("floor_comments.id"))
    body: Mapped[str] = mapped_column(Text)


class Event(db.Model):
    """A chained event, as the service's: its own hash, over the previous one's and its fields,
    both unique (two transactions cannot chain to the same event)."""

    __tablename__ = "floor_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    object_id: Mapped[int]
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class Outbox(db.Model):
    __tablename__ = "floor_outbox"
    id: Mapped[int] = mapped_column(primary_key=True)
    delegation_id: Mapped[int]
    body: Mapped[str] = mapped_column(Text)


_WRITERS = threading.Lock()  # as the service: one writer of a process asks SQLite at a time


@contextmanager
def writing(session):
    """The writing part of a request. On SQLite, as the service does: the read transaction
    ends, the process's writer turn is taken, and the next statement begins with BEGIN
    IMMEDIATE, so that the deadline is read under the write lock. On PostgreSQL, nothing: the
    round's row lock (FOR SHARE) does it."""
    if db.engine.dialect.name != "sqlite":
        yield
        return
    session.commit()
    _WRITERS.acquire()
    g.floor_writing = True
    try:
        yield
    finally:
        session.rollback()  # nothing, after a commit
        g.floor_writing = False
        _WRITERS.release()


def _sqlite_transactions(engine) -> None:
    """pysqlite leaves BEGIN to SQLAlchemy, which begins deferred, or IMMEDIATE in the writing
    part of a request."""

    @event.listens_for(engine, "connect")
    def _no_implicit_begin(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA foreign_keys = ON")  # as the service's

    @event.listens_for(engine, "begin")
    def _begin(connection):
        if has_request_context() and g.get("floor_writing"):
            # As the service asks for the write lock while the other process holds it: again
            # every half millisecond, not through SQLite's busy handler, which sleeps up to
            # 100 ms between tries and left this floor slower than the service it bounds.
            deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
            _begin_immediate(connection.connection.dbapi_connection, BUSY_TIMEOUT_MS, deadline)
        else:
            connection.exec_driver_sql("BEGIN")


def create_app(url: str | None = None) -> Flask:
    app = bare_app(__name__, db, url)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            _sqlite_transactions(db.engine)

    @app.post("/rounds/<int:round_id>/comments")
    def post_comment(round_id: int):
        data = request.get_json(silent=True) or {}
        secret = request.headers.get("Authorization", "").partition(" ")[2]
        key = request.headers.get("Idempotency-Key", "")
        uid = data.get("paragraph_uid")
        body = str(data.get("body", ""))
        fingerprint = hashlib.sha256(request.get_data()).hexdigest()
        session = db.session
        postgres = db.engine.dialect.name == "postgresql"
        # One read: the token, the round with the writer's membership, the paragraph.
        member = exists().where(
            Member.round_id == Round.id, Member.delegation_id == Token.delegation_id
        )
        entities = [Token.delegation_id, Round.id, member.label("m")]
        statement = select(*entities, Paragraph.id) if uid else select(*entities)
        statement = (
            statement.select_from(Token)
            .join(Round, Round.id == round_id)
            .where(Token.token == secret)
        )
        if uid:
            statement = statement.outerjoin(Paragraph, Paragraph.uid == uid)
        delegation_id = session.execute(statement).one().delegation_id
        with writing(session):
            # The deadline, read under the round's lock with its extensions.
            session.execute(
                select(Round, Extension.id)
                .outerjoin(Extension, Extension.round_id == Round.id)
                .where(Round.id == round_id)
                .with_for_update(read=True, of=Round)
            ).first()
            comment = Comment(
                round_id=round_id, delegation_id=delegation_id, paragraph_uid=uid, body=body
            )
            session.add(comment)
            session.flush()
            comment_id = comment.id
            insert = postgresql_insert if postgres else sqlite_insert
            claimed = session.execute(
                insert(Key)
                .values(
                    delegation_id=delegation_id,
                    round_id=round_id,
                    key=key,
                    fingerprint=fingerprint,
                    comment_id=comment_id,
                )
                .on_conflict_do_nothing(index_elements=["delegation_id", "round_id", "key"])
                .returning(Key.id)
            ).first()
            if claimed is None:
                session.rollback()
                first = session.execute(
                    select(Key.comment_id, Key.fingerprint).where(
                        Key.delegation_id == delegation_id, Key.round_id == round_id, Key.key == key
                    )
                ).one()
                if first.fingerprint != fingerprint:
                    return jsonify(id=first.comment_id), 422
                return jsonify(id=first.comment_id), 200
            session.add(Outbox(delegation_id=delegation_id, body=body))
            session.add(Revision(comment_id=comment_id, body=body))
            session.flush()
            # The audit event last: on PostgreSQL the chain's lock, then the event's id.
            if postgres:
                session.execute(text(f"SELECT pg_advisory_xact_lock({CHAIN_LOCK_KEY})"))
            if postgres:
                head, event_id = session.execute(
                    select(
                        select(Event.hash).order_by(Event.id.desc()).limit(1).scalar_subquery(),
                        func.nextval(func.pg_get_serial_sequence("floor_events", "id")),
                    )
                ).one()
            else:
                last = session.execute(
                    select(Event.id, Event.hash).order_by(Event.id.desc()).limit(1)
                ).first()
                head, event_id = (last.hash, last.id + 1) if last else (None, 1)
            prev_hash = head or "0" * 64
            own = hashlib.sha256(f"{prev_hash}{event_id}:{comment_id}".encode()).hexdigest()
            session.add(Event(id=event_id, object_id=comment_id, prev_hash=prev_hash, hash=own))
            session.commit()
        return jsonify(id=comment_id), 201

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
        stored = select(Key.key, Comment.id).outerjoin(Key, Key.comment_id == Comment.id)
        found = [(key, id_) for key, id_ in db.session.execute(stored)]
        db.engine.dispose()
    return found


app = create_app() if "DATABASE_URL" in os.environ else None

if __name__ == "__main__":
    if sys.argv[1:] != ["--create"]:
        raise SystemExit(__doc__)
    create_tables(None, [f"token-{n}" for n in range(DELEGATIONS)], [])
