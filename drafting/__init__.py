"""The drafting service: versioned drafts of declarations, negotiated in writing."""

from __future__ import annotations

from flask import Flask


def create_app(config_class: type | str = "config.Config", **overrides) -> Flask:
    """Build the app: configuration, extensions, blueprints and the command line."""
    app = Flask(
        __name__,
        template_folder="../templates",
        static_folder="../static",
        instance_relative_config=True,
    )
    app.config.from_object(config_class)
    app.config.update(overrides)

    from drafting.extensions import csrf, db, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)

    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            from drafting.database import configure_sqlite

            configure_sqlite(
                db.engine,
                app.config["SQLITE_BUSY_TIMEOUT_MS"],
                app.config["SQLITE_BEGIN_OUTSIDE_REQUESTS"],
            )

    from drafting import web

    app.url_map.converters["id"] = web.IdConverter
    from drafting.api.token_views import bp as tokens_bp
    from drafting.api.views import bp as api_bp
    from drafting.audit.views import bp as audit_bp
    from drafting.auth.views import bp as auth_bp
    from drafting.consultations.comment_views import bp as comments_bp
    from drafting.consultations.compilation_views import bp as compilation_bp
    from drafting.consultations.views import bp as consultations_bp
    from drafting.documents.editing_views import bp as editing_bp
    from drafting.documents.import_views import bp as importing_bp
    from drafting.documents.views import bp as documents_bp
    from drafting.notifications.outbox import bp as outbox_bp
    from drafting.notifications.views import bp as feeds_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(documents_bp)
    app.register_blueprint(consultations_bp)
    app.register_blueprint(comments_bp)
    app.register_blueprint(compilation_bp)
    app.register_blueprint(feeds_bp)
    app.register_blueprint(outbox_bp)
    app.register_blueprint(importing_bp)
    app.register_blueprint(editing_bp)
    app.register_blueprint(audit_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(tokens_bp)
    web.init_app(app)

    from drafting import cli

    cli.init_app(app)
    return app
