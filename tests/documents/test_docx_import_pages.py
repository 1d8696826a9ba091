"""Importing the next draft from Word: review first, store on confirmation, refuse bad files."""

import html
import io
import re

import pytest
from docx import Document as WordDocument

from drafting.documents.models import Paragraph, Version
from drafting.extensions import db
from tests.conftest import CORPUS
from tests.documents.test_docx_import import lie_about_size, without_tables, zip_of

TRACKED_FILE = CORPUS / "docx" / "mammoth__track-changes-test.docx"
# Its table taken out: a draft cannot hold one (see test_a_table_is_refused_on_the_import_page).
TRACKED_TEXT = without_tables(TRACKED_FILE.read_bytes())


@pytest.fixture
def zero_draft_document(create_document, sample_source):
    return create_document(("Zero draft", sample_source, True), title="Declaration on Routes")


def next_draft_docx() -> bytes:
    """The zero draft edited in Word: paragraph 1 changed, 2 kept, 3 dropped, a new 3."""
    word = WordDocument()
    word.add_heading("Ministerial Declaration on Safe Routes", level=0)
    recalling = word.add_paragraph()
    recalling.add_run("Recalling").italic = True
    recalling.add_run(" our earlier commitments,")
    word.add_heading("Part I: Principles", level=1)
    word.add_paragraph("1. We affirm the principle of shared and fair responsibility.")
    kept = word.add_paragraph("2. We will cooperate on ")
    kept.add_run("safe").bold = True
    kept.add_run(" and regular pathways.")
    word.add_paragraph("3. We welcome the new regional observatory on mobility.")
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def upload(client, document, data: bytes, name="next.docx", label="Draft 1"):
    form = {"label": label, "file": (io.BytesIO(data), name)}
    return client.post(
        f"/documents/{document.id}/import", data=form, content_type="multipart/form-data"
    )


def carried_draft(page: str) -> str:
    match = re.search(r"<textarea[^>]*name=\"draft\"[^>]*>(?:\r?\n)?(.*?)</textarea>", page, re.S)
    assert match, "no draft carried in the confirmation form"
    return html.unescape(match.group(1))


def hidden_fields(page: str) -> dict[str, str]:
    """What the confirmation form carries besides the draft, as a browser would send it."""
    fields = re.findall(r'<input[^>]*name="(\w+)"[^>]*type="hidden"[^>]*value="([^"]*)"', page)
    fields += re.findall(r'<input[^>]*type="hidden"[^>]*name="(\w+)"[^>]*value="([^"]*)"', page)
    return {name: html.unescape(value) for name, value in fields if name != "csrf_token"}


def confirm(client, document, page: str, *, label="Draft 1", choice="accept", draft=None):
    form = hidden_fields(page) | {"label": label, choice: "y"}
    form["draft"] = carried_draft(page) if draft is None else draft
    return client.post(f"/documents/{document.id}/import/confirm", data=form)


def versions() -> int:
    return db.session.scalar(db.select(db.func.count(Version.id)))


def test_a_word_file_is_shown_for_review_with_identities_and_nothing_is_stored(
    client, secretariat, zero_draft_document
):
    response = upload(client, zero_draft_document, next_draft_docx())
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and versions() == 1
    assert "Review the draft before it is stored" in page
    table = page[page.index('id="identities"') : page.index("</table>")]
    assert table.count("badge-changed") == 1 and table.count(">new<") == 1
    assert "shared and fair responsibility" in table and "<em>Recalling</em>" in table
    dropped = page[page.index('id="dropped"') :]
    assert "3." in dropped and "We support" in dropped
    assert "still carries tracked changes" not in page


