"""Numbering recomputed on publication: which labels form a series, where a series restarts,
and which labels are left exactly as printed."""

from __future__ import annotations

import pytest

from drafting.documents.numbering import numbering_problems, renumber
from drafting.text.draft_format import Block, parse_draft
from drafting.text.labels import next_label
from tests.conftest import CORPUS


def labels_after(source: str) -> list[str | None]:
    return renumber(parse_draft(source))


def para(label: str | None, text: str = "Text.", bold: bool = False) -> Block:
    return Block(kind="paragraph", text=text, label=label, label_bold=bold)


def heading(text: str) -> Block:
    return Block(kind="heading", text=text, level=2)


def test_plain_numbers_run_on_in_document_order_across_headings():
    source = "# T\n\n## One\n\n4. a\n\n4. b\n\n## Two\n\n9. c\n"
    assert labels_after(source) == [None, None, "1.", "2.", None, "3."]


def test_each_punctuation_style_is_its_own_series():
    assert renumber([para("3."), para("7)"), para("5."), para("9)")]) == ["1.", "1)", "2.", "2)"]


def test_preambular_and_operative_paragraphs_are_numbered_per_prefix():
    blocks = [para("PP2."), para("PP7."), para("OP2."), para("OP2."), para("OP12.")]
    assert renumber(blocks) == ["PP1.", "PP2.", "OP1.", "OP2.", "OP3."]


def test_letters_restart_after_each_numbered_paragraph():
    blocks = [para("1."), para("(a)"), para("(c)"), para("3."), para("(d)"), para("(b)")]
    assert renumber(blocks) == ["1.", "(a)", "(b)", "2.", "(a)", "(b)"]


def test_letters_restart_after_a_heading():
    blocks = [para("(b)"), para("(c)"), Block(kind="heading", text="Part II", level=2), para("(f)")]
    assert renumber(blocks) == ["(a)", "(b)", None, "(a)"]


def test_roman_numerals_restart_under_each_letter():
    blocks = [para("1."), para("(a)"), para("(i)"), para("(iii)"), para("(b)"), para("(ii)")]
    assert renumber(blocks) == ["1.", "(a)", "(i)", "(ii)", "(b)", "(i)"]


def test_roman_numerals_run_past_the_ambiguous_v_and_x():
    numerals = ["(i)", "(ii)", "(iii)", "(iv)", "(v)", "(vi)", "(vii)", "(viii)", "(ix)", "(x)"]
    shuffled = [para("1."), para("(ii)"), *[para(n) for n in numerals[1:]]]
    assert renumber(shuffled)[1:] == numerals


def test_i_after_h_is_a_letter():
    letters = [para(f"({c})") for c in "abcdefghi"]
    letters.insert(3, para("(c)"))  # an inserted paragraph, still printed "(c)"
    assert renumber([para("1."), *letters])[-1] == "(j)"


def test_i_after_h_followed_by_ii_is_a_numeral_under_h():
    blocks = [para(f"({c})") for c in "abcdefgh"] + [para("(i)"), para("(ii)")]
    assert renumber(blocks)[-2:] == ["(i)", "(ii)"]


def test_i_not_after_h_is_a_numeral():
    assert renumber([para("(a)"), para("(i)"), para("(b)")]) == ["(a)", "(i)", "(b)"]


def test_the_bracket_style_of_a_sub_paragraph_is_kept():
    assert renumber([para("1."), para("b)"), para("c)"), para("iv)")]) == [
        "1.",
        "a)",
        "b)",
        "i)",
    ]


def test_dotted_sub_numbers_follow_their_parent():
    blocks = [para("6."), para("6.1"), para("7."), para("7.1"), para("7.2.1"), para("7.2.")]
    assert renumber([para("2."), *blocks[2:]]) == ["1.", "2.", "2.1", "2.2.1", "2.2."]
    assert renumber(blocks) == ["1.", "1.1", "2.", "2.1", "2.2.1", "2.2."]


def test_dotted_numbers_without_their_parent_are_left_alone():
    assert renumber([para("3.1"), para("5."), para("4.2")]) == ["3.1", "1.", "4.2"]


@pytest.mark.parametrize("label", ["41(2)(b)", "(7)", "(b.1)", "3(1) (definition)"])
def test_other_labels_are_left_as_printed(label):
    assert renumber([para("4."), para(label), para("9.")]) == ["1.", label, "2."]


def test_bold_labels_are_numbered_and_stay_bold_in_the_block():
    blocks = parse_draft("**4.** First.\n\n**41(2)(b)** Kept.\n\n**8.** Second.\n")
    assert [b.label_bold for b in blocks] == [True, True, True]
    assert renumber(blocks) == ["1.", "41(2)(b)", "2."]


def test_unlabelled_paragraphs_stay_unlabelled_and_are_not_counted():
    assert renumber([para("3."), para(None), para("8.")]) == ["1.", None, "2."]


def test_headings_and_title_keep_their_label():
    blocks = [Block(kind="title", text="T", level=1), Block(kind="heading", text="H", level=2)]
    assert renumber(blocks) == [None, None]


