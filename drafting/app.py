"""The assembly: the app factory and the `drafting` command, on top of every layer.

Nothing imports this module but the entry points (`wsgi.py`, the `drafting` script, tests)."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup

from drafting import web
from drafting.api.openapi import init_api
from drafting.api.token_views import bp as tokens_bp
from drafting.cli import service as commands
from drafting.database import configure_sqlite
from drafting.extensions import babel, csrf, db, login_manager, migrate
from drafting.pages.audit import bp as audit_bp
from drafting.pages.auth import bp as auth_bp
from drafting.pages.comments import bp as comments_bp
from drafting.pages.compilation import bp as compilation_bp
from drafting.pages.consultations import bp as consultations_bp
from drafting.pages.convergence import bp as convergence_bp
from drafting.pages.documents import bp as documents_bp
from drafting.pages.editing import bp as editing_bp
from drafting.pages.feeds import bp as feeds_bp
from drafting.pages.importing import bp as importing_bp
from drafting.pages.meeting import bp as meeting_bp
from drafting.pages.outbox import bp as outbox_bp
from drafting.pages.silence import bp as silence_bp
from drafting.pages.statuses import bp as statuses_bp
from drafting.pages.translations import bp as translations_bp
from drafting.pages.word_file import bp as word_file_bp
from drafting.web.locale import install_catalogue, select_locale

BLUEPRINTS = (
    auth_bp,
    documents_bp,
    consultations_bp,
    comments_bp,
    compilation_bp,
    convergence_bp,
    feeds_bp,
    outbox_bp,
    importing_bp,
    editing_bp,
    meeting_bp,
    audit_bp,
    tokens_bp,
    statuses_bp,
    silence_bp,
    word_file_bp,
    translations_bp,
)


def create_app(config_class: type | str = "config.Config", **overrides) -> Flask:
    """Build the app: configuration, extensions, blueprints and the command line."""
    app = Flask(
        "drafting",
        template_folder="../templates",
        static_folder="../static",
        instance_relative_config=True,
    )
    app.config.from_object(config_class)
    app.config.update(overrides)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    install_catalogue(app, babel)

    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(
                db.engine,
                app.config["SQLITE_BUSY_TIMEOUT_MS"],
                app.config["SQLITE_BEGIN_OUTSIDE_REQUESTS"],
            )

    app.url_map.converters["id"] = web.IdConverter
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    init_api(app)
    web.init_app(app)
    for command in commands.ALL:
        app.cli.add_command(command)
    return app


def _app_factory() -> Flask:
    return create_app()


@click.group(cls=FlaskGroup, create_app=_app_factory, add_version_option=False, load_dotenv=False)
def cli() -> None:
    """Drafting service: versioned drafts of declarations, negotiated in writing."""
