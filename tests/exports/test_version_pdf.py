"""The clean PDF copy of one version: its text must survive extraction, accents and all."""

from __future__ import annotations

import io

from pypdf import PdfReader

from drafting.exports.pdf import build_version_pdf
from drafting.text.draft_format import Block, parse_draft
from drafting.text.inline import display_text
from tests.exports.readers import CORPUS


def read_pdf(blocks: list[Block], **options) -> PdfReader:
    options = {"title": "Grundgesetz", "version_label": "Fassung 2020", **options}
    return PdfReader(io.BytesIO(build_version_pdf(blocks, **options)))


def page_text(reader: PdfReader) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def corpus_paragraph(path: str, needle: str) -> Block:
    blocks = parse_draft((CORPUS / path).read_text(encoding="utf-8"))
    return next(block for block in blocks if needle in block.text)


def test_german_umlauts_sharp_s_and_curly_quotes_survive():
    preamble = corpus_paragraph("de-grundgesetz/v2.md", "Im Bewußtsein seiner Verantwortung")
    quoted = Block("paragraph", f"„{preamble.text[:60]}“ und ‚so weiter‘.", label="(1)")
    quebec = corpus_paragraph("canada-official-languages-act/v2.md", "Quebec’s Charter")
    text = page_text(read_pdf([preamble, quoted, quebec]))
    assert " ".join(preamble.text.split()) in text
    assert f"(1) „{preamble.text[:60]}“ und ‚so weiter‘." in text
    assert " ".join(display_text(quebec.text).split()) in text


def test_markup_characters_in_the_text_are_printed_not_interpreted():
    block = Block("paragraph", "Article 5 < Article 6 & <b>not bold</b> AT&T", label="7.")
    assert "7. Article 5 < Article 6 & <b>not bold</b> AT&T" in page_text(read_pdf([block]))


def test_emphasis_markers_do_not_reach_the_page():
    block = parse_draft("1. The Parties **shall** *endeavour* to [cooperate](https://x.org).")[0]
    assert "1. The Parties shall endeavour to cooperate." in page_text(read_pdf([block]))


def test_footer_carries_the_hash_and_the_version_label():
    text_hash = "0123456789abcdef" * 4
    text = page_text(read_pdf([Block("paragraph", "Text.")], text_hash=text_hash))
    assert f"SHA-256 {text_hash}" in text
    assert "Grundgesetz — Fassung 2020" in text


def outline_titles(entries: list, depth: int = 0) -> list[tuple[int, str]]:
    titles = []
    for entry in entries:
        if isinstance(entry, list):
            titles += outline_titles(entry, depth + 1)
        else:
            titles.append((depth, entry.title))
    return titles


def test_headings_are_nested_in_the_outline_even_when_a_level_is_skipped():
    draft = "# Grundgesetz\n\n## Präambel\n\nText.\n\n#### Art 1\n\n(1) Würde.\n\n## Schluss"
    reader = read_pdf(parse_draft(draft))
    assert outline_titles(reader.outline) == [
        (0, "Grundgesetz"),
        (1, "Präambel"),
        (2, "Art 1"),
        (1, "Schluss"),
    ]


def test_title_is_in_the_document_metadata():
    reader = read_pdf([Block("paragraph", "Text.")], title="Grundgesetz <GG>")
    assert reader.metadata.title == "Grundgesetz <GG>"


def test_a_paragraph_longer_than_pages_prints_every_word_in_order():
    """Set in pieces (ReportLab lays a paragraph out again on each page it continues onto)."""
    words = [f"w{n}" for n in range(6_000)]
    blocks = parse_draft("# Long\n\n1. " + " ".join(words) + " **bold end**")
    text = page_text(read_pdf(blocks, title="Long"))
    assert text.count("w5999 bold end") == 1
    assert [w for w in text.split() if w.startswith("w") and w[1:].isdigit()] == words
