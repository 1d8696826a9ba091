"""`drafting backup` and `drafting restore`: a consistent copy taken while delegations write, and
a restored service with the same published hashes, the same comments and an intact audit chain.

On SQLite the backup file is opened as a database; on PostgreSQL (TEST_DATABASE_URL) it is
restored into the test database, which pg_restore --clean leaves whole for the next test.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from config import TestConfig
from drafting.app import create_app
from drafting.audit.chain import verify_chain
from drafting.audit.models import AuditEvent
from drafting.auth.models import Delegation, User
from drafting.consultations import commenting, rounds
from drafting.consultations.models import Comment, Consultation
from drafting.documents.models import Version, VersionStatus
from drafting.documents.operations import verify_published_hashes
from drafting.extensions import db
from tests.conftest import ON_POSTGRES

on_sqlite_only = pytest.mark.skipif(ON_POSTGRES, reason="opens the backup as a SQLite file")
on_postgres_only = pytest.mark.skipif(not ON_POSTGRES, reason="needs TEST_DATABASE_URL")

SECOND = """# Declaration on Safe Routes

## Part I

1. We affirm the principle of shared responsibility, again.

2. We will cooperate on safe and regular pathways.
"""

SUMMARY = re.compile(r"(\d+) published versions, (\d+) comments, (\d+) audit events")


@pytest.fixture
def setting(create_user, create_document, sample_source):
    """A published draft, a round open to AUT, and two comments already submitted."""
    secretariat = create_user("secretariat", "MDS", kind="organisation")
    delegate = create_user("delegate", "AUT")
    aut = db.session.scalar(db.select(Delegation).where(Delegation.code == "AUT"))
    document = create_document(
        ("Zero draft", sample_source, True), ("First draft", SECOND, True), participants=[aut]
    )
    now = datetime.now(UTC)
    consultation = rounds.open_consultation(
        secretariat,
        document.versions[0],
        title="Comments on the zero draft",
        opens_dt=now - timedelta(hours=1),
        closes_dt=now + timedelta(days=10),
        timezone="Europe/Vienna",
        invited=[aut],
        visibility="open",
    )
    for body in ("A general remark.", "Ελληνικά – «a second remark»."):
        commenting.create_comment(delegate, consultation, kind="general", body=body, submit=True)
    db.session.commit()
    return {"delegate_id": delegate.id, "consultation_id": consultation.id}


def add_comment(setting, body: str) -> None:
    actor = db.session.get(User, setting["delegate_id"])
    consultation = db.session.get(Consultation, setting["consultation_id"])
    commenting.create_comment(actor, consultation, kind="general", body=body, submit=True)
    db.session.commit()


def state() -> dict:
    """What a restore must bring back: published hashes, comments, the audit trail."""
    db.session.expire_all()
    versions = db.session.scalars(
        db.select(Version).where(Version.status == VersionStatus.PUBLISHED).order_by(Version.id)
    )
    comments = db.session.execute(db.select(Comment.id, Comment.body).order_by(Comment.id))
    events = db.session.scalars(db.select(AuditEvent.hash).order_by(AuditEvent.id))
    return {
        "hashes": {v.id: v.text_hash for v in versions},
        "comments": [tuple(row) for row in comments],
        "events": list(events),
    }


def assert_sound(expected_counts: tuple[int, int, int] | None = None) -> None:
    """The database's published versions match their hashes and its audit chain is intact."""
    checked, mismatches = verify_published_hashes()
    chain = verify_chain()
    assert not mismatches and not chain.problems
    if expected_counts is not None:
        comments = db.session.scalar(db.select(db.func.count(Comment.id)))
        assert (checked, comments, chain.checked) == expected_counts


def counts_in(output: str) -> tuple[int, int, int]:
    match = SUMMARY.search(output)
    assert match, output
    return tuple(int(n) for n in match.groups())


def test_a_backup_taken_while_delegations_write_is_consistent(
    setting, database_url, runner, tmp_path
):
    """A writer keeps submitting comments (each with its audit event) during two backups."""
    writer_app = create_app(
        TestConfig, SQLALCHEMY_DATABASE_URI=database_url, SQLITE_BEGIN_OUTSIDE_REQUESTS="IMMEDIATE"
    )
    stop = threading.Event()
    written = threading.Semaphore(0)
    errors: list[BaseException] = []

    def write() -> None:
        with writer_app.app_context():
            n = 0
            try:
                while not stop.is_set():
                    add_comment(setting, f"Written during the backup, number {n}.")
                    n += 1
                    written.release()
            except BaseException as exc:  # noqa: BLE001 - reported by the test thread
                errors.append(exc)
                written.release()
            finally:
                db.session.remove()
                db.engine.dispose()

    thread = threading.Thread(target=write)
    thread.start()
    outputs = []
    try:
        for n in range(2):
            for _ in range(3):  # the writer has written since the start or the last backup
                written.acquire()
            result = runner.invoke(args=["backup", str(tmp_path / f"during-{n}.backup")])
            assert result.exit_code == 0, result.output
            outputs.append(result.output)
        for _ in range(3):
            written.acquire()
    finally:
        stop.set()
        thread.join()
    assert not errors
    assert "Backed up" in outputs[0]
    first, second = (counts_in(o) for o in outputs)
    assert 2 + 3 <= first[1] < second[1] < len(state()["comments"])

    for n, counts in enumerate((first, second)):
        path = tmp_path / f"during-{n}.backup"
        if ON_POSTGRES:
            result = runner.invoke(args=["restore", str(path), "--yes"])
            assert result.exit_code == 0, result.output
            assert_sound(counts)
        else:
            assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone() == ("delete",)
            copy = tmp_path / f"opened-{n}.sqlite"
            shutil.copyfile(path, copy)
            backup_app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{copy}")
            with backup_app.app_context():
                assert_sound(counts)
                db.session.remove()
                db.engine.dispose()


