import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from drafting.documents.models import FrozenVersionError, Paragraph
from drafting.extensions import db


@pytest.fixture
def zero_draft(create_document, sample_source):
    return create_document(("Zero draft", sample_source, True)).versions[0]


def test_the_model_refuses_to_change_a_published_paragraph(zero_draft):
    zero_draft.paragraphs[2].text = "Rewritten after publication."
    with pytest.raises(FrozenVersionError):
        db.session.flush()


def test_the_model_refuses_to_relabel_a_published_version(zero_draft):
    zero_draft.label = "Rev. 1"
    with pytest.raises(FrozenVersionError):
        db.session.flush()


def test_the_model_refuses_to_delete_or_add_paragraphs_of_a_published_version(zero_draft):
    db.session.delete(zero_draft.paragraphs[1])
    with pytest.raises(FrozenVersionError):
        db.session.flush()
    db.session.rollback()
    db.session.add(
        Paragraph(version=zero_draft, position=99, kind="paragraph", text="Late addition.")
    )
    with pytest.raises(FrozenVersionError):
        db.session.flush()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE paragraphs SET text = 'tampered' WHERE version_id = :id",
        "DELETE FROM paragraphs WHERE version_id = :id",
        "UPDATE versions SET label = 'tampered' WHERE id = :id",
        "UPDATE versions SET status = 'working' WHERE id = :id",
        "DELETE FROM versions WHERE id = :id",
        "INSERT INTO paragraphs (version_id, uid, position, kind, level, label_bold, text)"
        " VALUES (:id, 'x', 99, 'paragraph', 0, false, 'late')",
    ],
)
def test_the_database_refuses_to_change_a_published_version(zero_draft, statement):
    with pytest.raises(DatabaseError, match="published version is frozen"):
        db.session.execute(text(statement), {"id": zero_draft.id})
    db.session.rollback()


def test_a_working_version_can_still_change(create_document, sample_source):
    working = create_document(("Zero draft", sample_source, False)).versions[0]
    working.paragraphs[2].text = "Edited while working."
    db.session.commit()


def test_the_audit_trail_refuses_updates_and_deletes(zero_draft):
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(text("UPDATE audit_events SET action = 'x'"))
    db.session.rollback()
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(text("DELETE FROM audit_events"))
    db.session.rollback()


def test_the_model_refuses_to_move_a_paragraph_out_of_a_published_version(
    create_document, sample_source
):
    document = create_document(
        ("Zero draft", sample_source, True), ("Draft 1", sample_source, False)
    )
    published, working = document.versions
    paragraph = published.paragraphs[2]
    paragraph.version = working
    paragraph.position = 99
    with pytest.raises(FrozenVersionError):
        db.session.flush()


def test_the_model_refuses_edits_in_the_same_flush_that_publishes(create_document, sample_source):
    working = create_document(("Zero draft", sample_source, False)).versions[0]
    from drafting.documents.publishing import publish_version

    publish_version(None, working)
    working.paragraphs[2].text = "Slipped in while publishing."
    with pytest.raises(FrozenVersionError):
        db.session.flush()
