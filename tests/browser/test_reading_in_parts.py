"""A delegate reads a long draft part by part in Chromium: the draft with the round's comments,
the later version with the earlier comments, and the comparison, each through its plain links
and, in the comparison, the n key that leads into the next part."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from playwright.sync_api import expect

from drafting.consultations import rounds
from drafting.consultations.commenting import create_comment
from drafting.extensions import db
from tests.consultations.test_draft_in_parts import long_draft
from tests.documents.test_reading_in_parts import reworded


def _long_document(create_document, delegate):
    zero = long_draft()
    document = create_document(
        ("Zero draft", zero, True),
        ("Draft 1", reworded(zero, 3, 180), True),
        title="A Long Declaration",
        participants=[delegate.delegation],
    )
    version = document.versions[0]
    now = datetime.now(UTC)
    consultation = rounds.open_consultation(
        None,
        version,
        title="Comments on the long zero draft",
        opens_dt=now - timedelta(hours=1),
        closes_dt=now + timedelta(days=10),
        timezone="Europe/Vienna",
        invited=[delegate.delegation],
        visibility="open",
    )
    one_eighty = next(p for p in version.paragraphs if p.label == "180.")
    create_comment(
        delegate,
        consultation,
        kind="paragraph",
        paragraph_uid=one_eighty.uid,
        body="Austria on paragraph one hundred and eighty.",
        form_token=uuid.uuid4().hex,
        submit=True,
    )
    db.session.commit()
    return document, consultation


def test_a_delegate_reads_a_long_draft_part_by_part(page, log_in, create_user, create_document):
    delegate = create_user("delegate", "AUT")
    document, consultation = _long_document(create_document, delegate)
    log_in(delegate)

    # The draft with the round's comments: the first part, then part 8 from the list of parts.
    page.goto(f"/consultations/{consultation.id}/draft")
    expect(page.locator("article.declaration")).to_contain_text("thing number 1 of")
    expect(page.get_by_text("one hundred and eighty")).to_have_count(0)
    page.get_by_text("All 8 parts").click()
    page.get_by_role("link", name="Part 8").first.click()
    expect(page.locator(".comment")).to_contain_text("one hundred and eighty")
    page.get_by_role("link", name="← Part 7").first.click()
    expect(page.locator("article.declaration")).to_contain_text("thing number 151 of")

    # Draft 1 with the earlier comments: its contents lead into the part of each heading.
    page.goto(f"/versions/{document.versions[1].id}")
    page.locator("nav.toc").get_by_role("link", name="Part 8").click()
    expect(page.locator("article.declaration")).to_contain_text("thing number 180 in all of")
    expect(page.locator(".beside")).to_contain_text("1 earlier comment")

    # The comparison: n steps through the changes and, past the last one of a part, into the
    # part holding the next; the arrow of a change does the same.
    page.goto(f"/documents/{document.id}/compare")
    page.wait_for_load_state("domcontentloaded")
    page.keyboard.press("n")
    page.wait_for_url("**#change-1")
    page.keyboard.press("n")
    page.wait_for_url("**part=8#change-2")
    expect(page.locator("#change-2")).to_contain_text("180.")
    page.locator("#change-2").get_by_role("link", name="Previous change").click()
    page.wait_for_url("**part=1#change-1")
