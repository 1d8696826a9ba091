"""Mail is queued in the transaction of the event: a new round, a new draft."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from drafting.consultations import refusals, rounds
from drafting.documents.importing import import_version
from drafting.documents.operations import DocumentError
from drafting.documents.publishing import publish_version
from drafting.extensions import db
from tests.consultations.conftest import DRAFT, delegation

from .conftest import last_queued, outbox


def test_opening_a_round_mails_each_invited_delegate_and_observer_once(people, open_round):
    consultation = open_round(invited=("AUT", "PAK", "UNHCR"))
    mails = outbox("consultation.opened")
    assert Counter(m.to_address for m in mails) == {
        people.aut.email: 1,
        people.aut2.email: 1,
        people.pak.email: 1,
        people.observer.email: 1,
    }
    for m in mails:
        assert consultation.title in m.body
        assert f"http://127.0.0.1:5000/consultations/{consultation.id}\n" in m.body


def test_opening_a_round_mails_nobody_outside_the_invited_delegations(people, open_round):
    open_round(invited=("AUT",))
    addresses = {m.to_address for m in outbox("consultation.opened")}
    for outsider in (people.pak, people.tur, people.observer, people.chair, people.secretariat):
        assert outsider.email not in addresses


def test_a_round_that_fails_to_open_queues_no_mail(people, published):
    now = datetime.now(UTC)
    with pytest.raises(refusals.ConsultationError):
        rounds.open_consultation(
            None,
            published,
            title="Too late",
            opens_dt=now - timedelta(days=2),
            closes_dt=now - timedelta(days=1),
            timezone="Europe/Vienna",
            invited=[delegation("AUT")],
        )
    db.session.rollback()
    assert outbox("consultation.opened") == []


def test_publishing_a_draft_mails_every_reader_of_every_participant_once(people, published):
    document = published.document
    mark = last_queued()
    draft = import_version(None, document, DRAFT.replace("next year", "in 2031"), label="Draft 1")
    db.session.commit()
    assert outbox(after=mark) == []  # a working draft is not announced

    publish_version(people.secretariat, draft)
    db.session.commit()

    mails = outbox(after=mark)
    assert {m.kind for m in mails} == {"version.published"}
    # AUT (two delegates), PAK, TUR, the chair of GEO and the observer of UNHCR take part.
    assert Counter(m.to_address for m in mails) == {
        people.aut.email: 1,
        people.aut2.email: 1,
        people.pak.email: 1,
        people.tur.email: 1,
        people.chair.email: 1,
        people.observer.email: 1,
    }
    assert people.secretariat.email not in {m.to_address for m in mails}


def test_the_new_draft_mail_links_to_clean_text_redline_word_and_concordance(people, published):
    document = published.document
    mark = last_queued()
    draft = import_version(None, document, DRAFT.replace("next year", "in 2031"), label="Draft 1")
    publish_version(people.secretariat, draft)
    db.session.commit()

    mail = outbox("version.published", after=mark)[0]
    base = "http://127.0.0.1:5000"
    pair = f"old={published.id}&new={draft.id}"
    assert "Draft 1" in mail.subject and document.title in mail.subject
    assert f"{base}/versions/{draft.id}\n" in mail.body
    assert f"{base}/documents/{document.id}/compare?{pair}\n" in mail.body
    assert f"{base}/documents/{document.id}/compare.docx?{pair}\n" in mail.body
    assert f"{base}/documents/{document.id}/compare?{pair}#concordance" in mail.body


def test_the_first_draft_mail_links_only_to_its_text(people, create_document):
    document = create_document(
        ("Zero draft", DRAFT, True), participants=[delegation("AUT")], title="A new process"
    )
    mails = outbox("version.published")
    assert {m.to_address for m in mails} == {people.aut.email, people.aut2.email}
    assert f"/versions/{document.versions[0].id}" in mails[0].body
    assert "compare" not in mails[0].body


def test_a_draft_that_cannot_be_published_queues_no_mail(people, published):
    mark = last_queued()
    with pytest.raises(DocumentError):
        publish_version(people.secretariat, published)  # already published
    db.session.rollback()
    assert outbox(after=mark) == []


def test_a_draft_made_from_an_unpublished_one_is_compared_with_the_last_published(
    people, published
):
    document = published.document
    stored_working_draft(document, DRAFT.replace("next year", "in 2031"), "Draft 1")
    draft2 = stored_working_draft(document, DRAFT.replace("next year", "in 2032"), "Draft 2")
    mark = last_queued()
    publish_version(people.secretariat, draft2)
    db.session.commit()

    mail = outbox("version.published", after=mark)[0]
    assert f"compare?old={published.id}&new={draft2.id}\n" in mail.body
    assert "What changed since Zero draft:" in mail.body


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
