"""Brackets as negotiators write them: passages, alternatives and who holds each one."""

from drafting.text.brackets import count_open_points, find_brackets


def test_adjacent_brackets_are_one_set_of_alternatives_with_their_holders():
    (point,) = find_brackets("We [shall]{EU}[should]{RUS, tur} act.")
    assert [b.text for b in point.alternatives] == ["shall", "should"]
    assert point.holders == ("EU", "RUS", "TUR")


def test_links_footnotes_images_and_escaped_brackets_are_not_open_points():
    assert count_open_points(r"See [the plan](https://x.org), note [^1], ![i] and \[x].") == 0


def test_a_bracketed_passage_is_one_open_point_each():
    assert count_open_points("[cooperation on return] and [border management]") == 2


def test_runs_of_brackets_are_read_without_blowing_up():
    assert count_open_points("[" * 50_000) == 0
    assert count_open_points("[a]" * 10_000) == 1


def test_the_word_tokenizer_cuts_holders_apart_from_their_brackets():
    from drafting.compare.words import tokenize

    assert tokenize("a]{EU, TUR}[b") == ["a", "]", "{", "EU", ",", " TUR", "}", "[", "b"]


def test_a_delegation_joining_a_bracket_is_a_word_change_like_any_other():
    from drafting.compare.words import diff_words

    old, new = "We [shall]{EU}[should]{RUS} act.", "We [shall]{EU, TUR}[should]{RUS} act."
    assert diff_words(old, new) == ((0, "We [shall]{EU"), (1, ", TUR"), (0, "}[should]{RUS} act."))


def test_a_changed_alternative_is_one_word_replaced_inside_its_brackets():
    from drafting.compare.words import diff_words

    diff = diff_words("We [shall]{EU}[should] act.", "We [must]{EU}[should] act.")
    assert diff == ((0, "We ["), (-1, "shall"), (1, "must"), (0, "]{EU}[should] act."))
