"""The editor in the page: open, edit in place (htmx fragments and plain forms), two editors
(409 with both texts), structure, amendments applied in one click, refusals that change nothing."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from drafting.documents.models import Paragraph, Version
from drafting.extensions import db
from tests.editing.conftest import paragraph

HTMX = {"HX-Request": "true"}


def count_versions() -> int:
    return db.session.scalar(select(func.count(Version.id)))


def current(version, uid):
    return db.session.scalar(
        select(Paragraph)
        .where(Paragraph.version_id == version.id, Paragraph.uid == uid)
        .execution_options(populate_existing=True)
    )


def test_the_secretariat_starts_the_next_draft_from_a_published_version(
    client, auth, people, published
):
    auth.login(people.secretariat)
    page = client.get(f"/versions/{published.id}/next-draft")
    assert page.status_code == 200 and 'value="Draft 1"' in page.get_data(as_text=True)
    response = client.post(f"/versions/{published.id}/next-draft", data={"label": "Draft 1"})
    assert response.status_code == 302
    draft = db.session.scalar(select(Version).where(Version.label == "Draft 1"))
    assert response.headers["Location"].endswith(f"/versions/{draft.id}/edit")
    assert [p.uid for p in draft.paragraphs] == [p.uid for p in published.paragraphs]


def test_starting_a_second_working_draft_is_refused_with_the_label_kept(
    client, auth, people, published, working
):
    auth.login(people.secretariat)
    before = count_versions()
    response = client.post(f"/versions/{published.id}/next-draft", data={"label": "Draft 9"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "already being prepared" in html and 'value="Draft 9"' in html
    assert count_versions() == before


def test_a_delegate_cannot_open_the_editor_or_start_a_draft(client, auth, people, working):
    auth.login(people.aut)
    assert client.get(f"/versions/{working.id}/edit").status_code == 404
    assert client.post(f"/versions/{working.based_on_id}/next-draft", data={}).status_code == 403


def test_the_editor_lists_paragraphs_with_numbers_comments_and_apply_buttons(
    client, auth, people, working, amendments
):
    auth.login(people.secretariat)
    html = client.get(f"/versions/{working.id}/edit").get_data(as_text=True)
    assert "Editing Draft 1" in html
    assert "Redline against Zero draft" in html
    assert html.count('class="edit-row') == len(working.paragraphs)
    assert "Apply AUT’s amendment" in html and "Apply PAK’s amendment" in html
    assert "Apply TUR’s amendment" in html
    assert "vendor/htmx-2.0.11.min.js" in html


def test_editing_in_place_returns_fragments(client, auth, people, working):
    auth.login(people.secretariat)
    uid = paragraph(working, "2.").uid
    form = client.get(f"/versions/{working.id}/edit/{uid}/form", headers=HTMX)
    html = form.get_data(as_text=True)
    assert form.status_code == 200 and "<html" not in html and "<textarea" in html
    assert "2. We will cooperate on **safe** and regular pathways." in html
    saved = client.post(
        f"/versions/{working.id}/edit/{uid}",
        data={
            "source": "2. We will cooperate on **safe**, orderly and regular pathways.",
            "revision": "1",
        },
        headers=HTMX,
    )
    html = saved.get_data(as_text=True)
    assert saved.status_code == 200 and "<html" not in html
    assert "orderly" in html and "badge-changed" in html and "redline-ins" in html
    assert current(working, uid).revision == 2


def test_a_plain_form_save_redirects_to_the_paragraph(client, auth, people, working):
    auth.login(people.secretariat)
    uid = paragraph(working, "1.").uid
    page = client.get(f"/versions/{working.id}/edit/{uid}/form")
    assert page.status_code == 200 and "<html" in page.get_data(as_text=True)
    response = client.post(
        f"/versions/{working.id}/edit/{uid}", data={"source": "1. New words.", "revision": "1"}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#edit-{uid}")
    assert current(working, uid).text == "New words."


def test_two_editors_the_stale_save_gets_409_with_both_texts_and_nothing_is_lost(
    client, auth, people, working
):
    auth.login(people.secretariat)
    uid = paragraph(working, "2.").uid
    first = client.post(
        f"/versions/{working.id}/edit/{uid}",
        data={"source": "2. The first editor's wording.", "revision": "1"},
        headers=HTMX,
    )
    assert first.status_code == 200
    second = client.post(
        f"/versions/{working.id}/edit/{uid}",
        data={"source": "2. The second editor's wording.", "revision": "1"},
        headers=HTMX,
    )
    html = second.get_data(as_text=True)
    assert second.status_code == 409
    assert "The first editor" in html  # theirs, shown
    assert "The second editor&#39;s wording." in html  # mine, kept in the form
    assert 'name="revision" value="2"' in html  # saving again now is a deliberate choice
    assert current(working, uid).text == "The first editor's wording."
    again = client.post(
        f"/versions/{working.id}/edit/{uid}",
        data={"source": "2. The second editor's wording.", "revision": "2"},
        headers=HTMX,
    )
    assert again.status_code == 200
    assert current(working, uid).text == "The second editor's wording."


def test_an_invalid_save_is_422_keeps_the_text_and_changes_nothing(client, auth, people, working):
    auth.login(people.secretariat)
    uid = paragraph(working, "1.").uid
    response = client.post(
        f"/versions/{working.id}/edit/{uid}",
        data={"source": "1. <img src=x onerror=alert(1)>", "revision": "1"},
        headers=HTMX,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "raw HTML" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "<img src=x" not in html
    assert current(working, uid).revision == 1


def test_a_save_without_csrf_is_refused_and_keeps_the_text(client, auth, people, working):
    auth.login(people.secretariat)
    uid = paragraph(working, "1.").uid
    response = client.post(
        f"/versions/{working.id}/edit/{uid}",
        data={"source": "1. Typed for an hour.", "revision": "1", "csrf_token": None},
    )
    assert response.status_code == 400 and "Typed for an hour." in response.get_data(as_text=True)
    assert current(working, uid).revision == 1


def test_saving_a_paragraph_deleted_meanwhile_shows_the_text_that_was_not_saved(
    client, auth, people, working
):
    auth.login(people.secretariat)
    uid = paragraph(working, "3.").uid
    assert (
        client.post(f"/versions/{working.id}/edit/{uid}/delete", data={"revision": "1"}).status_code
        == 302
    )
    response = client.post(
        f"/versions/{working.id}/edit/{uid}", data={"source": "3. My late edit.", "revision": "1"}
    )
    assert response.status_code == 409 and "My late edit." in response.get_data(as_text=True)


def test_editing_a_published_version_is_refused(client, auth, people, published):
    auth.login(people.secretariat)
    uid = paragraph(published, "1.").uid
    assert client.get(f"/versions/{published.id}/edit").status_code == 409
    response = client.post(
        f"/versions/{published.id}/edit/{uid}", data={"source": "1. Changed.", "revision": "1"}
    )
    assert response.status_code == 409 and "can no longer change" in response.get_data(as_text=True)
    assert paragraph(published, "1.").text.startswith("We affirm")


def test_insert_split_merge_move_and_delete_through_the_page(client, auth, people, working):
    auth.login(people.secretariat)
    base = f"/versions/{working.id}/edit"
    two = paragraph(working, "2.").uid
    response = client.post(f"{base}/insert", data={"after": two, "source": "We add this."})
    assert response.status_code == 302
    new = db.session.scalar(select(Paragraph).where(Paragraph.text == "We add this."))
    assert new.label == "3." and new.version_id == working.id
    new_uid = new.uid

    response = client.post(
        f"{base}/{two}/split",
        data={
            "source": "2. We will cooperate on **safe**\n\nand regular pathways.",
            "revision": "1",
        },
    )
    assert response.status_code == 302
    part = db.session.scalar(select(Paragraph).where(Paragraph.text == "and regular pathways."))
    assert part.derived_from == [two]
    part_uid = part.uid

    response = client.post(f"{base}/{two}/merge", data={"revision": "2"})
    assert response.status_code == 302
    assert current(working, two).derived_from == [two, part_uid]

    response = client.post(f"{base}/{new_uid}/move", data={"direction": "up"})
    assert response.status_code == 302
    order = [p.uid for p in db.session.get(Version, working.id).paragraphs]
    assert order.index(new_uid) < order.index(two)

    response = client.post(f"{base}/{new_uid}/delete", data={"revision": "1"})
    assert response.status_code == 302 and current(working, new_uid) is None


def test_structural_refusals_show_the_message_and_change_nothing(client, auth, people, working):
    auth.login(people.secretariat)
    base = f"/versions/{working.id}/edit"
    last = working.paragraphs[-1].uid
    before = [(p.uid, p.text) for p in working.paragraphs]
    response = client.post(f"{base}/{last}/merge", data={"revision": "1"})
    assert response.status_code == 422 and "no paragraph after it" in response.get_data(
        as_text=True
    )
    response = client.post(f"{base}/{last}/delete", data={"revision": "7"})
    assert response.status_code == 409 and "changed this paragraph" in response.get_data(
        as_text=True
    )
    response = client.post(
        f"{base}/{last}/split", data={"source": "No blank line.", "revision": "1"}
    )
    assert response.status_code == 422 and "No blank line." in response.get_data(as_text=True)
    response = client.post(f"{base}/insert", data={"after": last, "source": "  "})
    assert response.status_code == 422 and "empty" in response.get_data(as_text=True)
    db.session.expire_all()
    assert [(p.uid, p.text) for p in db.session.get(Version, working.id).paragraphs] == before


def test_apply_an_amendment_in_one_click(client, auth, people, working, amendments):
    auth.login(people.secretariat)
    comment_id = amendments.replace.id
    uid = amendments.replace.paragraph_uid
    response = client.post(
        f"/versions/{working.id}/amendments/{comment_id}/apply",
        data={"revision": "1", "justification": "Agreed by all."},
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#edit-{uid}")
    assert (
        current(working, uid).text == "We affirm the principle of shared and fair responsibility."
    )
    html = client.get(f"/versions/{working.id}/edit").get_data(as_text=True)
    assert re.search(r"Reflects <a [^>]*>AUT’s amendment</a>", html)
    assert "applied to this draft" in html


def test_applying_to_a_deleted_paragraph_is_refused_and_records_nothing(
    client, auth, people, working, amendments
):
    auth.login(people.secretariat)
    uid = amendments.replace.paragraph_uid
    comment_id = amendments.replace.id
    client.post(f"/versions/{working.id}/edit/{uid}/delete", data={"revision": "1"})
    response = client.post(f"/versions/{working.id}/amendments/{comment_id}/apply", data={})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "no longer in Draft 1" in html
    assert "Comments on paragraphs no longer in Draft 1" in html
    db.session.expire_all()
    from drafting.consultations.models import Comment

    assert db.session.get(Comment, comment_id).decision is None


def test_the_decision_links_to_the_paragraph_that_reflects_it(
    client, auth, people, working, amendments
):
    auth.login(people.secretariat)
    comment_id, round_id = amendments.replace.id, amendments.round.id
    anchor = "p-" + amendments.replace.paragraph_uid[:12]
    client.post(f"/versions/{working.id}/amendments/{comment_id}/apply", data={"revision": "1"})
    html = client.get(f"/consultations/{round_id}/compilation").get_data(as_text=True)
    assert f'href="/versions/{working.id}#{anchor}">Draft 1, paragraph 1.</a>' in html


def test_pages_with_comments_beside_show_the_applied_decision_with_its_link(
    client, auth, people, published, working, amendments
):
    auth.login(people.secretariat)
    comment_id, document_id = amendments.replace.id, published.document_id
    old, new = published.id, working.id
    anchor = "p-" + amendments.replace.paragraph_uid[:12]
    client.post(f"/versions/{new}/amendments/{comment_id}/apply", data={"revision": "1"})
    link = f'href="/versions/{new}#{anchor}">Draft 1, paragraph 1.</a>'
    compared = client.get(f"/documents/{document_id}/compare?old={old}&new={new}")
    assert compared.status_code == 200 and link in compared.get_data(as_text=True)
    version_page = client.get(f"/versions/{new}")
    assert version_page.status_code == 200 and link in version_page.get_data(as_text=True)


def test_pages_lead_to_the_editor_and_to_the_next_draft(client, auth, people, published):
    auth.login(people.secretariat)
    html = client.get(f"/versions/{published.id}").get_data(as_text=True)
    assert f'href="/versions/{published.id}/next-draft"' in html
    client.post(f"/versions/{published.id}/next-draft", data={"label": "Draft 1"})
    draft = db.session.scalar(select(Version).where(Version.label == "Draft 1"))
    draft_id, document_id = draft.id, published.document_id
    assert f'href="/versions/{draft_id}/edit"' in client.get(f"/versions/{draft_id}").get_data(
        as_text=True
    )
    document_page = client.get(f"/documents/{document_id}").get_data(as_text=True)
    assert f'href="/versions/{draft_id}/edit"' in document_page
    auth.logout()
    auth.login(people.aut)
    assert "/next-draft" not in client.get(f"/versions/{published.id}").get_data(as_text=True)


def test_a_save_after_publication_keeps_the_text_and_says_why(client, auth, people, working):
    from drafting.documents.publishing import publish_version

    auth.login(people.secretariat)
    uid = paragraph(working, "1.").uid
    publish_version(None, working)
    db.session.commit()
    for headers in ({}, HTMX):
        response = client.post(
            f"/versions/{working.id}/edit/{uid}",
            data={"source": "1. Typed before publication.", "revision": "1"},
            headers=headers,
        )
        html = response.get_data(as_text=True)
        assert response.status_code == 409 and "has been published" in html
        assert "1. Typed before publication." in html
    split = client.post(
        f"/versions/{working.id}/edit/{uid}/split",
        data={"source": "1. One.\n\nTwo kept.", "revision": "1"},
    )
    assert split.status_code == 409 and "Two kept." in split.get_data(as_text=True)
    insert = client.post(
        f"/versions/{working.id}/edit/insert", data={"after": uid, "source": "Kept insert."}
    )
    assert insert.status_code == 409 and "Kept insert." in insert.get_data(as_text=True)


def test_split_and_insert_without_csrf_keep_the_text(client, auth, people, working):
    auth.login(people.secretariat)
    uid = paragraph(working, "1.").uid
    count = len(working.paragraphs)
    split = client.post(
        f"/versions/{working.id}/edit/{uid}/split",
        data={"source": "1. One.\n\nTwo kept.", "revision": "1", "csrf_token": None},
    )
    assert split.status_code == 400 and "Two kept." in split.get_data(as_text=True)
    insert = client.post(
        f"/versions/{working.id}/edit/insert",
        data={"after": uid, "source": "Kept insert.", "csrf_token": None},
    )
    assert insert.status_code == 400 and "Kept insert." in insert.get_data(as_text=True)
    db.session.expire_all()
    assert len(db.session.get(Version, working.id).paragraphs) == count


def test_a_save_after_the_login_ended_keeps_the_text_in_place(client, people, working):
    uid = paragraph(working, "1.").uid
    response = client.post(
        f"/versions/{working.id}/edit/{uid}",
        data={"source": "1. Typed for an hour.", "revision": "1"},
        headers=HTMX,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 401 and "Typed for an hour." in html and "<html" not in html


def test_delegates_get_403_on_the_editor_of_a_published_version(client, auth, people, published):
    auth.login(people.aut)
    assert client.get(f"/versions/{published.id}/edit").status_code == 403


def test_publishing_twice_says_it_was_already_published(client, auth, people, working):
    from drafting.documents.publishing import publish_version

    publish_version(people.secretariat, working)
    db.session.commit()
    auth.login(people.secretariat)
    response = client.post(f"/versions/{working.id}/publish", data={"confirm": "y"})
    assert response.status_code == 409
    assert "already published by Secretariat of MDS" in response.get_data(as_text=True)


def test_the_merge_form_names_the_next_paragraphs_revision(client, auth, people, working):
    auth.login(people.secretariat)
    html = client.get(f"/versions/{working.id}/edit").get_data(as_text=True)
    assert html.count('name="next_revision" value="1"') == len(working.paragraphs) - 1


@pytest.mark.parametrize("label", ["Draft\x07 1", "Zero draft"])
def test_a_refused_label_for_the_next_draft_is_explained_and_kept(
    client, auth, people, published, label
):
    auth.login(people.secretariat)
    response = client.post(f"/versions/{published.id}/next-draft", data={"label": label})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "control character" in html or "already has a version labelled" in html
    assert count_versions() == 1
