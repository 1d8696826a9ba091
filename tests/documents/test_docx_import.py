"""Reading Word files as drafts: the corpus of real files, and small files built here."""

import csv
import io
import struct
import tracemalloc
import zipfile
from xml.sax.saxutils import escape

import pytest
from lxml import etree

from drafting.documents.docx_archive import DocxError
from drafting.documents.docx_import import read_docx, read_revisions
from drafting.text.draft_format import Block, parse_draft, refuse_markup
from drafting.text.markup import render_markdown
from tests.conftest import CORPUS

DOCX = CORPUS / "docx"
CORPUS_FILES = sorted(DOCX.glob("*.docx"))
ORIGIN = {
    row["file"]: row
    for row in csv.DictReader((DOCX / "ORIGIN.tsv").read_text().splitlines(), delimiter="\t")
}

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def make_docx(
    body: str, *, numbering: str = "", styles: str = "", comments: str = "", ns: str = W_NS
) -> bytes:
    """A minimal .docx: the body's paragraphs (WordprocessingML) and the parts asked for."""
    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"/>',
        "word/document.xml": f'<w:document xmlns:w="{ns}"><w:body>{body}</w:body></w:document>',
    }
    for name, xml, root in (
        ("numbering", numbering, "numbering"),
        ("styles", styles, "styles"),
        ("comments", comments, "comments"),
    ):
        if xml:
            parts[f"word/{name}.xml"] = f'<w:{root} xmlns:w="{W_NS}">{xml}</w:{root}>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in parts.items():
            archive.writestr(name, xml)
    return buffer.getvalue()


def p(text: str = "", *, ppr: str = "", runs: str = "") -> str:
    run = f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>' if text else ""
    return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{run}{runs}</w:p>"


def numbered(text: str, num_id: int = 1, ilvl: int = 0) -> str:
    return p(text, ppr=f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>')


def level(ilvl: int, fmt: str, text: str, start: int = 1, extra: str = "") -> str:
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/>{extra}</w:lvl>'
    )


def texts(draft) -> list[str]:
    return [block.to_markdown() for block in draft.blocks]


# --- The corpus -------------------------------------------------------------------------------


# Corpus files holding a table that survives their tracked changes: refused by name.
WITH_TABLES = {
    "mammoth__track-changes-test.docx",
    "oxpt__RA001-Tracked-Revisions-01.docx",
    "oxpt__RP011-Multiple-Deleted-Rows.docx",
    "oxpt__RP048-Deleted-Inserted-Para-Mark.docx",
}


