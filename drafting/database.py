"""How the service talks to its database: UTC datetimes, SQLite set up for concurrent use."""

from __future__ import annotations

import enum
from datetime import UTC, datetime

from flask import has_request_context, request
from sqlalchemy import DateTime, Enum, event
from sqlalchemy.engine import Engine
from sqlalchemy.types import TypeDecorator

READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def utcnow() -> datetime:
    """The server's clock, in UTC: the only clock that decides anything."""
    return datetime.now(UTC)


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


def configure_sqlite(engine: Engine, busy_timeout_ms: int, begin_outside_requests: str) -> None:
    """WAL, a busy timeout, foreign keys, and write transactions that lock at their start.

    pysqlite's own transaction handling is switched off so that we emit BEGIN ourselves: a
    request that may write (any method but GET/HEAD/OPTIONS, and every command-line run) begins
    IMMEDIATE, taking the write lock before it reads, so two writers queue on the busy timeout
    instead of failing with "database is locked" when one upgrades its read lock. Outside a
    request, ``begin_outside_requests`` decides (IMMEDIATE for commands; tests read with
    DEFERRED while a live server writes).
    """
    outside = f"BEGIN {begin_outside_requests.upper()}"

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
            connection.exec_driver_sql(outside)
        elif request.method in READ_ONLY_METHODS:
            connection.exec_driver_sql("BEGIN DEFERRED")
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
