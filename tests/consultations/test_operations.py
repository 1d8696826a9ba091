"""Writing comments and amendments: drafts, submission, history, co-sponsors, decisions, and
every kind of bad input refused with a message and nothing stored."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from drafting.audit.models import AuditEvent
from drafting.auth.policy import NotAllowed
from drafting.consultations import commenting, cosponsoring, decisions, refusals, rounds
from drafting.consultations.models import Comment, CommentRevision, Decision, Support
from drafting.extensions import db
from drafting.notifications.models import OutboxMessage
from tests.consultations.conftest import paragraph


def _count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def _actions() -> list[str]:
    return list(db.session.scalars(db.select(AuditEvent.action).order_by(AuditEvent.id)))


def test_a_draft_is_shared_within_the_delegation_then_submitted_with_its_history(
    open_round, people, published
):
    consultation = open_round()
    target = paragraph(published, "2.")
    comment, created = commenting.create_comment(
        people.aut,
        consultation,
        kind="replace",
        paragraph_uid=target.uid,
        proposed_text="We will cooperate on safe, orderly and regular pathways.",
        body="Aligns with agreed language.",
    )
    db.session.commit()
    assert created and comment.is_draft and comment.submitted_dt is None
    # A colleague of the same delegation edits the draft, then submits it.
    commenting.edit_comment(
        people.aut2,
        comment,
        base_revision=1,
        proposed_text="We will cooperate on safe, orderly and regular migration pathways.",
        body="Aligns with agreed language.",
        submit=True,
    )
    db.session.commit()
    assert comment.is_submitted and comment.submitted_by_id == people.aut2.id
    assert [(r.revision, r.action, r.saved_by_id) for r in comment.revisions] == [
        (1, "created", people.aut.id),
        (2, "submitted", people.aut2.id),
    ]
    assert "orderly and regular pathways" in comment.revisions[0].proposed_text
    assert _actions()[-2:] == ["comment.created", "comment.submitted"]
    # A receipt to the person who submitted, in the same transaction.
    receipts = db.session.scalars(
        db.select(OutboxMessage).where(OutboxMessage.kind == "comment.receipt")
    ).all()
    assert [m.to_address for m in receipts] == [people.aut2.email]


def test_revisions_named_by_id_are_the_ones_the_relationship_gave(open_round, people):
    """_snapshot names a stored comment by its id (a cheaper flush) unless its revisions are
    loaded: either way the rows stored, and a loaded collection, are what the relationship
    gave, within the transaction as after it."""
    consultation = open_round()
    comment, _ = commenting.create_comment(
        people.aut, consultation, kind="general", body="First.", submit=False
    )
    assert comment.consultation is consultation  # from the identity map, by its id
    commenting.edit_comment(people.aut, comment, base_revision=1, body="Second.")
    db.session.flush()
    assert [(r.revision, r.body) for r in comment.revisions] == [(1, "First."), (2, "Second.")]
    # Loaded now: the next revision joins the loaded collection at once, before any flush.
    commenting.edit_comment(people.aut, comment, base_revision=2, body="Third.")
    assert [r.revision for r in comment.revisions] == [1, 2, 3]
    db.session.commit()
    stored = db.session.scalars(
        db.select(CommentRevision.revision)
        .where(CommentRevision.comment_id == comment.id)
        .order_by(CommentRevision.revision)
    ).all()
    assert stored == [1, 2, 3]
    assert [r.body for r in comment.revisions] == ["First.", "Second.", "Third."]


def test_the_same_form_sent_twice_creates_one_comment(open_round, people):
    consultation = open_round()
    token = commenting.new_form_token()
    first, created = commenting.create_comment(
        people.aut, consultation, kind="general", body="Once.", form_token=token, submit=True
    )
    db.session.commit()
    again, created_again = commenting.create_comment(
        people.aut, consultation, kind="general", body="Once.", form_token=token, submit=True
    )
    db.session.commit()
    assert created and not created_again and again.id == first.id
    assert _count(Comment) == 1
    assert _actions().count("comment.submitted") == 1
    # Submitting an already submitted comment again changes nothing either.
    assert commenting.submit_comment(people.aut, first) is False
    assert first.revision == 1


def test_a_form_token_belongs_to_its_delegation(open_round, people):
    consultation = open_round()
    token = commenting.new_form_token()
    commenting.create_comment(
        people.aut, consultation, kind="general", body="AUT.", form_token=token
    )
    _other, created = commenting.create_comment(
        people.pak, consultation, kind="general", body="PAK.", form_token=token
    )
    assert created and _count(Comment) == 2


def test_an_edit_from_a_stale_revision_is_refused_and_changes_nothing(open_round, people):
    consultation = open_round()
    comment, _ = commenting.create_comment(
        people.aut, consultation, kind="general", body="First words."
    )
    commenting.edit_comment(people.aut2, comment, base_revision=1, body="Colleague's words.")
    db.session.commit()
    with pytest.raises(refusals.StaleEdit) as stale:
        commenting.edit_comment(people.aut, comment, base_revision=1, body="My words.")
    assert stale.value.comment.body == "Colleague's words."
    assert "Nothing of yours was saved" in str(stale.value)
    db.session.rollback()
    assert comment.body == "Colleague's words." and comment.revision == 2


def test_withdrawing_keeps_the_text_and_its_history(open_round, people):
    consultation = open_round()
    comment, _ = commenting.create_comment(
        people.aut, consultation, kind="general", body="Keep me.", submit=True
    )
    commenting.withdraw_comment(people.aut, comment)
    db.session.commit()
    assert comment.is_withdrawn and comment.body == "Keep me."
    assert [r.action for r in comment.revisions] == ["submitted", "withdrawn"]
    with pytest.raises(NotAllowed):
        commenting.edit_comment(people.aut, comment, base_revision=comment.revision, body="x")


def test_comment_history_cannot_be_rewritten_in_the_database(open_round, people):
    consultation = open_round()
    commenting.create_comment(people.aut, consultation, kind="general", body="Kept.")
    db.session.commit()
    for statement in (
        "UPDATE comment_revisions SET body = 'forged'",
        "DELETE FROM comment_revisions",
    ):
        with pytest.raises(DBAPIError, match="append-only"):
            db.session.execute(text(statement))
        db.session.rollback()
    assert db.session.scalar(db.select(CommentRevision.body)) == "Kept."


def test_other_delegations_co_sponsor_a_submitted_amendment_once(open_round, people, published):
    consultation = open_round(visibility="open")
    amendment, _ = commenting.create_comment(
        people.aut,
        consultation,
        kind="delete",
        paragraph_uid=paragraph(published, "4.").uid,
        body="Redundant with paragraph 3.",
        submit=True,
    )
    cosponsoring.support_comment(people.pak, amendment)
    cosponsoring.support_comment(people.pak, amendment)
    cosponsoring.support_comment(people.tur, amendment)
    db.session.commit()
    assert [d.code for d in amendment.supporters] == ["PAK", "TUR"]
    with pytest.raises(NotAllowed):
        cosponsoring.support_comment(people.aut2, amendment)  # its own delegation
    with pytest.raises(NotAllowed):
        cosponsoring.support_comment(people.observer, amendment)
    cosponsoring.withdraw_support(people.tur, amendment)
    db.session.commit()
    assert [d.code for d in amendment.supporters] == ["PAK"]
    assert _count(Support) == 1


def test_a_sealed_amendment_cannot_be_co_sponsored_by_those_who_cannot_see_it(open_round, people):
    consultation = open_round(visibility="sealed")
    amendment, _ = commenting.create_comment(
        people.aut, consultation, kind="general", body="Not an amendment.", submit=True
    )
    with pytest.raises(NotAllowed):
        cosponsoring.support_comment(people.pak, amendment)


def test_the_secretariat_records_and_changes_a_decision_with_an_audit_trail(open_round, people):
    consultation = open_round()
    comment, _ = commenting.create_comment(
        people.aut, consultation, kind="general", body="Shorter text, please.", submit=True
    )
    decisions.record_decision(
        people.secretariat,
        comment,
        outcome="partly_accepted",
        justification="Shortened where agreed language allowed.",
        reflected_in="paragraphs 3 and 4 of Draft 1",
        is_shared=True,
    )
    decisions.record_decision(people.secretariat, comment, outcome="accepted")
    db.session.commit()
    decision = db.session.scalar(db.select(Decision))
    assert decision.outcome.value == "accepted" and _count(Decision) == 1
    events = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "decision.recorded")
    ).all()
    assert [(e.details["previous"], e.details["outcome"]) for e in events] == [
        (None, "partly_accepted"),
        ("partly_accepted", "accepted"),
    ]
    with pytest.raises(NotAllowed):
        decisions.record_decision(people.chair, comment, outcome="noted")
    draft, _ = commenting.create_comment(people.aut, consultation, kind="general", body="Draft.")
    with pytest.raises(refusals.ConsultationError, match="Only a submitted"):
        decisions.record_decision(people.secretariat, draft, outcome="noted")
    with pytest.raises(refusals.ConsultationError, match="Choose a decision"):
        decisions.record_decision(people.secretariat, comment, outcome="vetoed")


BAD_TEXT = [
    ({"body": ""}, "The comment is empty"),
    ({"body": "   \n  "}, "The comment is empty"),
    ({"body": "x" * 1_048_576}, "1,048,576 characters long; at most 20,000"),
    ({"body": 'We agree. <script>alert("x")</script>'}, "raw HTML"),
    ({"body": "See <img src=x onerror=alert(1)>"}, "raw HTML"),
    ({"body": "See [the annex](javascript:alert(1))."}, "may only lead to web"),
    ({"body": "See [the annex]( JaVaScRiPt:alert(1))."}, "may only lead to web"),
    ({"body": "See [the annex](data:text/html;base64,PHNjcmlwdD4=)."}, "may only lead to web"),
    ({"body": "See [the annex][a].\n\n[a]: vbscript:msgbox"}, "may only lead to web"),
]


@pytest.mark.parametrize(("fields", "message"), BAD_TEXT)
def test_bad_comment_text_is_refused_with_a_message_and_nothing_stored(
    open_round, people, published, fields, message
):
    consultation = open_round()
    with pytest.raises(refusals.ConsultationError, match=message):
        commenting.create_comment(
            people.aut,
            consultation,
            kind="paragraph",
            paragraph_uid=paragraph(published, "1.").uid,
            **fields,
        )
    db.session.rollback()
    assert _count(Comment) == 0 and _count(CommentRevision) == 0


@pytest.mark.parametrize(
    ("kind", "fields", "message"),
    [
        ("replace", {"proposed_text": ""}, "Write the text your delegation proposes"),
        ("insert", {"proposed_text": ""}, "Write the text your delegation proposes"),
        (
            "replace",
            {"proposed_text": "We affirm the principle of shared responsibility."},
            "same as the current text",
        ),
        ("insert", {"proposed_text": "One.\n\nTwo."}, "one paragraph at a time"),
        ("paragraph", {"body": "Why?", "quote": "words not there"}, "quoted passage is not in"),
        ("section", {"body": "On the section."}, "must be made on its heading"),
        ("unknown", {"body": "?"}, "Choose what kind"),
    ],
)
def test_an_amendment_that_makes_no_sense_is_refused(
    open_round, people, published, kind, fields, message
):
    consultation = open_round()
    with pytest.raises(refusals.ConsultationError, match=message):
        commenting.create_comment(
            people.aut,
            consultation,
            kind=kind,
            paragraph_uid=paragraph(published, "1.").uid,
            **fields,
        )
    assert _count(Comment) == 0


def test_a_quote_from_the_paragraph_is_kept(open_round, people, published):
    consultation = open_round()
    comment, _ = commenting.create_comment(
        people.aut,
        consultation,
        kind="paragraph",
        paragraph_uid=paragraph(published, "2.").uid,
        quote="safe and regular",  # the paragraph says **safe** and regular
        body="Add 'orderly'.",
    )
    assert comment.quote == "safe and regular"


def test_a_paragraph_of_another_version_is_refused(create_document, open_round, people):
    from drafting.documents.models import Document

    consultation = open_round()
    other = create_document(("Zero draft", "1. Another text.", True), title="Another declaration")
    foreign = db.session.get(Document, other.id).versions[0].paragraphs[0]
    with pytest.raises(refusals.ConsultationError, match="not part of Zero draft"):
        commenting.create_comment(
            people.aut, consultation, kind="paragraph", paragraph_uid=foreign.uid, body="Hm."
        )
    with pytest.raises(refusals.ConsultationError, match="Choose the paragraph"):
        commenting.create_comment(people.aut, consultation, kind="paragraph", body="Hm.")
    assert _count(Comment) == 0


@pytest.mark.parametrize("who", ["observer", "chair", "secretariat", "tur"])
def test_only_delegates_of_invited_delegations_may_comment(open_round, people, who):
    consultation = open_round(invited=("AUT", "PAK"))
    with pytest.raises(NotAllowed):
        commenting.create_comment(getattr(people, who), consultation, kind="general", body="Hi.")
    assert _count(Comment) == 0


def test_a_damaged_form_token_is_refused(open_round, people):
    consultation = open_round()
    with pytest.raises(refusals.ConsultationError, match="damaged"):
        commenting.create_comment(
            people.aut, consultation, kind="general", body="Hi.", form_token="x' OR 1=1 --"
        )


def test_a_round_can_only_be_opened_on_a_published_version(create_document, people):
    from datetime import UTC, datetime, timedelta

    from tests.consultations.conftest import DRAFT, delegation

    document = create_document(("Zero draft", DRAFT, False))
    now = datetime.now(UTC)
    with pytest.raises(NotAllowed):
        rounds.open_consultation(
            people.secretariat,
            document.versions[0],
            title="",
            opens_dt=now,
            closes_dt=now + timedelta(days=1),
            timezone="Europe/Vienna",
            invited=[delegation("AUT")],
        )


def test_opening_a_round_checks_its_times_and_invitations(published, people):
    from datetime import UTC, datetime, timedelta

    from tests.consultations.conftest import delegation

    now = datetime.now(UTC)

    def attempt(**changes):
        values = {
            "title": "",
            "opens_dt": now,
            "closes_dt": now + timedelta(days=7),
            "timezone": "Europe/Vienna",
            "invited": [delegation("AUT")],
        } | changes
        return rounds.open_consultation(people.secretariat, published, **values)

    with pytest.raises(refusals.ConsultationError, match="after the opening"):
        attempt(closes_dt=now - timedelta(days=1), opens_dt=now)
    with pytest.raises(refusals.ConsultationError, match="already past"):
        attempt(opens_dt=now - timedelta(days=9), closes_dt=now - timedelta(days=1))
    with pytest.raises(refusals.ConsultationError, match="Invite at least one"):
        attempt(invited=[])
    with pytest.raises(ValueError, match="not a time zone"):
        attempt(timezone="Mars/Olympus")
    consultation = attempt()
    assert consultation.title == "Comments on Zero draft"
    assert _actions()[-1] == "consultation.opened"
