"""The one renderer shows brackets as negotiators write them, with the delegations holding each
one as readable superscript text, sanitised, in time linear in the text's length."""

from __future__ import annotations

import re

import pytest

from drafting.text.markup import render_markdown


def visible(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def test_alternatives_without_holders_render_literally():
    html = render_markdown("We [shall][should] act.")
    assert visible(html) == "We [shall][should] act."
    assert html.count('<span class="bracket">') == 2


def test_holders_show_as_a_superscript_a_screen_reader_reads_not_as_braces():
    html = render_markdown("We [shall]{EU}[should]{rus tur} act.")
    assert "{" not in html and "}" not in html
    assert visible(html) == "We [shall] held by EU[should] held by RUS, TUR act."
    assert '<sup class="bracket-holders" title="Held by RUS, TUR">' in html


def test_links_footnotes_escaped_and_nested_brackets_are_not_styled_as_brackets():
    html = render_markdown(r"See [the plan](https://x.org), [^1], \[x] and [[inner]]{EU}.")
    assert 'href="https://x.org"' in html
    assert html.count('<span class="bracket">') == 1
    assert '[<span class="bracket">[inner]' in html


def test_an_unclosed_brace_is_shown_as_typed():
    assert visible(render_markdown("[shall]{EU and more")) == "[shall]{EU and more"


def test_markup_inside_a_bracket_is_rendered_and_html_in_it_is_text():
    html = render_markdown("[*strongly* <b>x</b>]{EU}")
    assert "<em>strongly</em>" in html and "&lt;b&gt;x&lt;/b&gt;" in html


def test_emphasis_across_a_bracket_stays_well_formed():
    html = render_markdown("*[a*]{EU} b")
    assert html.count("<span") == html.count("</span>")
    assert html.count("<sup") == html.count("</sup>")


@pytest.mark.parametrize(
    "unit", ["[", "[a]{", "[a]{EU}", "]{EU}[", "[[a]]", "{", "[a]{EU,", "\x00[\x01]{\x02}"]
)
def test_runs_of_bracket_characters_render_with_their_words(unit):
    text = "Vienna " + unit * (50_000 // len(unit))
    html = render_markdown(text)
    assert visible(html).startswith("Vienna ")
    assert html.count("<span") == html.count("</span>")