def without_tables(data: bytes) -> bytes:
    """The same Word file with its tables taken out (what a secretariat does when told to)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "word/document.xml":
                root = etree.fromstring(content)
                for table in root.iter(f"{{{W_NS}}}tbl"):
                    table.getparent().remove(table)
                content = etree.tostring(root)
            archive.writestr(item.filename, content)
    return buffer.getvalue()


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda path: path.stem)
def test_every_corpus_file_is_read_as_a_draft_that_stores_as_read(path):
    if path.name in WITH_TABLES:
        with pytest.raises(DocxError, match="has a table .*; tables cannot be imported"):
            read_docx(path.read_bytes())
        return
    draft = read_docx(path.read_bytes())
    assert any(block.kind == "paragraph" for block in draft.blocks)
    assert parse_draft(draft.markdown) == draft.blocks
    refuse_markup(draft.blocks)


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda path: path.stem)
def test_tracked_changes_in_the_corpus_are_counted_as_its_origin_lists_them(path):
    revisions = read_revisions(path.read_bytes())
    origin = ORIGIN[path.name]
    assert revisions.insertions == int(origin["w:ins"])
    assert revisions.deletions == int(origin["w:del"])
    assert bool(revisions) == (origin["w:ins"] != "0" or origin["w:del"] != "0")


def test_the_corpus_has_files_with_and_without_tracked_changes():
    detected = {path.name: bool(read_revisions(path.read_bytes())) for path in CORPUS_FILES}
    assert detected["pyredlines__original.docx"] is False
    assert detected["oxpt__WC004-Large.docx"] is False
    assert sum(detected.values()) == 11
    assert read_docx(
        (DOCX / "docxfix__mixed-insert-delete.docx").read_bytes()
    ).revisions.authors == ("Author",)


def test_a_moved_passage_is_read_in_its_new_place():
    # The scenario file says " dolor sit amet" was dragged to before "ipsum".
    draft = read_docx((DOCX / "docxfix__mixed-insert-delete.docx").read_bytes())
    assert draft.blocks[0].text.startswith("Lorem dolor sit amet ipsum, consectetuer adipiscing")


def test_single_insertion_and_deletion_are_accepted():
    inserted = read_docx((DOCX / "docxfix__single-insertion.docx").read_bytes())
    deleted = read_docx((DOCX / "docxfix__single-deletion.docx").read_bytes())
    assert inserted.blocks[0].text.startswith("Lorem ipsum dolor single insertion sit amet,")
    assert deleted.blocks[0].text.startswith("Lorem ipsum, consectetuer")


def test_deleted_numbered_paragraphs_disappear_with_their_marks():
    draft = read_docx((DOCX / "oxpt__002-DeletedNumberedParagraphs.docx").read_bytes())
    assert texts(draft) == ["This is text before.", "This is text after."]
    assert draft.revisions.deletions == 10 and draft.revisions.authors == ("e",)


def test_word_numbering_continues_past_a_deleted_item():
    # "Point two" is deleted with its paragraph mark: "Point three" becomes item 2.
    draft = read_docx(without_tables((DOCX / "mammoth__track-changes-test.docx").read_bytes()))
    assert "1. Point one" in texts(draft) and "2. Point three" in texts(draft)
    assert "And here is much more content." in texts(draft)
    assert texts(draft)[0] == "## Track Changes Test"


def test_numbering_given_by_a_list_style_is_read():
    draft = read_docx((DOCX / "oxpt__WC004-Large.docx").read_bytes())
    labels = [block.label for block in draft.blocks if block.label]
    assert labels == ["1.", "2.", "3.", "4.", "5."]


# --- Headings, numbering and emphasis ------------------------------------------------------------


def test_heading_styles_become_title_and_heading_levels():
    from docx import Document

    word = Document()
    word.add_heading("Ministerial Declaration", level=0)
    word.add_heading("Part I: Principles", level=1)
    word.add_heading("Safe routes", level=2)
    word.add_paragraph("1. We agree on safe routes.")
    buffer = io.BytesIO()
    word.save(buffer)
    draft = read_docx(buffer.getvalue())
    assert draft.blocks == [
        Block("title", "Ministerial Declaration", level=1),
        Block("heading", "Part I: Principles", level=2),
        Block("heading", "Safe routes", level=3),
        Block("paragraph", "We agree on safe routes.", label="1."),
    ]
    assert not draft.revisions


def test_a_strict_open_xml_file_is_read_too():
    strict = make_docx(p("1. We agree."), ns="http://purl.oclc.org/ooxml/wordprocessingml/main")
    assert texts(read_docx(strict)) == ["1. We agree."]


def test_localised_heading_style_ids_are_read_by_their_names():
    styles = (
        '<w:style w:type="paragraph" w:styleId="berschrift1"><w:name w:val="heading 1"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="Meine"><w:name w:val="Meine"/>'
        '<w:basedOn w:val="berschrift1"/></w:style>'
    )
    body = p("Teil I", ppr='<w:pStyle w:val="berschrift1"/>') + p(
        "Teil II", ppr='<w:pStyle w:val="Meine"/>'
    )
    draft = read_docx(make_docx(body + p("Text."), styles=styles))
    assert texts(draft) == ["## Teil I", "## Teil II", "Text."]


@pytest.mark.parametrize(
    ("fmt", "start", "expected"),
    [
        ("decimal", 7, ["7.", "8.", "9."]),
        ("lowerLetter", 1, ["a.", "b.", "c."]),
        ("upperLetter", 26, ["Z.", "AA.", "BB."]),
        ("lowerRoman", 3, ["iii.", "iv.", "v."]),
        ("upperRoman", 9, ["IX.", "X.", "XI."]),
    ],
)
def test_automatic_numbers_are_computed_in_each_format(fmt, start, expected):
    numbering = (
        f'<w:abstractNum w:abstractNumId="0">{level(0, fmt, "%1.", start)}</w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    )
    body = "".join(numbered(f"Item {i}.") for i in range(3))
    draft = read_docx(make_docx(body, numbering=numbering))
    # "a." is not a label the draft format reads: it stays at the start of the text then.
    assert [b.label or b.text.split()[0] for b in draft.blocks] == expected


def test_nested_numbers_restart_under_each_parent_and_lists_can_restart():
    numbering = (
        '<w:abstractNum w:abstractNumId="0">'
        f"{level(0, 'decimal', '%1.')}{level(1, 'lowerLetter', '(%2)')}"
        f"{level(2, 'lowerRoman', '(%3)')}</w:abstractNum>"
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="0"/>'
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
    )
    body = "".join(
        [
            numbered("One."),
            numbered("Sub a.", ilvl=1),
            numbered("Sub b.", ilvl=1),
            numbered("Sub sub i.", ilvl=2),
            numbered("Two."),
            numbered("Sub a again.", ilvl=1),
            numbered("Three."),
            numbered("Restarted one.", num_id=2),
        ]
    )
    draft = read_docx(make_docx(body, numbering=numbering))
    assert [b.label for b in draft.blocks] == ["1.", "(a)", "(b)", "(i)", "2.", "(a)", "3.", "1."]


def test_an_absurd_start_value_gives_a_number_not_a_huge_label():
    numbering = (
        f'<w:abstractNum w:abstractNumId="0">{level(0, "lowerLetter", "(%1)", 10**12)}'
        '</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    )
    draft = read_docx(make_docx(numbered("Text."), numbering=numbering))
    assert draft.blocks[0].to_markdown() == f"({10**12}) Text."


def test_a_level_that_never_restarts_keeps_counting():
    never = '<w:lvlRestart w:val="0"/>'
    numbering = (
        '<w:abstractNum w:abstractNumId="0">'
        f"{level(0, 'decimal', '%1.')}{level(1, 'decimal', '%1.%2', extra=never)}</w:abstractNum>"
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    )
    body = numbered("A.") + numbered("x", ilvl=1) + numbered("B.") + numbered("y", ilvl=1)
    draft = read_docx(make_docx(body, numbering=numbering))
    assert [b.label for b in draft.blocks] == ["1.", "1.1", "2.", "2.2"]


def test_bullets_and_empty_paragraphs_take_no_number():
    numbering = (
        f'<w:abstractNum w:abstractNumId="0">{level(0, "bullet", "•")}</w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    )
    draft = read_docx(make_docx(numbered("A point.") + p() + p("Text."), numbering=numbering))
    assert texts(draft) == ["A point.", "Text."]


def test_typed_labels_are_read_as_in_a_markdown_draft():
    body = p("7. We agree.") + p("(a) first;") + p("PP3. Recalling") + p("Unnumbered.")
    draft = read_docx(make_docx(body))
    assert [(b.label, b.text) for b in draft.blocks] == [
        ("7.", "We agree."),
        ("(a)", "first;"),
        ("PP3.", "Recalling"),
        (None, "Unnumbered."),
    ]


def test_bold_and_italic_runs_become_markdown_and_a_bold_label_stays_bold():
    runs = (
        '<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">12. We </w:t></w:r>'
        '<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">firmly </w:t></w:r>'
        '<w:r><w:t xml:space="preserve">agree, </w:t></w:r>'
        "<w:r><w:rPr><w:i/></w:rPr><w:t>inter alia</w:t></w:r>"
        '<w:r><w:rPr><w:b w:val="0"/></w:rPr><w:t>.</w:t></w:r>'
    )
    block = read_docx(make_docx(p(runs=runs))).blocks[0]
    assert (block.label, block.label_bold) == ("12.", True)
    assert block.text == "**We firmly** agree, *inter alia*."
    assert "<strong>We firmly</strong>" in render_markdown(block.text)


def test_html_and_markdown_typed_in_word_stay_text():
    body = p('We agree. <script>alert("x")</script> <b>bold</b> 2*3*4 a_b_c') + p("# not a heading")
    draft = read_docx(make_docx(body))
    refuse_markup(draft.blocks)
    html = render_markdown(draft.blocks[0].text)
    assert "&lt;script&gt;" in html and "<script" not in html and "2*3*4 a_b_c" in html
    assert draft.blocks[1].kind == "paragraph" and "# not a heading" in render_markdown(
        draft.blocks[1].text
    )


def test_a_table_is_refused_naming_the_paragraph_before_it():
    row = "<w:tr>{}<w:tc>" + p("{}") + "</w:tc></w:tr>"
    body = p("1. We agree.") + f"<w:tbl>{row.format('', 'A cell.')}</w:tbl>" + p("2. We go.")
    with pytest.raises(DocxError) as refusal:
        read_docx(make_docx(body))
    assert str(refusal.value).startswith("The file has a table after paragraph 1 (“1. We agree.”)")


def test_a_table_whose_rows_are_all_deleted_is_gone_with_them():
    deleted = '<w:trPr><w:del w:id="9" w:author="A"/></w:trPr>'
    body = f"<w:tbl><w:tr>{deleted}<w:tc>{p('Gone.')}</w:tc></w:tr></w:tbl>" + p("Kept.")
    draft = read_docx(make_docx(body))
    assert texts(draft) == ["Kept."] and draft.revisions.deletions == 1


# --- Tracked changes and comments ----------------------------------------------------------------

TRACKED = (
    p(
        runs='<w:r><w:t xml:space="preserve">We </w:t></w:r>'
        '<w:del w:id="1" w:author="Austria"><w:r><w:delText>strongly </w:delText></w:r></w:del>'
        '<w:ins w:id="2" w:author="Pakistan"><w:r><w:t xml:space="preserve">firmly </w:t></w:r>'
        "</w:ins><w:r><w:t>agree</w:t></w:r>"
        '<w:moveTo w:id="3" w:author="Austria"><w:r><w:t xml:space="preserve"> today</w:t></w:r>'
        "</w:moveTo><w:r><w:t>.</w:t></w:r>"
    )
    + p(
        ppr='<w:rPr><w:del w:id="4" w:author="Austria"/></w:rPr>',
        runs='<w:r><w:t xml:space="preserve">Joined </w:t></w:r>'
        '<w:moveFrom w:id="5" w:author="Austria"><w:r><w:t>today</w:t></w:r></w:moveFrom>',
    )
    + p(
        runs='<w:commentRangeStart w:id="0"/><w:r><w:rPr><w:b/>'
        '<w:rPrChange w:id="6" w:author="Chair"><w:rPr/></w:rPrChange></w:rPr>'
        "<w:t>with the next.</w:t></w:r>"
        '<w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r>'
    )
)
COMMENTS = '<w:comment w:id="0" w:author="Chair"><w:p><w:r><w:t>Why?</w:t></w:r></w:p></w:comment>'


def test_tracked_changes_and_comments_are_counted_with_their_authors():
    revisions = read_docx(make_docx(TRACKED, comments=COMMENTS)).revisions
    assert (revisions.insertions, revisions.deletions, revisions.moves) == (1, 2, 1)
    assert (revisions.formatting, revisions.comments) == (1, 1)
    assert revisions.authors == ("Austria", "Chair", "Pakistan")
    assert revisions.describe() == (
        "1 insertion, 2 deletions, 1 move, 1 formatting change and 1 comment"
    )


def test_the_accepted_reading_joins_a_deleted_mark_and_leaves_comments_out():
    draft = read_docx(make_docx(TRACKED, comments=COMMENTS))
    assert texts(draft) == ["We firmly agree today.", "Joined **with the next.**"]


def test_a_comment_alone_is_detected():
    body = p(runs='<w:r><w:t>Text.</w:t></w:r><w:r><w:commentReference w:id="3"/></w:r>')
    revisions = read_docx(make_docx(body)).revisions
    assert revisions and revisions.comments == 1 and revisions.tracked_changes == 0


# --- Files that are no draft ---------------------------------------------------------------------


def zip_of(entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def lie_about_size(data: bytes, name: bytes, declared: int) -> bytes:
    """Rewrite the uncompressed size an entry declares, in its local and central headers."""
    data = bytearray(data)
    local = 0  # the entry is the archive's only one
    assert data[local + 30 : local + 30 + len(name)] == name
    struct.pack_into("<I", data, local + 22, declared)
    central = data.index(b"PK\x01\x02")
    assert data[central + 46 : central + 46 + len(name)] == name
    struct.pack_into("<I", data, central + 24, declared)
    return bytes(data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"1. We agree.\n", "not a Word .docx file"),
        (b"PK\x03\x04 truncated", "not a Word .docx file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "password-protected"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "Word 97-2003 .doc"),
        (zip_of({"content.xml": b"<office/>"}), "no word/document.xml"),
        (zip_of({"word/document.xml": b"<w:document><w:body>"}), "not well-formed XML"),
        (make_docx(p() + "<w:sectPr/>"), "no paragraphs of text"),
        (make_docx(p("Title", ppr='<w:pStyle w:val="Title"/>')), "no paragraphs of text"),
        (
            zip_of(
                {
                    "word/document.xml": b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]>'
                    b"<d>&a;</d>"
                }
            ),
            "declares a DTD",
        ),
    ],
    ids=[
        "text",
        "broken-zip",
        "encrypted",
        "old-doc",
        "no-document",
        "malformed",
        "empty",
        "headings-only",
        "dtd",
    ],
)
def test_files_that_are_no_word_draft_are_refused_with_a_clear_message(data, message):
    with pytest.raises(DocxError, match=message):
        read_docx(data)


def test_a_zip_with_too_many_entries_is_refused_before_it_is_unpacked():
    entries = {f"word/media/{i}.bin": b"" for i in range(30)}
    entries["word/document.xml"] = make_docx_document(p("Text."))
    with pytest.raises(DocxError, match="more than 20 parts"):
        read_docx(zip_of(entries), max_entries=20)


def test_a_zip_that_declares_a_huge_size_is_refused_before_it_is_unpacked():
    data = zip_of({"word/document.xml": make_docx_document(p("Text.")), "big": bytes(2_000)})
    with pytest.raises(DocxError, match="unpacks to more than"):
        read_docx(data, max_unpacked=1_000)


def test_a_bomb_whose_header_lies_about_its_size_is_not_unpacked():
    document = make_docx_document(p("Text.")) + b" " * 20_000_000  # 20 MB of spaces
    data = lie_about_size(zip_of({"word/document.xml": document}), b"word/document.xml", 100)
    assert len(data) < 100_000
    tracemalloc.start()
    try:
        with pytest.raises(DocxError, match="damaged"):
            read_docx(data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000


def test_a_part_is_read_no_further_than_the_budget_left():
    from drafting.documents.docx_archive import read_capped

    archive = zipfile.ZipFile(io.BytesIO(zip_of({"word/document.xml": bytes(10_000)})))
    with pytest.raises(DocxError, match="too big"):
        read_capped(archive, archive.infolist()[0], 1_000, "too big")


def test_broken_compressed_data_is_called_damaged():
    data = bytearray(zip_of({"word/document.xml": make_docx_document(p("Text. " * 500))}))
    start = 30 + len("word/document.xml")
    data[start + 5 : start + 25] = b"\xff" * 20
    with pytest.raises(DocxError, match="damaged"):
        read_docx(bytes(data))


def test_an_upload_over_the_draft_limit_is_refused_by_its_size():
    with pytest.raises(DocxError, match="at most 1 MB"):
        read_docx(make_docx(p("Text.")) + bytes(1_100_000), max_bytes=1_048_576)


def make_docx_document(body: str) -> bytes:
    return f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'.encode()


def test_a_word_file_whose_text_unpacks_beyond_the_limit_is_refused_before_it_is_parsed():
    data = make_docx(p("Text. " * 2_000))
    with pytest.raises(DocxError, match="word/document.xml"):
        read_docx(data, max_xml=5_000)
    assert read_docx(data, max_xml=50_000).blocks


def test_a_word_file_of_more_paragraphs_than_one_import_takes_is_refused():
    with pytest.raises(DocxError, match="6 paragraphs and headings; at most 5"):
        read_docx(make_docx("".join(p(f"Paragraph {n}.") for n in range(6))), max_blocks=5)


def test_a_word_file_whose_comments_unpack_beyond_the_limit_is_refused():
    data = make_docx(p("Text."), comments="<w:comment/>" * 2_000)
    with pytest.raises(DocxError, match="word/comments.xml"):
        read_docx(data, max_xml=5_000)
