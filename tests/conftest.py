"""Fixtures: an app on a real, migrated database per test, HTTP clients, factories, a browser.

The database is SQLite by default; with TEST_DATABASE_URL set (CI sets it) the same suite runs
on PostgreSQL. Both go through the real Alembic migrations, so triggers are tested too.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import create_engine, make_url, text

from config import TestConfig
from drafting.app import create_app
from drafting.extensions import db

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
PASSWORD = "correct horse battery staple"
POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")
ON_POSTGRES = POSTGRES_URL.startswith("postgres")


def _postgres_url() -> str:
    """TEST_DATABASE_URL for SQLAlchemy; under pytest-xdist each worker gets its own database,
    ``<name>_<worker>`` (test_gw0, test_gw1 …), created here when it is missing, since every
    test empties the whole database."""
    url = make_url("postgresql+psycopg://" + POSTGRES_URL.split("://", 1)[1])
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url.render_as_string(hide_password=False)
    name = f"{url.database}_{worker}"
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def _migrate(url: str) -> None:
    from flask_migrate import upgrade

    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def database_template(tmp_path_factory) -> str:
    """Migrate once per run (per worker under xdist): a template file for SQLite, the test
    database for PostgreSQL."""
    if ON_POSTGRES:
        url = _postgres_url()
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        _migrate(url)
        return url
    path = tmp_path_factory.mktemp("db") / "template.sqlite"
    _migrate(f"sqlite:///{path}")
    return str(path)


@pytest.fixture
def database_url(database_template, tmp_path) -> str:
    return fresh_database(database_template, tmp_path)


def fresh_database(database_template: str, directory: Path) -> str:
    """An empty, migrated database: a copy of the template in ``directory``, or on PostgreSQL
    the test database emptied."""
    if ON_POSTGRES:
        engine = create_engine(database_template)
        with engine.begin() as conn:
            tables = [
                r[0]
                for r in conn.execute(
                    text(
                        "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                        " AND tablename <> 'alembic_version'"
                    )
                )
            ]
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        engine.dispose()
        return database_template
    path = directory / "test.sqlite"
    shutil.copyfile(database_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def app(database_url):
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


class FormClient(FlaskClient):
    """A test client that sends forms as a browser does: with the session's CSRF token.

    Pass ``csrf_token=None`` in ``data`` to send a form without one.
    """

    def post(self, *args, **kwargs):
        data = kwargs.get("data")
        if isinstance(data, dict):
            if "csrf_token" not in data:
                data["csrf_token"] = self.csrf_token()
            elif data["csrf_token"] is None:
                del data["csrf_token"]
        return super().post(*args, **kwargs)

    def csrf_token(self) -> str:
        return csrf_token_from(self.get("/login").get_data(as_text=True))

    def open(self, *args, **kwargs):
        # Each request gets its own app context (its own `g` and database session), as in
        # production; the test's own session ends its transaction first so it holds no lock.
        db.session.commit()
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def client(app):
    app.test_client_class = FormClient
    return app.test_client()


class CommandRunner(FlaskCliRunner):
    def invoke(self, *args, **kwargs):
        db.session.commit()
        return super().invoke(*args, **kwargs)


@pytest.fixture
def runner(app):
    app.test_cli_runner_class = CommandRunner
    return app.test_cli_runner()


@pytest.fixture(scope="session")
def password_hash() -> str:
    """One argon2id hash of PASSWORD, computed once: hashing is slow on purpose."""
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI="sqlite://")
    with app.app_context():
        from drafting.auth.operations import hash_password

        return hash_password(PASSWORD)


@pytest.fixture
def create_delegation(app):
    from drafting.auth.operations import create_delegation

    def _create(code: str = "AUT", name: str | None = None, kind: str = "state"):
        delegation = create_delegation(
            None, name=name or f"Delegation {code}", code=code, kind=kind
        )
        db.session.commit()
        return delegation

    return _create


@pytest.fixture
def create_user(app, create_delegation, password_hash):
    from drafting.auth.models import Delegation
    from drafting.auth.operations import create_user

    def _create(
        role: str = "delegate", code: str = "AUT", email: str | None = None, kind: str | None = None
    ):
        delegation = db.session.scalar(db.select(Delegation).where(Delegation.code == code))
        if delegation is None:
            delegation = create_delegation(
                code, kind=kind or ("state" if len(code) == 3 else "organisation")
            )
        user = create_user(
            None,
            email=email or f"{role}.{code.lower()}@example.org",
            name=f"{role.title()} of {code}",
            role=role,
            delegation=delegation,
            password="",
            password_hash=password_hash,
        )
        db.session.commit()
        return user

    return _create


@pytest.fixture
def create_document(app):
    from drafting.documents.importing import import_version
    from drafting.documents.operations import create_document

    def _create(
        *versions: tuple[str, str, bool], title: str = "Ministerial Declaration", participants=()
    ):
        document = create_document(None, title=title, participants=list(participants))
        for label, source, publish in versions:
            import_version(None, document, source, label=label, publish=publish)
        db.session.commit()
        return document

    return _create


SAMPLE_DRAFT = """# Ministerial Declaration on Safe Routes

*Recalling* our earlier commitments,

## Part I: Principles

1. We affirm the principle of shared responsibility.

2. We will cooperate on **safe** and regular pathways.

## Part II: Action

3. We support the platform for exchange.

4. We will meet again next year.
"""


@pytest.fixture
def sample_source() -> str:
    """The sample draft (the one text most tests publish), for tests that take it as a fixture."""
    return SAMPLE_DRAFT


class Auth:
    def __init__(self, client):
        self.client = client

    def login(self, user, password: str = PASSWORD):
        return self.client.post("/login", data={"email": user.email, "password": password})

    def logout(self):
        return self.client.post("/logout", data={})


@pytest.fixture
def auth(client) -> Auth:
    return Auth(client)


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)
