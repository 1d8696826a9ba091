"""In Chromium, through the pages only: a declaration from its Word zero draft to Draft 1.

One world, built by clicking and typing, shared by the tests below in their order: the
secretariat sets up the delegations, imports the zero draft from a .docx made here (and, in
a second document, a Markdown file and its revision), each confirmed through the review page
where there is one, publishes and opens a round; two delegations comment, amend, co-sponsor and one
misses the deadline; the secretariat decides, applies amendments, edits and publishes Draft 1,
checked paragraph by paragraph; the chair compares the drafts and downloads the Word redline.
Only the secretariat's first login is made by a fixture. The server's clock is moved with
time_machine (the live server runs in a thread of this process): the day starts at 16:00 in
Vienna on 22 December 2029, and the round closes at 18:00 there. Under pytest-xdist, `make test`
distributes whole files (--dist loadfile), so the four tests run on one worker, in order.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from docx import Document as WordDocument
from playwright.sync_api import expect

from config import TestConfig
from drafting.app import create_app
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


# Saved on Windows: CRLF line endings (the revision too).
SUMMARY_MD = (
    b"# Chair's Summary of the First Meeting\r\n\r\n"
    b"1. The Dialogue met in Vienna.\r\n\r\n"
    b"2. Participants welcomed the zero draft.\r\n"
)


SUMMARY_REV_MD = (
    b"# Chair's Summary of the First Meeting\r\n\r\n"
    b"1. The Dialogue met in Vienna.\r\n\r\n"
    b"2. Participants welcomed the zero draft and its structure.\r\n\r\n"
    b"3. The next meeting will be in Tbilisi.\r\n"
)


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
    expect(flash(page)).to_contain_text("Summary imported: 2 paragraphs.")
    declaration = page.locator("article.declaration")
    expect(declaration.locator(".para .num")).to_have_text(["1.", "2."])
    expect(declaration).to_contain_text("Participants welcomed the zero draft.")

    # Its revision, from Markdown too: which paragraph each block continues is reviewed first.
    page.get_by_role("link", name="Chair's Summary of the First Meeting").first.click()
    page.get_by_label("Label").fill("Summary, rev. 1")
    page.get_by_label("Draft file").set_input_files(
        {"name": "summary-rev1.md", "mimeType": "text/markdown", "buffer": SUMMARY_REV_MD}
    )
    page.get_by_role("button", name="Import").click()
    expect(page.locator("h1")).to_have_text("Review the draft before it is stored")
    expect(page.locator("#identities .badge-changed")).to_have_count(1)
    expect(page.locator("#identities .badge-added")).to_have_count(1)
    page.get_by_label("Publish at once").check()
    page.get_by_role("button", name="Import this draft").click()
    expect(flash(page)).to_contain_text("Summary, rev. 1 imported: 3 paragraphs.")
    expect(page.locator("article.declaration .para .num")).to_have_text(["1.", "2.", "3."])

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
    expect(flash(page)).to_contain_text("Zero draft imported: 9 paragraphs and 2 headings.")
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


def row(page, text: str):
    """The paragraph of the draft page whose own text has ``text`` (not its comments)."""
    return page.locator("section.consulted-row", has=page.locator(".consulted-text", has_text=text))


def write(page, text: str, action: str, **fields: str) -> None:
    """From the draft page, open ``action`` ("Comment", "Propose new wording" …) on the
    paragraph with ``text`` and type ``fields`` (label: text)."""
    row(page, text).get_by_role("link", name=re.compile(f"^{action}")).click()
    for label, value in fields.items():
        page.get_by_label(label, exact=True).fill(value)


def test_two_delegations_comment_amend_cosponsor_and_one_misses_the_deadline(world):
    aut = world.log_in("aut", PEOPLE["aut"][1])
    aut.get_by_role("link", name=TITLE).click()
    aut.get_by_role("link", name="Written comments on the zero draft").click()
    aut.get_by_role("link", name="Comment on the draft").click()
    draft_url = aut.url

    # A comment on paragraph 1 over two lines, saved as a draft, then edited and submitted.
    write(
        aut,
        "shared responsibility",
        "Comment",
        **{"Comment": "Austria welcomes this paragraph.\nIt could name burden-sharing."},
    )
    aut.get_by_role("button", name="Save as draft").click()
    mine = row(aut, "shared responsibility").locator(".comment.status-draft")
    expect(mine).to_contain_text("It could name burden-sharing.")
    mine.get_by_role("link", name="Edit").click()
    aut.get_by_label("Comment", exact=True).fill(
        "Austria welcomes this paragraph.\nIt should name burden-sharing."
    )
    aut.get_by_role("button", name="Save", exact=True).click()
    aut.get_by_role("button", name="Submit all drafts (1)").click()
    expect(flash(aut)).to_contain_text("1 draft comment was submitted")

    # A replacement of paragraph 2, previewed, then submitted.
    write(aut, "safe and regular pathways", "Propose new wording")
    aut.get_by_label("New wording of the paragraph").fill(
        "We will cooperate on safe, orderly and regular pathways."
    )
    aut.get_by_label("Justification (optional)").fill("The words of the Global Compact.")
    aut.get_by_role("button", name="Preview").click()
    expect(aut.locator("#preview ins.redline-ins")).to_contain_text("orderly")
    aut.get_by_role("button", name="Submit", exact=True).click()
    expect(flash(aut)).to_contain_text("Submitted on")

    # A new subparagraph after (d), saved as a draft and submitted from the draft page.
    write(aut, "report to the Dialogue each year", "Insert a paragraph after")
    aut.get_by_label("The new paragraph").fill("publish what the contact points learn;")
    aut.get_by_role("button", name="Save as draft").click()
    aut.locator(".comment.kind-insert").get_by_role("button", name="Submit").click()
    expect(aut.locator(".comment.kind-insert")).to_contain_text("submitted")

    # A general comment, sent too soon and withdrawn.
    aut.goto(draft_url)
    aut.get_by_role("link", name="General comment on the whole text").click()
    aut.get_by_label("Comment", exact=True).fill("Austria will send its views on Part II later.")
    aut.get_by_role("button", name="Submit", exact=True).click()
    general = aut.locator(".comment.kind-general")
    general.locator("summary", has_text="Withdraw").click()
    general.get_by_label("Withdraw it: its history is kept").check()
    general.get_by_role("button", name="Withdraw").click()
    expect(aut.locator(".comment.kind-general")).to_contain_text("withdrawn")

    # Pakistan, reading times in Karachi's zone too, co-sponsors Austria's amendments (and thinks
    # again about one) and proposes a deletion.
    pak = world.log_in("pak", PEOPLE["pak"][1])
    pak.get_by_role("link", name="Settings").click()
    pak.get_by_label("Your time zone").select_option("Asia/Karachi")
    pak.get_by_role("button", name="Save").click()
    pak.goto(draft_url)
    expect(pak.locator(".deadline-panel")).to_contain_text(
        "22 December 2029, 18:00 CET (Europe/Vienna) · your time: 22 December 2029, 22:00"
    )
    insertion = pak.locator(".comment.kind-insert")
    insertion.get_by_role("button", name="Co-sponsor").click()
    expect(pak.locator(".comment.kind-insert .supporters")).to_have_text("Supported by PAK")
    pak.locator(".comment.kind-replace").get_by_role("button", name="Co-sponsor").click()
    replacement = pak.locator(".comment.kind-replace")
    replacement.get_by_role("button", name="Stop co-sponsoring").click()
    expect(pak.locator(".comment.kind-replace .supporters")).to_have_count(0)
    write(pak, "meet again next year", "Propose deletion")
    pak.get_by_label("Justification (optional)").fill("The Dialogue meets every year anyway.")
    pak.get_by_role("button", name="Submit", exact=True).click()
    expect(flash(pak)).to_contain_text("Submitted on")

    # Pakistan's comment on (b), typed before 18:00 in Vienna, is sent a minute too late.
    typed = "Pakistan asks that the data be shared with the countries of origin."
    write(pak, "share data on arrivals", "Comment", Comment=typed)
    world.clock.move_to(DEADLINE + timedelta(minutes=1))
    pak.get_by_role("button", name="Submit", exact=True).click()
    expect(pak.locator("#form-error")).to_contain_text("The deadline passed on")
    expect(pak.get_by_label("Comment", exact=True)).to_have_value(typed)
    pak.goto(draft_url)
    expect(row(pak, "share data on arrivals").locator(".comment")).to_have_count(0)
    expect(pak.locator(".banner-closed")).to_contain_text("The deadline passed on")
    expect(pak.locator(".countdown")).to_have_count(0)
    offered = pak.locator(
        ".paragraph-actions a, .comment-actions a:not([href$='/history']), .comment-actions button,"
        " form[action$='/comments/submit'] button"
    ).all_inner_texts()
    assert not offered, f"The closed round still offers Pakistan: {offered}"


def card(page, code: str, kind: str):
    """A comment of the compilation, by its delegation and kind ("paragraph", "insert" …)."""
    return page.locator(
        f"article.comment-card.kind-{kind}", has=page.locator(".delegation-code", has_text=code)
    )


def decide(page, comment, outcome: str, justification: str) -> None:
    comment.locator("summary", has_text="Record a decision").click()
    comment.get_by_label("Decision").select_option(label=outcome)
    comment.get_by_label("Justification").fill(justification)
    comment.get_by_role("button", name="Save the decision").click()
    expect(flash(page)).to_contain_text(f": {outcome.lower()}.")


def editor_row(page, text: str):
    return page.locator("li.edit-row", has=page.locator(".edit-text", has_text=text))


DRAFT_1 = [
    # (label, text) of each paragraph of Draft 1 as published, in order
    ("", "Recalling our earlier commitments,"),
    ("1.", "We affirm the principle of shared responsibility."),
    ("2.", "We recall that this responsibility includes burden-sharing."),
    ("3.", "We will cooperate on safe, orderly and regular pathways."),
    ("4.", "We will, by 2031:"),
    ("(a)", "name a national contact point;"),
    ("(b)", "share data on arrivals;"),
    ("(c)", "train border officials;"),
    ("(d)", "exchange good practice;"),
    ("(e)", "report to the Dialogue each year."),
    ("(f)", "publish what the contact points learn;"),
    ("5.", "We will meet again in Tbilisi next year."),
    ("6.", "We will review progress in 2032."),
]


def test_the_secretariat_decides_applies_amendments_edits_and_publishes_draft_1(world):
    page = world.page("secretariat")
    page.goto(world.round_url)
    expect(page.locator("main")).to_contain_text("closed")
    page.get_by_role("link", name="Compilation of comments").click()
    decide(
        page,
        card(page, "AUT", "paragraph"),
        "Noted",
        "Burden-sharing is recalled in paragraph 2.\nSee Draft 1.",
    )
    decide(page, card(page, "PAK", "delete"), "Not retained", "The meeting stays.")
    decide(page, card(page, "AUT", "insert"), "Accepted", "Agreed by all.")

    # The next draft, edited in the page: two amendments applied, a paragraph edited in place,
    # two inserted (a subparagraph and a paragraph) and one split.
    page.get_by_role("link", name=TITLE).first.click()
    page.get_by_role("link", name="Zero draft", exact=True).click()
    page.get_by_role("link", name="Start the next draft from Zero draft").click()
    page.get_by_label("Label of the new draft").fill("Draft 1")
    page.get_by_role("button", name="Start editing").click()
    editor_url = page.url
    editor_row(page, "safe and regular pathways").get_by_role(
        "button", name="Apply AUT’s amendment"
    ).click()
    expect(flash(page)).to_contain_text("AUT's amendment applied")
    editor_row(page, "report to the Dialogue each year").get_by_role(
        "button", name="Apply AUT’s amendment"
    ).click()
    # It was decided "Accepted" in the compilation: the page asks before replacing that decision.
    expect(page.locator("h1")).to_have_text("AUT’s amendment already has a decision")
    expect(page.locator(".existing-decision")).to_contain_text("Agreed by all.")
    page.get_by_role("button", name="Apply and replace the “accepted” decision").click()
    expect(flash(page)).to_contain_text("AUT's amendment applied")

    meeting = editor_row(page, "We will meet again next year.")
    meeting.get_by_role("link", name="Edit").click()
    page.locator("li.edit-row textarea").fill("4. We will meet again in Tbilisi next year.")
    page.locator("li.edit-row", has=page.locator("textarea")).get_by_role(
        "button", name="Save"
    ).click()
    expect(editor_row(page, "in Tbilisi").locator(".badge-changed")).to_be_visible()

    editor_row(page, "in Tbilisi").get_by_role("link", name="Insert after").click()
    page.locator("#source").fill("We will review progress in 2032.")
    page.get_by_role("button", name="Insert").click()
    expect(flash(page)).to_contain_text("Inserted")

    editor_row(page, "train border officials").get_by_role("link", name="Insert after").click()
    page.locator("#source").fill("exchange good practice;")
    page.get_by_role("button", name="Insert").click()
    expect(flash(page)).to_contain_text("Inserted")

    editor_row(page, "shared responsibility").get_by_role("link", name="Split").click()
    page.locator("#source").fill(
        "1. We affirm the principle of shared responsibility.\n\n"
        "We recall that this responsibility includes burden-sharing."
    )
    page.get_by_role("button", name="Split").click()
    expect(flash(page)).to_contain_text("Paragraph split in two")

    page.goto(editor_url)
    page.get_by_role("link", name="Read and publish Draft 1").click()
    page.get_by_label("Note to the delegations").fill("Amendments of AUT taken in.")
    page.get_by_label("Publish: delegations will read it").check()
    page.get_by_role("button", name="Publish").click()
    expect(flash(page)).to_contain_text("Draft 1 is published.")

    paragraphs = page.locator("article.declaration .para")
    expect(paragraphs).to_have_count(len(DRAFT_1))
    published = paragraphs.evaluate_all(
        "ps => ps.map(p => [p.querySelector('.num').textContent.trim(),"
        " p.querySelector('.text').innerText.trim()])"
    )
    assert [text for _, text in published] == [text for _, text in DRAFT_1]
    wrong = [
        f"{text!r}: {label or 'unnumbered'} instead of {want or 'unnumbered'}"
        for (label, text), (want, _) in zip(published, DRAFT_1, strict=True)
        if label != want
    ]
    assert not wrong, "Draft 1 is numbered wrongly: " + "; ".join(wrong)


def test_the_chair_compares_the_drafts_and_downloads_the_word_redline(world, tmp_path):
    page = world.log_in("chair", PEOPLE["chair"][1])
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("link", name="Compare versions").click()
    expect(page.locator("h1")).to_contain_text("Zero draft → Draft 1")
    expect(page.locator(".redline ins.redline-ins").first).to_be_visible()
    expect(page.locator(".redline")).to_contain_text("orderly")

    with page.expect_download() as download:
        page.get_by_role("link", name="Word with tracked changes").click()
    path = tmp_path / "redline.docx"
    download.value.save_as(path)
    xml = WordDocument(str(path)).element.xml
    assert "<w:ins " in xml and "<w:del " in xml
    assert "orderly" in xml and "publish what the contact points learn" in xml
