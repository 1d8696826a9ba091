from pathlib import Path

import pytest
from sqlalchemy import text

from drafting.documents.models import Document, Version
from drafting.extensions import db

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
DRAFTS = Path(__file__).resolve().parents[1] / "drafts"


def test_demo_loads_the_sample_and_prints_the_logins(runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "secretariat@example.org" in result.output and "delegate-demo-2029" in result.output
    labels = db.session.scalars(db.select(Version.label).order_by(Version.id)).all()
    assert labels == ["Zero draft", "Draft 1", "Draft 2"]
    assert "Written comments on Draft 1" in result.output


def test_demo_opens_a_round_on_draft_1_with_comments_and_a_private_draft(runner):
    from drafting.consultations.models import Comment, Consultation

    runner.invoke(args=["demo"])
    consultation = db.session.scalar(db.select(Consultation))
    assert consultation.version.label == "Draft 1" and consultation.timezone == "Europe/Vienna"
    assert "MDS" not in {d.code for d in consultation.invited}
    comments = db.session.scalars(db.select(Comment).order_by(Comment.id)).all()
    assert [(c.delegation.code, c.kind.value, c.status.value) for c in comments] == [
        ("AUT", "replace", "submitted"),
        ("AUT", "general", "draft"),
        ("PAK", "paragraph", "submitted"),
        ("PAK", "insert", "submitted"),
        ("GRC", "paragraph", "submitted"),  # recorded by the secretariat
    ]
    assert comments[0].decision.outcome.value == "accepted"
    assert comments[2].decision.is_shared is False


def test_demo_twice_loads_nothing_twice(runner):
    runner.invoke(args=["demo"])
    result = runner.invoke(args=["demo"])
    assert "Already loaded" in result.output
    assert db.session.scalar(db.select(db.func.count(Document.id))) == 1


def test_import_publish_and_export_round_trip_a_corpus_document(runner, tmp_path):
    source = CORPUS / "de-grundgesetz" / "v1.md"
    result = runner.invoke(
        args=["import", "Grundgesetz", str(source), "--label", "2012", "--publish"]
    )
    assert result.exit_code == 0, result.output
    assert "published" in result.output and "SHA-256" in result.output
    version = db.session.scalar(db.select(Version))
    out = tmp_path / "out.md"
    assert (
        runner.invoke(args=["export", str(version.id), "--format", "md", "-o", str(out)]).exit_code
        == 0
    )
    assert out.read_text(encoding="utf-8") == source.read_text(encoding="utf-8").strip("\n") + "\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\x00\x01binary", "binary"),
        ("Erklärung".encode("latin-1"), "not UTF-8"),
        (b"1. <script>alert(1)</script>", "raw HTML"),
        (b"1. x\n\n" * 3_500_000, "at most 5 MB"),
    ],
)
def test_import_refuses_bad_files_with_a_message_and_stores_nothing(
    runner, tmp_path, content, message
):
    path = tmp_path / "bad.md"
    path.write_bytes(content)
    result = runner.invoke(args=["import", "Declaration", str(path), "--label", "Zero draft"])
    assert result.exit_code != 0 and message in result.output
    assert db.session.scalar(db.select(db.func.count(Document.id))) == 0


def test_export_of_an_unknown_version_says_so(runner):
    result = runner.invoke(args=["export", "4242"])
    assert result.exit_code != 0 and "no version #4242" in result.output


def test_verify_passes_on_untouched_versions(runner):
    runner.invoke(args=["demo"])
    result = runner.invoke(args=["verify"])
    assert result.exit_code == 0 and "All 2 published versions match" in result.output


def _tamper(version_id: int) -> None:
    """Change a published paragraph behind the triggers' back, as an intruder with SQL could."""
    dialect = db.engine.dialect.name
    with db.engine.begin() as conn:
        if dialect == "postgresql":
            conn.execute(text("ALTER TABLE paragraphs DISABLE TRIGGER paragraphs_frozen"))
        else:
            trigger_sql = conn.execute(
                text("SELECT sql FROM sqlite_master WHERE name = 'paragraphs_frozen_update'")
            ).scalar_one()
            conn.execute(text("DROP TRIGGER paragraphs_frozen_update"))
        conn.execute(
            text("UPDATE paragraphs SET text = text || ' (tampered)' WHERE version_id = :id"),
            {"id": version_id},
        )
        if dialect == "postgresql":
            conn.execute(text("ALTER TABLE paragraphs ENABLE TRIGGER paragraphs_frozen"))
        else:
            conn.execute(text(trigger_sql))


def test_verify_reports_a_published_version_whose_text_was_tampered_with(runner):
    runner.invoke(args=["demo"])
    zero = db.session.scalar(db.select(Version).where(Version.label == "Zero draft"))
    db.session.commit()
    _tamper(zero.id)
    result = runner.invoke(args=["verify"])
    assert result.exit_code != 0
    assert f"MISMATCH version #{zero.id}" in result.output and "1 of 2" in result.output


def test_the_sample_drafts_are_in_the_draft_format():
    from drafting.text.draft_format import parse_draft

    for name in ("zero-draft.md", "draft-1.md", "draft-2.md"):
        blocks = parse_draft((DRAFTS / name).read_text(encoding="utf-8"))
        assert 40 <= sum(1 for b in blocks if b.kind == "paragraph") <= 50
