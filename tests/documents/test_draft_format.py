from pathlib import Path

import pytest

from drafting.text.draft_format import (
    MAX_LABEL_LENGTH,
    DraftFormatError,
    decode_draft,
    export_draft,
    forbidden_markup,
    parse_draft,
    split_raw_blocks,
)

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
CORPUS_FILES = sorted(CORPUS.rglob("*.md"))


@pytest.mark.parametrize(
    ("block", "label", "text"),
    [
        ("7. We agree.", "7.", "We agree."),
        ("7) We agree.", "7)", "We agree."),
        ("(7) We agree.", "(7)", "We agree."),
        ("(a) to cooperate;", "(a)", "to cooperate;"),
        ("(iv) to report;", "(iv)", "to report;"),
        ("7.2 Details follow.", "7.2", "Details follow."),
        ("PP3. Recalling the Charter,", "PP3.", "Recalling the Charter,"),
        ("**41(2)(b)** the Minister shall", "41(2)(b)", "the Minister shall"),
        ("*Recalling* our commitments,", None, "*Recalling* our commitments,"),
        ("2030 Agenda targets remain.", None, "2030 Agenda targets remain."),
    ],
)
def test_number_labels_in_the_styles_declarations_use(block, label, text):
    (parsed,) = parse_draft(block)
    assert (parsed.label, parsed.text) == (label, text)


def test_title_and_headings_are_told_from_paragraphs():
    blocks = parse_draft("# Declaration\n\n## Part I\n\n### Data\n\nWe agree.")
    assert [(b.kind, b.level) for b in blocks] == [
        ("title", 1),
        ("heading", 2),
        ("heading", 3),
        ("paragraph", 0),
    ]


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: str(p.relative_to(CORPUS)))
def test_every_corpus_document_round_trips(path):
    source = path.read_text(encoding="utf-8")
    exported = export_draft(parse_draft(source))
    assert [b.strip() for b in split_raw_blocks(exported)] == [
        b.strip() for b in split_raw_blocks(source)
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"  \n\n ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary"),
        ("Déclaration".encode("latin-1"), "not UTF-8"),
        (b"x" * (6 * 1024 * 1024), "at most"),
    ],
)
def test_files_that_are_not_drafts_are_refused_with_a_reason(data, message):
    with pytest.raises(DraftFormatError, match=message):
        decode_draft(data)


def test_a_byte_order_mark_is_not_part_of_the_title():
    assert parse_draft(decode_draft("\ufeff# Title\n\n1. Text".encode()))[0].text == "Title"


@pytest.mark.parametrize(
    "block",
    [
        "PP" + "9" * 80 + ". Recalling",
        "1." + ".".join(["2"] * 40) + " Text",
        "**" + "1" * 90 + "** Text",
    ],
)
def test_a_label_is_never_longer_than_its_column(block):
    (parsed,) = parse_draft(block)
    assert parsed.label is None or len(parsed.label) <= MAX_LABEL_LENGTH
    assert parsed.to_markdown() == block


@pytest.mark.parametrize("text", ["\n" * 50_000 + "x", "[a\n" * 20_000, " \n" * 25_000])
def test_texts_of_many_lines_are_checked_and_still_refuse_script_links(text):
    """The reference-link check once rescanned the rest of the text from every line start
    (50 s for 80,000 newlines); bench/markup.py shows it linear now."""
    assert forbidden_markup(text) is None
    assert "javascript" in forbidden_markup(text + "\n[x]: javascript:alert(1)")
