"""The secretariat imports a translation of a published version: the alignment is shown
paragraph by paragraph, and a translation that does not match is refused with the list."""

from __future__ import annotations

import re

import pytest

from drafting.audit.models import AuditEvent
from drafting.extensions import db
from drafting.text.draft_format import parse_draft
from tests.translations.conftest import RUSSIAN, translation_count, upload

MISSING_THREE = RUSSIAN.replace("3. Мы поддерживаем платформу для обмена опытом.\n\n", "")


def _confirm(client, html: str, version):
    draft = re.search(r'name="draft" type="hidden" value="([^"]*)"', html)
    assert draft, "no confirmation form"
    from html import unescape

    return client.post(
        f"/versions/{version.id}/translations/confirm",
        data={"language": "ru", "draft": unescape(draft.group(1))},
    )


def test_the_secretariat_reviews_then_stores_a_russian_translation(client, auth, people, published):
    auth.login(people.secretariat)
    review = upload(client, published, RUSSIAN)
    html = review.get_data(as_text=True)
    assert review.status_code == 200 and "All 8 paragraphs match the original." in html
    assert "We affirm the principle" in html and "Мы подтверждаем принцип" in html
    assert translation_count() == 0  # nothing stored before confirmation
    stored = _confirm(client, html, published)
    assert stored.status_code == 302 and stored.location.endswith("?language=ru")
    assert translation_count() == 1
    assert db.session.query(AuditEvent).filter_by(action="translation.imported").count() == 1


def test_a_translation_missing_a_paragraph_is_refused_with_the_list(
    client, auth, people, published
):
    auth.login(people.secretariat)
    review = upload(client, published, MISSING_THREE)
    html = review.get_data(as_text=True)
    assert review.status_code == 422
    assert "3.: missing in the translation" in html
    assert "Store this translation" not in html
    assert translation_count() == 0


def test_a_confirmation_carrying_a_translation_that_does_not_align_stores_nothing(
    client, auth, people, published
):
    auth.login(people.secretariat)
    sent = client.post(
        f"/versions/{published.id}/translations/confirm",
        data={"language": "ru", "draft": MISSING_THREE},
    )
    assert sent.status_code == 422
    assert "nothing was stored" in sent.get_data(as_text=True)
    assert translation_count() == 0


def test_an_extra_paragraph_and_a_changed_number_are_named(client, auth, people, published):
    auth.login(people.secretariat)
    text = RUSSIAN.replace("4. Мы встретимся", "5. Мы встретимся") + "\nЛишний абзац.\n"
    html = upload(client, published, text).get_data(as_text=True)
    assert "4.: kind or number differs from the original" in html
    assert "not in the original" in html and "Лишний абзац." in html


def test_a_word_translation_is_read_for_review(client, auth, people, published):
    auth.login(people.secretariat)
    review = upload(client, published, _word(RUSSIAN), name="ru.docx")
    html = review.get_data(as_text=True)
    assert review.status_code == 200, html[-3000:]
    assert "Мы поддерживаем платформу для обмена опытом." in html


def _word(source: str) -> bytes:
    """A Word file as a translator makes one: Title and Heading styles, typed numbers."""
    from io import BytesIO

    from docx import Document

    document = Document()
    for block in parse_draft(source):
        if block.kind == "title":
            document.add_paragraph(block.text, style="Title")
        elif block.kind == "heading":
            document.add_heading(block.text, level=block.level - 1)
        else:
            text = block.text.replace("*", "")
            document.add_paragraph(f"{block.label} {text}" if block.label else text)
    out = BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize("language", ["xx", "r", "en", "<script>", "ру"])
def test_a_language_that_is_no_other_language_is_refused_in_the_form(
    client, auth, people, published, language
):
    auth.login(people.secretariat)
    answer = upload(client, published, RUSSIAN, language=language)
    assert answer.status_code == 422
    assert "<script>" not in answer.get_data(as_text=True)


@pytest.mark.parametrize(
    "text",
    ["*" * 50_000, "[" * 20_000 + "]" * 20_000, "\x00\x01binary", "", "# Т\n\n1. " + "_" * 30_000],
)
def test_a_hostile_file_is_answered_with_a_message_never_a_500(
    client, auth, people, published, text
):
    auth.login(people.secretariat)
    answer = upload(client, published, text)
    assert answer.status_code == 422
    assert translation_count() == 0


def test_a_delegate_cannot_import_a_translation(client, auth, people, published):
    auth.login(people.aut)
    assert upload(client, published, RUSSIAN).status_code == 403
    assert translation_count() == 0


def test_a_confirm_that_cannot_even_be_reviewed_asks_for_the_file_again(
    client, auth, people, published
):
    auth.login(people.secretariat)
    answer = client.post(
        f"/versions/{published.id}/translations/confirm",
        data={"language": "ru", "draft": "# T\n\n<script>x</script>"},
    )
    assert answer.status_code == 422
    assert 'type="file"' in answer.get_data(as_text=True)  # the upload form, with the reason


def test_side_by_side_without_a_translation_says_so(client, auth, people, published):
    auth.login(people.aut)
    answer = client.get(f"/versions/{published.id}/side-by-side?language=xx")
    assert answer.status_code == 302
    assert "has no translation" in client.get(answer.location).get_data(as_text=True)


def test_a_translation_of_a_working_draft_cannot_be_published(people, translated, published):
    from drafting.documents import translations
    from drafting.documents.importing import import_version
    from tests.translations.conftest import NEXT_DRAFT

    working = import_version(None, published.document, NEXT_DRAFT, label="Draft 1")
    uid = working.paragraphs[-1].uid
    translations.update_paragraph(None, working, "ru", uid, "Мы благодарим принимающую страну.")
    with pytest.raises(translations.TranslationError, match="working draft"):
        translations.publish_translation(None, translations.translation_of(working, "ru"))
