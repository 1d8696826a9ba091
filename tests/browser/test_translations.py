"""In Chromium, through the pages alone: the secretariat imports a Russian translation (one with
a missing paragraph refused first), confirms it, reads the draft in Russian, publishes the
translation, then brings the next draft's translation up to date."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.consultations.conftest import DRAFT
from tests.translations.conftest import NEXT_DRAFT, RUSSIAN, people
from tests.translations.test_import_review import MISSING_THREE

__all__ = ["people"]  # a fixture


def _file(text: str) -> dict:
    return {"name": "ru.md", "mimeType": "text/markdown", "buffer": text.encode("utf-8")}


def test_the_secretariat_imports_reviews_confirms_and_reads_a_russian_translation(
    page, log_in, people, create_document
):
    document = create_document(("Zero draft", DRAFT, True), ("Draft 1", NEXT_DRAFT, True))
    zero, draft_1 = document.versions
    log_in(people.secretariat)
    page.goto(f"/versions/{zero.id}")
    page.get_by_role("link", name="Import a translation").click()
    page.get_by_label("Language").fill("ru")
    page.get_by_label("Translation: Word").set_input_files(_file(MISSING_THREE))
    page.get_by_role("button", name="Read the translation").click()
    expect(page.locator(".translation-problems")).to_contain_text("3.: missing in the translation")
    expect(page.get_by_role("button", name="Store this translation")).to_have_count(0)

    page.go_back()
    page.get_by_label("Language").fill("ru")
    page.get_by_label("Translation: Word").set_input_files(_file(RUSSIAN))
    page.get_by_role("button", name="Read the translation").click()
    expect(page.locator("body")).to_contain_text("All 8 paragraphs match the original.")
    page.get_by_role("button", name="Store this translation").click()
    expect(page.locator(".flash-success")).to_contain_text("The Russian translation is stored.")
    expect(page.locator("article.declaration")).to_contain_text("Мы подтверждаем принцип")

    page.get_by_role("link", name="What remains to translate").click()
    expect(page.locator(".remaining-count")).to_contain_text("0 paragraph(s) not yet translated")
    page.get_by_role("button", name="Publish the Russian translation").click()
    expect(page.locator(".flash-success")).to_contain_text("The translation is published")

    page.goto(f"/versions/{draft_1.id}?language=ru")
    expect(page.locator(".translation-stale")).to_have_count(1)
    expect(page.locator(".translation-fallback")).to_contain_text("not yet translated")
    page.get_by_role("link", name="What remains to translate").click()
    page.get_by_label("Translation of 4.").fill("Мы встретимся снова в Вене следующей весной.")
    page.locator("#p-" + _uid(draft_1, "4.")[:12]).get_by_role("button").click()
    expect(page.locator(".flash-success")).to_contain_text("The paragraph's translation is saved.")
    expect(page.locator(".remaining-count")).to_contain_text("1 paragraph(s) not yet translated, 0")


def _uid(version, label: str) -> str:
    return next(p.uid for p in version.paragraphs if p.label == label)
