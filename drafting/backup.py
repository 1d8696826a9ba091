"""Backup and restore of the whole database, while the service runs.

SQLite: SQLite's online backup API copies the database file page by page in one step, as one
read transaction, so the copy is the database as it was at one instant even while requests go on
writing (WAL lets them). The copy is written beside the target and renamed into place, so a
backup file is never half written. Restoring copies the backup into the configured database with
the same API in the other direction: one write transaction, which the running service's requests
wait for on their busy timeout and then see whole.

PostgreSQL: ``pg_dump --format=custom`` in a repeatable-read snapshot exported by this process, so
that the counts printed are those of the dump; ``pg_restore --clean --if-exists --no-owner
--single-transaction`` replaces the tables, sequences, functions and triggers of the dump, all or
nothing. Requests of a running service wait for the restore's locks.

A file is restored only if it is a backup of this service: a SQLite database or a pg_dump archive
with the ``alembic_version`` table, at a schema revision this code knows.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import URL, Connection

from drafting.database import make_private
from drafting.extensions import db

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
COUNTS = {
    "published_versions": "SELECT count(*) FROM versions WHERE status = 'published'",
    "comments": "SELECT count(*) FROM comments",
    "audit_events": "SELECT count(*) FROM audit_events",
}


class BackupError(Exception):
    """A backup or restore refused or failed, with the reason in words for the person at the
    command line."""


@dataclass(frozen=True)
class Summary:
    """What a backup holds: its size, its schema revision and how many of the things that count."""

    path: Path
    size: int
    revision: str
    published_versions: int
    comments: int
    audit_events: int

    def describe(self) -> str:
        return (
            f"{human_size(self.size)}; {self.published_versions} published versions, "
            f"{self.comments} comments, {self.audit_events} audit events; "
            f"schema revision {self.revision}"
        )


def human_size(size: int) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory
    from flask import current_app

    directory = current_app.extensions["migrate"].directory
    return {script.revision for script in ScriptDirectory(directory).walk_revisions()}


def head_revision() -> str:
    from alembic.script import ScriptDirectory
    from flask import current_app

    return ScriptDirectory(current_app.extensions["migrate"].directory).get_current_head()


def database_url() -> URL:
    return db.engine.url


def describe_target(url: URL) -> str:
    if url.get_backend_name() == "sqlite":
        return f"the SQLite database {url.database}"
    return f"the PostgreSQL database {url.render_as_string(hide_password=True)}"


def backup(url: URL, target: Path, *, busy_timeout_ms: int = 15000) -> Summary:
    """Write a consistent copy of the database at ``url`` to ``target``."""
    target = Path(target)
    if target.is_dir():
        raise BackupError(f"{target} is a folder; give the backup file's name.")
    if not target.parent.is_dir():
        raise BackupError(f"The folder {target.parent} does not exist.")
    tmp = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        make_private(tmp)  # before a byte is written; os.replace keeps its permissions
        if url.get_backend_name() == "sqlite":
            counts = _backup_sqlite(_sqlite_path(url), tmp, target, busy_timeout_ms)
        elif url.get_backend_name() == "postgresql":
            counts = _backup_postgres(url, tmp)
        else:
            raise BackupError(f"Backups of {url.get_backend_name()} databases are not supported.")
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return Summary(path=target, size=target.stat().st_size, **counts)


def check_backup(url: URL, source: Path) -> str:
    """Refuse ``source`` unless it is a backup of this service for this kind of database;
    return its schema revision."""
    source = Path(source)
    try:
        with source.open("rb") as f:
            magic = f.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise BackupError(f"Cannot read {source}: {exc.strerror}.") from None
    backend = url.get_backend_name()
    if magic.startswith(SQLITE_MAGIC):
        kind = "sqlite"
    elif magic.startswith(PGDUMP_MAGIC):
        kind = "postgresql"
    else:
        raise BackupError(
            f"{source} is not a backup of this service: it is neither a SQLite database nor a "
            "pg_dump archive."
        )
    if kind != backend:
        names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
        raise BackupError(
            f"{source} is a {names[kind]} backup, but this service runs on "
            f"{names.get(backend, backend)}."
        )
    revision = _sqlite_revision(source) if kind == "sqlite" else _pg_dump_revision(source)
    if revision not in known_revisions():
        raise BackupError(
            f"{source} was made by a newer version of the service (schema revision "
            f"{revision}, unknown here); restore it with that version."
        )
    return revision


def restore(url: URL, source: Path, *, busy_timeout_ms: int = 15000) -> Summary:
    """Replace the whole database at ``url`` with the backup ``source`` (checked first)."""
    source = Path(source)
    check_backup(url, source)
    db.session.remove()
    db.engine.dispose()
    if url.get_backend_name() == "sqlite":
        _restore_sqlite(source, _sqlite_path(url), busy_timeout_ms)
    else:
        _restore_postgres(url, source)
    db.engine.dispose()
    with db.engine.connect() as conn:
        counts = _counts(conn)
        conn.rollback()
    return Summary(path=source, size=source.stat().st_size, **counts)


# SQLite


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:" or url.database.startswith("file::memory"):
        raise BackupError("The database is in memory: there is no file to back up or restore.")
    return Path(url.database)


def _backup_sqlite(path: Path, tmp: Path, target: Path, busy_timeout_ms: int) -> dict:
    if not path.is_file():
        raise BackupError(f"There is no database at {path}.")
    if target.exists() and target.resolve() == path.resolve():
        raise BackupError(f"{target} is the database itself; choose another file.")
    source = sqlite3.connect(path, timeout=busy_timeout_ms / 1000)
    copy = sqlite3.connect(tmp)
    try:
        # pages=-1: every page in one step, i.e. one read transaction: one instant's database.
        source.backup(copy, pages=-1)
        # The copy is one self-contained file, without a -wal beside it.
        copy.execute("PRAGMA journal_mode = DELETE")
        return _sqlite_counts(copy)
    except sqlite3.Error as exc:
        raise BackupError(f"The backup of {path} failed: {exc}.") from None
    finally:
        copy.close()
        source.close()


def _sqlite_counts(conn: sqlite3.Connection) -> dict:
    counts = {name: conn.execute(sql).fetchone()[0] for name, sql in COUNTS.items()}
    counts["revision"] = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    return counts


def _sqlite_revision(source: Path) -> str:
    try:
        conn = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise BackupError(f"{source} cannot be opened as a SQLite database: {exc}.") from None
    try:
        if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError(f"{source} is a damaged SQLite database.")
        has_version = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).fetchone()
        if not has_version:
            raise BackupError(
                f"{source} is a SQLite database but not a backup of this service: "
                "it has no alembic_version table."
            )
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        if row is None:
            raise BackupError(f"{source} has no schema revision: not a backup of this service.")
        return row[0]
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{source} is not a usable SQLite database: {exc}.") from None
    finally:
        conn.close()


def _restore_sqlite(source: Path, path: Path, busy_timeout_ms: int) -> None:
    if path.exists() and path.resolve() == source.resolve():
        raise BackupError(f"{source} is the database itself.")
    path.parent.mkdir(parents=True, exist_ok=True)
    make_private(path)
    backup_conn = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    live = sqlite3.connect(path, timeout=busy_timeout_ms / 1000)
    try:
        # One write transaction on the live database: its readers see it before or after.
        backup_conn.backup(live, pages=-1)
    except sqlite3.Error as exc:
        raise BackupError(f"Restoring {source} into {path} failed: {exc}.") from None
    finally:
        live.close()
        backup_conn.close()


# PostgreSQL


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """The libpq URL (without the SQLAlchemy driver, and without the password, which goes in
    the environment rather than on a command line anyone on the machine can list)."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed; it comes with PostgreSQL's client tools.")
    return path


