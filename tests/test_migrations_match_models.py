"""The migrations build exactly the schema the models describe: a column, index or constraint
added to a model without a migration (or the reverse) fails here, on SQLite and PostgreSQL."""

from __future__ import annotations

import warnings

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from drafting.extensions import db

# Migrations 0003 and 0013 added these columns on SQLite without their foreign keys (SQLite adds a
# constraint only by rebuilding the table, which would drop its freezing triggers); PostgreSQL,
# the production path, has them, and this test holds it to that.
SQLITE_ONLY_MISSING_FOREIGN_KEYS = {
    "fk_decisions_reflected_version_id_versions",
    "fk_paragraphs_edited_by_id_users",
    "fk_comments_recorded_by_id_users",  # 0013, for the same reason
}


def _significant(diff) -> bool:
    if db.engine.dialect.name != "sqlite":
        return True
    kind = diff[0][0] if isinstance(diff, list) else diff[0]
    return not (kind == "add_fk" and diff[1].name in SQLITE_ONLY_MISSING_FOREIGN_KEYS)


def test_the_migrated_database_matches_the_models(app):
    with db.engine.connect() as conn, warnings.catch_warnings():
        # Expression indexes (case-insensitive labels) cannot be reflected; the tests of the
        # rules they enforce cover them.
        warnings.filterwarnings("ignore", "Skipped unsupported reflection")
        warnings.filterwarnings("ignore", "autogenerate skipping metadata-specified expression")
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": False}
        )
        differences = [d for d in compare_metadata(context, db.metadata) if _significant(d)]
    assert differences == []
