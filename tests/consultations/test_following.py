"""Comments follow the paragraph: a later version shows, beside each paragraph, what delegations
said about it in rounds on earlier versions, found by the paragraph's stable identity."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import event

from drafting.consultations import commenting, decisions
from drafting.documents.importing import import_version
from drafting.extensions import db
from tests.consultations.conftest import DRAFT, paragraph

DEADLINE = datetime(2030, 3, 1, 17, 0, tzinfo=UTC)
DURING = DEADLINE - timedelta(days=1)
AFTER = DEADLINE + timedelta(minutes=1)
WRITING = DEADLINE - timedelta(days=5)

# Draft 1: paragraph 1. is kept word for word, 2. is reworded, a paragraph is added after it.
DRAFT_1 = (
    DRAFT.replace(
        "2. We will cooperate on **safe** and regular pathways.",
        "2. We shall cooperate closely on **safe**, orderly and regular pathways.\n\n"
        "3. We welcome a regional data hub.",
    )
    .replace("3. We support the platform", "4. We support the platform")
    .replace("4. We will meet again", "5. We will meet again")
)


def _section(page: str, version, label: str) -> str:
    """The page from the paragraph's anchor up to the next paragraph or heading."""
    anchor = f'id="{paragraph(version, label).anchor}"'
    start = page.index(anchor)
    end = page.find('id="p-', start + len(anchor))
    return page[start : end if end != -1 else len(page)]


def _publish_draft_1(published):
    draft_1 = import_version(None, published.document, DRAFT_1, label="Draft 1", publish=True)
    db.session.commit()
    return draft_1


def _page(client, auth, user, version, moment=AFTER, query="") -> str:
    with time_machine.travel(moment, tick=False):
        auth.login(user)
        response = client.get(f"/versions/{version.id}{query}")
        assert response.status_code == 200
        return response.get_data(as_text=True)


@pytest.fixture
def commented(open_round, people, published):
    """A sealed round on the zero draft; AUT commented on 1. and proposed new wording for 2.;
    PAK left a draft on 1. and a general comment; then Draft 1 was published."""
    with time_machine.travel(WRITING, tick=False):
        consultation = open_round(closes_dt=DEADLINE)
        first, second = paragraph(published, "1."), paragraph(published, "2.")
        on_first, _ = commenting.create_comment(
            people.aut,
            consultation,
            kind="paragraph",
            paragraph_uid=first.uid,
            body="Austria asks to name *shared responsibility* explicitly.",
            submit=True,
        )
        on_second, _ = commenting.create_comment(
            people.aut,
            consultation,
            kind="replace",
            paragraph_uid=second.uid,
            proposed_text="We will cooperate on safe, orderly and regular pathways.",
            body="Aligns with earlier commitments.",
            submit=True,
        )
        commenting.create_comment(
            people.pak,
            consultation,
            kind="paragraph",
            paragraph_uid=first.uid,
            body="Pakistan's unsent draft note.",
        )
        commenting.create_comment(
            people.pak, consultation, kind="general", body="Pakistan's general remark.", submit=True
        )
        db.session.commit()
    draft_1 = _publish_draft_1(published)
    return consultation, on_first, on_second, draft_1


def test_a_comment_on_the_zero_draft_is_shown_beside_the_same_paragraph_in_draft_1(
    client, auth, people, commented
):
    _consultation, _on_first, _on_second, draft_1 = commented
    page = _page(client, auth, people.aut, draft_1)
    beside_first = _section(page, draft_1, "1.")
    assert "name <em>shared responsibility</em> explicitly" in beside_first
    assert "AUT" in beside_first and "Comment on a paragraph" in beside_first
    assert "Zero draft" in beside_first
    beside_second = _section(page, draft_1, "2.")
    assert "Amendment: new wording" in beside_second
    assert "We will cooperate on safe, orderly and regular pathways." in beside_second
    assert "Aligns with earlier commitments." in beside_second
    # Nothing follows the new paragraph, and the comment is not beside another paragraph.
    assert "Austria asks" not in _section(page, draft_1, "3.")
    assert "Austria asks" not in _section(page, draft_1, "2.")


def test_the_comments_are_collapsed_with_a_count(client, auth, people, commented):
    *_, draft_1 = commented
    beside_first = _section(_page(client, auth, people.aut, draft_1), draft_1, "1.")
    assert '<details class="beside no-print">' in beside_first
    assert '<span class="badge beside-count">1</span>' in beside_first


