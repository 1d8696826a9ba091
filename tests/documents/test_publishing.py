"""Publishing a working draft: under a label, with a note, renumbered before it is hashed,
audited, announced through the outbox, and refused with nothing changed when it cannot be."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from drafting.audit.models import AuditEvent
from drafting.documents.editing import edit_paragraph, insert_paragraph, open_working_draft
from drafting.documents.importing import import_version
from drafting.documents.models import Version
from drafting.documents.operations import DocumentError, verify_published_hashes
from drafting.documents.publishing import PublicationError, publish_version
from drafting.extensions import db
from tests.consultations.conftest import DRAFT, paragraph, people, published
from tests.notifications.conftest import last_queued, outbox

__all__ = ["people", "published"]

AS_EDITED = ["1.", "2.", "3.", "3.", "4."]  # a paragraph inserted after 2. is numbered 3. for now
RENUMBERED = ["1.", "2.", "3.", "4.", "5."]


@pytest.fixture
def working(people, published):
    """Draft 1, opened from the zero draft in the service, with a paragraph inserted after 2."""
    draft = open_working_draft(people.secretariat, published, label="Draft 1 (working)")
    after = paragraph(draft, "2.").uid
    insert_paragraph(people.secretariat, draft, after_uid=after, source="We will share data.")
    db.session.commit()
    return draft


def numbers(version) -> list[str]:
    return [p.label for p in version.paragraphs if p.label]


def publish_page(client, version, **data):
    return client.post(f"/versions/{version.id}/publish", data={"confirm": "y", **data})


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_publishing_under_a_new_label(client, auth, people, working):
    auth.login(people.secretariat)
    response = publish_page(client, working, label="  Draft   1 ")
    assert response.status_code == 302
    db.session.expire_all()
    assert working.is_published and working.label == "Draft 1"
    assert events("version.published")[-1].details["previous_label"] == "Draft 1 (working)"


def test_publishing_without_a_label_keeps_the_one_it_has(people, working):
    publish_version(people.secretariat, working)
    assert working.label == "Draft 1 (working)"


def test_a_label_another_version_has_is_refused_and_nothing_changes(client, auth, people, working):
    auth.login(people.secretariat)
    response = publish_page(client, working, label="zero DRAFT", note="Kept.")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "already has a version labelled" in page
    assert 'value="zero DRAFT"' in page and "Kept.</textarea>" in page
    db.session.expire_all()
    assert not working.is_published and working.label == "Draft 1 (working)"
    assert numbers(working) == AS_EDITED
    assert len(events("version.published")) == 1  # the zero draft's only


def test_the_same_label_with_other_capitals_is_accepted(people, working):
    publish_version(people.secretariat, working, label="DRAFT 1 (Working)")
    assert working.label == "DRAFT 1 (Working)"


def test_the_note_is_stored_audited_and_shown_on_the_history_page(client, auth, people, working):
    auth.login(people.secretariat)
    note = "Paragraph 3 is **new**, after comments from [AUT](https://example.org/aut)."
    assert publish_page(client, working, note=note).status_code == 302
    db.session.expire_all()
    assert working.note == note
    assert events("version.published")[-1].details["note"] == note
    page = client.get(f"/documents/{working.document_id}/history").get_data(as_text=True)
    assert "<strong>new</strong>" in page
    assert 'href="https://example.org/aut"' in page
    version_page = client.get(f"/versions/{working.id}").get_data(as_text=True)
    assert "Note from the secretariat" in version_page and "<strong>new</strong>" in version_page


@pytest.mark.parametrize(
    "note, reason",
    [
        ("Read this <script>alert(1)</script>", "raw HTML"),
        ("See [the annex](javascript:alert(1)).", "links may only lead to web"),
        ("x" * 5001, "at most 5,000"),
    ],
)
def test_a_note_with_html_a_script_link_or_too_long_is_refused(
    client, auth, people, working, note, reason
):
    auth.login(people.secretariat)
    response = publish_page(client, working, note=note)
    assert response.status_code == 422
    assert reason in response.get_data(as_text=True)
    db.session.expire_all()
    assert not working.is_published and working.note == ""


def test_a_refused_note_names_its_field(people, working):
    with pytest.raises(PublicationError) as refused:
        publish_version(people.secretariat, working, note="<b>bold</b>")
    assert refused.value.field == "note"


def test_paragraphs_are_renumbered_before_the_hash_and_the_hash_verifies(people, working):
    assert numbers(working) == AS_EDITED
    publish_version(people.secretariat, working)
    db.session.commit()
    assert numbers(working) == RENUMBERED
    assert working.text_hash == working.compute_hash()
    checked, mismatches = verify_published_hashes()
    assert checked == 2 and mismatches == []
    event = events("version.published")[-1]
    assert event.details["renumbered"] == 2 and event.details["sha256"] == working.text_hash


def test_the_publish_page_renumbers_an_edited_draft(client, auth, people, working):
    auth.login(people.secretariat)
    assert publish_page(client, working).status_code == 302
    db.session.expire_all()
    assert numbers(working) == RENUMBERED


def test_an_imported_file_keeps_the_numbers_it_was_printed_with(people, published):
    source = DRAFT.replace("3. We support", "2. We support")
    draft = import_version(None, published.document, source, label="Draft 1")
    publish_version(people.secretariat, draft)
    assert numbers(draft) == ["1.", "2.", "2.", "4."]
    assert events("version.published")[-1].details["renumbered"] == 0


def test_an_imported_file_edited_in_the_service_is_renumbered(people, published):
    source = DRAFT.replace("3. We support", "2. We support")
    draft = import_version(None, published.document, source, label="Draft 1")
    edit_paragraph(
        people.secretariat,
        draft,
        paragraph(draft, "4.").uid,
        source="4. We will meet again in 2031.",
        base_revision=1,
    )
    publish_version(people.secretariat, draft)
    assert numbers(draft) == ["1.", "2.", "3.", "4."]


def test_renumbering_can_be_asked_for_or_refused_explicitly(people, published, working):
    publish_version(people.secretariat, working, renumber=False)
    assert numbers(working) == AS_EDITED


def test_the_version_page_shows_the_hash_of_a_published_draft(client, auth, people, working):
    auth.login(people.secretariat)
    publish_page(client, working)
    db.session.expire_all()
    page = client.get(f"/versions/{working.id}").get_data(as_text=True)
    assert f"SHA-256 of the published text: <code>{working.text_hash}</code>" in page


def test_publication_is_audited_with_who_and_what(people, working):
    publish_version(people.secretariat, working, label="Draft 1", note="A note.")
    event = events("version.published")[-1]
    assert event.actor_id == people.secretariat.id and event.object_id == working.id
    assert event.details["label"] == "Draft 1" and event.details["note"] == "A note."


def test_every_participant_gets_one_mail_with_the_note_and_the_links(people, published, working):
    mark = last_queued()
    publish_version(people.secretariat, working, label="Draft 1", note="Paragraph 3 is new.")
    db.session.commit()
    mails = outbox("version.published", after=mark)
    readers = [people.aut, people.aut2, people.pak, people.tur, people.chair, people.observer]
    assert sorted(m.to_address for m in mails) == sorted(p.email for p in readers)
    base, doc = "http://127.0.0.1:5000", published.document_id
    pair = f"old={published.id}&new={working.id}"
    for mail in mails:
        assert "Paragraph 3 is new." in mail.body
        assert f"{base}/versions/{working.id}\n" in mail.body
        assert f"{base}/documents/{doc}/compare?{pair}\n" in mail.body
        assert f"{base}/documents/{doc}/compare.docx?{pair}\n" in mail.body
        assert f"{base}/documents/{doc}/compare?{pair}#concordance" in mail.body
        assert f"{base}/documents/{doc}/history\n" in mail.body


def test_a_draft_made_before_the_last_published_one_is_compared_with_that_one(people, published):
    document = published.document
    early = stored_working_draft(document, DRAFT.replace("next", "this"), "Early draft")
    later = stored_working_draft(document, DRAFT.replace("next year", "in 2031"), "Rev. 1")
    publish_version(people.secretariat, later)
    db.session.flush()
    mark = last_queued()
    publish_version(people.secretariat, early)
    db.session.commit()
    mail = outbox("version.published", after=mark)[0]
    assert f"compare?old={later.id}&new={early.id}\n" in mail.body


def test_an_empty_draft_is_refused_with_a_clear_message_and_nothing_changes(
    client, auth, people, published
):
    empty = import_version(None, published.document, "# Title\n\n## Heading", label="Draft 1")
    db.session.commit()
    mark = last_queued()
    auth.login(people.secretariat)
    response = publish_page(client, empty, label="Draft 2", note="Nothing here.")
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "An empty draft cannot be published" in page and "nothing was published" in page
    db.session.expire_all()
    assert not empty.is_published and empty.label == "Draft 1" and empty.note == ""
    assert outbox(after=mark) == []


def test_publishing_a_published_version_is_refused(client, auth, people, published):
    with pytest.raises(DocumentError, match="already published"):
        publish_version(people.secretariat, published, label="Draft 9")
    db.session.rollback()
    auth.login(people.secretariat)
    assert publish_page(client, published).status_code == 409
    db.session.expire_all()
    assert published.label == "Zero draft"


def test_a_delegate_cannot_publish(client, auth, people, working, published):
    auth.login(people.aut)
    # A working draft is not even shown to a delegate; a published one may not be published.
    assert publish_page(client, working).status_code == 404
    assert publish_page(client, published).status_code == 403
    db.session.expire_all()
    assert not working.is_published


def test_publishing_needs_the_tick(client, auth, people, working):
    auth.login(people.secretariat)
    response = client.post(f"/versions/{working.id}/publish", data={"label": "Draft 1"})
    assert response.status_code == 422
    assert "Tick the box to confirm" in response.get_data(as_text=True)
    db.session.expire_all()
    assert not working.is_published


def test_the_publish_panel_offers_label_note_and_a_round(client, auth, people, working):
    auth.login(people.secretariat)
    page = client.get(f"/versions/{working.id}").get_data(as_text=True)
    assert 'name="label"' in page and 'value="Draft 1 (working)"' in page
    assert 'name="note"' in page
    assert 'name="open_round"' in page and 'name="round-closes_day"' in page
    assert 'value="Comments on Draft 1 (working)"' in page
    invited = re.findall(r'<input checked id="round-invited-\d+" name="round-invited"', page)
    assert len(invited) == len(working.document.participants) == 5


def test_a_delegate_sees_no_publish_panel(client, auth, people, published):
    auth.login(people.aut)
    page = client.get(f"/versions/{published.id}").get_data(as_text=True)
    assert 'name="open_round"' not in page


def test_publishing_works_from_the_command_line_signature(people, working):
    version = publish_version(None, working)
    assert isinstance(version, Version) and version.is_published


def stored_working_draft(document, source: str, label: str):
    """A working version stored directly, as data from before the one-working-draft rule may
    hold several: announcing must still compare with the right published draft."""
    from drafting.documents.models import Paragraph, Version
    from drafting.text.draft_format import parse_draft

    version = Version(document=document, label=label, based_on=document.versions[-1])
    version.paragraphs = [Paragraph.from_block(b, i) for i, b in enumerate(parse_draft(source))]
    db.session.add(version)
    db.session.flush()
    return version
