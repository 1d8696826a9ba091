"""Reading a block's inline Markdown as the writers show it: styled text without markers."""

from __future__ import annotations

import pytest

from drafting.text.inline import Piece, display_pieces, display_text, read_inline, xml_safe


def test_emphasis_strong_and_both_become_styles():
    assert display_pieces("We *urge*, **decide** and ***insist***.") == [
        Piece("We "),
        Piece("urge", italic=True),
        Piece(", "),
        Piece("decide", bold=True),
        Piece(" and "),
        Piece("insist", bold=True, italic=True),
        Piece("."),
    ]


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("snake_case_name", "snake_case_name"),
        ("2 * 3 = 6", "2 * 3 = 6"),
        ("**unclosed", "**unclosed"),
        ("1\\. Oktober \\*", "1. Oktober *"),
        (
            "the [Charter](https://un.org/charter) and <https://un.org>",
            "the Charter and https://un.org",
        ),
        (
            "[Repealed, R.S., 1985, c. 31 (4th Supp.), s. 106]",
            "[Repealed, R.S., 1985, c. 31 (4th Supp.), s. 106]",
        ),
        ("code `a *b* c` here", "code a *b* c here"),
        ("Article 5 < Article 6 & <b>", "Article 5 < Article 6 & <b>"),
    ],
)
def test_markup_shows_as_a_reader_sees_it(source, shown):
    assert display_text(source) == shown


def test_list_lines_keep_their_breaks_and_soft_wraps_read_as_spaces():
    assert display_text("insbesondere\n- in bezug auf\n- mit der Frage") == (
        "insbesondere\n\u2022 in bezug auf\n\u2022 mit der Frage"
    )
    assert display_text("a sentence wrapped\nat eighty columns") == (
        "a sentence wrapped at eighty columns"
    )


@pytest.mark.parametrize(
    "source",
    [
        "**a** _b_ \\. [c](d) <http://e> `f` * g_h ***i** j*",
        "- x\n* y",
        "",
        "*" * 7,
        "[a `b](c)` d",
    ],
)
def test_spans_cover_the_source_end_to_end(source):
    ends = [0] + [span.end for span in read_inline(source)]
    assert [span.start for span in read_inline(source)] == ends[:-1]
    assert ends[-1] == len(source)


def test_xml_safe_drops_only_what_xml_cannot_carry():
    assert xml_safe("a\x00b\x07c\x0bd\ufffee\tf\ng\rh") == "abcde\tf\ng\rh"


def test_code_spans_close_on_the_next_run_of_the_same_length():
    assert display_text("``a`b`` then `c ``d` and ``` e") == "a`b then c ``d and ``` e"


def test_unclosed_backtick_runs_of_every_length_read_as_text():
    source = "".join("e" + "`" * length for length in range(1, 300))
    assert display_text(source) == source