def test_a_well_numbered_draft_is_unchanged():
    source = "# T\n\nPP1. a\n\nPP2. b\n\n1. c\n\n(a) d\n\n(b) e\n\n2. f\n\n2.1 g\n"
    assert labels_after(source) == [b.label for b in parse_draft(source)]


def test_the_result_has_one_label_per_block():
    assert renumber([]) == []
    assert len(renumber([para("1.")] * 30)) == 30


def test_a_series_printed_with_1_more_than_once_restarts_at_each_1():
    blocks = [
        Block(kind="heading", text="Article 1", level=2),
        para("1."),
        para("3."),
        Block(kind="heading", text="Article 2", level=2),
        para("1."),
        para("1."),  # an inserted paragraph, printed "1." by whoever typed it
        para("2."),
    ]
    assert renumber(blocks) == [None, "1.", "2.", None, "1.", "1.", "2."]


def test_a_single_1_moved_later_does_not_restart_the_series():
    blocks = [para("2."), para("3."), Block(kind="heading", text="Part II", level=2), para("1.")]
    assert renumber(blocks) == ["1.", "2.", None, "3."]


def test_letters_restart_after_a_parenthesised_number_that_is_left_alone():
    blocks = [para("(1)"), para("(a)"), para("(b)"), para("(2)"), para("(c)")]
    assert renumber(blocks) == ["(1)", "(a)", "(b)", "(2)", "(a)"]


@pytest.mark.parametrize(
    "name",
    [
        "canada-official-languages-act/v2.md",
        "eu-digital-markets-act/v2.md",
        "de-grundgesetz/v2.md",
    ],
)
def test_published_statutes_keep_their_numbers(name):
    blocks = parse_draft((CORPUS / name).read_text(encoding="utf-8"))
    assert renumber(blocks) == [b.label for b in blocks]


# ---------------------------------------------------------------------------------------------
# The labels a secretariat types for a paragraph put between two others, and the next label


@pytest.mark.parametrize(
    ("typed", "label"),
    [
        ("1bis. We commit.", "1bis."),
        ("1 bis We commit.", "1 bis"),
        ("1ter. We commit.", "1ter."),
        ("3.1. We commit.", "3.1."),
        ("A. General", "A."),
        ("I. Introduction", "I."),
        ("IV. Follow-up", "IV."),
        ("(i) to report;", "(i)"),
        ("PP3bis Recalling", "PP3bis"),
    ],
)
def test_every_label_form_is_read_off_the_paragraph(typed, label):
    (block,) = parse_draft(typed)
    assert block.label == label and not block.text.startswith(label)


def test_a_bis_paragraph_is_not_counted_and_follows_its_parent():
    blocks = [para("1."), para("1bis."), para("1 ter"), para("2.")]
    assert renumber(blocks) == ["1.", "1bis.", "1 ter", "2."]
    assert renumber([para("0."), *blocks]) == ["1.", "2.", "2bis.", "2 ter", "3."]


def test_a_preambular_bis_paragraph_follows_its_preambular_parent():
    assert renumber([para("PP2"), para("PP2bis"), para("OP1")]) == ["PP1", "PP1bis", "OP1"]


def test_capital_letters_run_on_and_restart_under_each_capital_numeral():
    blocks = [para("I."), para("A."), para("C."), para("III."), para("B."), para("1.")]
    assert renumber(blocks) == ["I.", "A.", "B.", "II.", "A.", "1."]


@pytest.mark.parametrize(
    ("labels", "after"),
    [
        (["2.", "(a)", "(b)", "(c)", "(d)"], "(e)"),
        (["PP5", "PP6"], "PP7"),
        (["PP5.", "PP6."], "PP7."),
        (["2.", "3."], "4."),
        (["1.", "1bis."], "1ter."),
        (["3.", "3.1."], "3.2."),
        (["(a)", "(h)"], "(i)"),
        (["(h)", "(i)"], "(j)"),
        (["(a)", "(i)"], "(ii)"),
        (["A.", "B."], "C."),
        (["I.", "II."], "III."),
    ],
)
def test_a_new_paragraph_takes_the_next_label_of_the_series_before_it(labels, after):
    blocks = [para(label) for label in labels]
    assert next_label([*blocks, para("3.")], len(labels) - 1) == after


def test_a_new_paragraph_after_an_unnumbered_one_stays_unnumbered():
    assert next_label([para(None), para("1.")], 0) is None


def test_a_label_printed_twice_in_one_list_is_a_problem():
    blocks = [para("1."), para("(a)"), para("(a)"), para("2."), para("(a)")]
    (problem,) = numbering_problems(blocks)
    assert (problem.index, problem.kind) == (2, "duplicate")


def test_an_unnumbered_paragraph_between_numbered_ones_is_a_problem():
    blocks = [para(None), heading("Part I"), para("1."), para(None), para("2."), para(None)]
    (problem,) = numbering_problems(blocks)
    assert (problem.index, problem.kind) == (3, "unnumbered")
    assert "between “1.” and “2.”" in problem.message and "1bis." in problem.message


def test_numbers_restarting_in_each_section_are_no_duplicates():
    blocks = [heading("Article 1"), para("1."), para("2."), heading("Article 2"), para("1.")]
    assert numbering_problems(blocks) == []