def test_confirming_stores_the_version_with_the_identities_shown(
    client, secretariat, zero_draft_document
):
    page = upload(client, zero_draft_document, next_draft_docx()).get_data(as_text=True)
    response = confirm(client, zero_draft_document, page)
    assert response.status_code == 302 and versions() == 2
    zero, one = db.session.scalars(db.select(Version).order_by(Version.id)).all()
    old = {p.text: p.uid for p in zero.paragraphs}
    new = {p.text: p.uid for p in one.paragraphs}
    assert (
        new["We will cooperate on **safe** and regular pathways."]
        == old["We will cooperate on **safe** and regular pathways."]
    )
    assert (
        new["We affirm the principle of shared and fair responsibility."]
        == old["We affirm the principle of shared responsibility."]
    )
    assert new["We welcome the new regional observatory on mobility."] not in old.values()
    assert one.based_on == zero and not one.is_published


def test_a_file_with_tracked_changes_is_pointed_out_with_the_choice(
    client, secretariat, zero_draft_document
):
    page = upload(client, zero_draft_document, TRACKED_TEXT).get_data(as_text=True)
    warning = page[page.index('id="tracked-changes"') : page.index("</section>")]
    assert "6 insertions and 13 deletions" in warning and "Tobias Bocanegra" in warning
    assert "Take the text with all changes accepted" in page and "Stop: import nothing" in page
    assert versions() == 1


def test_taking_the_accepted_text_stores_it_without_the_deletions(
    client, secretariat, zero_draft_document
):
    page = upload(client, zero_draft_document, TRACKED_TEXT).get_data(as_text=True)
    assert confirm(client, zero_draft_document, page).status_code == 302
    stored = db.session.scalar(db.select(Version).order_by(Version.id.desc()))
    texts = [p.text for p in stored.paragraphs]
    assert "And here is much more content." in texts and "Point three" in texts
    assert not any("Point two" in t or "default" in t for t in texts)


def test_the_audit_trail_says_which_changes_were_accepted_from_which_file(
    client, secretariat, zero_draft_document
):
    from drafting.audit.models import AuditEvent

    page = upload(client, zero_draft_document, TRACKED_TEXT, name="draft-1.docx")
    confirm(client, zero_draft_document, page.get_data(as_text=True))
    event = db.session.scalar(
        db.select(AuditEvent).where(AuditEvent.action == "version.imported_from_word")
    )
    assert event.actor_id == secretariat.id and event.details["filename"] == "draft-1.docx"
    assert event.details["changes_accepted"]["deletions"] == 13


def test_stopping_stores_nothing_and_returns_to_the_document(
    client, secretariat, zero_draft_document
):
    page = upload(client, zero_draft_document, TRACKED_TEXT).get_data(as_text=True)
    response = confirm(client, zero_draft_document, page, choice="stop")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/documents/{zero_draft_document.id}")
    assert versions() == 1
    assert "Nothing was imported" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_label_already_used_is_refused_at_confirmation_keeping_the_review(
    client, secretariat, zero_draft_document
):
    page = upload(client, zero_draft_document, next_draft_docx(), label="Zero draft").get_data(
        as_text=True
    )
    response = confirm(client, zero_draft_document, page, label="Zero draft")
    again = response.get_data(as_text=True)
    assert response.status_code == 422 and "already has a version labelled" in again
    assert 'id="identities"' in again and carried_draft(again) == carried_draft(page)
    assert versions() == 1


def test_the_review_keeps_the_tracked_changes_warning_after_a_refusal(
    client, secretariat, zero_draft_document
):
    page = upload(client, zero_draft_document, TRACKED_TEXT, label="Zero draft")
    again = confirm(client, zero_draft_document, page.get_data(as_text=True), label="Zero draft")
    assert "Take the text with all changes accepted" in again.get_data(as_text=True)


def test_a_version_added_during_the_review_makes_it_shown_again_and_stores_nothing(
    client, secretariat, zero_draft_document, create_document, sample_source
):
    from drafting.documents.importing import import_version

    page = upload(client, zero_draft_document, next_draft_docx()).get_data(as_text=True)
    import_version(
        None,
        zero_draft_document,
        sample_source + "\n4. Added meanwhile.\n",
        label="Rev. 1",
        publish=True,
    )
    response = confirm(client, zero_draft_document, page)
    again = response.get_data(as_text=True)
    assert response.status_code == 409 and "Rev. 1 was added" in again and versions() == 2
    assert "Added meanwhile." in again[again.index('id="dropped"') :]
    assert confirm(client, zero_draft_document, again).status_code == 302 and versions() == 3


