"""In Chromium: the secretariat applies one amendment in the editor, and the compilation shows
another amendment to the same words as superseded, linked to the applied one, decided through
its form as "superseded"."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import expect

from drafting.consultations.commenting import create_comment
from drafting.extensions import db
from tests.editing import conftest as editing

people = editing.people
published = editing.published
open_round = editing.open_round
amendments = editing.amendments
working = editing.working


def test_applying_one_amendment_shows_the_other_as_superseded_with_a_working_link(
    page, log_in, people, published, working, amendments
):
    rival, _ = create_comment(
        people.pak,
        amendments.round,
        kind="replace",
        paragraph_uid=editing.paragraph(published, "1.").uid,
        body="Ours.",
        proposed_text="We affirm the principle of common duties.",
        form_token=uuid.uuid4().hex,
        submit=True,
    )
    db.session.commit()
    log_in(people.secretariat)
    page.goto(f"/versions/{working.id}/edit")
    page.locator(f"#amendment-{amendments.replace.id}").get_by_role(
        "button", name="Apply AUT’s amendment"
    ).click()
    expect(page.locator(f"#amendment-{rival.id} .conflict-superseded")).to_be_visible()
    page.goto(f"/consultations/{amendments.round.id}/compilation")
    card = page.locator(f"#c-{rival.id}")
    expect(card.locator(".badge-conflict")).to_have_text("conflict")
    card.get_by_role("link", name=f"#{amendments.replace.id}").click()
    applied = amendments.replace.id
    expect(page).to_have_url(re.compile(rf"/compilation\?comment={applied}#c-{applied}$"))
    expect(page.locator(f"#c-{amendments.replace.id} .decision")).to_contain_text("Accepted")
    card.get_by_text("Record a decision").click()
    expect(card.get_by_label("Decision")).to_have_value("superseded")
    card.get_by_label("Justification").fill("AUT's wording was taken.")
    card.get_by_role("button", name="Save the decision").click()
    expect(page.locator(f"#c-{rival.id} .decision").first).to_contain_text("Superseded")
