"""What a new user meets first: the import form names both formats, downloads are named and
typed cleanly, the site has an icon, the secretariat's home page shows its working draft, a
label that ends a sentence is not followed by a second stop, and counts speak of paragraphs."""

from __future__ import annotations

import re

from drafting.documents.editing import open_working_draft
from drafting.extensions import db
from drafting.web import download_name
from tests.consultations.conftest import paragraph, people, published

__all__ = ["people", "published"]

LONG_TITLE = "Ministerial Declaration of the Meridian Dialogue on Migration and Mobility in 2029"
PP_DRAFT = "# Declaration\n\n## Preamble\n\nPP1. Recalling our commitments,\n\n1. We agree.\n"


def test_the_import_form_on_the_document_page_says_it_takes_word_files(
    client, auth, people, published
):
    auth.login(people.secretariat)
    html = client.get(f"/documents/{published.document_id}").get_data(as_text=True)

    assert "Draft file: Word (.docx) or Markdown (.md, UTF-8)" in html
    assert 'accept=".docx,.md,.markdown,.txt"' in html


def test_text_downloads_name_their_charset_once(client, auth, people, published):
    auth.login(people.secretariat)

    markdown = client.get(f"/versions/{published.id}.md")
    assert markdown.headers["Content-Type"] == "text/markdown; charset=utf-8"
    assert client.get("/audit.csv").headers["Content-Type"] == "text/csv; charset=utf-8"


def test_a_long_title_is_cut_at_a_word_boundary_in_file_names():
    name = download_name(LONG_TITLE, "Draft 1", suffix="docx")

    assert name == "Ministerial Declaration of the Meridian Dialogue on… - Draft 1.docx"
    assert download_name('A/B: "C"?', suffix="md") == "A B C.md"
    assert download_name("", suffix="md") == "download.md"


def test_a_download_is_named_after_the_whole_words_of_its_title(
    client, auth, create_document, people
):
    from tests.consultations.conftest import delegation

    document = create_document(
        ("Zero draft", PP_DRAFT, True), title=LONG_TITLE, participants=[delegation("AUT")]
    )
    auth.login(people.aut)
    response = client.get(f"/versions/{document.versions[0].id}.md")

    disposition = response.headers["Content-Disposition"]
    assert "filename*=UTF-8''Ministerial%20Declaration" in disposition
    assert "%20on%E2%80%A6%20-%20Zero%20draft.md" in disposition


def test_every_page_has_an_icon_and_favicon_ico_answers(client):
    assert 'rel="icon" href="/static/favicon.svg"' in client.get("/login").get_data(as_text=True)
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"


def test_the_secretariats_home_page_shows_a_working_draft(client, auth, people, published):
    draft = open_working_draft(people.secretariat, published, label="Draft 1")
    db.session.commit()

    auth.login(people.secretariat)
    html = client.get("/").get_data(as_text=True)
    assert re.search(rf'Working draft: <a href="/versions/{draft.id}">Draft 1</a>', html)
    auth.login(people.aut)
    assert "Draft 1" not in client.get("/").get_data(as_text=True)


def test_a_label_ending_a_sentence_gets_one_stop(client, auth, create_document, people):
    from tests.consultations.conftest import delegation

    document = create_document(("Zero draft", PP_DRAFT, True), participants=[delegation("AUT")])
    draft = open_working_draft(people.secretariat, document.versions[0], label="Draft 1")
    db.session.commit()
    uid = paragraph(draft, "PP1.").uid
    auth.login(people.secretariat)
    client.post(f"/versions/{draft.id}/edit/{uid}", data={"source": "PP1. Noting", "revision": "1"})

    html = client.get(f"/versions/{draft.id}/edit").get_data(as_text=True)
    assert "Saved paragraph PP1." in html and "PP1.." not in html


def test_an_import_counts_paragraphs_and_headings_not_blocks(client, auth, people, published):
    from tests.documents.test_docx_import_pages import confirm

    auth.login(people.secretariat)
    review = client.post(
        f"/documents/{published.document_id}/import",
        data={"label": "Draft 1", "file": (__import__("io").BytesIO(PP_DRAFT.encode()), "d.md")},
    ).get_data(as_text=True)
    assert "blocks" not in review
    response = confirm(client, published.document, review)
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Draft 1 imported: 2 paragraphs and 1 heading." in html
    assert "blocks" not in html
