"""How the service talks to its database: UTC datetimes, SQLite set up for concurrent use."""

from __future__ import annotations

import enum
import os
import sqlite3
import threading
import time
from collections.abc import Sequence
from datetime import UTC, datetime

from flask import current_app, g, has_request_context, request
from sqlalchemy import DateTime, Enum, event, exists, inspect, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import joinedload
from sqlalchemy.types import TypeDecorator

from drafting.extensions import db

READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Where configure_sqlite notes how the current request's transactions begin (in ``g``) and how
# the connection's current transaction began, with the changes counted then (in its ``info``).
_SQLITE_BEGIN = "drafting_sqlite_begin"
_SQLITE_CHANGES = "drafting_sqlite_changes"


def utcnow() -> datetime:
    """The server's clock, in UTC: the only clock that decides anything."""
    return datetime.now(UTC)


def is_loaded(obj, attribute: str) -> bool:
    """Whether ``obj.attribute`` is already in memory (reading it would not query)."""
    return attribute not in inspect(obj).unloaded


def known_members(obj, collection: str) -> dict:
    """Memo of which delegations are in ``obj.collection``, for as long as the object lives
    (one request's session), filled when the collection itself is not loaded: see
    Document.has_participant and Consultation.is_invited."""
    return obj.__dict__.setdefault(f"_{collection}_known", {})


def has_member(obj, collection: str, link_table, owner_column: str, delegation_id) -> bool:
    """Whether a delegation is in ``obj.collection`` (delegations linked through
    ``link_table``): read from the collection when it is loaded, else asked of the database
    with one EXISTS, once per delegation while the object lives, so that a request about one
    delegation does not load them all."""
    if delegation_id is None:
        return False
    if is_loaded(obj, collection):
        return any(d.id == delegation_id for d in getattr(obj, collection))
    known = known_members(obj, collection)
    if delegation_id not in known:
        known[delegation_id] = db.session.scalar(
            select(
                exists().where(
                    link_table.c[owner_column] == obj.id,
                    link_table.c.delegation_id == delegation_id,
                )
            )
        )
    return known[delegation_id]


def db_enum(enum_class: type[enum.Enum]) -> Enum:
    """An enum column stored as its values ("published", not "PUBLISHED"), as a checked string
    on every database rather than a native type that each migration would have to alter."""
    return Enum(
        enum_class,
        native_enum=False,
        length=16,
        values_callable=lambda members: [member.value for member in members],
    )


class UTCDateTime(TypeDecorator):
    """Stores aware datetimes as UTC and returns them aware, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use an aware one")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def make_private(path: str | os.PathLike, *, create: bool = True) -> None:
    """Make a file readable and writable by its owner alone, creating it so (before anything
    writes to it) when ``create``: a database or a backup holds every draft, comment and
    password hash. SQLite gives the -wal and -shm files the database file's permissions."""
    if create:
        try:
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        except FileNotFoundError:
            return  # its folder is not there yet; whoever makes it comes back here
    try:
        os.chmod(path, 0o600)
    except FileNotFoundError:
        pass
    except PermissionError:
        current_app.logger.warning("%s belongs to another user; its permissions stay", path)


def _make_sqlite_files_private(database: str | None) -> None:
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    make_private(database)
    for suffix in ("-wal", "-shm", "-journal"):
        make_private(database + suffix, create=False)


def configure_sqlite(engine: Engine, busy_timeout_ms: int, begin_outside_requests: str) -> None:
    """WAL, a busy timeout, foreign keys, and write transactions that lock at their start.

    pysqlite's own transaction handling is switched off so that we emit BEGIN ourselves: a
    request that may write (any method but GET/HEAD/OPTIONS, and every command-line run) begins
    IMMEDIATE, taking the write lock before it reads, so two writers queue on the busy timeout
    instead of failing with "database is locked" when one upgrades its read lock. A view marked
    ``reads_first`` begins DEFERRED instead and moves to IMMEDIATE at its first lock_row, before
    it writes anything. Outside a request, ``begin_outside_requests`` decides (IMMEDIATE for
    commands; tests read with DEFERRED while a live server writes).
    """
    outside = f"BEGIN {begin_outside_requests.upper()}"
    _make_sqlite_files_private(engine.url.database)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        # FULL: a commit the service has acknowledged survives a power loss too, not only a
        # killed process (NORMAL in WAL mode may lose the last ones); about 1 ms per commit.
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        if not has_request_context():
            mode = outside
        elif g.get(_SQLITE_BEGIN):
            mode = g.get(_SQLITE_BEGIN)
        elif request.method in READ_ONLY_METHODS or _reads_first():
            mode = "BEGIN DEFERRED"
        else:
            mode = "BEGIN IMMEDIATE"
        if mode == "BEGIN IMMEDIATE":
            deadline = time.monotonic() + busy_timeout_ms / 1000
            _take_writer_turn(connection, deadline)
            try:
                dbapi_connection = connection.connection.dbapi_connection
                _begin_immediate(dbapi_connection, busy_timeout_ms, deadline)
            except BaseException:
                _end_writer_turn(connection.info)
                raise
        else:
            connection.exec_driver_sql(mode)
        connection.info[_SQLITE_BEGIN] = mode
        connection.info[_SQLITE_CHANGES] = connection.connection.dbapi_connection.total_changes

    # A writer's turn ends with its transaction; the pool's events are a backstop for a
    # connection that goes back, or is dropped, without a COMMIT or ROLLBACK seen here.
    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _on_end(connection):
        _end_writer_turn(connection.info)

    @event.listens_for(engine, "reset")
    def _on_reset(_dbapi_connection, record, _reset_state):
        _end_writer_turn(record.info)

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection, record):
        _end_writer_turn(record.info)

    @event.listens_for(engine, "invalidate")
    def _on_invalidate(_dbapi_connection, record, _exception):
        _end_writer_turn(record.info)


