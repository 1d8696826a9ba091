"""language versions: a document's original language, translations of versions aligned per
paragraph, and the language a comment quotes

Revision ID: 0014_translations
Revises: 0013_recorded_and_locale
Create Date: 2026-12-05 08:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_translations"
down_revision = "0013_recorded_and_locale"
branch_labels = None
depends_on = None

# A published translation is frozen like a published version, by the database too (0001's
# message, which the service already turns into a clear answer).
FROZEN = "BEGIN SELECT RAISE(ABORT, 'published version is frozen'); END"
PUBLISHED_PARENT = "(SELECT status FROM translations WHERE id = {}.translation_id) = 'published'"
CREATE_TRIGGERS = {
    "sqlite": [
        f"""CREATE TRIGGER translations_frozen_update BEFORE UPDATE ON translations
    WHEN OLD.status = 'published' {FROZEN}""",
        f"""CREATE TRIGGER translations_frozen_delete BEFORE DELETE ON translations
    WHEN OLD.status = 'published' {FROZEN}""",
        f"""CREATE TRIGGER translated_paragraphs_frozen_insert BEFORE INSERT
    ON translated_paragraphs WHEN {PUBLISHED_PARENT.format("NEW")} {FROZEN}""",
        f"""CREATE TRIGGER translated_paragraphs_frozen_update BEFORE UPDATE
    ON translated_paragraphs WHEN {PUBLISHED_PARENT.format("OLD")} {FROZEN}""",
        f"""CREATE TRIGGER translated_paragraphs_frozen_delete BEFORE DELETE
    ON translated_paragraphs WHEN {PUBLISHED_PARENT.format("OLD")} {FROZEN}""",
    ],
    "postgresql": [
        """CREATE FUNCTION refuse_frozen_translation() RETURNS trigger AS $$
    BEGIN
      IF OLD.status = 'published' THEN
        RAISE EXCEPTION 'published version is frozen' USING ERRCODE = 'check_violation';
      END IF;
      IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql""",
        """CREATE FUNCTION refuse_frozen_translated_paragraph() RETURNS trigger AS $$
    BEGIN
      IF TG_OP <> 'INSERT' AND EXISTS (SELECT 1 FROM translations
          WHERE id = OLD.translation_id AND status = 'published') THEN
        RAISE EXCEPTION 'published version is frozen' USING ERRCODE = 'check_violation';
      END IF;
      IF TG_OP <> 'DELETE' AND EXISTS (SELECT 1 FROM translations
          WHERE id = NEW.translation_id AND status = 'published') THEN
        RAISE EXCEPTION 'published version is frozen' USING ERRCODE = 'check_violation';
      END IF;
      IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql""",
        """CREATE TRIGGER translations_frozen BEFORE UPDATE OR DELETE ON translations
    FOR EACH ROW EXECUTE FUNCTION refuse_frozen_translation()""",
        """CREATE TRIGGER translated_paragraphs_frozen BEFORE INSERT OR UPDATE OR DELETE
    ON translated_paragraphs FOR EACH ROW EXECUTE FUNCTION refuse_frozen_translated_paragraph()""",
    ],
}
DROP_TRIGGERS = {
    "sqlite": [
        f"DROP TRIGGER IF EXISTS {name}"
        for name in (
            "translations_frozen_update",
            "translations_frozen_delete",
            "translated_paragraphs_frozen_insert",
            "translated_paragraphs_frozen_update",
            "translated_paragraphs_frozen_delete",
        )
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS translated_paragraphs_frozen ON translated_paragraphs",
        "DROP TRIGGER IF EXISTS translations_frozen ON translations",
        "DROP FUNCTION IF EXISTS refuse_frozen_translated_paragraph()",
        "DROP FUNCTION IF EXISTS refuse_frozen_translation()",
    ],
}


def upgrade():
    # Plain ADD COLUMN (no batch copy): the triggers on comments stay.
    op.add_column(
        "documents", sa.Column("language", sa.String(8), server_default="en", nullable=False)
    )
    op.add_column(
        "comments", sa.Column("quote_language", sa.String(8), server_default="", nullable=False)
    )
    op.create_table(
        "translations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column(
            "status",
            sa.Enum("working", "published", name="translationstatus", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("created_dt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("published_dt", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["version_id"], ["versions.id"], name=op.f("fk_translations_version_id_versions")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_translations_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["published_by_id"], ["users.id"], name=op.f("fk_translations_published_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_translations")),
        sa.UniqueConstraint(
            "version_id", "language", name=op.f("uq_translations_version_id_language")
        ),
    )
    op.create_index(op.f("ix_translations_version_id"), "translations", ["version_id"])
    op.create_table(
        "translated_paragraphs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("translation_id", sa.Integer(), nullable=False),
        sa.Column("paragraph_uid", sa.String(32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("source_hash", sa.String(64), nullable=False),
        sa.Column("edited_by_id", sa.Integer(), nullable=True),
        sa.Column("edited_dt", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["translation_id"],
            ["translations.id"],
            ondelete="CASCADE",
            name=op.f("fk_translated_paragraphs_translation_id_translations"),
        ),
        sa.ForeignKeyConstraint(
            ["edited_by_id"], ["users.id"], name=op.f("fk_translated_paragraphs_edited_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_translated_paragraphs")),
        sa.UniqueConstraint(
            "translation_id",
            "paragraph_uid",
            name=op.f("uq_translated_paragraphs_translation_id_paragraph_uid"),
        ),
    )


    for statement in CREATE_TRIGGERS.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def downgrade():
    for statement in DROP_TRIGGERS.get(op.get_bind().dialect.name, []):
        op.execute(statement)
    op.drop_table("translated_paragraphs")
    op.drop_index(op.f("ix_translations_version_id"), table_name="translations")
    op.drop_table("translations")
    op.drop_column("comments", "quote_language")
    op.drop_column("documents", "language")
