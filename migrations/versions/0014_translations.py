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


def downgrade():
    op.drop_table("translated_paragraphs")
    op.drop_index(op.f("ix_translations_version_id"), table_name="translations")
    op.drop_table("translations")
    op.drop_column("comments", "quote_language")
    op.drop_column("documents", "language")