# One writing transaction at a time in this process: a thread waits its turn on a lock that
# wakes the next one as soon as the turn ends, and only the thread whose turn it is asks SQLite
# for the write lock, which other processes may hold. SQLite's busy handler would wait for it by
# sleeping longer and longer (up to 100 ms between tries), leaving the database idle while
# writers sleep; the one asking thread asks again every half millisecond instead.
_WRITERS = threading.Lock()
_WRITER_TURN = "drafting_writer_turn"
_LOCKED = "database is locked"
_RETRY_SECONDS = 0.0005


def _locked() -> OperationalError:
    """What SQLite says when its busy timeout runs out, as SQLAlchemy would wrap it."""
    return OperationalError("BEGIN IMMEDIATE", None, sqlite3.OperationalError(_LOCKED))


def _take_writer_turn(connection, deadline: float) -> None:
    info = connection.info
    if info.get(_WRITER_TURN):
        return
    if not _WRITERS.acquire(timeout=max(0.0, deadline - time.monotonic())):
        raise _locked()
    info[_WRITER_TURN] = True


def _begin_immediate(dbapi_connection, busy_timeout_ms: int, deadline: float) -> None:
    """BEGIN IMMEDIATE, asked again every half millisecond until ``deadline`` while another
    process holds the write lock (SQLite's busy handler is off meanwhile, then set back). It
    goes to the driver's connection itself: a failed try must not pass through SQLAlchemy's
    handling of errors, which would roll back, and so end this writer's turn."""
    dbapi_connection.execute("PRAGMA busy_timeout = 0")
    try:
        while True:
            try:
                dbapi_connection.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if _LOCKED not in str(exc) or time.monotonic() >= deadline:
                    raise OperationalError("BEGIN IMMEDIATE", None, exc) from exc
            time.sleep(_RETRY_SECONDS)
    finally:
        dbapi_connection.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")


def _end_writer_turn(info) -> None:
    if info.pop(_WRITER_TURN, False):
        _WRITERS.release()


def reads_first(view):
    """Mark a view that reads, checks and validates at length before it writes, and that takes
    a row lock (lock_row) before its first write. On SQLite its request then begins with a read
    transaction, and takes the database's write lock only at that first lock_row, so that
    writers queue for their short writing part, not for the whole request. On PostgreSQL
    nothing changes: row locks already make wait only what conflicts."""
    view.reads_first = True
    return view


def _reads_first() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return getattr(view, "reads_first", False)


def _begin_writing() -> None:
    """On SQLite, in a request that ``reads_first``: from here on its transaction holds the
    write lock (BEGIN IMMEDIATE). The read transaction it was in ends, without expiring what it
    read (the lock_row that calls this rereads its row), unless something was written in it or
    waits to be: a transaction that has written holds the write lock already."""
    if not has_request_context() or g.get(_SQLITE_BEGIN) or not _reads_first():
        return
    if db.engine.dialect.name != "sqlite":
        return
    setattr(g, _SQLITE_BEGIN, "BEGIN IMMEDIATE")
    session = db.session()
    if not session.in_transaction():
        return
    connection = session.connection()
    if connection.info.get(_SQLITE_BEGIN) != "BEGIN DEFERRED":
        return
    written = connection.connection.dbapi_connection.total_changes != connection.info.get(
        _SQLITE_CHANGES
    )
    if written or session.new or session.dirty or session.deleted:
        return
    expire, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire


def begin_writing() -> None:
    """In a view that ``reads_first`` and writes no row it must lock first (a login): from here
    on its transaction holds SQLite's write lock; what it read before is kept."""
    _begin_writing()


def lock_row(obj, *, shared: bool = False, reload: Sequence[str] = ()) -> None:
    """Take ``obj``'s row lock until the transaction ends, and read the row afresh (another
    transaction may have changed it while this one waited), with the relationships named in
    ``reload``. On PostgreSQL: SELECT … FOR UPDATE, or FOR SHARE when ``shared`` (many may
    hold it, none may change the row). On SQLite the writing transaction holds the database's
    write lock, which is taken here in a request that ``reads_first``.

    The result is fetched: with populate_existing, an object is refreshed only as its row is
    read, so a lock executed but never fetched would leave the old values in place."""
    _begin_writing()
    model = type(obj)
    statement = (
        select(model)
        .where(model.id == obj.id)
        .with_for_update(read=shared, of=model)
        .execution_options(populate_existing=True)
    )
    if reload:
        # Joined, not a second query: FOR … OF the model's own table locks only its row.
        statement = statement.options(*(joinedload(getattr(model, name)) for name in reload))
    db.session.execute(statement).unique().scalar_one()
