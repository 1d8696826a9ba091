"""The API's version and comparison answers in a language, and the command line: importing a
translation (with --dry-run) and exporting a version in a language."""

from __future__ import annotations

from drafting.extensions import db
from tests.api.conftest import api_as, token_for
from tests.consultations.conftest import paragraph
from tests.translations.conftest import RUSSIAN, translation_count

__all__ = ["api_as", "token_for"]  # fixtures

MISSING_FOUR = RUSSIAN.replace("\n\n4. Мы встретимся снова в следующем году.", "")


def test_the_api_gives_a_version_in_russian(people, translated, published, api_as):
    data = api_as(people.aut).get(f"/versions/{published.id}?language=ru").get_json()
    shown = next(p for p in data["paragraphs"] if p["label"] == "1.")
    assert shown["text"] == "Мы подтверждаем принцип общей ответственности."
    assert shown["language"] == "ru" and shown["out_of_date"] is False
    assert shown["uid"] == paragraph(published, "1.").uid


def test_the_api_marks_the_stale_and_the_untranslated(people, next_draft, api_as):
    data = api_as(people.aut).get(f"/versions/{next_draft.id}?language=ru").get_json()
    by_label = {p["label"]: p for p in data["paragraphs"]}
    assert by_label["4."]["out_of_date"] is True
    assert by_label["5."]["language"] == "en"
    assert by_label["5."]["text"] == "We thank the host country."


def test_the_api_refuses_a_language_the_version_has_not(people, translated, published, api_as):
    answer = api_as(people.aut).get(f"/versions/{published.id}?language=fr")
    assert answer.status_code == 404
    assert "no translation into “fr”" in answer.get_json()["detail"]


def test_the_api_compares_two_drafts_in_russian(people, next_draft, published, api_as):
    from drafting.documents.translations import update_paragraph

    uid = paragraph(next_draft, "4.").uid
    update_paragraph(None, next_draft, "ru", uid, "Мы встретимся снова в Вене весной.")
    db.session.commit()
    query = f"old={published.id}&new={next_draft.id}&language=ru"
    data = api_as(people.aut).get(f"/documents/{published.document_id}/comparison?{query}")
    entries = data.get_json()["entries"]
    changed = next(e for e in entries if e["kind"] == "changed")
    assert [1, " Вене весной"] in changed["diff"] or [1, " Вене"] in changed["diff"], changed


def test_the_command_line_dry_run_stores_nothing(runner, published, tmp_path):
    file = tmp_path / "ru.md"
    file.write_text(RUSSIAN, encoding="utf-8")
    args = ["translations", "import", str(published.id), str(file), "--language", "ru"]
    result = runner.invoke(args=[*args, "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "all 8 paragraphs align; nothing stored" in result.output
    assert translation_count() == 0
    result = runner.invoke(args=args)
    assert result.exit_code == 0 and translation_count() == 1


def test_the_command_line_refuses_a_translation_missing_a_paragraph(runner, published, tmp_path):
    file = tmp_path / "ru.md"
    file.write_text(MISSING_FOUR, encoding="utf-8")
    args = ["translations", "import", str(published.id), str(file), "--language", "ru"]
    result = runner.invoke(args=args)
    assert result.exit_code == 1
    assert "missing: 4." in result.output and "nothing stored" in result.output
    assert translation_count() == 0


def test_the_command_line_exports_a_version_in_russian(runner, translated, published, tmp_path):
    out = tmp_path / "out.md"
    args = ["export", str(published.id), "--format", "md", "--language", "ru", "-o", str(out)]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").strip() == RUSSIAN.strip()
    refused = runner.invoke(args=["export", str(published.id), "--language", "fr"])
    assert refused.exit_code == 1 and "no translation into “fr”" in refused.output
    db.session.rollback()