def test_a_changed_paragraph_is_marked_changed_since_the_version_commented_on(
    client, auth, people, commented
):
    *_, draft_1 = commented
    page = _page(client, auth, people.aut, draft_1)
    assert "The paragraph has changed since Zero draft." in _section(page, draft_1, "2.")
    assert "has changed since" not in _section(page, draft_1, "1.")


def test_a_renumbered_paragraph_shows_its_number_in_the_version_commented_on(
    client, auth, people, open_round, published
):
    with time_machine.travel(WRITING, tick=False):
        consultation = open_round(closes_dt=DEADLINE)
        commenting.create_comment(
            people.aut,
            consultation,
            kind="delete",
            paragraph_uid=paragraph(published, "3.").uid,
            body="Covered elsewhere.",
            submit=True,
        )
        db.session.commit()
    draft_1 = _publish_draft_1(published)
    beside = _section(_page(client, auth, people.aut, draft_1), draft_1, "4.")
    assert "paragraph 3. of Zero draft" in beside
    assert "Proposes to delete the paragraph." in beside
    assert "has changed since" not in beside  # renumbered, same words


def test_a_draft_comment_is_not_shown_beside_the_paragraph_even_to_its_delegation(
    client, auth, people, commented
):
    *_, draft_1 = commented
    for user in (people.pak, people.secretariat):
        beside = _section(_page(client, auth, user, draft_1), draft_1, "1.")
        assert "Austria asks" in beside
        assert "unsent draft note" not in beside


def test_general_comments_are_not_shown_beside_paragraphs(client, auth, people, commented):
    *_, draft_1 = commented
    page = _page(client, auth, people.secretariat, draft_1)
    assert "Austria asks" in page
    assert "general remark" not in page


def test_a_withdrawn_comment_is_not_shown(client, auth, people, open_round, published):
    with time_machine.travel(WRITING, tick=False):
        consultation = open_round(closes_dt=DEADLINE)
        comment, _ = commenting.create_comment(
            people.aut,
            consultation,
            kind="paragraph",
            paragraph_uid=paragraph(published, "1.").uid,
            body="Said and taken back.",
            submit=True,
        )
        commenting.withdraw_comment(people.aut, comment)
        commenting.create_comment(
            people.aut,
            consultation,
            kind="paragraph",
            paragraph_uid=paragraph(published, "1.").uid,
            body="Said and maintained.",
            submit=True,
        )
        db.session.commit()
    draft_1 = _publish_draft_1(published)
    for user in (people.aut, people.secretariat):
        beside = _section(_page(client, auth, user, draft_1), draft_1, "1.")
        assert "Said and maintained." in beside and "taken back" not in beside


def test_sealed_comments_stay_hidden_from_other_delegations_until_the_deadline(
    client, auth, people, commented
):
    *_, draft_1 = commented
    assert "Austria asks" not in _page(client, auth, people.pak, draft_1, moment=DURING)
    assert "Austria asks" in _page(client, auth, people.aut, draft_1, moment=DURING)
    assert "Austria asks" in _page(client, auth, people.secretariat, draft_1, moment=DURING)
    assert "Austria asks" in _page(client, auth, people.pak, draft_1, moment=AFTER)


def test_a_round_for_the_secretariat_only_is_never_shown_to_other_delegations(
    client, auth, people, open_round, published
):
    with time_machine.travel(WRITING, tick=False):
        consultation = open_round(closes_dt=DEADLINE, visibility="secretariat")
        commenting.create_comment(
            people.aut,
            consultation,
            kind="paragraph",
            paragraph_uid=paragraph(published, "1.").uid,
            body="Meant for the secretariat alone.",
            submit=True,
        )
        db.session.commit()
    draft_1 = _publish_draft_1(published)
    assert "for the secretariat alone" not in _page(client, auth, people.pak, draft_1)
    assert "for the secretariat alone" in _page(client, auth, people.chair, draft_1)


def test_delegations_see_shared_decisions_and_not_internal_ones(client, auth, people, commented):
    _consultation, on_first, on_second, draft_1 = commented
    with time_machine.travel(AFTER, tick=False):
        decisions.record_decision(
            people.secretariat,
            on_first,
            outcome="noted",
            justification="Shared reasoning about the first paragraph.",
            is_shared=True,
        )
        decisions.record_decision(
            people.secretariat,
            on_second,
            outcome="partly_accepted",
            justification="Internal reasoning about the wording.",
            is_shared=False,
            reflected_in="paragraph 2 of Draft 1",
        )
        db.session.commit()
    for delegate in (people.aut, people.pak):
        page = _page(client, auth, delegate, draft_1)
        assert "Decision: Noted" in _section(page, draft_1, "1.")
        assert "Shared reasoning" in page
        assert "Internal reasoning" not in page and "Partly accepted" not in page
    for reader in (people.secretariat, people.chair):
        beside = _section(_page(client, auth, reader, draft_1), draft_1, "2.")
        assert "Decision: Partly accepted" in beside and "Internal reasoning" in beside
        assert "reflected in paragraph 2 of Draft 1" in beside
        assert '<span class="badge badge-internal">internal</span>' in beside