def test_restore_brings_back_the_published_hashes_comments_and_audit_trail(
    setting, runner, tmp_path
):
    path = tmp_path / "drafting.backup"
    result = runner.invoke(args=["backup", str(path)])
    assert result.exit_code == 0, result.output
    backed_up = state()
    assert len(backed_up["hashes"]) == 2 and len(backed_up["comments"]) == 2
    assert counts_in(result.output) == (2, 2, len(backed_up["events"]))

    add_comment(setting, "Written after the backup: lost by the restore.")
    assert state() != backed_up

    result = runner.invoke(args=["restore", str(path), "--yes"])
    assert result.exit_code == 0, result.output
    assert "Restored" in result.output and counts_in(result.output) == (
        2,
        2,
        len(backed_up["events"]),
    )
    assert state() == backed_up
    result = runner.invoke(args=["verify"])
    assert result.exit_code == 0, result.output
    # The restored database is whole: its rules hold and new comments chain on.
    add_comment(setting, "Written after the restore.")
    after = state()
    assert after["comments"][:2] == backed_up["comments"]
    assert after["events"][: len(backed_up["events"])] == backed_up["events"]
    assert_sound()
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(text("DELETE FROM audit_events"))
    db.session.rollback()


@on_sqlite_only
def test_restore_into_a_fresh_database(setting, runner, tmp_path):
    path = tmp_path / "drafting.backup"
    assert runner.invoke(args=["backup", str(path)]).exit_code == 0
    backed_up = state()

    fresh = create_app(
        TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'new' / 'fresh.sqlite'}"
    )
    with fresh.app_context():
        result = fresh.test_cli_runner().invoke(args=["restore", str(path), "--yes"])
        assert result.exit_code == 0, result.output
        assert state() == backed_up
        assert_sound()
        db.session.remove()
        db.engine.dispose()


def test_restore_asks_before_replacing_the_database(setting, runner, tmp_path):
    path = tmp_path / "drafting.backup"
    assert runner.invoke(args=["backup", str(path)]).exit_code == 0
    add_comment(setting, "Kept, since the restore is called off.")
    before = state()
    result = runner.invoke(args=["restore", str(path)], input="n\n")
    assert result.exit_code != 0
    assert "Replace everything in" in result.output and "Aborted" in result.output
    assert state() == before


def test_restore_refuses_a_file_that_is_not_a_backup(setting, runner, tmp_path):
    before = state()
    text_file = tmp_path / "notes.txt"
    text_file.write_text("Not a database at all.\n")
    foreign = tmp_path / "other.sqlite"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE things (id INTEGER PRIMARY KEY)")
    conn.close()
    expectations = [(text_file, "is not a backup of this service: it is neither")]
    if ON_POSTGRES:
        expectations.append((foreign, "is a SQLite backup, but this service runs on PostgreSQL"))
        broken = tmp_path / "broken.dump"
        broken.write_bytes(b"PGDMP" + b"\x00" * 40)
        expectations.append((broken, "is not a readable pg_dump archive"))
    else:
        expectations.append(
            (foreign, "is a SQLite database but not a backup of this service: it has no")
        )
        pg_dump_like = tmp_path / "postgres.dump"
        pg_dump_like.write_bytes(b"PGDMP" + b"\x00" * 40)
        expectations.append((pg_dump_like, "is a PostgreSQL backup, but this service runs on"))
    for path, message in expectations:
        result = runner.invoke(args=["restore", str(path), "--yes"])
        assert result.exit_code != 0
        assert message in result.output, result.output
        assert "Traceback" not in result.output
    assert state() == before


@on_sqlite_only
def test_restore_refuses_a_backup_from_a_newer_schema(setting, runner, tmp_path):
    path = tmp_path / "drafting.backup"
    assert runner.invoke(args=["backup", str(path)]).exit_code == 0
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.close()
    result = runner.invoke(args=["restore", str(path), "--yes"])
    assert result.exit_code != 0
    assert "made by a newer version of the service (schema revision 9999" in result.output


@on_sqlite_only
def test_backup_refuses_to_overwrite_the_database_itself(setting, runner):
    result = runner.invoke(args=["backup", db.engine.url.database])
    assert result.exit_code != 0
    assert "is the database itself" in result.output


@on_postgres_only
def test_a_postgres_backup_is_a_custom_format_archive(setting, runner, tmp_path):
    path = tmp_path / "drafting.backup"
    assert runner.invoke(args=["backup", str(path)]).exit_code == 0
    assert path.read_bytes().startswith(b"PGDMP")


def test_a_backup_is_readable_by_its_owner_alone(setting, runner, tmp_path):
    import stat

    path = tmp_path / "private.backup"
    assert runner.invoke(args=["backup", str(path)]).exit_code == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
