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