def test_what_a_delegation_wrote_is_sanitised_beside_the_paragraph(
    client, auth, people, open_round, published
):
    with time_machine.travel(WRITING, tick=False):
        consultation = open_round(closes_dt=DEADLINE, visibility="open")
        comment, _ = commenting.create_comment(
            people.aut,
            consultation,
            kind="paragraph",
            paragraph_uid=paragraph(published, "1.").uid,
            body="Plain words.",
            submit=True,
        )
        # As if it had come in by another way than the form, which refuses raw HTML.
        comment.body = "Weigh costs & benefits <script>alert(1)</script> [x](javascript:alert(2))"
        db.session.commit()
    draft_1 = _publish_draft_1(published)
    beside = _section(_page(client, auth, people.pak, draft_1), draft_1, "1.")
    assert "costs &amp; benefits" in beside
    assert "<script>" not in beside and "javascript:" not in beside


def test_a_round_on_the_version_itself_is_not_shown_as_earlier_comments(
    client, auth, people, open_round, published
):
    with time_machine.travel(WRITING, tick=False):
        consultation = open_round(closes_dt=DEADLINE, visibility="open")
        commenting.create_comment(
            people.aut,
            consultation,
            kind="paragraph",
            paragraph_uid=paragraph(published, "1.").uid,
            body="On the zero draft itself.",
            submit=True,
        )
        db.session.commit()
    assert "On the zero draft itself." not in _page(client, auth, people.aut, published)
    draft_1 = _publish_draft_1(published)
    assert "On the zero draft itself." in _page(client, auth, people.aut, draft_1)


def test_a_delegation_that_commented_gets_a_link_to_what_changed_since_its_draft(
    client, auth, people, commented
):
    *_, draft_1 = commented
    zero = draft_1.based_on
    page = _page(client, auth, people.aut, draft_1)
    link = f"/documents/{draft_1.document_id}/compare?old={zero.id}&amp;new={draft_1.id}&amp;mine=1"
    assert link in page
    assert "What changed since Zero draft, the draft your delegation commented on" in page
    # PAK submitted a general comment in that round; TUR submitted nothing.
    assert link in _page(client, auth, people.pak, draft_1)
    assert "mine=1" not in _page(client, auth, people.tur, draft_1)
    assert "mine=1" not in _page(client, auth, people.secretariat, draft_1)


@contextmanager
def count_queries():
    statements: list[str] = []

    def before(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


def _numbered(count: int, edit: bool) -> str:
    blocks = ["# Declaration", "## Part I"] + [
        f"{i}. Paragraph {i} {'now amended ' if edit and i % 3 == 0 else ''}of the text."
        for i in range(1, count + 1)
    ]
    return "\n\n".join(blocks) + "\n"


def test_the_version_page_needs_as_many_queries_for_many_comments_as_for_few(
    client, auth, people, create_document, open_round
):
    from tests.consultations.conftest import delegation

    participants = [delegation(c) for c in ("AUT", "PAK", "TUR", "GEO")]
    counts = []
    for size in (3, 260):  # past 500 comments, where a "selectin" load would ask twice
        with time_machine.travel(WRITING, tick=False):
            document = create_document(
                ("Zero draft", _numbered(size, False), True),
                title=f"Declaration of {size}",
                participants=participants,
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
            draft_1 = import_version(
                None, document, _numbered(size, True), label="Draft 1", publish=True
            )
            db.session.commit()
            auth.login(people.aut)
            url = f"/versions/{draft_1.id}"
            with count_queries() as statements:
                page = client.get(url).get_data(as_text=True)
        # A long version is read in parts: the comments beside the paragraphs of the first.
        shown = page.count('<div id="p-')
        assert page.count("beside-comment") == 2 * shown and shown == min(size, 78)
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
    # 13 for the page and the comments beside; 1 for the paragraph statuses; 3 for the silence
    # procedure (settling an adoption that fell due, the procedures, the adoption); 1 for the
    # languages the version can be read in.
    assert counts[1] <= 18, counts
