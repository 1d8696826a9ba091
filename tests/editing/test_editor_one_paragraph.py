"""One paragraph of the editor costs the same in a long draft as in a short one: its fetch, its
form and its save read and render that paragraph alone, and the save is committed before
anything is rendered, so that the draft's lock is held for the writing only."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from drafting.extensions import db
from drafting.pages import editing as editing_pages
from drafting.pages import editing_rows
from tests.editing.conftest import paragraph

HTMX = {"HX-Request": "true"}


@pytest.fixture
def rows_built(monkeypatch):
    """The paragraphs whose editor row was built during the request, by uid."""
    built: list[str] = []
    row_of = editing_rows._row_of

    def recording(paragraph, *args, **kwargs):
        built.append(paragraph.uid)
        return row_of(paragraph, *args, **kwargs)

    monkeypatch.setattr(editing_rows, "_row_of", recording)
    return built


def save(client, working, uid, source, revision=1):
    return client.post(
        f"/versions/{working.id}/edit/{uid}",
        data={"source": source, "revision": str(revision)},
        headers=HTMX,
    )


def test_a_save_answers_with_its_paragraph_alone(client, auth, people, working, rows_built):
    auth.login(people.secretariat)
    uid = paragraph(working, "3.").uid
    response = save(client, working, uid, "3. We support the platform for dialogue.")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.count('<li id="edit-') == 1
    assert rows_built == [uid]
    assert "shared responsibility" not in html  # paragraph 1.'s text


def test_fetching_a_paragraph_builds_its_row_alone(client, auth, people, working, rows_built):
    auth.login(people.secretariat)
    uid = paragraph(working, "2.").uid
    response = client.get(f"/versions/{working.id}/edit/{uid}", headers=HTMX)
    assert response.status_code == 200 and rows_built == [uid]
    form = client.get(f"/versions/{working.id}/edit/{uid}/form", headers=HTMX)
    assert form.status_code == 200 and rows_built == [uid]


def test_the_row_keeps_its_future_number_and_the_next_paragraphs_revision(
    client, auth, people, working
):
    auth.login(people.secretariat)
    uid = paragraph(working, "2.").uid
    html = client.get(f"/versions/{working.id}/edit/{uid}", headers=HTMX).get_data(as_text=True)
    assert '<div class="edit-num" title="Number once published">2.</div>' in html
    assert 'name="next_revision" value="1"' in html


def test_the_save_is_committed_before_its_row_is_rendered(
    client, auth, people, working, monkeypatch
):
    """While the answer is being built, another connection already reads the new revision."""
    auth.login(people.secretariat)
    uid = paragraph(working, "4.").uid
    seen = []
    row_of_page = editing_pages.editor_row

    elsewhere = create_engine(db.engine.url)  # not the app's: its own connections and rules

    def reading_elsewhere(version, uid):
        with elsewhere.connect() as other:
            seen.append(
                other.execute(
                    text(
                        "SELECT revision, text FROM paragraphs WHERE version_id = :v AND uid = :u"
                    ),
                    {"v": version.id, "u": uid},
                ).one()
            )
        return row_of_page(version, uid)

    monkeypatch.setattr(editing_pages, "editor_row", reading_elsewhere)
    response = save(client, working, uid, "4. We will meet again in two years.")
    assert response.status_code == 200
    elsewhere.dispose()
    assert seen == [(2, "We will meet again in two years.")]


@pytest.fixture
def long_working(people, create_document):
    from drafting.documents.editing import open_working_draft
    from tests.consultations.test_draft_in_parts import long_draft

    published = create_document(("Zero draft", long_draft(), True)).versions[0]
    draft = open_working_draft(people.secretariat, published, label="Draft 1")
    db.session.commit()
    return draft


def test_the_editor_of_a_long_draft_opens_in_parts(client, auth, people, long_working):
    auth.login(people.secretariat)
    html = client.get(f"/versions/{long_working.id}/edit").get_data(as_text=True)
    assert "thing number 1 of" in html and "thing number 180 of" not in html
    assert "209 paragraphs and headings" in html
    assert f'href="/versions/{long_working.id}/edit?part=8"' in html


def test_a_plain_save_returns_to_the_part_of_its_paragraph(client, auth, people, long_working):
    auth.login(people.secretariat)
    uid = paragraph(long_working, "180.").uid
    response = client.post(
        f"/versions/{long_working.id}/edit/{uid}",
        data={"source": "180. We say it differently.", "revision": "1"},
    )
    assert response.status_code == 302
    back = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f'id="edit-{uid}"' in back and "We say it differently." in back
