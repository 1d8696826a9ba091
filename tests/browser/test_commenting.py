"""In Chromium: a delegate comments on a paragraph of the sample declaration, proposes an
amendment, sees its redline preview, submits; and after the deadline, a submission is refused
with the reason while the text stays in the form."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from playwright.sync_api import expect
from sqlalchemy import func, select

from drafting.consultations.models import Comment, CommentStatus
from drafting.extensions import db


def comments_of(consultation_id: int) -> dict[CommentStatus, int]:
    db.session.rollback()  # read what the live server committed, not an older snapshot
    rows = db.session.execute(
        select(Comment.status, func.count())
        .where(Comment.consultation_id == consultation_id)
        .group_by(Comment.status)
    ).all()
    return dict(rows)


def test_a_delegate_comments_proposes_an_amendment_and_is_refused_after_the_deadline(
    sample_round, page, log_in, create_user
):
    delegate = create_user("delegate", "AUT", email="writer@example.org")
    version = sample_round.version
    second = next(p for p in version.paragraphs if p.label == "2.")
    third = next(p for p in version.paragraphs if p.label == "3.")
    round_id, deadline = sample_round.id, sample_round.closes_dt
    anchor2, anchor3, third_text = second.anchor, third.anchor, third.text
    assert "voluntary contributions" in third_text
    db.session.commit()

    log_in(delegate)
    page.goto(f"/consultations/{round_id}/draft")
    expect(page.locator(".deadline-panel")).to_contain_text("(Europe/Vienna)")

    # A comment on paragraph 2, quoting it, saved as the delegation's draft.
    page.locator(f"#{anchor2}").get_by_role("link", name="Comment on paragraph 2.").click()
    page.get_by_label("Quoted passage (optional)").fill("a national contact point")
    page.get_by_label("Comment", exact=True).fill(
        "Austria would set a date by which each contact point is named."
    )
    page.get_by_role("button", name="Save as draft").click()
    page.wait_for_url(f"**/draft?at={anchor2}#{anchor2}")
    own_draft = page.locator(f"#{anchor2} .comment.status-draft")
    expect(own_draft).to_contain_text("each contact point is named")
    expect(own_draft.locator("blockquote")).to_have_text("a national contact point")

    # An amendment to paragraph 3: the form starts from the current text; the preview redlines.
    page.locator(f"#{anchor3}").get_by_role(
        "link", name="Propose new wording for paragraph 3."
    ).click()
    wording = page.get_by_label("New wording of the paragraph")
    expect(wording).to_have_value(third_text)
    wording.fill(third_text.replace("voluntary contributions", "predictable contributions"))
    page.get_by_label("Justification (optional)").fill(
        "Predictable funding lets the Dialogue plan its work."
    )
    page.get_by_role("button", name="Preview").click()
    preview = page.locator("#preview")
    expect(preview.locator("ins.redline-ins")).to_contain_text("predictable")
    expect(preview.locator("del.redline-del")).to_contain_text("voluntary")
    expect(wording).to_have_value(third_text.replace("voluntary", "predictable"))
    assert comments_of(round_id) == {CommentStatus.DRAFT: 1}  # a preview stores nothing

    page.get_by_role("button", name="Submit", exact=True).click()
    page.wait_for_url(f"**/draft?at={anchor3}#{anchor3}")
    expect(page.locator(".flash-success")).to_contain_text("Submitted on")
    amendment = page.locator(f"#{anchor3} .comment.kind-replace")
    expect(amendment.locator("ins.redline-ins")).to_contain_text("predictable")
    expect(amendment).to_contain_text("submitted")

    # The draft on paragraph 2 goes with "Submit all drafts".
    page.get_by_role("button", name="Submit all drafts (1)").click()
    expect(page.locator(".flash-success")).to_contain_text("1 draft comment was submitted")
    assert comments_of(round_id) == {CommentStatus.SUBMITTED: 2}

    # A proposal begun before the deadline and sent after it: refused, the text kept.
    page.locator(f"#{anchor2}").get_by_role("link", name="Propose deletion of paragraph 2.").click()
    justification = "Contact points exist already in most participating States."
    page.get_by_label("Justification (optional)").fill(justification)
    with time_machine.travel(deadline + timedelta(seconds=5)):
        page.get_by_role("button", name="Submit", exact=True).click()
        expect(page.locator("#form-error")).to_contain_text("The deadline passed on")
    expect(page.locator("#form-error")).to_contain_text("Nothing was saved")
    expect(page.get_by_label("Justification (optional)")).to_have_value(justification)
    assert comments_of(round_id) == {CommentStatus.SUBMITTED: 2}
