"""The cost and the locking of the busiest request: a delegation's comment posted through the API.

What the request reads does not grow with the number of delegations in the round; on SQLite it
reads before it takes the database's write lock, which it holds only for the writing part; and
one process lets one writer at a time ask SQLite for that lock.
"""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import OperationalError

from drafting import database
from drafting.auth.models import Delegation
from drafting.consultations.models import Comment, Consultation
from drafting.consultations.queries import load_round_to_write
from drafting.documents.models import Document
from drafting.extensions import db
from tests.api.conftest import delegation, paragraph


class Statements:
    """Every statement the engine runs while counting, and how each transaction began (as
    "BEGIN DEFERRED" or "BEGIN IMMEDIATE", where the SQLite setup notes it)."""

    def __init__(self, engine):
        self.engine = engine
        self.seen: list[str] = []

    def _record(self, _conn, _cursor, statement, *_args):
        if not statement.startswith("BEGIN"):
            self.seen.append(" ".join(statement.split()))

    def _begin(self, connection):
        self.seen.append(connection.info.get(database._SQLITE_BEGIN) or "BEGIN")

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._record)
        event.listen(self.engine, "begin", self._begin)
        return self

    def __exit__(self, *_exc):
        event.remove(self.engine, "before_cursor_execute", self._record)
        event.remove(self.engine, "begin", self._begin)

    @property
    def begins(self) -> list[str]:
        return [s for s in self.seen if s.startswith("BEGIN")]


def _post_comment(api, consultation_id: int, uid: str, number: int):
    return api.post(
        f"/consultations/{consultation_id}/comments",
        json={"kind": "paragraph", "paragraph_uid": uid, "body": f"Comment {number}."},
        headers={"Idempotency-Key": f"submission-path-{number:06d}"},
    )


def _statements_for_one_comment(app, api, consultation_id: int, uid: str, number: int) -> int:
    _post_comment(api, consultation_id, uid, number)  # the token's first use is noted once
    with Statements(db.engine) as statements:
        response = _post_comment(api, consultation_id, uid, number + 1)
    assert response.status_code == 201, response.get_json()
    return len([s for s in statements.seen if not s.startswith(("BEGIN", "COMMIT"))])


