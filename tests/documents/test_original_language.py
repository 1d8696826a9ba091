"""The language a document's original is written in: chosen when the document is created, on
the page or with `drafting import --language`, and fixed once a translation exists."""

from __future__ import annotations

from drafting.audit.models import AuditEvent
from drafting.documents.models import Document
from drafting.documents.translations import import_translation
from drafting.extensions import db
from tests.translations.conftest import RUSSIAN as RUSSIAN_TRANSLATION

RUSSIAN = "# Декларация\n\n1. Мы подтверждаем принцип.\n"


def test_the_new_document_page_offers_the_languages_of_the_service(client, secretariat):
    page = client.get("/documents/new").get_data(as_text=True)
    for code in ("fr", "es", "ru", "ar", "zh", "de"):
        assert f'<option value="{code}"' in page
    assert '<option selected value="en">' in page


def test_the_secretariat_creates_a_document_written_in_french(client, secretariat):
    response = client.post("/documents/new", data={"title": "Déclaration", "language": "fr"})
    assert response.status_code == 302
    document = db.session.scalar(db.select(Document))
    assert document.language == "fr"
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "document.created"))
    assert event.details["language"] == "fr"


def test_a_language_the_service_does_not_know_is_refused_keeping_the_title(client, secretariat):
    response = client.post("/documents/new", data={"title": "Déclaration", "language": "x<b>"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Not a valid choice" in page
    assert 'value="Déclaration"' in page and "x<b>" not in page
    assert db.session.scalar(db.select(Document)) is None


def test_the_command_line_imports_a_new_document_in_russian(runner, tmp_path):
    path = tmp_path / "draft.md"
    path.write_text(RUSSIAN, encoding="utf-8")
    result = runner.invoke(
        args=["import", "Декларация", str(path), "--label", "Проект", "--language", "ru"]
    )
    assert result.exit_code == 0, result.output
    assert db.session.scalar(db.select(Document)).language == "ru"


def test_the_command_line_refuses_a_language_the_service_does_not_know(runner, tmp_path):
    path = tmp_path / "draft.md"
    path.write_text(RUSSIAN, encoding="utf-8")
    result = runner.invoke(args=["import", "D", str(path), "--label", "Zero", "--language", "xx"])
    assert result.exit_code != 0 and "not a language of the service" in result.output
    assert db.session.scalar(db.select(Document)) is None


def test_the_original_language_changes_while_no_translation_exists(
    runner, tmp_path, create_document, sample_source
):
    document = create_document(("Zero draft", sample_source, True))
    path = tmp_path / "draft1.md"
    path.write_text(sample_source, encoding="utf-8")
    result = runner.invoke(
        args=["import", str(document.id), str(path), "--label", "Draft 1", "--language", "de"]
    )
    assert result.exit_code == 0, result.output
    assert db.session.get(Document, document.id).language == "de"
    changed = db.session.scalar(
        db.select(AuditEvent).where(AuditEvent.action == "document.language_changed")
    )
    assert changed.details == {"before": "en", "after": "de"}


def test_the_original_language_is_fixed_once_a_translation_exists(
    runner, tmp_path, create_document, sample_source
):
    document = create_document(("Zero draft", sample_source, True))
    import_translation(None, document.versions[0], RUSSIAN_TRANSLATION, language="ru")
    db.session.commit()
    path = tmp_path / "draft1.md"
    path.write_text(sample_source, encoding="utf-8")
    result = runner.invoke(
        args=["import", str(document.id), str(path), "--label", "Draft 1", "--language", "fr"]
    )
    assert result.exit_code != 0
    assert "stays in English" in result.output and "has translations" in result.output
    assert db.session.get(Document, document.id).language == "en"
    assert len(db.session.get(Document, document.id).versions) == 1
