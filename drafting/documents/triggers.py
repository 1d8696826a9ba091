"""Database triggers that freeze published versions, the guard no code path can bypass.

The migration that creates the tables installs them; the model layer refuses the same changes
earlier with a clearer message (see models._refuse_changes_to_published).
"""

FROZEN_MESSAGE = "published version is frozen"

SQLITE = [
    f"""CREATE TRIGGER versions_frozen_update BEFORE UPDATE ON versions
    WHEN OLD.status = 'published'
    BEGIN SELECT RAISE(ABORT, '{FROZEN_MESSAGE}'); END""",
    f"""CREATE TRIGGER versions_frozen_delete BEFORE DELETE ON versions
    WHEN OLD.status = 'published'
    BEGIN SELECT RAISE(ABORT, '{FROZEN_MESSAGE}'); END""",
    f"""CREATE TRIGGER paragraphs_frozen_insert BEFORE INSERT ON paragraphs
    WHEN (SELECT status FROM versions WHERE id = NEW.version_id) = 'published'
    BEGIN SELECT RAISE(ABORT, '{FROZEN_MESSAGE}'); END""",
    f"""CREATE TRIGGER paragraphs_frozen_update BEFORE UPDATE ON paragraphs
    WHEN (SELECT status FROM versions WHERE id = OLD.version_id) = 'published'
      OR (SELECT status FROM versions WHERE id = NEW.version_id) = 'published'
    BEGIN SELECT RAISE(ABORT, '{FROZEN_MESSAGE}'); END""",
    f"""CREATE TRIGGER paragraphs_frozen_delete BEFORE DELETE ON paragraphs
    WHEN (SELECT status FROM versions WHERE id = OLD.version_id) = 'published'
    BEGIN SELECT RAISE(ABORT, '{FROZEN_MESSAGE}'); END""",
]

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS versions_frozen_update",
    "DROP TRIGGER IF EXISTS versions_frozen_delete",
    "DROP TRIGGER IF EXISTS paragraphs_frozen_insert",
    "DROP TRIGGER IF EXISTS paragraphs_frozen_update",
    "DROP TRIGGER IF EXISTS paragraphs_frozen_delete",
]

POSTGRESQL = [
    f"""CREATE FUNCTION refuse_frozen_version() RETURNS trigger AS $$
    BEGIN
      IF OLD.status = 'published' THEN
        RAISE EXCEPTION '{FROZEN_MESSAGE}' USING ERRCODE = 'check_violation';
      END IF;
      IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    f"""CREATE FUNCTION refuse_frozen_paragraph() RETURNS trigger AS $$
    BEGIN
      IF TG_OP <> 'INSERT' AND EXISTS (
          SELECT 1 FROM versions WHERE id = OLD.version_id AND status = 'published') THEN
        RAISE EXCEPTION '{FROZEN_MESSAGE}' USING ERRCODE = 'check_violation';
      END IF;
      IF TG_OP <> 'DELETE' AND EXISTS (
          SELECT 1 FROM versions WHERE id = NEW.version_id AND status = 'published') THEN
        RAISE EXCEPTION '{FROZEN_MESSAGE}' USING ERRCODE = 'check_violation';
      END IF;
      IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER versions_frozen BEFORE UPDATE OR DELETE ON versions
    FOR EACH ROW EXECUTE FUNCTION refuse_frozen_version()""",
    """CREATE TRIGGER paragraphs_frozen BEFORE INSERT OR UPDATE OR DELETE ON paragraphs
    FOR EACH ROW EXECUTE FUNCTION refuse_frozen_paragraph()""",
]

POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS paragraphs_frozen ON paragraphs",
    "DROP TRIGGER IF EXISTS versions_frozen ON versions",
    "DROP FUNCTION IF EXISTS refuse_frozen_paragraph()",
    "DROP FUNCTION IF EXISTS refuse_frozen_version()",
]

CREATE = {"sqlite": SQLITE, "postgresql": POSTGRESQL}
DROP = {"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}
