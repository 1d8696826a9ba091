"""In Chromium: a delegate objects to another delegation's amendment with a reason, through the
draft page; the chair opens the convergence view from the round page, filters "contested by
more than 0" and finds the paragraph with the objection."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import open_page
from tests.conftest import PASSWORD
from tests.consultations import conftest as consultations
from tests.consultations.test_stances import amend

people = consultations.people
published = consultations.published
open_round = consultations.open_round


def test_a_delegate_objects_and_the_chair_sees_the_contested_paragraph(
    page, log_in, browser, live_server, people, open_round, serious_violations
):
    consultation = open_round(visibility="open")
    amendment = amend(people.aut, consultation, "2.", "We will cooperate on pathways.")
    log_in(people.pak)
    page.goto(f"/consultations/{consultation.id}/draft")
    stance = page.locator(f"#stance-{amendment.id}")
    stance.get_by_text("Support or object").click()
    stance.get_by_role("button", name="Support").click()
    expect(page.locator(f"#stance-{amendment.id} .own-stance")).to_contain_text("supports")
    # Second thoughts: the support withdrawn, an objection with its reason instead.
    page.locator(f"#stance-{amendment.id}").get_by_text("Change your stance").click()
    page.get_by_role("button", name="Withdraw your stance").click()
    stance = page.locator(f"#stance-{amendment.id}")
    stance.get_by_text("Support or object").click()
    stance.get_by_label("Reason (optional").fill("Drops “safe and regular”: [agreed language].")
    stance.get_by_role("button", name="Object").click()
    expect(page.locator(f"#stance-{amendment.id} .own-stance")).to_contain_text("objects to")
    assert serious_violations(page) == []

    chair = open_page(browser, live_server)
    chair.goto("/login")
    chair.get_by_label("E-mail").fill(people.chair.email)
    chair.get_by_label("Password").fill(PASSWORD)
    chair.get_by_role("button", name="Log in").click()
    chair.goto(f"/consultations/{consultation.id}")
    chair.get_by_role("link", name="Convergence view").click()
    chair.get_by_label("Contested by more than").fill("0")
    chair.get_by_role("button", name="Filter").click()
    rows = chair.locator(".convergence-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-paragraph", "2.")
    expect(rows.first).to_contain_text("PAK objects: Drops “safe and regular”: [agreed language].")
    expect(chair.get_by_label("Contested by more than")).to_have_value("0")
    assert serious_violations(chair) == []
    chair.context.close()
