"""The reference of bench/rush.py: a bare Flask-SQLAlchemy app that only inserts a row per POST.

No token, no permission, no deadline, no validation beyond reading the JSON, no audit event, no
outbox: one INSERT and its COMMIT, answered with 201 and the row's id, so that the real
submission path can be measured against the cheapest write the same stack can do. On SQLite it
uses the same settings as the service (WAL, synchronous=FULL, the same busy timeout), so that
both pay the same price per commit.

Served by gunicorn like the service, with the database in ``DATABASE_URL``:

    DATABASE_URL=sqlite:////tmp/ref.sqlite .venv/bin/python bench/reference_app.py --create
    DATABASE_URL=sqlite:////tmp/ref.sqlite .venv/bin/gunicorn bench.reference_app:app
"""

from __future__ import annotations

import os
import sys

from flask import Flask, jsonify, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import String, Text, event
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class Row(db.Model):
    __tablename__ = "reference_rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The Idempotency-Key the client sent, unique, so that rows can be counted as for comments.
    key: Mapped[str] = mapped_column(String(64), unique=True)
    body: Mapped[str] = mapped_column(Text)


def database_url(url: str | None = None) -> str:
    url = url or os.environ["DATABASE_URL"]
    if url.startswith(("postgres://", "postgresql://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def bare_app(name: str, database: SQLAlchemy, url: str | None = None) -> Flask:
    """A Flask app bound to ``database`` at ``url``, with the service's SQLite settings (WAL,
    synchronous=FULL, the same busy timeout), so that every app of the bench pays the same
    price per commit. The reference and the floor (bench/floor_app.py) are built on it."""
    app = Flask(name)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_url(url)
    database.init_app(app)
    with app.app_context():
        if database.engine.dialect.name == "sqlite":

            @event.listens_for(database.engine, "connect")
            def _on_connect(dbapi_connection, _record):
                cursor = dbapi_connection.cursor()
                cursor.execute("PRAGMA busy_timeout = 15000")
                cursor.execute("PRAGMA journal_mode = WAL")
                cursor.execute("PRAGMA synchronous = FULL")
                cursor.close()

    @app.get("/ready")
    def ready():
        return "ok"

    return app


def create_app(url: str | None = None) -> Flask:
    app = bare_app(__name__, db, url)

    @app.post("/rows")
    def insert_row():
        data = request.get_json(silent=True) or {}
        row = Row(key=request.headers.get("Idempotency-Key", ""), body=str(data.get("body", "")))
        db.session.add(row)
        db.session.commit()
        return jsonify(id=row.id), 201

    return app


def create_tables(url: str | None = None) -> None:
    """(Re)create the one table, empty."""
    reference = create_app(url)
    with reference.app_context():
        db.drop_all()
        db.create_all()
        db.engine.dispose()


app = create_app() if "DATABASE_URL" in os.environ else None

if __name__ == "__main__":
    if sys.argv[1:] != ["--create"]:
        raise SystemExit(__doc__)
    create_tables()
