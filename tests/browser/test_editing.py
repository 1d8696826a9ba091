"""In Chromium: the secretariat edits the working draft in place (htmx), meets another editor's
save (409, both texts, nothing lost), applies an amendment in one click, and publishes."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlalchemy import select

from drafting.documents import editing
from drafting.documents.models import Paragraph
from drafting.extensions import db
from tests.editing.conftest import amendments, open_round, paragraph, people, published, working

__all__ = ["amendments", "open_round", "people", "published", "working"]  # fixtures


def text_of(version_id: int, uid: str) -> str | None:
    db.session.rollback()  # read what the live server committed
    return db.session.scalar(
        select(Paragraph.text).where(Paragraph.version_id == version_id, Paragraph.uid == uid)
    )


def test_the_secretariat_edits_in_place_resolves_a_conflict_and_applies_an_amendment(
    page, log_in, people, working, amendments
):
    version_id = working.id
    second_uid = paragraph(working, "2.").uid
    amended_uid = amendments.replace.paragraph_uid
    secretariat_id = people.secretariat.id
    log_in(people.secretariat)
    page.goto(f"/versions/{version_id}/edit")
    editor_url = page.url
    row = page.locator(f"#edit-{second_uid}")

    # Edit in place: the form replaces the paragraph, the page does not change.
    row.get_by_role("link", name="Edit").click()
    textarea = page.locator(f"#source-{second_uid}")
    expect(textarea).to_be_visible()
    expect(textarea).to_be_focused()
    assert page.url == editor_url
    textarea.fill("2. We will cooperate on **safe**, orderly and regular pathways.")
    page.locator(f"#edit-{second_uid}").get_by_role("button", name="Save").click()
    expect(page.locator(f"#edit-{second_uid} .badge-changed")).to_be_visible()
    expect(page.locator(f"#edit-{second_uid} ins.redline-ins").first).to_contain_text("orderly")
    assert page.url == editor_url
    assert text_of(version_id, second_uid) == (
        "We will cooperate on **safe**, orderly and regular pathways."
    )

    # Another editor saves the same paragraph while this one is typing.
    page.locator(f"#edit-{second_uid}").get_by_role("link", name="Edit").click()
    expect(page.locator(f"#source-{second_uid}")).to_be_visible()
    from drafting.auth.models import User

    other = db.session.get(User, secretariat_id)
    current = db.session.scalar(
        select(Paragraph).where(Paragraph.version_id == version_id, Paragraph.uid == second_uid)
    )
    editing.edit_paragraph(
        other,
        current.version,
        second_uid,
        source="2. The other editor's wording.",
        base_revision=current.revision,
    )
    db.session.commit()
    page.locator(f"#source-{second_uid}").fill("2. My own wording, typed at length.")
    page.locator(f"#edit-{second_uid}").get_by_role("button", name="Save").click()
    conflict = page.locator(f"#edit-{second_uid} .conflict")
    expect(conflict).to_contain_text("The other editor")
    expect(page.locator(f"#source-{second_uid}")).to_have_value(
        "2. My own wording, typed at length."
    )
    assert text_of(version_id, second_uid) == "The other editor's wording."
    page.locator(f"#edit-{second_uid}").get_by_role("button", name="Save").click()
    expect(page.locator(f"#edit-{second_uid} .edit-text")).to_contain_text("My own wording")
    assert text_of(version_id, second_uid) == "My own wording, typed at length."

    # One click applies AUT's amendment and records the decision.
    page.get_by_role("button", name="Apply AUT’s amendment").click()
    expect(page.locator(".flash-success")).to_contain_text("AUT's amendment applied")
    expect(page.locator(f"#edit-{amended_uid} .reflects")).to_contain_text("AUT’s amendment")
    assert text_of(version_id, amended_uid) == (
        "We affirm the principle of shared and fair responsibility."
    )

    # The redline against the last published version shows the working draft's changes.
    page.goto(f"/versions/{version_id}/edit")
    page.get_by_role("link", name=re.compile("Redline against")).click()
    expect(page.locator("body")).to_contain_text("My own wording")
