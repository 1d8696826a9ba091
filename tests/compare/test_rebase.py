"""The three-way word merge that says whether an amendment still applies once another change has
been made to its paragraph."""

from __future__ import annotations

from drafting.compare.rebase import rebase

BASE = "States shall strengthen cooperation on safe migration."


def test_changes_to_different_words_are_both_kept():
    applied = "States should strengthen cooperation on safe migration."
    proposed = "States shall strengthen partnerships on safe migration."
    assert (
        rebase(BASE, applied, proposed)
        == "States should strengthen partnerships on safe migration."
    )


def test_changes_to_neighbouring_words_are_both_kept():
    applied = "States should strengthen cooperation on safe migration."
    proposed = "States shall deepen cooperation on safe migration."
    assert rebase(BASE, applied, proposed) == "States should deepen cooperation on safe migration."


def test_changes_to_the_same_word_clash():
    applied = "States should strengthen cooperation on safe migration."
    assert rebase(BASE, applied, "States must strengthen cooperation on safe migration.") is None


def test_two_insertions_at_the_same_place_clash():
    applied = "States shall strengthen cooperation on safe and orderly migration."
    proposed = "States shall strengthen cooperation on safe and regular migration."
    assert rebase(BASE, applied, proposed) is None


def test_an_insertion_inside_a_replaced_passage_clashes():
    applied = "States shall strengthen international cooperation on safe migration."
    assert rebase(BASE, applied, "States shall improve joint work on safe migration.") is None


def test_a_proposal_that_changes_nothing_gives_the_new_text():
    applied = "States should strengthen cooperation on safe migration."
    assert rebase(BASE, applied, BASE) == applied