def _run(args: list[str], env: dict[str, str], what: str) -> str:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{what} failed: {result.stderr.strip() or result.returncode}")
    return result.stdout


def _counts(conn: Connection) -> dict:
    counts = {name: conn.execute(text(sql)).scalar_one() for name, sql in COUNTS.items()}
    counts["revision"] = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    return counts


def _backup_postgres(url: URL, tmp: Path) -> dict:
    dsn, env = _libpq(url)
    pg_dump = _tool("pg_dump")
    db.session.remove()
    with db.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            # pg_dump reads the very snapshot the counts are taken in.
            snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            counts = _counts(conn)
            _run(
                [pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={tmp}", dsn],
                env,
                "pg_dump",
            )
    return counts


def _pg_dump_revision(source: Path) -> str:
    pg_restore = _tool("pg_restore")
    env = dict(os.environ)
    try:
        listing = _run([pg_restore, "--list", str(source)], env, "Reading the archive")
    except BackupError:
        raise BackupError(f"{source} is not a readable pg_dump archive.") from None
    if not re.search(r"\bTABLE public alembic_version\b", listing):
        raise BackupError(
            f"{source} is a pg_dump archive but not a backup of this service: "
            "it has no alembic_version table."
        )
    data = _run(
        [pg_restore, "--data-only", "--table=alembic_version", "--file=-", str(source)],
        env,
        "Reading the archive",
    )
    match = re.search(r"^COPY public\.alembic_version .*? FROM stdin;\n([^\n\\]+)\n", data, re.M)
    if match is None:
        raise BackupError(f"{source} has no schema revision: not a backup of this service.")
    return match.group(1).strip()


def _restore_postgres(url: URL, source: Path) -> None:
    dsn, env = _libpq(url)
    _run(
        [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            f"--dbname={dsn}",
            str(source),
        ],
        env,
        "pg_restore",
    )
