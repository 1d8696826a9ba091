"""Footnotes in the draft format: ``[^1]`` in a paragraph and ``[^1]: note`` on a line of its
block, read by drafting/text/footnotes.py and shown by the one renderer."""

import re

from drafting.text.brackets import count_open_points, find_brackets
from drafting.text.draft_format import export_draft, parse_draft
from drafting.text.footnotes import FootnoteMark, display_with_notes, split_notes
from drafting.text.markup import render_markdown

NOTED = (
    "7. We **agree[^1]** to [shall]{EU}[should] cooperate[^2].\n"
    "[^1]: As *defined* in the Convention.\n"
    "[^2]: A second note\n"
    "that goes on."
)


def test_a_paragraph_keeps_its_notes_in_its_own_block():
    (block,) = parse_draft(NOTED)
    noted = split_notes(block.text)
    assert noted.body == "We **agree[^1]** to [shall]{EU}[should] cooperate[^2]."
    assert [(n.label, n.text) for n in noted.notes] == [
        ("1", "As *defined* in the Convention."),
        ("2", "A second note that goes on."),
    ]


def test_the_markdown_export_round_trips_footnotes():
    blocks = parse_draft(f"# Title\n\n{NOTED}\n\n8. Plain.")
    assert parse_draft(export_draft(blocks)) == blocks
    assert "[^1]: As *defined*" in export_draft(blocks)


def test_the_bracket_reader_does_not_take_a_footnote_for_a_bracket():
    (block,) = parse_draft(NOTED)
    (point,) = find_brackets(block.text)
    assert [b.text for b in point.alternatives] == ["shall", "should"]
    assert count_open_points("note[^1] and [^a] and\n[^1]: text [^2]") == 0


def test_the_page_shows_a_superscript_link_and_the_notes_under_the_paragraph():
    html = str(render_markdown(parse_draft(NOTED)[0].text))
    refs = re.findall(r'<sup class="footnote-ref" id="(fnref-\w+-1)"><a href="#(fn-\w+-1)"', html)
    assert refs and f'<li id="{refs[0][1]}">' in html
    assert '<ul class="footnotes">' in html and "<em>defined</em> in the Convention." in html
    assert '<span class="bracket">[shall]' in html and "[^" not in html


def test_a_reference_without_its_note_stays_text():
    html = str(render_markdown("We agree[^9]."))
    assert "We agree[^9]." in html and "footnote" not in html


def test_a_note_cannot_carry_markup_the_renderer_refuses():
    html = str(render_markdown("Text[^1].\n[^1]: <script>x</script> [a](javascript:alert(1))"))
    assert "<script" not in html and "javascript:" not in html and "&lt;script&gt;" in html


def test_the_writers_get_marks_where_references_stand():
    items, noted = display_with_notes(parse_draft(NOTED)[0].text)
    marks = [item for item in items if isinstance(item, FootnoteMark)]
    assert [(m.label, m.bold) for m in marks] == [("1", True), ("2", False)]
    assert "".join(getattr(i, "text", "") for i in items) == (
        "We agree to [shall]EU[should] cooperate."
    )


def test_adversarial_runs_of_footnote_syntax_render_and_split():
    for text in (
        "[^" * 20_000,
        "[^1]" * 10_000 + "\n[^1]: n",
        "[^1]:\n" * 10_000,
        "x[^1]\n" * 5000,
    ):
        html = str(render_markdown(text))
        split_notes(text)
        display_with_notes(text)
        assert "<script" not in html
    many = "[^1]" * 10_000 + "\n[^1]: note"
    assert str(render_markdown(many)).count('class="footnote-ref"') == 10_000


def test_notes_written_at_the_end_of_a_draft_join_the_paragraph_that_references_them():
    from drafting.text.footnotes import gather_notes

    source = "1. We agree[^1].\n\n2. We meet[^a].\n\n[^1]: First.\n[^a]: Second.\n\n[^z]: Orphan."
    blocks = gather_notes(parse_draft(source))
    assert [b.to_markdown() for b in blocks] == [
        "1. We agree[^1].\n[^1]: First.",
        "2. We meet[^a].\n[^a]: Second.",
        "[^z]: Orphan.",
    ]


def test_a_note_starting_with_a_colon_word_is_no_link_but_a_script_link_in_it_is_refused():
    from drafting.text.draft_format import forbidden_markup

    assert forbidden_markup("We agree[^1].\n[^1]: Source: UNHCR, 2024.") is None
    assert "links to" in forbidden_markup("We agree[^1].\n[^1]: See [x](javascript:alert(1)).")
