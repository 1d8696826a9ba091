"""How the service stores time and sets up its database."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
import time_machine
from sqlalchemy import text

from drafting.documents.models import Version
from drafting.extensions import db


def test_datetimes_come_back_aware_and_in_utc(create_document, sample_source):
    vienna_winter = timezone(timedelta(hours=1))
    document = create_document(("Zero draft", sample_source, False))
    version = document.versions[0]
    db.session.execute(
        db.update(Version)
        .where(Version.id == version.id)
        .values(created_dt=datetime(2029, 12, 22, 18, 0, tzinfo=vienna_winter))
    )
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(Version, version.id).created_dt
    assert stored.tzinfo is not None and stored.utcoffset() == timedelta(0)
    assert stored == datetime(2029, 12, 22, 17, 0, tzinfo=UTC)


def test_a_naive_datetime_is_refused(create_document, sample_source):
    version = create_document(("Zero draft", sample_source, False)).versions[0]
    version.created_dt = datetime(2029, 12, 22, 18, 0)
    with pytest.raises(Exception, match="naive datetime"):
        db.session.flush()
    db.session.rollback()


def test_sqlite_is_set_up_for_concurrent_use(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite settings")
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL: survives power loss
        assert (
            conn.execute(text("PRAGMA busy_timeout")).scalar()
            == app.config["SQLITE_BUSY_TIMEOUT_MS"]
        )


def test_a_form_still_works_after_a_long_drafting_session(client, auth, create_user):
    auth.login(create_user("secretariat", "MDS"))
    with time_machine.travel(datetime.now(UTC), tick=False) as traveller:
        token = client.csrf_token()
        traveller.shift(timedelta(hours=10))
        response = client.post("/documents/new", data={"title": "Declaration", "csrf_token": token})
    assert response.status_code == 302


def test_db_upgrade_runs_from_the_drafting_command(runner):
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output


def _modes(folder) -> dict[str, int]:
    import stat

    return {p.name: stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()}


def test_a_new_sqlite_database_and_its_wal_are_readable_by_their_owner_alone(tmp_path):
    from config import TestConfig
    from drafting.app import create_app

    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'new.sqlite'}")
    with app.app_context():
        db.session.execute(text("CREATE TABLE drafts (text TEXT)"))
        db.session.commit()
        modes = _modes(tmp_path)
        db.session.remove()
        db.engine.dispose()
    assert modes == {"new.sqlite": 0o600, "new.sqlite-wal": 0o600, "new.sqlite-shm": 0o600}


def test_a_world_readable_database_is_made_private_when_the_service_starts(tmp_path):
    from config import TestConfig
    from drafting.app import create_app

    (tmp_path / "old.sqlite").touch(mode=0o644)
    (tmp_path / "old.sqlite").chmod(0o644)
    create_app(TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'old.sqlite'}")
    assert _modes(tmp_path) == {"old.sqlite": 0o600}


def test_the_generated_secret_key_is_readable_by_its_owner_alone(tmp_path, monkeypatch):
    import config

    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setattr(config, "INSTANCE_DIR", tmp_path)
    assert len(config._secret_key()) == 64
    assert _modes(tmp_path) == {"secret_key": 0o600}
