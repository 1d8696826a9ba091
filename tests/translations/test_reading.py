"""Reading a version in a language: the translation where there is one, the original marked
where there is none, side by side, and a comparison in Russian."""

from __future__ import annotations

from drafting.extensions import db
from tests.consultations.conftest import paragraph
from tests.consultations.test_comment_pages import field_value, token_of
from tests.translations.conftest import RUSSIAN


def test_a_delegate_reads_the_zero_draft_in_russian(client, auth, people, translated, published):
    auth.login(people.aut)
    page = client.get(f"/versions/{published.id}?language=ru").get_data(as_text=True)
    assert "Мы подтверждаем принцип общей ответственности." in page
    assert "We affirm the principle" not in page
    assert "not yet translated" not in page
    assert f'href="/versions/{published.id}?language=ru"' not in page  # the current language
    assert "Русский" in page or "Russian" in page


def test_a_side_by_side_view_shows_the_original_beside_the_translation(
    client, auth, people, next_draft
):
    auth.login(people.aut)
    html = client.get(f"/versions/{next_draft.id}/side-by-side?language=ru").get_data(as_text=True)
    row = html[html.index("We affirm the principle") :][:400]
    assert "Мы подтверждаем принцип" in row
    assert "not yet translated" in html[html.index("We thank the host country.") :][:400]
    assert "out of date" in html[html.index("in Vienna next spring") :][:400]


def test_two_drafts_are_compared_in_russian(client, auth, people, next_draft, published):
    from drafting.documents import translations

    uid = paragraph(next_draft, "4.").uid
    translations.update_paragraph(
        people.secretariat, next_draft, "ru", uid, "Мы встретимся снова в Вене следующей весной."
    )
    db.session.commit()
    auth.login(people.aut)
    query = f"old={published.id}&new={next_draft.id}&language=ru"
    html = client.get(f"/documents/{published.document_id}/compare?{query}").get_data(as_text=True)
    assert '<del class="redline-del"> следующем году</del>' in html
    assert '<ins class="redline-ins"> Вене следующей весной</ins>' in html
    assert "Vienna" not in html
    assert "We thank the host country." in html  # 5. is only in English: the fallback


def test_the_markdown_download_in_russian(client, auth, people, translated, published):
    auth.login(people.aut)
    text = client.get(f"/versions/{published.id}.md?language=ru").get_data(as_text=True)
    assert text == RUSSIAN.rstrip("\n") + "\n" or text.strip() == RUSSIAN.strip()


def test_a_comment_quoting_the_russian_version_says_so_in_the_compilation(
    client, auth, people, translated, published, open_round
):
    consultation = open_round(visibility="open")
    uid = paragraph(published, "1.").uid
    auth.login(people.aut)
    draft = client.get(f"/consultations/{consultation.id}/draft?language=ru").get_data(True)
    assert f"paragraph={uid}&amp;language=ru" in draft
    query = {"kind": "paragraph", "paragraph": uid, "language": "ru"}
    form = client.get(f"/consultations/{consultation.id}/comments/new", query_string=query)
    html = form.get_data(as_text=True)
    assert field_value(html, "quote_language") == "ru"
    sent = client.post(
        f"/consultations/{consultation.id}/comments/new",
        data={
            "kind": "paragraph",
            "paragraph": uid,
            "form_token": token_of(html),
            "delegation_id": field_value(html, "delegation_id"),
            "quote_language": "ru",
            "quote": "принцип общей ответственности",
            "body": "Уточнить формулировку.",
            "action": "submit",
        },
    )
    assert sent.status_code == 303, sent.get_data(as_text=True)
    auth.login(people.secretariat)
    page = client.get(f"/consultations/{consultation.id}/compilation").get_data(as_text=True)
    assert "принцип общей ответственности" in page
    assert "(quoted from the Russian version)" in page


def test_a_quote_is_checked_against_the_language_it_claims(
    people, translated, published, open_round
):
    import pytest

    from drafting.consultations.commenting import create_comment
    from drafting.consultations.refusals import ConsultationError

    consultation = open_round()
    with pytest.raises(ConsultationError, match="not in paragraph 1."):
        create_comment(
            people.aut,
            consultation,
            kind="paragraph",
            paragraph_uid=paragraph(published, "1.").uid,
            quote="shared responsibility",  # English, said to be Russian
            quote_language="ru",
            body="A remark.",
        )


def test_a_reader_with_the_russian_interface_sees_the_fallback_in_russian(
    client, auth, people, next_draft
):
    people.aut.locale = "ru"
    db.session.commit()
    auth.login(people.aut)
    html = client.get(f"/versions/{next_draft.id}?language=ru").get_data(as_text=True)
    assert "Читать на языке:" in html
    assert "оригинал (английский): ещё не переведено" in html
    assert "перевод устарел: оригинал изменился" in html


def test_a_language_the_version_has_not_shows_the_original(client, auth, people, next_draft):
    auth.login(people.aut)
    for path in (f"/versions/{next_draft.id}", f"/documents/{next_draft.document_id}/compare"):
        html = client.get(f"{path}?language=%3Cscript%3E").get_data(as_text=True)
        assert "We affirm the principle" in html and "<script>" not in html
        assert "not yet translated" not in html and "Compared in" not in html


def test_the_word_copy_of_a_translation_carries_no_paragraph_identities(
    client, auth, people, translated, published
):
    import io
    import zipfile

    auth.login(people.aut)
    original = client.get(f"/versions/{published.id}.docx").data
    russian = client.get(f"/versions/{published.id}.docx?language=ru").data

    def body(data: bytes) -> str:
        return zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")

    assert 'w:name="_p_' in body(original)
    assert 'w:name="_p_' not in body(russian) and "Декларация" in body(russian)
