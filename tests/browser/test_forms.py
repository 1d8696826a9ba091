"""In Chromium: the forms the journeys do not reach, each submitted as a person would.

A form passing every test-client test can still fail in a browser (see form_coverage.py), so
each of these is sent once from its page: extensions and early closing of a round, merging,
moving and deleting paragraphs, the delegations taking part, API tokens and logging out; and the
Word import's review answered twice more: stopped, and confirmed after a refused label.
"""

from __future__ import annotations

from playwright.sync_api import expect

from drafting.extensions import db
from tests.editing.conftest import open_round, people, published, working

__all__ = ["open_round", "people", "published", "working"]  # fixtures


def row(page, text: str):
    return page.locator("li.edit-row", has=page.locator(".edit-text", has_text=text))


def test_the_secretariat_extends_a_round_for_one_delegation_and_closes_it(
    page, log_in, people, open_round
):
    round_id = open_round().id
    log_in(people.secretariat)
    page.goto(f"/consultations/{round_id}")
    page.locator("summary", has_text="Grant an extension to one delegation").click()
    page.get_by_label("Delegation", exact=True).select_option(label="Delegation PAK (PAK)")
    page.get_by_label("New deadline").fill("2099-01-31")
    page.get_by_label("at", exact=True).fill("12:00")
    page.get_by_label("Reason").fill("A national holiday.\nThe capital is closed.")
    page.get_by_role("button", name="Grant the extension").click()
    expect(page.locator(".flash-success")).to_contain_text("may now submit comments until")
    expect(page.locator("main")).to_contain_text("The capital is closed.")

    page.get_by_label("Close this round now for every delegation").check()
    page.get_by_role("button", name="Close this round now").click()
    expect(page.locator(".flash-success")).to_contain_text("is closed")


def test_the_secretariat_merges_moves_and_deletes_paragraphs(page, log_in, people, working):
    log_in(people.secretariat)
    page.goto(f"/versions/{working.id}/edit")
    row(page, "We affirm the principle").get_by_role("button", name="Merge with next").click()
    merged = row(page, "We affirm the principle")
    expect(merged).to_contain_text("We will cooperate")
    expect(merged.locator(".badge-origin")).to_contain_text("merged from 2 paragraphs")

    row(page, "We will meet again").get_by_role("button", name="Move up").click()
    paragraphs = page.locator("li.edit-row.kind-paragraph .edit-text")
    expect(paragraphs.last).to_contain_text("We support the platform")

    page.once("dialog", lambda dialog: dialog.accept())
    row(page, "We support the platform").get_by_role("button", name="Delete").click()
    expect(page.locator("li.edit-row", has_text="We support the platform")).to_have_count(0)


def test_the_secretariat_changes_the_delegations_taking_part(page, log_in, people, published):
    log_in(people.secretariat)
    page.goto(f"/documents/{published.document_id}")
    page.locator("summary", has_text="Change the delegations taking part").click()
    page.get_by_label("Delegation TUR (TUR)").uncheck()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".flash-success")).to_contain_text("The delegations taking part are saved")
    db.session.rollback()  # read what the live server committed
    codes = {d.code for d in db.session.get(type(published), published.id).document.participants}
    assert "TUR" not in codes and "AUT" in codes


def test_a_delegate_creates_and_revokes_an_api_token_and_logs_out(page, log_in, people):
    log_in(people.aut)
    page.get_by_role("link", name="Settings").click()
    page.get_by_role("link", name="Create or revoke your API tokens").click()
    page.get_by_label("Name").fill("Austria's comment tool")
    page.get_by_role("button", name="Create a token").click()
    expect(page.locator(".new-token")).to_be_visible()
    page.get_by_role("row", name="Austria's comment tool").get_by_role(
        "button", name="Revoke"
    ).click()
    expect(page.get_by_role("row", name="Austria's comment tool")).to_have_count(0)

    page.get_by_role("button", name="Log out").click()
    expect(page.locator("body")).to_contain_text("You have logged out.")


def test_the_secretariat_reviews_a_word_file_with_tracked_changes_and_stops(
    page, log_in, people, published
):
    from tests.documents.test_docx_import_pages import TRACKED_TEXT

    log_in(people.secretariat)
    page.goto(f"/documents/{published.document_id}/import")
    page.get_by_label("Label").fill("Draft 1")
    page.get_by_label("Draft file").set_input_files(
        {"name": "tracked.docx", "mimeType": "application/octet-stream", "buffer": TRACKED_TEXT}
    )
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#tracked-changes")).to_contain_text("6 insertions and 13 deletions")
    expect(page.get_by_label("Label")).to_have_value("Draft 1")
    page.get_by_role("button", name="Stop: import nothing").click()
    expect(page.locator("body")).to_contain_text("Nothing was imported.")
    db.session.rollback()  # read what the live server committed
    assert len(db.session.get(type(published), published.id).document.versions) == 1


def test_a_word_import_refused_for_its_label_is_confirmed_after_correcting_it(
    page, log_in, people, published
):
    from tests.documents.test_docx_import_pages import next_draft_docx

    log_in(people.secretariat)
    page.goto(f"/documents/{published.document_id}/import")
    page.get_by_label("Label").fill("Zero draft")
    page.get_by_label("Draft file").set_input_files(
        {"name": "next.docx", "mimeType": "application/octet-stream", "buffer": next_draft_docx()}
    )
    page.get_by_role("button", name="Import").click()
    page.get_by_role("button", name="Import this draft").click()
    expect(page.locator("#confirm")).to_contain_text("already has a version labelled")
    expect(page.locator("#identities")).to_be_visible()
    page.get_by_label("Label").fill("Draft 1")
    page.get_by_role("button", name="Import this draft").click()
    expect(page.locator(".flash-success")).to_contain_text("Draft 1 imported")