def test_a_comment_costs_the_same_statements_with_3_or_40_delegations(
    app, people, published, open_round, api_as, create_delegation
):
    uid = paragraph(published, "1.").uid
    api = api_as(people.aut)
    few = open_round(invited=("AUT", "PAK", "TUR"))
    with_few = _statements_for_one_comment(app, api, few.id, uid, 1)

    document = db.session.get(Document, published.document_id)
    codes = ["Q" + chr(65 + n // 26) + chr(65 + n % 26) for n in range(37)]  # QAA…: unassigned
    extra = [create_delegation(code, name=f"Delegation {code}") for code in codes]
    document.participants.extend(extra)
    db.session.commit()
    many = open_round(invited=("AUT", "PAK", "TUR", *(d.code for d in extra)))
    assert len(db.session.get(Consultation, many.id).invited) == 40
    with_many = _statements_for_one_comment(app, api, many.id, uid, 11)

    assert with_few == with_many
    # One read: the token, the round with both memberships and the paragraph; the round's
    # lock; the comment and its key (INSERT … ON CONFLICT DO NOTHING), the receipt and the
    # revision; the audit chain's head and event (on PostgreSQL also the chain's lock first;
    # the event's id is drawn by the statement that reads the head).
    assert with_many == (8 if db.engine.dialect.name == "sqlite" else 9)


def test_the_audit_event_is_the_last_write_and_the_answer_is_made_after_the_commit(
    app, people, published, open_round, api_as, monkeypatch
):
    """PostgreSQL's audit chain lock is taken by the event's flush: written last, it is held
    for the event and the commit only; the answer is serialised after the commit."""
    from drafting.api import schemas

    consultation = open_round()
    uid = paragraph(published, "1.").uid
    api = api_as(people.aut)
    _post_comment(api, consultation.id, uid, 1)
    order: list[str] = []
    dump = schemas.Comment.dump

    def dumped(schema, obj, **kwargs):
        order.append("answer")
        return dump(schema, obj, **kwargs)

    def committed(_conn):
        order.append("commit")

    monkeypatch.setattr(schemas.Comment, "dump", dumped)
    event.listen(db.engine, "commit", committed)
    try:
        with Statements(db.engine) as statements:
            response = _post_comment(api, consultation.id, uid, 2)
    finally:
        event.remove(db.engine, "commit", committed)
    assert response.status_code == 201
    writes = [s for s in statements.seen if s.startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes[-1].startswith("INSERT INTO audit_events")
    assert writes[1].startswith("INSERT INTO api_idempotency_keys")
    assert "ON CONFLICT" in writes[1]
    assert order[-2:] == ["commit", "answer"]


def test_membership_is_asked_of_the_database_when_not_loaded(app, people, published, open_round):
    consultation = open_round(invited=("AUT", "PAK"))
    consultation_id, document_id = consultation.id, published.document_id
    aut, tur = delegation("AUT").id, delegation("TUR").id
    db.session.expunge_all()

    loaded = load_round_to_write(consultation_id, aut)
    assert database.is_loaded(loaded, "invited") is False
    assert loaded.is_invited(aut) is True  # answered by the loading query
    assert loaded.is_invited(tur) is False  # asked afterwards
    assert loaded.is_invited(None) is False
    document = loaded.version.document
    assert database.is_loaded(document, "participants") is False
    assert document.has_participant(aut) is True
    db.session.expunge_all()

    document = db.session.get(Document, document_id)
    assert document.has_participant(2**31 - 1) is False
    assert document.has_participant(tur) is True
    with Statements(db.engine) as statements:
        assert document.has_participant(tur) is True  # remembered
    assert statements.seen == []
    # Loaded collections are read as they are.
    db.session.expunge_all()
    document = db.session.get(Document, document_id)
    assert len(document.participants) == 5
    with Statements(db.engine) as statements:
        assert document.has_participant(tur) is True
        assert document.has_participant(2**31 - 1) is False
    assert statements.seen == []


def test_membership_is_that_of_the_round_s_own_document(
    app, people, published, open_round, create_document, api_as
):
    """A delegation that takes part in another document only is not taken for a participant
    of this one, whichever document was created first."""
    from tests.consultations.conftest import DRAFT

    pak_only = create_document(
        ("Zero draft", DRAFT, True), title="Another declaration", participants=[delegation("PAK")]
    )
    tur = delegation("TUR").id
    open_round()  # a round on the first document, TUR's, stored first
    elsewhere = open_round(version=pak_only.versions[0], invited=("PAK",))
    elsewhere_id = elsewhere.id
    api = api_as(people.tur)
    db.session.expunge_all()
    loaded = load_round_to_write(elsewhere_id, tur)
    assert loaded.version.document.has_participant(tur) is False
    assert loaded.is_invited(tur) is False
    response = api.post(
        f"/consultations/{elsewhere_id}/comments", json={"kind": "general", "body": "Hello."}
    )
    assert response.status_code == 404


def test_unknown_round_to_write_is_none(app, people):
    assert load_round_to_write(2**31 - 1, delegation("AUT").id) is None


@pytest.fixture
def sqlite_only(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's write lock; PostgreSQL locks rows")


def test_on_sqlite_the_comment_reads_before_it_takes_the_write_lock(
    app, sqlite_only, people, published, open_round, api_as
):
    consultation = open_round()
    uid = paragraph(published, "1.").uid
    api = api_as(people.aut)
    _post_comment(api, consultation.id, uid, 1)
    with Statements(db.engine) as statements:
        response = _post_comment(api, consultation.id, uid, 2)
    assert response.status_code == 201
    # (Before them, the test's own session may read in its own transaction.)
    assert statements.begins[-2:] == ["BEGIN DEFERRED", "BEGIN IMMEDIATE"]
    assert statements.begins.count("BEGIN IMMEDIATE") == 1
    switch = statements.seen.index("BEGIN IMMEDIATE")
    reading, writing = statements.seen[:switch], statements.seen[switch:]
    assert not [s for s in reading if s.startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writing[1].startswith("SELECT consultations.id")  # the round's lock, reread
    assert any(s.startswith("INSERT INTO comments") for s in writing)


def _writing_request(app, path: str = "/logout"):
    """A request context for a POST that is not marked reads_first."""
    return app.test_request_context(path, method="POST")


def test_on_sqlite_other_writing_requests_lock_from_their_start(app, sqlite_only, people):
    aut = delegation("AUT").id
    db.session.commit()
    with app.app_context(), _writing_request(app):
        with Statements(db.engine) as statements:
            db.session.execute(text("SELECT 1"))
            database.lock_row(db.session.get(Delegation, aut))
        db.session.rollback()
    assert statements.begins == ["BEGIN IMMEDIATE"]


def _comment_request(app, consultation_id: int):
    path = f"/api/v1/consultations/{consultation_id}/comments"
    context = app.test_request_context(path, method="POST")
    return context


def test_the_switch_never_commits_what_was_written_before_it(
    app, sqlite_only, people, published, open_round
):
    """A view marked reads_first that wrote before its lock: the write stays in the same
    transaction (which holds the write lock already) and goes with its rollback."""
    consultation_id = open_round().id
    assert getattr(app.view_functions["api.create_comment"], "reads_first", False)
    db.session.commit()
    with app.app_context(), _comment_request(app, consultation_id):
        with Statements(db.engine) as statements:
            db.session.execute(text("SELECT 1"))
            db.session.add(Delegation(code="ZZZ", name="Written before the lock", kind="state"))
            db.session.flush()
            database.lock_row(db.session.get(Consultation, consultation_id))
        db.session.rollback()
    assert statements.begins == ["BEGIN DEFERRED"]
    assert db.session.scalar(select(Delegation).where(Delegation.code == "ZZZ")) is None


def test_the_switch_keeps_what_was_read(app, sqlite_only, people, published, open_round):
    consultation_id = open_round().id
    db.session.commit()
    with app.app_context(), _comment_request(app, consultation_id):
        with Statements(db.engine) as statements:
            loaded = db.session.get(Consultation, consultation_id)
            title = loaded.title
            database.lock_row(loaded)
            assert "title" in loaded.__dict__  # not expired when the read transaction ended
            assert loaded.title == title
            database.lock_row(loaded)  # a second lock: the same writing transaction
        db.session.rollback()
    assert statements.begins == ["BEGIN DEFERRED", "BEGIN IMMEDIATE"]


def test_one_writer_turn_per_process(app, sqlite_only):
    """A second thread's writing transaction waits for the first's to end, then goes on."""
    events: list[str] = []
    first_holds, release_first = threading.Event(), threading.Event()

    def first():
        with (
            app.app_context(),
            _writing_request(app),
            db.engine.connect() as conn,
            conn.begin(),
        ):
            events.append("first writes")
            first_holds.set()
            release_first.wait(10)
            events.append("first commits")

    def second():
        first_holds.wait(10)
        with app.app_context(), _writing_request(app), db.engine.connect() as conn:
            events.append("second asks")
            with conn.begin():
                events.append("second writes")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    first_holds.wait(10)
    threads[1].join(0.3)  # it waits
    assert "second writes" not in events
    release_first.set()
    for thread in threads:
        thread.join(10)
    assert events == ["first writes", "second asks", "first commits", "second writes"]
    assert not database._WRITERS.locked()


def test_turns_end_with_commit_rollback_and_close(app, sqlite_only):
    for end in ("commit", "rollback", "close"):
        with app.app_context(), _writing_request(app):
            connection = db.engine.connect()
            connection.begin()
            assert database._WRITERS.locked(), end
            getattr(connection, end)()
            connection.close()
            assert not database._WRITERS.locked(), end


def test_a_turn_not_given_in_time_is_database_is_locked(app, sqlite_only, monkeypatch):
    """As when SQLite's own busy timeout runs out: an OperationalError, which the pages and the
    API answer with 503 "busy, nothing was saved"."""

    class Taken:
        def acquire(self, timeout):
            assert 0 < timeout <= app.config["SQLITE_BUSY_TIMEOUT_MS"] / 1000
            return False

    monkeypatch.setattr(database, "_WRITERS", Taken())
    with (
        pytest.raises(OperationalError, match="database is locked"),
        app.app_context(),
        _writing_request(app),
        db.engine.connect() as conn,
        conn.begin(),
    ):
        pass


def _database_file(app) -> str:
    return db.engine.url.database


def test_the_write_lock_held_by_another_process_is_asked_for_again(app, sqlite_only):
    """Another process (here: another connection) holds SQLite's write lock: BEGIN IMMEDIATE is
    asked again until it is free, then goes on; it gives up at the deadline, with SQLite's
    own "database is locked", and sets the busy timeout back."""
    db.session.commit()
    path = _database_file(app)
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    mine = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    events: list[str] = []

    def release():
        events.append("other commits")
        other.commit()

    try:
        with pytest.raises(OperationalError, match="database is locked"):
            database._begin_immediate(mine, 15000, time.monotonic() + 0.05)
        assert mine.execute("PRAGMA busy_timeout").fetchone()[0] == 15000
        timer = threading.Timer(0.1, release)
        timer.start()
        database._begin_immediate(mine, 15000, time.monotonic() + 10)
        events.append("mine begins")
        assert mine.in_transaction
        mine.rollback()
        timer.join()
    finally:
        other.close()
        mine.close()
    assert events == ["other commits", "mine begins"]


def test_the_one_read_refuses_as_the_separate_reads_did(app, people, published, open_round, api_as):
    """The token, round and paragraph read together: an unknown paragraph, a revoked token,
    an expired one and an unknown round are refused as before, each in its own words."""
    from datetime import timedelta

    from drafting.api.models import ApiToken
    from drafting.database import utcnow

    consultation = open_round()
    api = api_as(people.aut)
    path = f"/consultations/{consultation.id}/comments"
    unknown = {"kind": "paragraph", "paragraph_uid": "0" * 32, "body": "On nothing."}
    refused = api.post(path, json=unknown)
    assert refused.status_code == 422 and "not part of" in refused.get_json()["detail"]
    assert api.post("/consultations/999999/comments", json=unknown).status_code == 404

    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == people.aut.id))
    token.expires_dt = utcnow() - timedelta(minutes=1)
    db.session.commit()
    expired = api.post(path, json={"kind": "general", "body": "Late token."})
    assert expired.status_code == 401 and "expired" in expired.get_json()["detail"]
    token.revoked_dt = utcnow()
    db.session.commit()
    assert api.post(path, json={"kind": "general", "body": "Revoked."}).status_code == 401
    assert db.session.scalar(select(func.count(Comment.id))) == 0


def test_the_one_read_built_once_reads_each_request_s_own_values(
    app, people, published, open_round, api_as
):
    """The one read is built once and given its values as parameters: requests in turn from
    two delegations, to two rounds, with and without a paragraph, each store what it names
    (and one round's invitation says nothing of the other's)."""
    first = open_round(invited=("AUT", "PAK"))
    second = open_round(invited=("AUT",))
    uid_1, uid_2 = paragraph(published, "1.").uid, paragraph(published, "2.").uid
    aut, pak = api_as(people.aut), api_as(people.pak)
    sent = [
        (aut, first.id, {"kind": "paragraph", "paragraph_uid": uid_1, "body": "AUT on 1."}),
        (pak, first.id, {"kind": "paragraph", "paragraph_uid": uid_2, "body": "PAK on 2."}),
        (aut, second.id, {"kind": "general", "body": "AUT, second round."}),
        (pak, first.id, {"kind": "general", "body": "PAK, generally."}),
    ]
    for api, consultation_id, body in sent:
        response = api.post(f"/consultations/{consultation_id}/comments", json=body)
        assert response.status_code == 201, response.get_json()
    assert api_as(people.pak).post(
        f"/consultations/{second.id}/comments", json={"kind": "general", "body": "Not invited."}
    ).status_code in (403, 404)
    stored = db.session.execute(
        select(
            Comment.consultation_id, Comment.delegation_id, Comment.paragraph_uid, Comment.body
        ).order_by(Comment.id)
    ).all()
    aut_id, pak_id = delegation("AUT").id, delegation("PAK").id
    assert [tuple(row) for row in stored] == [
        (first.id, aut_id, uid_1, "AUT on 1."),
        (first.id, pak_id, uid_2, "PAK on 2."),
        (second.id, aut_id, None, "AUT, second round."),
        (first.id, pak_id, None, "PAK, generally."),
    ]
