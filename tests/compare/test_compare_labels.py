"""The numbers of a merged or split run are shown once ("PP2.–PP3."), never side by side as
"PP2. PP3." over the text: in the page's margin and in the standalone redline."""

from __future__ import annotations

import pytest

from drafting.compare.html import label_range, render_comparison_page


@pytest.mark.parametrize(
    ("labels", "shown"),
    [
        (["PP2.", "PP3."], "PP2.\u2013PP3."),
        (["(a)", None, "(c)"], "(a)\u2013(c)"),
        (["7."], "7."),
        ([None, None], ""),
    ],
)
def test_a_run_of_paragraphs_shows_its_first_and_last_number(labels, shown):
    assert label_range(labels) == shown


def test_the_standalone_redline_numbers_a_split_paragraph_once(compare):
    charter = "Reaffirming our attachment to the purposes and principles of the Charter,"
    prosperity = "that migration contributes to the prosperity of societies,"
    old = [f"PP2. {charter} and acknowledging {prosperity}", "1. We affirm."]
    new = [f"PP2. {charter}", f"PP3. Acknowledging {prosperity}", "1. We affirm."]
    page = render_comparison_page(compare(old, new))
    assert '<span class="label">PP2.\u2013PP3.</span><span class="was">(was PP2.)</span>' in page
