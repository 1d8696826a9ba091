"""Brackets on the pages: printed as negotiators write them, counted as open points beside
each paragraph, in total on the version and document pages, and for the other views."""

from __future__ import annotations

import pytest

from drafting.documents.open_points import open_points, open_points_total

BRACKETED = """# Ministerial Declaration on Safe Routes

1. States [shall]{EU}[should]{RUS TUR} strengthen [cooperation on return]{USA}.

2. We will meet again next year.

3. We welcome [the Global Compact] and see [^1], [a link](https://example.org) and \\[x].
"""


@pytest.fixture
def bracketed(create_document):
    return create_document(("Draft 1", BRACKETED, True)).versions[0]


def paragraph(version, label):
    return next(p for p in version.paragraphs if p.label == label)


def test_open_points_counts_each_set_of_alternatives_and_each_passage_once(bracketed):
    counts = open_points(bracketed)
    assert counts == {paragraph(bracketed, "1.").uid: 2, paragraph(bracketed, "3.").uid: 1}
    assert open_points_total(bracketed) == 3


def test_the_version_page_shows_brackets_their_holders_and_the_open_points(
    client, secretariat, bracketed
):
    html = client.get(f"/versions/{bracketed.id}").get_data(as_text=True)
    assert "Draft 1 holds 3 open points in brackets." in html
    assert "2 open points in brackets" in html and "1 open point in brackets" in html
    assert '<span class="bracket">[shall]<sup class="bracket-holders" title="Held by EU">' in html
    assert "RUS, TUR</sup>" in html and "{EU}" not in html


def test_the_document_page_shows_the_latest_versions_open_points(client, secretariat, bracketed):
    html = client.get(f"/documents/{bracketed.document_id}").get_data(as_text=True)
    assert "Draft 1 holds 3 open points in brackets." in html


def test_a_text_without_brackets_has_no_open_point(client, secretariat, create_document):
    version = create_document(("Zero draft", "# T\n\n1. Nothing open.\n", True)).versions[0]
    assert open_points(version) == {}
    html = client.get(f"/versions/{version.id}").get_data(as_text=True)
    assert "Zero draft holds no open point in brackets." in html


@pytest.mark.parametrize(
    ("text", "expected"),
    [("[" * 50_000, 0), ("[a]{" * 50_000, 50_000), ("[[a]]" * 20_000, 20_000)]
    + [("[a]{EU" * 20_000, 20_000), ("\x01[\x02]{\x03}" * 5_000, None)],
)
def test_runs_of_bracket_characters_are_counted_and_shown(
    client, secretariat, create_document, text, expected
):
    version = create_document(("Draft", f"# T\n\n1. {text}\n", True)).versions[0]
    assert client.get(f"/versions/{version.id}").status_code == 200
    assert expected is None or open_points_total(version) == expected


def test_the_redline_shows_a_delegation_joining_a_bracket_as_an_insertion(
    client, secretariat, create_document
):
    joined = BRACKETED.replace("{EU}[should]", "{EU, TUR}[should]")
    document = create_document(("Draft 1", BRACKETED, True), ("Draft 2", joined, True))
    page = client.get(f"/documents/{document.id}/compare").get_data(as_text=True)
    assert '[shall]{EU<ins class="redline-ins">, TUR</ins>}[should]' in page
    assert '<span class="bracket">[the Global Compact]</span>' in page  # unchanged, as written


def test_the_downloaded_word_copy_reads_back_with_the_same_brackets_and_the_pdf_shows_them(
    client, secretariat, bracketed
):
    from io import BytesIO

    from pypdf import PdfReader

    from drafting.documents.docx_import import read_docx

    word = client.get(f"/versions/{bracketed.id}.docx").data
    read_back = {b.label: b.text for b in read_docx(word).blocks if b.label}
    assert read_back["1."] == paragraph(bracketed, "1.").text
    pdf = PdfReader(BytesIO(client.get(f"/versions/{bracketed.id}.pdf").data))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "[shall]" in text and "[cooperation on return]" in text and "{EU}" not in text


def test_a_reference_link_stays_a_link_and_is_not_styled_as_a_bracket():
    from drafting.text.markup import render_markdown

    html = render_markdown("See [the plan].\n\n[the plan]: https://example.org/plan")
    assert 'href="https://example.org/plan"' in html and "bracket" not in html
