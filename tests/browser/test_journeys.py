"""In Chromium, through the pages only: a declaration from its Word zero draft to Draft 1.

One world, built by clicking and typing, shared by the tests below in their order: the
secretariat sets up the delegations, imports the zero draft from a .docx made here (and a
Markdown file), publishes and opens a round; two delegations comment, amend, co-sponsor and one
misses the deadline; the secretariat decides, applies amendments, edits and publishes Draft 1,
checked paragraph by paragraph; the chair compares the drafts and downloads the Word redline.
Only the secretariat's first login is made by a fixture. The server's clock is moved with
time_machine (the live server runs in a thread of this process): the day starts at 16:00 in
Vienna on 22 December 2029, and the round closes at 18:00 there.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from docx import Document as WordDocument
from playwright.sync_api import expect

from config import TestConfig
from drafting import create_app
from drafting.extensions import db
from tests.browser.conftest import open_page, serve
from tests.conftest import PASSWORD, fresh_database

START = datetime(2029, 12, 22, 15, 0, tzinfo=UTC)  # 16:00 in Vienna
DEADLINE = datetime(2029, 12, 22, 17, 0, tzinfo=UTC)  # 18:00 in Vienna
TITLE = "Ministerial Declaration on Safe Routes"

PEOPLE = {
    # key: (name, e-mail, role, delegation code)
    "aut": ("Anna Berger", "anna.berger@example.org", "Delegate", "AUT"),
    "pak": ("Bilal Khan", "bilal.khan@example.org", "Delegate", "PAK"),
    "chair": ("Nino Beridze", "nino.beridze@example.org", "Chair", "GEO"),
}
DELEGATIONS = [("Austria", "AUT"), ("Pakistan", "PAK"), ("Georgia", "GEO")]


def zero_draft_docx() -> bytes:
    """The zero draft as the secretariat wrote it in Word: headings by style, typed numbers."""
    word = WordDocument()
    word.add_heading(TITLE, level=0)
    recalling = word.add_paragraph()
    recalling.add_run("Recalling").italic = True
    recalling.add_run(" our earlier commitments,")
    word.add_heading("Part I: Principles", level=1)
    word.add_paragraph("1. We affirm the principle of shared responsibility.")
    word.add_paragraph("2. We will cooperate on safe and regular pathways.")
    word.add_heading("Part II: Action", level=1)
    word.add_paragraph("3. We will, by 2031:")
    word.add_paragraph("(a) name a national contact point;")
    word.add_paragraph("(b) share data on arrivals;")
    word.add_paragraph("(c) train border officials;")
    word.add_paragraph("(d) report to the Dialogue each year.")
    word.add_paragraph("4. We will meet again next year.")
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


# Saved on Windows: CRLF line endings.
SUMMARY_MD = (
    "# Chair's Summary of the First Meeting\r\n\r\n"
    "1. The Dialogue met in Vienna.\r\n\r\n"
    "2. Participants welcomed the zero draft.\r\n"
).encode()


class World:
    """The live server, its clock, and one browser page per person (each its own cookies)."""

    def __init__(self, browser, base_url: str, clock) -> None:
        self.browser, self.base_url, self.clock = browser, base_url, clock
        self.pages: dict[str, object] = {}
        self.round_url = ""

    def page(self, who: str):
        if who not in self.pages:
            self.pages[who] = open_page(self.browser, self.base_url)
        return self.pages[who]

    def log_in(self, who: str, email: str, password: str = PASSWORD):
        page = self.page(who)
        page.goto("/login")
        page.get_by_label("E-mail").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url("**/")
        return page


@pytest.fixture(scope="module")
def world(browser, database_template, tmp_path_factory, password_hash):
    traveller = time_machine.travel(START, tick=True)
    clock = traveller.start()
    app = create_app(
        TestConfig,
        SQLALCHEMY_DATABASE_URI=fresh_database(database_template, tmp_path_factory.mktemp("j")),
    )
    try:
        with app.app_context():
            from drafting.auth.operations import create_delegation, create_user

            secretariat = create_delegation(
                None, name="Meridian Dialogue Secretariat", code="MDS", kind="organisation"
            )
            create_user(
                None,
                email="secretariat@example.org",
                name="Sofia Secretariat",
                role="secretariat",
                delegation=secretariat,
                password="",
                password_hash=password_hash,
            )
            db.session.commit()
            with serve(app) as base_url:
                world = World(browser, base_url, clock)
                yield world
                errors = {who: page.errors for who, page in world.pages.items() if page.errors}
                for page in world.pages.values():
                    page.context.close()
                assert not errors, f"JavaScript errors in the pages: {errors}"
            db.session.remove()
            db.engine.dispose()
    finally:
        traveller.stop()


def delegation_option(code: str) -> str:
    return next(f"{name} ({c})" for name, c in DELEGATIONS if c == code)


def flash(page):
    return page.locator(".flash-success")


def test_the_secretariat_sets_up_imports_publishes_and_opens_a_round(world):
    page = world.log_in("secretariat", "secretariat@example.org")

    # The delegations and their people, through the People page.
    page.get_by_role("link", name="Delegations & people").click()
    for name, code in DELEGATIONS:
        form = page.locator("form", has=page.get_by_role("button", name="Add delegation"))
        form.get_by_label("Name").fill(name)
        form.get_by_label("Code").fill(code)
        form.get_by_role("button", name="Add delegation").click()
        expect(flash(page)).to_contain_text(f"Delegation {name} ({code}) added.")
    for name, email, role, code in PEOPLE.values():
        form = page.locator("form", has=page.get_by_role("button", name="Add person"))
        form.get_by_label("Name").fill(name)
        form.get_by_label("E-mail").fill(email)
        form.get_by_label("Role").select_option(label=role)
        form.get_by_label("Delegation").select_option(label=delegation_option(code))
        form.get_by_label("Initial password").fill(PASSWORD)
        form.get_by_role("button", name="Add person").click()
        expect(flash(page)).to_contain_text(f"{name} ({email}) can now log in")

    # A second document from a Markdown file saved on Windows, published at once.
    page.get_by_role("link", name="Documents").first.click()
    page.get_by_role("link", name="New document").click()
    page.get_by_label("Title").fill("Chair's Summary of the First Meeting")
    page.get_by_label("Georgia (GEO)").check()
    page.get_by_role("button", name="Create document").click()
    expect(flash(page)).to_contain_text("Document created")
    page.get_by_label("Label").fill("Summary")
    page.get_by_label("Draft file").set_input_files(
        {"name": "summary.md", "mimeType": "text/markdown", "buffer": SUMMARY_MD}
    )
    page.get_by_label("Publish at once").check()
    page.get_by_role("button", name="Import").click()
    expect(flash(page)).to_contain_text("Summary imported: 3 blocks.")
    declaration = page.locator("article.declaration")
    expect(declaration.locator(".para .num")).to_have_text(["1.", "2."])
    expect(declaration).to_contain_text("Participants welcomed the zero draft.")

    # The declaration, from a Word file: reviewed, then confirmed in the browser.
    page.get_by_role("link", name="Documents").first.click()
    page.get_by_role("link", name="New document").click()
    page.get_by_label("Title").fill(TITLE)
    for name, code in DELEGATIONS:
        page.get_by_label(f"{name} ({code})").check()
    page.get_by_role("button", name="Create document").click()
    page.get_by_label("Label").fill("Zero draft")
    page.get_by_label("Draft file").set_input_files(
        {
            "name": "zero-draft.docx",
            "mimeType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "buffer": zero_draft_docx(),
        }
    )
    page.get_by_role("button", name="Import").click()
    expect(page.locator("h1")).to_have_text("Review the draft before it is stored")
    expect(page.locator("#identities tbody tr")).to_have_count(12)
    expect(page.locator("#identities")).to_contain_text("(d)")
    page.get_by_role("button", name="Import this draft").click()
    expect(flash(page)).to_contain_text("Zero draft imported: 12 blocks.")
    expect(page.locator("article.declaration .para .num")).to_have_count(9)

    # Published with a note of two lines, then a round of comments until 18:00 in Vienna.
    page.get_by_label("Note to the delegations").fill(
        "The zero draft, as discussed in Vienna.\nComments are welcome until tonight."
    )
    page.get_by_label("Publish: delegations will read it").check()
    page.get_by_role("button", name="Publish").click()
    expect(flash(page)).to_contain_text("published")
    page.get_by_role("link", name=TITLE).first.click()
    page.get_by_role("link", name="Ask for comments on this version").click()
    page.get_by_label("Title").fill("Written comments on the zero draft")
    page.get_by_label("Deadline", exact=True).fill("2029-12-22")
    page.locator("#closes_time").fill("18:00")
    page.get_by_label("Time zone of these times").select_option("Europe/Vienna")
    page.get_by_label("Open: all see all at once").check()
    page.get_by_role("button", name="Open the round").click()
    page.wait_for_url("**/consultations/*")
    expect(page.locator(".round-times")).to_contain_text(
        "22 December 2029, 18:00 CET (Europe/Vienna)"
    )
    world.round_url = page.url
