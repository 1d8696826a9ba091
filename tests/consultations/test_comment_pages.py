"""The pages on which delegations write comments and amendments: the draft with its comments,
the form with its preview, submitting, editing, withdrawing, co-sponsoring, the history; and
every kind of bad input refused with a reason, storing nothing."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import event, func, select

from drafting.audit.models import AuditEvent
from drafting.consultations import commenting, cosponsoring
from drafting.consultations.models import (
    Comment,
    CommentRevision,
    CommentStatus,
    Support,
)
from drafting.extensions import db
from tests.consultations.conftest import paragraph


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def stored() -> tuple[int, int, int]:
    """Comments, their revisions and supports: what a refused request must leave unchanged."""
    return count(Comment), count(CommentRevision), count(Support)


def token_of(page: str) -> str:
    match = re.search(r'name="form_token"[^>]*value="([^"]+)"', page) or re.search(
        r'value="([^"]+)"[^>]*name="form_token"', page
    )
    assert match, "no form token in the form"
    return match.group(1)


def field_value(page: str, name: str) -> str:
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', page) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', page
    )
    assert match, f"no field {name} in the form"
    return match.group(1)


@pytest.fixture
def round_(open_round):
    return open_round()


@pytest.fixture
def write(client, round_):
    """Open the form for ``kind`` on ``paragraph``, then send it with ``fields``."""

    def _write(kind="paragraph", para=None, action="save", **fields):
        query = {"kind": kind}
        if para is not None:
            query["paragraph"] = para.uid
        page = client.get(f"/consultations/{round_.id}/comments/new", query_string=query)
        assert page.status_code == 200, page.get_data(as_text=True)
        html = page.get_data(as_text=True)
        data = {
            "kind": kind,
            "paragraph": para.uid if para is not None else "",
            "form_token": token_of(html),
            "delegation_id": field_value(html, "delegation_id"),
            "action": action,
            **fields,
        }
        return client.post(f"/consultations/{round_.id}/comments/new", data=data)

    return _write


def first_comment() -> Comment:
    return db.session.scalars(select(Comment).order_by(Comment.id)).first()


# ---------------------------------------------------------------------------------------------
# The draft page


def test_the_draft_shows_every_paragraph_with_the_actions_a_delegate_may_take(
    client, auth, people, round_, published
):
    auth.login(people.aut)
    page = client.get(f"/consultations/{round_.id}/draft").get_data(as_text=True)
    second = paragraph(published, "2.")
    assert "We will cooperate on" in page and f'id="{second.anchor}"' in page
    assert f"kind=replace&amp;paragraph={second.uid}" in page
    for action in (
        "Comment<",
        "Propose new wording",
        "Insert a paragraph after",
        "Propose deletion",
        "Comment on this section",
        "General comment on the whole text",
    ):
        assert action in page
    assert "CET (Europe/Vienna)" in page or "CEST (Europe/Vienna)" in page
    assert "left" in page  # the countdown


@pytest.mark.parametrize("who", ["observer", "chair", "secretariat"])
def test_those_who_do_not_write_read_the_draft_without_writing_actions(
    client, auth, people, round_, who
):
    auth.login(getattr(people, who))
    response = client.get(f"/consultations/{round_.id}/draft")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "We will cooperate on" in page
    assert "Propose new wording" not in page and "Submit all drafts" not in page


def test_a_delegation_outside_the_document_does_not_learn_the_round_exists(
    client, auth, create_user, round_
):
    auth.login(create_user("delegate", "FRA"))
    assert client.get(f"/consultations/{round_.id}/draft").status_code == 404
    assert client.get(f"/consultations/{round_.id}/comments/new").status_code == 404


def test_the_draft_says_when_the_round_has_not_yet_opened(client, auth, people, open_round):
    now = datetime.now(UTC)
    upcoming = open_round(opens_dt=now + timedelta(days=1), closes_dt=now + timedelta(days=5))
    auth.login(people.aut)
    page = client.get(f"/consultations/{upcoming.id}/draft").get_data(as_text=True)
    assert "This round opens on" in page
    assert "Propose new wording" not in page


def test_the_draft_says_when_the_deadline_has_passed(client, auth, people, open_round):
    closes = datetime.now(UTC) + timedelta(hours=1)
    consultation = open_round(closes_dt=closes)
    auth.login(people.aut)
    with time_machine.travel(closes + timedelta(minutes=1), tick=False):
        page = client.get(f"/consultations/{consultation.id}/draft").get_data(as_text=True)
    assert "The deadline passed on" in page
    assert "Propose new wording" not in page


def test_the_draft_is_filtered_by_delegation_kind_and_paragraphs_with_comments(
    client, auth, people, open_round, published
):
    consultation = open_round(visibility="open")
    first, fourth = paragraph(published, "1."), paragraph(published, "4.")
    commenting.create_comment(
        people.aut,
        consultation,
        kind="paragraph",
        paragraph_uid=first.uid,
        body="Austria would welcome firmer wording.",
        submit=True,
    )
    commenting.create_comment(
        people.pak,
        consultation,
        kind="delete",
        paragraph_uid=fourth.uid,
        body="Pakistan sees no need for this paragraph.",
        submit=True,
    )
    db.session.commit()
    auth.login(people.tur)
    base = f"/consultations/{consultation.id}/draft"
    everything = client.get(base).get_data(as_text=True)
    assert "Austria would welcome" in everything and "Pakistan sees no need" in everything
    only_pak = client.get(base, query_string={"delegation": "PAK"}).get_data(as_text=True)
    assert "Pakistan sees no need" in only_pak and "Austria would welcome" not in only_pak
    deletions = client.get(base, query_string={"kind": "delete"}).get_data(as_text=True)
    assert "Pakistan sees no need" in deletions and "Austria would welcome" not in deletions
    commented = client.get(base, query_string={"only": "commented"}).get_data(as_text=True)
    assert first.anchor in commented and fourth.anchor in commented
    assert paragraph(published, "2.").anchor not in commented
    assert client.get(base, query_string={"delegation": "XXX"}).status_code == 400
    assert client.get(base, query_string={"kind": "rumour"}).status_code == 400


# ---------------------------------------------------------------------------------------------
# Writing, drafts, colleagues


def test_a_delegate_saves_a_draft_which_a_colleague_sees_and_edits_and_others_do_not(
    client, auth, people, round_, published, write
):
    para = paragraph(published, "1.")
    auth.login(people.aut)
    response = write(
        "paragraph",
        para,
        quote="shared responsibility",
        body="Austria asks to recall *burden-sharing* here.",
    )
    assert response.status_code == 303
    # ``at`` opens the part of a long draft that holds the paragraph.
    assert response.headers["Location"].endswith(f"/draft?at={para.anchor}#{para.anchor}")
    comment = first_comment()
    assert comment.status == CommentStatus.DRAFT and comment.delegation.code == "AUT"
    assert comment.quote == "shared responsibility"
    auth.logout()

    auth.login(people.aut2)
    page = client.get(f"/consultations/{round_.id}/draft").get_data(as_text=True)
    assert "<em>burden-sharing</em>" in page and "Submit all drafts (1)" in page
    form = client.get(f"/comments/{comment.id}/edit").get_data(as_text=True)
    assert "Austria asks to recall *burden-sharing* here." in form
    response = client.post(
        f"/comments/{comment.id}/edit",
        data={
            "base_revision": field_value(form, "base_revision"),
            "delegation_id": str(people.aut2.delegation_id),
            "quote": "shared responsibility",
            "body": "Austria asks to recall burden-sharing and solidarity here.",
            "action": "save",
        },
    )
    assert response.status_code == 303
    db.session.refresh(comment)
    assert comment.body.endswith("solidarity here.") and comment.revision == 2
    auth.logout()

    auth.login(people.pak)
    page = client.get(f"/consultations/{round_.id}/draft").get_data(as_text=True)
    assert "burden-sharing" not in page
    assert client.get(f"/comments/{comment.id}/edit").status_code == 404
    assert client.get(f"/comments/{comment.id}/history").status_code == 404


def test_a_draft_is_submitted_with_its_time_and_then_shown_as_submitted(
    client, auth, people, round_, published, write
):
    auth.login(people.aut)
    write("paragraph", paragraph(published, "2."), body="A point on cooperation.")
    comment = first_comment()
    response = client.post(f"/comments/{comment.id}/submit", data={"base_revision": "1"})
    assert response.status_code == 303
    assert "Submitted on" in client.get(response.headers["Location"]).get_data(as_text=True)
    db.session.refresh(comment)
    assert comment.is_submitted and comment.submitted_dt is not None
    page = client.get(f"/consultations/{round_.id}/draft").get_data(as_text=True)
    assert "submitted <time" in page
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "comment.submitted"))


def test_all_drafts_of_a_delegation_are_submitted_at_once(
    client, auth, people, round_, published, write
):
    auth.login(people.aut)
    write("paragraph", paragraph(published, "1."), body="First point.")
    write("general", body="A general remark.")
    response = client.post(f"/consultations/{round_.id}/comments/submit", data={})
    assert response.status_code == 303
    statuses = db.session.scalars(select(Comment.status)).all()
    assert statuses == [CommentStatus.SUBMITTED, CommentStatus.SUBMITTED]
    again = client.post(f"/consultations/{round_.id}/comments/submit", data={})
    assert again.status_code == 422
    assert "no draft comment to submit" in again.get_data(as_text=True)


def test_submitting_at_once_from_the_form(client, auth, people, round_, published, write):
    auth.login(people.aut)
    response = write("general", action="submit", body="The text is too long overall.")
    assert response.status_code == 303 and response.headers["Location"].endswith("#general")
    assert first_comment().is_submitted


def test_the_replace_form_is_prefilled_with_the_current_paragraph_text(
    client, auth, people, round_, published
):
    para = paragraph(published, "2.")
    auth.login(people.aut)
    page = client.get(
        f"/consultations/{round_.id}/comments/new",
        query_string={"kind": "replace", "paragraph": para.uid},
    ).get_data(as_text=True)
    assert "We will cooperate on **safe** and regular pathways.</textarea>" in page
    insert = client.get(
        f"/consultations/{round_.id}/comments/new",
        query_string={"kind": "insert", "paragraph": para.uid},
    ).get_data(as_text=True)
    assert "We will cooperate on **safe** and regular pathways.</textarea>" not in insert


def test_preview_shows_the_amendment_as_a_word_diff_and_stores_nothing(
    client, auth, people, round_, published, write
):
    para = paragraph(published, "2.")
    auth.login(people.aut)
    response = write(
        "replace",
        para,
        action="preview",
        proposed_text="We will cooperate on safe, orderly and regular pathways.",
        body="Align with the Global Compact.",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<ins class="redline-ins">' in page and "orderly" in page
    assert '<del class="redline-del">' in page or "<ins" in page
    assert "Nothing is saved yet" in page
    # the form comes back as typed, its token unchanged, ready to save
    assert "We will cooperate on safe, orderly and regular pathways.</textarea>" in page
    assert stored() == (0, 0, 0)


def test_preview_marks_deleted_words(client, auth, people, round_, published, write):
    auth.login(people.aut)
    page = write(
        "replace",
        paragraph(published, "1."),
        action="preview",
        proposed_text="We affirm the principle of responsibility.",
    ).get_data(as_text=True)
    assert re.search(r'<del class="redline-del">\s*shared</del>', page)


def test_the_same_form_sent_twice_makes_one_comment(client, auth, people, round_, published):
    para = paragraph(published, "3.")
    auth.login(people.aut)
    form = client.get(
        f"/consultations/{round_.id}/comments/new",
        query_string={"kind": "replace", "paragraph": para.uid},
    ).get_data(as_text=True)
    data = {
        "kind": "replace",
        "paragraph": para.uid,
        "form_token": token_of(form),
        "proposed_text": "We support the platform for exchange and cooperation.",
        "action": "submit",
    }
    first = client.post(f"/consultations/{round_.id}/comments/new", data=dict(data))
    second = client.post(f"/consultations/{round_.id}/comments/new", data=dict(data))
    assert first.status_code == second.status_code == 303
    assert count(Comment) == 1
    followed = client.get(second.headers["Location"]).get_data(as_text=True)
    assert "already been sent" in followed


def test_a_stale_edit_is_refused_and_keeps_the_text_beside_the_colleagues(
    client, auth, people, round_, published
):
    comment, _ = commenting.create_comment(
        people.aut,
        round_,
        kind="paragraph",
        paragraph_uid=paragraph(published, "1.").uid,
        body="First wording of our comment.",
    )
    db.session.commit()
    auth.login(people.aut)
    form = client.get(f"/comments/{comment.id}/edit").get_data(as_text=True)
    # meanwhile, a colleague saves
    commenting.edit_comment(
        people.aut2, comment, base_revision=1, body="The colleague's wording, saved first."
    )
    db.session.commit()
    response = client.post(
        f"/comments/{comment.id}/edit",
        data={
            "base_revision": field_value(form, "base_revision"),
            "body": "My own wording, typed at length.",
            "action": "save",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "My own wording, typed at length.</textarea>" in page
    assert "The colleague&#39;s wording, saved first." in page
    assert "while you were editing it" in page
    db.session.refresh(comment)
    assert comment.body == "The colleague's wording, saved first." and comment.revision == 2
    # the form now carries the colleague's revision: saving again after merging is accepted
    assert field_value(page, "base_revision") == "2"


def test_withdrawing_asks_to_confirm_and_keeps_the_history(
    client, auth, people, round_, published, write
):
    auth.login(people.aut)
    write("paragraph", paragraph(published, "1."), action="submit", body="We object.")
    comment = first_comment()
    unconfirmed = client.post(f"/comments/{comment.id}/withdraw", data={"base_revision": "1"})
    assert unconfirmed.status_code == 422 and "Tick the box" in unconfirmed.get_data(as_text=True)
    assert first_comment().is_submitted
    response = client.post(
        f"/comments/{comment.id}/withdraw", data={"confirm": "y", "base_revision": "1"}
    )
    assert response.status_code == 303
    db.session.refresh(comment)
    assert comment.is_withdrawn
    history = client.get(f"/comments/{comment.id}/history").get_data(as_text=True)
    assert "Revision 1: Submitted" in history and "Revision 2: Withdrawn" in history
    assert "We object." in history


def test_the_history_shows_each_revision_with_a_word_diff(client, auth, people, round_, published):
    comment, _ = commenting.create_comment(
        people.aut,
        round_,
        kind="paragraph",
        paragraph_uid=paragraph(published, "1.").uid,
        body="We ask for stronger language.",
    )
    commenting.edit_comment(
        people.aut2, comment, base_revision=1, body="We ask for much stronger language."
    )
    db.session.commit()
    auth.login(people.aut)
    response = client.get(f"/comments/{comment.id}/history")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Revision 2: Edited" in page and "Revision 1: Written" in page
    assert re.search(r'<ins class="redline-ins">\s*much</ins>', page)
    assert people.aut2.name in page


def test_another_delegation_co_sponsors_a_submitted_amendment(
    client, auth, people, open_round, published
):
    consultation = open_round(visibility="open")
    amendment, _ = commenting.create_comment(
        people.aut,
        consultation,
        kind="replace",
        paragraph_uid=paragraph(published, "4.").uid,
        proposed_text="We will meet again within two years.",
        submit=True,
    )
    db.session.commit()
    auth.login(people.pak)
    page = client.get(f"/consultations/{consultation.id}/draft").get_data(as_text=True)
    assert "Co-sponsor" in page
    response = client.post(f"/comments/{amendment.id}/support", data={})
    assert response.status_code == 303
    auth.logout()
    auth.login(people.tur)
    client.post(f"/comments/{amendment.id}/support", data={})
    page = client.get(f"/consultations/{consultation.id}/draft").get_data(as_text=True)
    assert "Supported by PAK, TUR" in page and "Stop co-sponsoring" in page
    client.post(f"/comments/{amendment.id}/unsupport", data={})
    assert [s.delegation.code for s in db.session.scalars(select(Support))] == ["PAK"]
    auth.logout()
    auth.login(people.aut)
    own = client.post(f"/comments/{amendment.id}/support", data={})
    assert own.status_code == 403 and "cannot also co-sponsor" in own.get_data(as_text=True)


# ---------------------------------------------------------------------------------------------
# Bad input: a clear refusal, nothing stored


def test_a_paragraph_of_another_version_is_refused(
    client, auth, people, round_, create_document, published
):
    from tests.consultations.conftest import DRAFT, delegation

    other = create_document(
        ("Zero draft", DRAFT, True),
        title="Another declaration",
        participants=[delegation("AUT")],
    ).versions[0]
    foreign = paragraph(other, "1.")
    auth.login(people.aut)
    shown = client.get(
        f"/consultations/{round_.id}/comments/new",
        query_string={"kind": "paragraph", "paragraph": foreign.uid},
    )
    assert shown.status_code == 400
    assert "not part of Zero draft" in shown.get_data(as_text=True)
    response = client.post(
        f"/consultations/{round_.id}/comments/new",
        data={
            "kind": "paragraph",
            "paragraph": foreign.uid,
            "body": "Sent to the wrong draft.",
            "form_token": commenting.new_form_token(),
            "action": "submit",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "not part of Zero draft" in page and "Sent to the wrong draft.</textarea>" in page
    assert stored() == (0, 0, 0)


def test_a_round_not_yet_open_refuses_and_keeps_the_text(
    client, auth, people, open_round, published
):
    now = datetime.now(UTC)
    upcoming = open_round(opens_dt=now + timedelta(days=1), closes_dt=now + timedelta(days=5))
    auth.login(people.aut)
    response = client.post(
        f"/consultations/{upcoming.id}/comments/new",
        data={
            "kind": "general",
            "body": "Written too early.",
            "form_token": commenting.new_form_token(),
            "action": "save",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "This round opens on" in page and "Written too early.</textarea>" in page
    assert stored() == (0, 0, 0)


def test_a_closed_round_refuses_a_submission_and_keeps_the_text(
    client, auth, people, open_round, published
):
    closes = datetime.now(UTC) + timedelta(hours=2)
    consultation = open_round(closes_dt=closes)
    para = paragraph(published, "2.")
    auth.login(people.aut)
    form = client.get(
        f"/consultations/{consultation.id}/comments/new",
        query_string={"kind": "replace", "paragraph": para.uid},
    ).get_data(as_text=True)
    with time_machine.travel(closes + timedelta(seconds=1), tick=False):
        response = client.post(
            f"/consultations/{consultation.id}/comments/new",
            data={
                "kind": "replace",
                "paragraph": para.uid,
                "form_token": token_of(form),
                "proposed_text": "We will cooperate closely on regular pathways.",
                "body": "Our justification, written with care.",
                "action": "submit",
            },
        )
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "The deadline passed on" in page and "Nothing was saved" in page
    assert "We will cooperate closely on regular pathways.</textarea>" in page
    assert "Our justification, written with care.</textarea>" in page
    assert stored() == (0, 0, 0)


def test_after_the_deadline_a_draft_cannot_be_submitted_or_withdrawn(
    client, auth, people, open_round, published
):
    closes = datetime.now(UTC) + timedelta(hours=2)
    consultation = open_round(closes_dt=closes)
    comment, _ = commenting.create_comment(
        people.aut, consultation, kind="general", body="Left as a draft."
    )
    db.session.commit()
    auth.login(people.aut)
    with time_machine.travel(closes + timedelta(minutes=5), tick=False):
        submitted = client.post(f"/comments/{comment.id}/submit", data={"base_revision": "1"})
        withdrawn = client.post(
            f"/comments/{comment.id}/withdraw", data={"confirm": "y", "base_revision": "1"}
        )
        drafts = client.post(f"/consultations/{consultation.id}/comments/submit", data={})
    for response in (submitted, withdrawn, drafts):
        assert response.status_code == 409
        assert "The deadline passed on" in response.get_data(as_text=True)
    db.session.refresh(comment)
    assert comment.is_draft and comment.revision == 1


@pytest.mark.parametrize(
    ("who", "reason"),
    [
        ("observer", "Observers read the draft"),
        ("chair", "The chair does not write comments"),
        ("secretariat", "The secretariat receives the comments"),
        ("geo_delegate", "Delegation GEO is not invited to comment in this round"),
    ],
)
def test_those_who_may_not_write_are_refused_with_the_reason(
    client, auth, people, round_, create_user, who, reason
):
    user = create_user("delegate", "GEO") if who == "geo_delegate" else getattr(people, who)
    auth.login(user)
    shown = client.get(f"/consultations/{round_.id}/comments/new?kind=general")
    assert shown.status_code == 403 and reason in shown.get_data(as_text=True)
    response = client.post(
        f"/consultations/{round_.id}/comments/new",
        data={
            "kind": "general",
            "body": "Not ours to write.",
            "form_token": commenting.new_form_token(),
            "action": "submit",
        },
    )
    assert response.status_code == 403 and reason in response.get_data(as_text=True)
    assert stored() == (0, 0, 0)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"body": "   "}, "The comment is empty"),
        ({"body": "x" * 1_048_576}, "1,048,576 characters long; at most 20,000"),
        ({"body": "Fine <script>alert(1)</script>"}, "contains raw HTML"),
        ({"body": '<img src=x onerror="alert(1)">'}, "contains raw HTML"),
        ({"body": "[x](javascript:alert(1))"}, "links may only lead to web"),
        ({"quote": "words that are not there", "body": "A comment."}, "quoted passage is not in"),
    ],
    ids=["empty", "one-megabyte", "script", "img-onerror", "javascript-link", "false-quote"],
)
def test_bad_comments_are_refused_with_the_reason_and_nothing_is_stored(
    client, auth, people, round_, published, write, fields, message
):
    auth.login(people.aut)
    response = write("paragraph", paragraph(published, "1."), action="submit", **fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 422, page[:500]
    assert message in page
    if len(fields["body"]) < 1000:
        assert "<script>alert" not in page and "<img src=x" not in page
    assert stored() == (0, 0, 0)


def test_markdown_with_scripts_never_reaches_the_page_as_markup(
    client, auth, people, round_, published, write
):
    auth.login(people.aut)
    write(
        "paragraph",
        paragraph(published, "1."),
        action="preview",
        body="Harmless *text* and [a link](javascript:alert(1)) <b onmouseover=x>bold</b>",
    )
    page = write(
        "paragraph",
        paragraph(published, "1."),
        action="preview",
        body="Harmless *text* and [a link](javascript:alert(1)) <b onmouseover=x>bold</b>",
    ).get_data(as_text=True)
    assert 'href="javascript' not in page and "<b onmouseover" not in page
    assert "<em>text</em>" in page


def test_a_forged_delegation_id_is_refused_and_nothing_is_stored(
    client, auth, people, round_, published, write
):
    auth.login(people.aut)
    response = write(
        "paragraph",
        paragraph(published, "1."),
        action="submit",
        body="Pretending to be Pakistan.",
        delegation_id=str(people.pak.delegation_id),
    )
    assert response.status_code == 400
    assert "names another delegation than yours" in response.get_data(as_text=True)
    assert stored() == (0, 0, 0)


def test_a_forged_delegation_id_on_an_edit_is_refused(client, auth, people, round_, published):
    comment, _ = commenting.create_comment(
        people.aut, round_, kind="general", body="Our general comment."
    )
    db.session.commit()
    auth.login(people.aut)
    response = client.post(
        f"/comments/{comment.id}/edit",
        data={
            "base_revision": "1",
            "delegation_id": str(people.tur.delegation_id),
            "body": "Changed under another flag.",
            "action": "save",
        },
    )
    assert response.status_code == 400
    db.session.refresh(comment)
    assert comment.body == "Our general comment." and comment.revision == 1


def test_another_delegation_cannot_edit_or_withdraw_a_visible_comment(
    client, auth, people, open_round, published
):
    consultation = open_round(visibility="open")
    comment, _ = commenting.create_comment(
        people.aut, consultation, kind="general", body="Austria's view.", submit=True
    )
    db.session.commit()
    auth.login(people.pak)
    assert client.get(f"/comments/{comment.id}/edit").status_code == 403
    assert client.post(f"/comments/{comment.id}/withdraw", data={"confirm": "y"}).status_code == 403
    db.session.refresh(comment)
    assert comment.is_submitted


def test_a_form_without_its_csrf_token_is_refused(client, auth, people, round_):
    auth.login(people.aut)
    response = client.post(
        f"/consultations/{round_.id}/comments/new",
        data={"kind": "general", "body": "No token.", "csrf_token": None},
    )
    assert response.status_code == 400
    assert stored() == (0, 0, 0)


# ---------------------------------------------------------------------------------------------
# Speed: the number of queries does not grow with paragraphs or comments


def _queries_for(client, url) -> int:
    statements: list[str] = []

    def remember(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)
    return len(statements)


def test_the_draft_page_needs_the_same_few_queries_for_few_or_many_comments(
    client, auth, people, open_round, published
):
    consultation = open_round(visibility="open")
    url = f"/consultations/{consultation.id}/draft"
    auth.login(people.aut)
    commenting.create_comment(people.aut, consultation, kind="general", body="One.", submit=True)
    commenting.create_comment(people.aut, consultation, kind="general", body="A draft.")
    db.session.commit()
    few = _queries_for(client, url)
    assert _queries_for(client, f"{url}?delegation=PAK") == few  # drafts listed, filtered out
    for person in (people.aut, people.aut2, people.pak, people.tur):
        for p in published.paragraphs:
            if p.kind.value != "paragraph":
                continue
            amendment, _ = commenting.create_comment(
                person,
                consultation,
                kind="replace",
                paragraph_uid=p.uid,
                proposed_text=p.text + " Indeed.",
                body="Clearer.",
                submit=True,
            )
            if person is people.pak:
                cosponsoring.support_comment(people.tur, amendment)
        commenting.create_comment(person, consultation, kind="general", body="Draft.")
    db.session.commit()
    many = _queries_for(client, url)
    assert many == few
    assert many <= 15


def test_a_form_for_a_kind_that_does_not_fit_the_paragraph_is_refused(
    client, auth, people, round_, published
):
    auth.login(people.aut)
    url = f"/consultations/{round_.id}/comments/new"
    section = client.get(
        url, query_string={"kind": "section", "paragraph": paragraph(published, "1.").uid}
    )
    assert section.status_code == 400
    assert "made on its heading" in section.get_data(as_text=True)
    title = published.paragraphs[0]
    retitle = client.get(url, query_string={"kind": "replace", "paragraph": title.uid})
    assert retitle.status_code == 400 and "as a general comment" in retitle.get_data(as_text=True)
    unknown = client.get(url, query_string={"kind": "rumour"})
    assert unknown.status_code == 400 and "not a kind of comment" in unknown.get_data(as_text=True)


def test_a_round_that_accepts_late_comments_marks_them_late(
    client, auth, people, open_round, published, write
):
    closes = datetime.now(UTC) + timedelta(hours=2)
    consultation = open_round(closes_dt=closes, late_rule="accept")
    auth.login(people.aut)
    form = client.get(f"/consultations/{consultation.id}/comments/new?kind=general")
    with time_machine.travel(closes + timedelta(minutes=1), tick=False):
        draft_page = client.get(f"/consultations/{consultation.id}/draft")
        response = client.post(
            f"/consultations/{consultation.id}/comments/new",
            data={
                "kind": "general",
                "body": "Sent a minute late.",
                "action": "submit",
                "form_token": token_of(form.get_data(as_text=True)),
            },
        )
        followed = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "still accepts comments, but they are marked as late" in draft_page.get_data(
        as_text=True
    )
    assert response.status_code == 303
    assert "marked late" in followed and "badge-late" in followed
    assert first_comment().is_late


def test_text_far_beyond_any_comment_is_refused_unread_with_a_reason(client, auth, people, round_):
    client.application.config["MAX_CONTENT_LENGTH"] = 5_000
    auth.login(people.aut)
    response = client.post(
        f"/consultations/{round_.id}/comments/new",
        data={"kind": "general", "body": "y" * 10_000, "action": "submit"},
    )
    assert response.status_code == 413
    assert "far longer than a comment may be" in response.get_data(as_text=True)
    assert stored() == (0, 0, 0)