@pytest.mark.parametrize(
    "change",
    [
        {"draft": "1. We agree. <script>x</script>\n"},
        {"draft": "1. A text the file never had.\n"},
        {"revisions": '{"insertions": 0}'},
        {"filename": "another.docx"},
        {"seal": ""},
        {"seal": "0" * 64},
    ],
    ids=["raw html", "other text", "revisions", "filename", "no seal", "forged seal"],
)
def test_a_confirmation_must_carry_what_the_review_showed(
    client, secretariat, zero_draft_document, change
):
    """The review page carries the draft it read, sealed with the app's key: a confirmation
    carrying anything else stores nothing and asks for the file again, the label kept."""
    page = upload(client, zero_draft_document, next_draft_docx()).get_data(as_text=True)
    form = hidden_fields(page) | {"label": "Draft 7", "accept": "y", "draft": carried_draft(page)}
    response = client.post(
        f"/documents/{zero_draft_document.id}/import/confirm", data=form | change
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 422 and versions() == 1
    assert "not the one read from the file" in text and 'value="Draft 7"' in text
    assert (
        client.post(f"/documents/{zero_draft_document.id}/import/confirm", data=form).status_code
        == 302
    )
    assert versions() == 2


def test_a_confirmation_sent_with_a_browsers_line_breaks_is_stored(
    client, secretariat, zero_draft_document
):
    """A browser sends the carried draft's line breaks as CRLF; the seal was made over LF."""
    page = upload(client, zero_draft_document, next_draft_docx()).get_data(as_text=True)
    response = confirm(
        client, zero_draft_document, page, draft=carried_draft(page).replace("\n", "\r\n")
    )
    assert response.status_code == 302 and versions() == 2
    stored = db.session.scalar(db.select(Version).order_by(Version.id.desc()))
    assert "We welcome the new regional observatory on mobility." in [
        p.text for p in stored.paragraphs
    ]


def test_a_markdown_next_draft_is_shown_for_review_and_stored_on_confirmation(
    client, secretariat, zero_draft_document, sample_source
):
    edited = sample_source.replace("shared responsibility", "shared and fair responsibility")
    response = upload(
        client, zero_draft_document, edited.replace("\n", "\r\n").encode(), name="d1.md"
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and versions() == 1
    assert identity_table(page).count("badge-changed") == 1
    assert confirm(client, zero_draft_document, page).status_code == 302 and versions() == 2
    zero, one = db.session.scalars(db.select(Version).order_by(Version.id)).all()
    assert [p.uid for p in one.paragraphs] == [p.uid for p in zero.paragraphs]


def test_a_markdown_next_draft_the_import_would_refuse_is_refused_before_review(
    client, secretariat, zero_draft_document, sample_source
):
    response = upload(
        client, zero_draft_document, sample_source.encode(), name="d1.md", label="Zero draft"
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "already has a version labelled" in page
    assert 'id="identities"' not in page and versions() == 1


def test_a_review_sealed_for_one_document_cannot_confirm_another(
    client, secretariat, zero_draft_document, create_document, sample_source
):
    other = create_document(("Zero draft", sample_source, True), title="Another declaration")
    page = upload(client, zero_draft_document, next_draft_docx()).get_data(as_text=True)
    response = confirm(client, other, page)
    assert response.status_code == 422 and versions() == 2  # the two documents' zero drafts


def bomb() -> bytes:
    return zip_of({f"word/media/{i}": b"" for i in range(2_100)} | {"word/document.xml": b"<x/>"})


def lying_bomb() -> bytes:
    """One entry of 30 MB of zeros whose headers say it holds 100 bytes."""
    return lie_about_size(
        zip_of({"word/document.xml": bytes(30_000_000)}), b"word/document.xml", 100
    )


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"Just some text", "next.docx", "This is not a Word .docx file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1000), "next.docx", "password-protected"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1000), "next.doc", "97-2003 .doc"),
        (bomb(), "next.docx", "more than 2,000 parts"),
        (b"PK\x05\x06" + bytes(18), "next.docx", "no word/document.xml"),
        (zip_of({"word/document.xml": b"<w:document><w:body>"}), "next.docx", "not well-formed"),
        (lying_bomb(), "next.docx", "damaged"),
    ],
    ids=["not-a-zip", "encrypted", "old-doc", "zip-bomb", "empty-zip", "malformed", "lying-bomb"],
)
def test_bad_word_files_are_refused_with_a_clear_message_and_nothing_is_stored(
    client, secretariat, zero_draft_document, data, name, message
):
    response = upload(client, zero_draft_document, data, name=name)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and message in html.unescape(page)
    assert 'value="Draft 1"' in page
    zero_draft_blocks = len(zero_draft_document.versions[0].paragraphs)
    assert versions() == 1
    assert db.session.scalar(db.select(db.func.count(Paragraph.id))) == zero_draft_blocks


def test_a_word_file_without_paragraphs_is_refused(client, secretariat, zero_draft_document):
    buffer = io.BytesIO()
    WordDocument().save(buffer)
    response = upload(client, zero_draft_document, buffer.getvalue())
    assert response.status_code == 422
    assert "no paragraphs of text" in response.get_data(as_text=True) and versions() == 1


def test_a_word_file_over_the_draft_limit_is_refused(app, client, secretariat, zero_draft_document):
    app.config["MAX_DRAFT_BYTES"] = 20_000
    response = upload(client, zero_draft_document, next_draft_docx() + bytes(30_000))
    assert response.status_code == 422
    assert "a draft may be at most" in response.get_data(as_text=True) and versions() == 1


def test_a_delegate_may_neither_upload_nor_confirm(
    client, auth, create_user, create_document, sample_source, create_delegation
):
    aut = create_delegation("AUT")
    document = create_document(("Zero draft", sample_source, True), participants=[aut])
    auth.login(create_user("delegate", "AUT"))
    assert upload(client, document, next_draft_docx()).status_code == 403
    assert confirm(client, document, "", draft=sample_source).status_code == 403
    assert versions() == 1


LONG_DRAFT = (
    "1. We affirm the principle of shared responsibility among all states of origin, transit "
    "and destination.\n\n"
    "2. We will cooperate on safe and regular pathways for migrants and refugees across the "
    "region.\n\n"
    "3. We support the platform for exchange.\n"
)


def word_file(*paragraphs: str) -> bytes:
    word = WordDocument()
    for text in paragraphs:
        word.add_paragraph(text)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def identity_table(page: str) -> str:
    return page[page.index('id="identities"') : page.index("</table>")]


def test_a_split_paragraph_is_shown_with_the_part_that_keeps_its_identity(
    client, secretariat, create_document
):
    document = create_document(("Zero draft", LONG_DRAFT, True))
    data = word_file(
        "1. We affirm the principle of shared responsibility among all states of origin,",
        "2. transit and destination.",
        "3. We will cooperate on safe and regular pathways for migrants and refugees across the "
        "region.",
        "4. We support the platform for exchange.",
    )
    page = upload(client, document, data).get_data(as_text=True)
    table = identity_table(page)
    assert table.count("badge-split") == 2 and table.count("new identity, made from") == 1
    confirm(client, document, page)
    zero, one = db.session.scalars(db.select(Version).order_by(Version.id)).all()
    assert one.paragraphs[0].uid == zero.paragraphs[0].uid != one.paragraphs[1].uid


def test_merged_paragraphs_are_shown_as_one_that_continues_both(
    client, secretariat, create_document
):
    document = create_document(("Zero draft", LONG_DRAFT, True))
    data = word_file(
        "1. We affirm the principle of shared responsibility among all states of origin, transit "
        "and destination. We will cooperate on safe and regular pathways for migrants and "
        "refugees across the region.",
        "2. We support the platform for exchange.",
    )
    page = upload(client, document, data).get_data(as_text=True)
    row = identity_table(page).split("<tr")[2]
    assert "badge-merged" in row and "1." in row and "2." in row
    assert 'id="dropped"' not in page
