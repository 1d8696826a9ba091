"""The comparison shows, beside each row, what delegations said about its paragraphs in rounds
of comments and what was decided; a delegation can ask for its own comments only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from drafting.consultations import commenting, decisions
from drafting.consultations.models import Consultation
from drafting.documents.importing import import_version
from drafting.extensions import db
from tests.consultations import conftest as rounds
from tests.consultations.conftest import DRAFT, delegation, paragraph
from tests.documents.test_comparison_pages import count_queries

# The fixtures of tests/consultations: people of each role, a published zero draft, a round.
people, published, open_round = rounds.people, rounds.published, rounds.open_round

DEADLINE = datetime(2030, 3, 1, 17, 0, tzinfo=UTC)
WRITING = DEADLINE - timedelta(days=5)
DURING = DEADLINE - timedelta(days=1)
AFTER = DEADLINE + timedelta(minutes=1)

DRAFT_1 = DRAFT.replace(
    "2. We will cooperate on **safe** and regular pathways.",
    "2. We shall cooperate closely on **safe**, orderly and regular pathways.",
).replace("4. We will meet again next year.\n", "")


@pytest.fixture
def round_and_draft_1(open_round, people, published):
    """A sealed round on the zero draft: AUT on 2. (reworded in Draft 1) and on 4. (deleted),
    PAK on 1. (unchanged); then Draft 1 is published."""
    with time_machine.travel(WRITING, tick=False):
        consultation = open_round(closes_dt=DEADLINE)
        comments = {}
        for who, label, body in (
            (people.aut, "2.", "Austria wants orderly pathways."),
            (people.aut, "4.", "Austria proposes a date for the next meeting."),
            (people.pak, "1.", "Pakistan supports this principle."),
        ):
            comments[who.delegation.code, label], _ = commenting.create_comment(
                who,
                consultation,
                kind="paragraph",
                paragraph_uid=paragraph(published, label).uid,
                body=body,
                submit=True,
            )
        db.session.commit()
    draft_1 = import_version(None, published.document, DRAFT_1, label="Draft 1", publish=True)
    db.session.commit()
    return published, draft_1, comments


def _compare(client, auth, user, zero, draft_1, query="", moment=AFTER) -> str:
    with time_machine.travel(moment, tick=False):
        auth.login(user)
        url = f"/documents/{zero.document_id}/compare?old={zero.id}&new={draft_1.id}{query}"
        response = client.get(url)
        assert response.status_code == 200
        return response.get_data(as_text=True)


def _row(page: str, text: str) -> str:
    """The comparison row (entry) in which ``text`` appears."""
    at = page.index(text)
    start = page.rindex('<div class="entry ', 0, at)
    end = page.find('<div class="entry ', at)
    return page[start : end if end != -1 else page.index("</article>", at)]


@pytest.mark.parametrize("view", ["inline", "side"])
def test_a_comment_appears_beside_the_row_of_its_paragraph(
    client, auth, people, round_and_draft_1, view
):
    zero, draft_1, _ = round_and_draft_1
    page = _compare(client, auth, people.secretariat, zero, draft_1, f"&view={view}")
    row = _row(page, "Austria wants orderly pathways.")
    assert "closely" in row and "<ins" in row  # the reworded paragraph 2.
    assert "The paragraph has changed since Zero draft." in row
    unchanged = _row(page, "Pakistan supports this principle.")
    assert "We affirm the principle" in unchanged and "has changed since" not in unchanged


def test_a_comment_on_a_deleted_paragraph_stays_beside_the_deletion(
    client, auth, people, round_and_draft_1
):
    zero, draft_1, _ = round_and_draft_1
    page = _compare(client, auth, people.secretariat, zero, draft_1)
    row = _row(page, "Austria proposes a date")
    assert "entry-deleted" in row and "We will meet again" in row


def test_mine_shows_only_the_readers_own_delegations_comments(
    client, auth, people, round_and_draft_1
):
    zero, draft_1, _ = round_and_draft_1
    page = _compare(client, auth, people.aut, zero, draft_1, "&mine=1")
    assert "Austria wants orderly pathways." in page
    assert "Pakistan supports" not in page
    assert "Show every delegation’s comments" in page
    assert '<details class="beside no-print" open>' in page  # unfolded when asked for
    everyone = _compare(client, auth, people.aut, zero, draft_1)
    assert "Austria wants" in everyone and "Pakistan supports" in everyone


def test_sealed_comments_of_others_are_not_beside_the_rows_before_the_deadline(
    client, auth, people, round_and_draft_1
):
    zero, draft_1, _ = round_and_draft_1
    page = _compare(client, auth, people.pak, zero, draft_1, moment=DURING)
    assert "Pakistan supports" in page and "Austria wants" not in page
    assert "Austria wants" in _compare(client, auth, people.pak, zero, draft_1, moment=AFTER)


def test_decisions_are_shown_beside_the_row_as_the_reader_may_see_them(
    client, auth, people, round_and_draft_1
):
    zero, draft_1, comments = round_and_draft_1
    with time_machine.travel(AFTER, tick=False):
        decisions.record_decision(
            people.secretariat,
            comments["AUT", "2."],
            outcome="accepted",
            justification="Taken over in the new wording.",
            reflected_in="paragraph 2 of Draft 1",
        )
        decisions.record_decision(
            people.secretariat,
            comments["PAK", "1."],
            outcome="noted",
            justification="Kept for the secretariat's file.",
            is_shared=False,
        )
        db.session.commit()
    page = _compare(client, auth, people.aut, zero, draft_1, "&mine=1")
    row = _row(page, "Austria wants orderly pathways.")
    assert "Decision: Accepted" in row and "reflected in paragraph 2 of Draft 1" in row
    assert "Taken over in the new wording." in row
    delegate = _compare(client, auth, people.pak, zero, draft_1)
    assert "Pakistan supports" in delegate and "Decision: Noted" not in delegate
    chair = _compare(client, auth, people.chair, zero, draft_1)
    assert "Decision: Noted" in _row(chair, "Pakistan supports")


def test_a_draft_comment_is_not_shown_beside_the_rows(client, auth, people, round_and_draft_1):
    zero, draft_1, _ = round_and_draft_1
    consultation = db.session.scalar(db.select(Consultation))
    with time_machine.travel(DURING, tick=False):
        commenting.create_comment(
            people.aut,
            consultation,
            kind="paragraph",
            paragraph_uid=paragraph(zero, "1.").uid,
            body="Austria's unsent thought.",
        )
        db.session.commit()
    page = _compare(client, auth, people.aut, zero, draft_1, "&mine=1", moment=DURING)
    assert "Austria wants" in page and "unsent thought" not in page


def test_the_comparison_with_comments_needs_as_many_queries_for_a_long_text(
    client, auth, people, create_document, open_round
):
    participants = [delegation(c) for c in ("AUT", "PAK", "GEO")]
    counts = []
    for size in (4, 60):
        zero_text = "\n\n".join(
            ["# Declaration"] + [f"{i}. Paragraph {i} of the text." for i in range(1, size + 1)]
        )
        one_text = zero_text.replace("of the text.", "of the amended text.")
        with time_machine.travel(WRITING, tick=False):
            document = create_document(
                ("Zero draft", zero_text, True), title=f"Doc {size}", participants=participants
            )
            zero = document.versions[0]
            consultation = open_round(closes_dt=DEADLINE, version=zero, visibility="open")
            for number in range(1, size + 1):
                for delegate in (people.aut, people.pak):
                    comment, _ = commenting.create_comment(
                        delegate,
                        consultation,
                        kind="paragraph",
                        paragraph_uid=paragraph(zero, f"{number}.").uid,
                        body=f"{delegate.delegation.code} on {number}.",
                        submit=True,
                    )
            db.session.commit()
        with time_machine.travel(AFTER, tick=False):
            decisions.record_decision(people.secretariat, comment, outcome="accepted")
            draft_1 = import_version(None, document, one_text, label="Draft 1", publish=True)
            db.session.commit()
            auth.login(people.chair)
            url = f"/documents/{document.id}/compare?old={zero.id}&new={draft_1.id}"
            with count_queries() as statements:
                page = client.get(url).get_data(as_text=True)
        assert page.count("beside-comment") == 2 * size
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 15, "\n".join(statements)
