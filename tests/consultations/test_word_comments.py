"""A delegation's marked-up Word file stored as its comments: a delegate's own as private drafts,
one the secretariat received as the delegation's submitted comments, recorded by it; and the
commands `drafting export --format docx` and `drafting comments import`."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from drafting.consultations import rounds
from drafting.consultations.models import Comment
from drafting.consultations.refusals import ConsultationError
from drafting.consultations.word_comments import import_word_comments, read_word_file
from drafting.exports.markup_copy import version_markup_docx
from drafting.extensions import db
from tests.consultations.conftest import delegation, paragraph
from tests.documents.markup_files import Marked


def marked_up(version) -> bytes:
    marked = Marked(version_markup_docx(version))
    marked.insert_text(marked.paragraph(paragraph(version, "1.").uid), " We add this.")
    marked.comment(marked.paragraph(paragraph(version, "3.").uid), "platform", "Which one?")
    return marked.save()


def read(consultation, data):
    return read_word_file(
        consultation,
        data,
        {
            "MAX_DRAFT_BYTES": 5_000_000,
            "MAX_WORD_XML_BYTES": 5_000_000,
            "MAX_DRAFT_PARAGRAPHS": 500,
        },
    )


def test_delegate_imports_own_file_as_private_drafts(people, published, open_round):
    consultation = open_round()
    reading = read(consultation, marked_up(published))
    stored = import_word_comments(
        people.aut, consultation, delegation("AUT"), reading.amendments, on_behalf=False
    )
    db.session.commit()
    assert [(c.kind.value, c.status.value, c.recorded_by_id) for c in stored] == [
        ("replace", "draft", None),
        ("paragraph", "draft", None),
    ]
    assert stored[0].proposed_text.endswith("responsibility. We add this.")
    assert stored[1].quote == "platform" and stored[1].body == "Which one?"


def test_secretariat_records_a_received_file_as_submitted(people, published, open_round):
    consultation = open_round()
    received = datetime.now(UTC) - timedelta(minutes=30)  # the round opened an hour ago
    reading = read(consultation, marked_up(published))
    stored = import_word_comments(
        people.secretariat,
        consultation,
        delegation("PAK"),
        reading.amendments,
        on_behalf=True,
        source="E-mail from the Permanent Mission",
        received_dt=received,
    )
    db.session.commit()
    comment = db.session.get(Comment, stored[0].id)
    assert comment.delegation.code == "PAK" and comment.is_submitted
    assert comment.recorded_by_id == people.secretariat.id
    assert comment.recorded_source == "Word file: E-mail from the Permanent Mission"
    assert comment.received_dt == received


def test_secretariat_cannot_record_for_a_delegation_not_invited(people, published, open_round):
    consultation = open_round(invited=("AUT",))
    reading = read(consultation, marked_up(published))
    with pytest.raises(ConsultationError, match="not invited"):
        import_word_comments(
            people.secretariat, consultation, delegation("TUR"), reading.amendments, on_behalf=True
        )


def test_file_imported_after_the_deadline_is_refused(people, published, open_round):
    consultation = open_round()
    rounds.close_early(people.secretariat, consultation)
    db.session.commit()
    reading = read(consultation, marked_up(published))
    with pytest.raises(ConsultationError, match="deadline|closed"):
        import_word_comments(
            people.aut, consultation, delegation("AUT"), reading.amendments, on_behalf=False
        )


def test_export_command_writes_the_copy_made_for_marking_up(runner, published, tmp_path):
    out = tmp_path / "zero.docx"
    result = runner.invoke(args=["export", str(published.id), "--format", "docx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert (
        f"_p_{published.paragraphs[3].uid}".encode()
        in Marked(out.read_bytes()).parts["word/document.xml"]
    )


def test_comments_import_dry_run_prints_the_json_and_stores_nothing(
    runner, people, published, open_round, tmp_path
):
    consultation = open_round()
    path = tmp_path / "pak.docx"
    path.write_bytes(marked_up(published))
    args = ["comments", "import", str(consultation.id), str(path), "--delegation", "PAK"]
    result = runner.invoke(args=[*args, "--dry-run", "--format", "json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert set(found) == {"amendments", "unmatched", "ignored_formatting_changes"}
    assert [a["kind"] for a in found["amendments"]] == ["replace", "comment"]
    assert found["amendments"][0] == {
        "paragraph_uid": paragraph(published, "1.").uid,
        "after_paragraph_uid": None,
        "label": "1.",
        "kind": "replace",
        "quote": "",
        "proposed_text": "We affirm the principle of shared responsibility. We add this.",
        "body": "",
    }
    assert db.session.scalar(db.select(db.func.count(Comment.id))) == 0


def test_comments_import_stores_them_as_recorded_by_the_secretariat(
    runner, people, published, open_round, tmp_path
):
    consultation = open_round()
    path = tmp_path / "pak.docx"
    path.write_bytes(marked_up(published))
    args = ["comments", "import", str(consultation.id), str(path), "--delegation", "PAK"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    comments = db.session.scalars(db.select(Comment)).all()
    assert {(c.delegation.code, c.status.value) for c in comments} == {("PAK", "submitted")}
    assert {c.recorded_by_id for c in comments} == {people.secretariat.id}


def test_comments_import_refuses_a_file_that_is_not_word(runner, people, open_round, tmp_path):
    consultation = open_round()
    path = tmp_path / "letter.docx"
    path.write_bytes(b"Dear colleagues,\x00\x07 our comments follow.")
    args = ["comments", "import", str(consultation.id), str(path), "--delegation", "PAK"]
    result = runner.invoke(args=args)
    assert result.exit_code != 0 and "not a Word" in result.output


def test_a_file_received_before_the_deadline_is_on_time_when_imported_after_it(
    people, published, open_round
):
    consultation = open_round()
    consultation.closes_dt = datetime.now(UTC) - timedelta(minutes=10)  # closed since
    db.session.commit()
    reading = read(consultation, marked_up(published))
    received = datetime.now(UTC) - timedelta(minutes=20)
    [first, *_] = import_word_comments(
        people.secretariat,
        consultation,
        delegation("PAK"),
        reading.amendments,
        on_behalf=True,
        received_dt=received,
    )
    assert first.is_submitted and not first.is_late


def test_a_file_received_after_the_deadline_is_refused_by_the_late_rule(
    people, published, open_round
):
    consultation = open_round()
    consultation.closes_dt = datetime.now(UTC) - timedelta(minutes=10)
    db.session.commit()
    reading = read(consultation, marked_up(published))
    with pytest.raises(ConsultationError, match="Nothing was recorded"):
        import_word_comments(
            people.secretariat, consultation, delegation("PAK"), reading.amendments, on_behalf=True
        )
