"""The stale-translation rule across two drafts: a paragraph the next draft changes keeps its
translation marked out of date until the secretariat updates it; what remains to translate is
listed; a published translation never changes."""

from __future__ import annotations

import pytest

from drafting.documents import translations
from drafting.documents.models import FrozenVersionError
from drafting.extensions import db
from tests.consultations.conftest import paragraph


def _remaining(client, version):
    return client.get(f"/versions/{version.id}/translations/ru/remaining")


def test_a_paragraph_changed_in_the_next_draft_is_out_of_date_until_updated(
    client, auth, people, next_draft
):
    auth.login(people.secretariat)
    html = _remaining(client, next_draft).get_data(as_text=True)
    assert "1 paragraph(s) not yet translated, 1 out of date." in html
    assert "We will meet again in Vienna next spring." in html  # 4., out of date
    assert "We thank the host country." in html  # 5., new
    assert "We affirm the principle" not in html  # 1., unchanged: its translation holds
    uid = paragraph(next_draft, "4.").uid
    saved = client.post(
        f"/versions/{next_draft.id}/translations/ru/paragraphs/{uid}",
        data={"text": "Мы встретимся снова в Вене следующей весной."},
    )
    assert saved.status_code == 302
    html = _remaining(client, next_draft).get_data(as_text=True)
    assert "1 paragraph(s) not yet translated, 0 out of date." in html
    assert "Vienna" not in html


def test_the_next_drafts_page_in_russian_marks_the_stale_and_the_untranslated(
    client, auth, people, next_draft
):
    auth.login(people.aut)
    html = client.get(f"/versions/{next_draft.id}?language=ru").get_data(as_text=True)
    assert "Мы подтверждаем принцип общей ответственности." in html
    assert "Мы встретимся снова в следующем году." in html
    assert "translation out of date: the original has changed" in html
    assert "We thank the host country." in html
    assert "original English: not yet translated" in html


def test_the_earlier_drafts_translation_stays_as_it_was(next_draft, translated, people):
    uid = paragraph(next_draft, "4.").uid
    translations.update_paragraph(people.secretariat, next_draft, "ru", uid, "Новый текст.")
    db.session.commit()
    earlier = {p.paragraph_uid: p.text for p in translated.paragraphs}
    assert earlier[uid] == "Мы встретимся снова в следующем году."
    shown = {p.uid: p for p in translations.paragraphs_in(next_draft, "ru")}
    assert shown[uid].text == "Новый текст." and not shown[uid].is_out_of_date


def test_a_complete_translation_is_published_and_then_frozen(
    client, auth, people, translated, published
):
    auth.login(people.secretariat)
    answer = client.post(f"/versions/{published.id}/translations/ru/publish", data={})
    assert answer.status_code == 302
    db.session.refresh(translated)
    assert translated.is_published and translated.published_dt is not None
    translated.paragraphs[0].text = "Изменено."
    with pytest.raises(FrozenVersionError):
        db.session.flush()
    db.session.rollback()
    uid = paragraph(published, "1.").uid
    refused = client.post(
        f"/versions/{published.id}/translations/ru/paragraphs/{uid}", data={"text": "Другой текст."}
    )
    assert refused.status_code == 422 and "is published" in refused.get_data(as_text=True)


def test_a_translation_with_paragraphs_remaining_is_not_published(client, auth, people, next_draft):
    uid = paragraph(next_draft, "4.").uid
    translations.update_paragraph(people.secretariat, next_draft, "ru", uid, "Мы встретимся.")
    db.session.commit()
    auth.login(people.secretariat)
    answer = client.post(f"/versions/{next_draft.id}/translations/ru/publish", data={})
    assert answer.status_code == 422
    assert "1 paragraph(s) remain to translate" in answer.get_data(as_text=True)
    assert not translations.translation_of(next_draft, "ru").is_published


@pytest.mark.parametrize("text", ["", "   ", "\x00" * 3, "x" * 100_001])
def test_an_empty_or_huge_paragraph_translation_is_refused_in_the_page(
    client, auth, people, next_draft, text
):
    auth.login(people.secretariat)
    uid = paragraph(next_draft, "4.").uid
    answer = client.post(
        f"/versions/{next_draft.id}/translations/ru/paragraphs/{uid}", data={"text": text}
    )
    assert answer.status_code in (400, 422)  # NUL: the request edge refuses it first


def test_the_database_refuses_to_change_a_published_translation(translated, published):
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    translations.publish_translation(None, translated)
    db.session.commit()
    with pytest.raises(DBAPIError, match="published version is frozen"):
        db.session.execute(text("UPDATE translated_paragraphs SET text = 'x'"))
    db.session.rollback()
    with pytest.raises(DBAPIError, match="published version is frozen"):
        db.session.execute(text("DELETE FROM translations"))
    db.session.rollback()


def test_the_audit_trail_shows_who_imported_and_published_a_translation(
    client, auth, people, translated
):
    translations.publish_translation(people.secretariat, translated)
    db.session.commit()
    auth.login(people.secretariat)
    answer = client.get("/audit")
    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    assert "translation.imported" in page and "translation.published" in page


def test_an_updated_translation_keeps_its_footnote_lines(client, auth, people, next_draft):
    auth.login(people.secretariat)
    uid = paragraph(next_draft, "4.").uid
    client.post(
        f"/versions/{next_draft.id}/translations/ru/paragraphs/{uid}",
        data={"text": "Мы  встретимся в Вене.[^1]\r\n[^1]:   Весной   2027 года."},
    )
    [found] = [p for p in translations.paragraphs_in(next_draft, "ru") if p.uid == uid]
    assert found.text == "Мы встретимся в Вене.[^1]\n[^1]: Весной 2027 года."
