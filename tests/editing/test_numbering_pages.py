"""Through the pages: a paragraph inserted after (d) in the editor is (e); the publish form shows
the numbering check (old → new, problems) and refuses an accidental unnumbered paragraph, keeping
what was typed, until the check is addressed."""

from __future__ import annotations

from drafting.extensions import db
from tests.editing.resolution import LABELS, by_label, labels_of, next_draft, resolution

__all__ = ["next_draft", "resolution"]  # fixtures


def insert_page(client, draft, label: str, source: str):
    after = by_label(draft, label).uid
    data = {"after": after, "source": source}
    return client.post(f"/versions/{draft.id}/edit/insert", data=data)


def publish_page(client, draft, **data):
    return client.post(f"/versions/{draft.id}/publish", data={"confirm": "y", **data})


def test_inserting_after_sub_item_d_in_the_editor_gives_e(client, auth, people, next_draft):
    auth.login(people.secretariat)
    assert insert_page(client, next_draft, "(d)", "to protect children.").status_code == 302
    assert labels_of(next_draft) == [*LABELS[:14], "(e)", "3.", "4."]
    editor = client.get(f"/versions/{next_draft.id}/edit").get_data(as_text=True)
    assert '<div class="edit-num" title="Number once published">(e)</div>' in editor


def test_the_publish_form_shows_which_labels_change(client, auth, people, next_draft):
    auth.login(people.secretariat)
    insert_page(client, next_draft, "PP5", "*Mindful* of children,")
    page = client.get(f"/versions/{next_draft.id}").get_data(as_text=True)
    assert "Numbering check" in page and "1 paragraph will be renumbered" in page
    assert "<tr><td>PP6</td><td>PP7</td><td>Resolved to act together,</td></tr>" in page
    assert "No label is printed twice" in page


def test_publishing_an_accidental_unnumbered_paragraph_is_refused_keeping_the_form(
    client, auth, people, next_draft
):
    auth.login(people.secretariat)
    three = by_label(next_draft, "3.")
    client.post(
        f"/versions/{next_draft.id}/edit/{three.uid}", data={"source": "We act.", "revision": "1"}
    )
    response = publish_page(client, next_draft, label="Draft 1", note="Kept note.")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Nothing was published" in page
    assert "between “(d)” and “3.”" in page and "Kept note.</textarea>" in page
    db.session.expire_all()
    assert not next_draft.is_published


def test_ticking_the_numbering_box_publishes_the_unnumbered_paragraph_on_purpose(
    client, auth, people, next_draft
):
    auth.login(people.secretariat)
    three = by_label(next_draft, "3.")
    client.post(
        f"/versions/{next_draft.id}/edit/{three.uid}", data={"source": "We act.", "revision": "1"}
    )
    assert publish_page(client, next_draft, accept_numbering="y").status_code == 302
    db.session.expire_all()
    assert next_draft.is_published
    assert labels_of(next_draft) == [*LABELS[:14], None, "3."]
