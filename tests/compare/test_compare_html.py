"""The redline page and inline redline: everything a draft says is shown, never executed."""

from __future__ import annotations

from html import escape

import pytest
from markupsafe import Markup

from drafting.compare import compare_texts
from drafting.compare.concordance import ConcordanceRow, concordance
from drafting.compare.html import diff_to_html, render_comparison_page

HOSTILE = '<script>alert("x")</script> & <b>bold</b>'


def test_inline_redline_marks_insertions_and_deletions():
    html = diff_to_html([(0, "Urges "), (-1, "all"), (1, "every"), (0, " donor")])
    assert isinstance(html, Markup)
    assert html == (
        'Urges <del class="redline-del">all</del><ins class="redline-ins">every</ins> donor'
    )


def test_inline_redline_escapes_draft_text():
    html = diff_to_html([(0, HOSTILE), (1, HOSTILE), (-1, HOSTILE)])
    assert "<script>" not in html and "<b>" not in html
    assert html.count("&lt;script&gt;") == 3


def test_page_escapes_title_labels_and_text(compare):
    comparison = compare(["1. Safe water,", "2. Clean air,"], [f"1. {HOSTILE}", "2. Clean air,"])
    page = render_comparison_page(comparison, title=HOSTILE)
    assert "<script>" not in page and "<b>bold" not in page
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")


@pytest.mark.parametrize(
    ("old", "new", "badge"),
    [
        (["1. Safe water for all,"], ["1. Safe water for everyone,"], "badge-changed"),
        (["1. Safe water,"], ["1. Safe water,", "2. Clean air,"], "badge-added"),
        (["1. Safe water,", "2. Clean air,"], ["1. Safe water,"], "badge-deleted"),
        (["1. Safe water,", "2. Clean air,"], ["1. Clean air,", "2. Safe water,"], "badge-moved"),
    ],
)
def test_page_shows_what_happened_to_each_paragraph(compare, old, new, badge):
    assert f'class="badge {badge}"' in render_comparison_page(compare(old, new))


def test_renumbered_paragraph_shows_its_old_number(compare):
    page = render_comparison_page(compare(["1. Safe water,"], ["0. Preamble,", "1. Safe water,"]))
    assert "(was 1.)" not in page
    page = render_comparison_page(compare(["1. Safe water,"], ["2. Safe water,"]))
    assert '<span class="label">2.</span><span class="was">(was 1.)</span>' in page


def test_concordance_maps_old_numbers_to_new(compare):
    comparison = compare(
        ["# Title", "1. Safe water,", "2. Clean air,", "3. Fertile soil,"],
        ["# Title", "1. Safe water,", "2. Healthy oceans,", "3. Clean air,"],
    )
    assert concordance(comparison) == [
        ConcordanceRow("1.", "1.", "unchanged", False),
        ConcordanceRow(None, "2.", "added", False),
        ConcordanceRow("2.", "3.", "unchanged", False),
        ConcordanceRow("3.", None, "deleted", False),
    ]


def _table_rows(page: str) -> list[str]:
    if '<section class="concordance">' not in page:
        return []
    body = page.split("<tbody>\n", 1)[1].split("\n</tbody>", 1)[0]
    return body.split("\n")


def _expected_rows(comparison) -> list[str]:
    return [
        f"<tr><td>{escape(row.old_label or '—')}</td><td>{escape(row.new_label or '—')}</td>"
        f"<td>{row.kind}{', moved' if row.moved else ''}</td></tr>"
        for row in concordance(comparison)
    ]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (["# Title", "1. Safe water,", "2. Clean air,"], ["# Title", "1. Clean air,"]),
        (
            ["1. The cat sat on the mat and the dog barked at the moon all night.", "2. Air,"],
            ["1. The cat sat on the mat.", "2. The dog barked at the moon all night.", "3. Air,"],
        ),
        (
            ["(a) The cat sat on the mat.", "(b) The dog barked at the moon all night.", "Air,"],
            ["(a) The cat sat on the mat and the dog barked at the moon all night.", "Air,"],
        ),
        (["1. Safe water,", "2. Clean air,"], ["1. Clean air,", "2. Safe water,"]),
        (["Unnumbered.", "Also unnumbered."], ["Unnumbered.", "Also unnumbered, now edited."]),
        ([], ["1. New,"]),
    ],
)
def test_page_table_has_the_concordance_rows(compare, old, new):
    comparison = compare(old, new)
    assert _table_rows(render_comparison_page(comparison)) == _expected_rows(comparison)


def test_page_table_has_the_concordance_rows_on_the_corpus(corpus):
    canada = corpus / "canada-official-languages-act"
    for old, new in [
        (canada / "v1.md", canada / "v2.md"),
        (corpus / "eu-digital-markets-act" / "v1.md", corpus / "eu-digital-markets-act" / "v2.md"),
    ]:
        comparison = compare_texts(old.read_text("utf-8"), new.read_text("utf-8"))
        assert _table_rows(render_comparison_page(comparison)) == _expected_rows(comparison)


def test_escaping_many_texts_at_once_is_escaping_each():
    from drafting.compare.html import _escape_all

    texts = [f"Paragraph {n} on water" for n in range(700)]
    texts[3] = 'Rights & "duties" <of> States\''
    texts[400] = "A NUL \x00 never occurs in a draft, but if it did & so"
    texts[699] = "<last>"
    assert _escape_all(list(texts)) == [escape(text) for text in texts]
    plain = [f"Paragraph {n}" for n in range(700)]
    assert _escape_all(plain) is plain
    assert _escape_all([]) == []
