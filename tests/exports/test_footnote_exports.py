"""Footnotes in the copies: real Word footnotes, notes in the PDF, a changed note in the redline."""

from __future__ import annotations

import io
import tempfile
import zipfile
from datetime import UTC, datetime

import docx
import pypandoc
from lxml import etree
from pypdf import PdfReader

from drafting.compare import compare_texts
from drafting.exports.pdf import build_version_pdf
from drafting.exports.redline import build_redline_docx
from drafting.exports.word import build_version_docx
from drafting.text.draft_format import parse_draft
from tests.exports.readers import W

SOURCE = (
    "# Declaration on Routes\n\n"
    "1. We **agree[^1]** to cooperate on [return]{EU}[^2].\n"
    "[^1]: As *defined* in the Convention.\n"
    "[^2]: See the annex.\n\n"
    "2. We will meet again."
)


def word_copy(source: str = SOURCE) -> bytes:
    return build_version_docx(parse_draft(source), title="T", version_label="Draft 1")


def test_the_word_copy_has_real_footnotes_referenced_from_their_paragraph():
    data = word_copy()
    archive = zipfile.ZipFile(io.BytesIO(data))
    notes = etree.fromstring(archive.read("word/footnotes.xml"))
    texts = {n.get(f"{W}id"): "".join(n.itertext()).strip() for n in notes.iter(f"{W}footnote")}
    assert texts["1"] == "As defined in the Convention." and texts["2"] == "See the annex."
    paragraph = docx.Document(io.BytesIO(data)).paragraphs[2]
    references = paragraph._p.findall(f".//{W}footnoteReference")
    assert [r.get(f"{W}id") for r in references] == ["1", "2"]
    assert paragraph.text == "1.\tWe agree to cooperate on [return]EU."
    assert "footnotes+xml" in archive.read("[Content_Types].xml").decode()


def test_pandoc_reads_the_word_copys_footnotes():
    with tempfile.NamedTemporaryFile(suffix=".docx") as file:
        file.write(word_copy())
        file.flush()
        markdown = pypandoc.convert_file(file.name, "markdown")
    assert "**agree[^1]**" in markdown.replace("**agree**[^1]", "**agree[^1]**")
    assert "[^1]: As *defined* in the Convention." in markdown
    assert "[^2]: See the annex." in markdown


def test_a_note_that_no_reference_names_is_still_in_the_word_copy():
    data = word_copy("1. We agree.\n[^1]: A note nobody referenced.")
    notes = zipfile.ZipFile(io.BytesIO(data)).read("word/footnotes.xml").decode()
    assert "A note nobody referenced." in notes


def test_the_pdf_prints_the_reference_and_the_note_after_its_paragraph():
    data = build_version_pdf(parse_draft(SOURCE), title="T", version_label="Draft 1")
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "We agree1 to cooperate on [return]EU2." in text
    assert text.index("1 As defined in the Convention.") < text.index("2. We will meet again.")
    assert "[^" not in text


def test_the_redline_shows_a_changed_note_as_a_change_of_its_paragraph():
    new = SOURCE.replace("See the annex.", "See the second annex.")
    comparison = compare_texts(SOURCE, new)
    assert [e.kind for e in comparison.entries if e.kind != "unchanged"] == ["changed"]
    data = build_redline_docx(
        comparison, author="Secretariat", date=datetime(2026, 12, 5, tzinfo=UTC)
    )
    inserted = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    assert " second" in ["".join(i.itertext()) for i in inserted.iter(f"{W}ins")]
    changed = next(p for p in inserted.iter(f"{W}p") if "annex" in "".join(p.itertext()))
    assert len(changed.findall(f".//{W}br")) == 2  # each note on a line of its own
