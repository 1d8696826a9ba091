"""Order-keeping chains: the fast longest increasing subsequence gives exactly the answer of
the textbook one, ties included, since alignment results depend on which chain is chosen."""

from __future__ import annotations

import random
from bisect import bisect_left

import pytest

from drafting.compare.sequences import heaviest_chain, longest_increasing


def textbook_longest_increasing(values: list[int]) -> list[int]:
    tails: list[int] = []
    tail_positions: list[int] = []
    previous = [-1] * len(values)
    for position, value in enumerate(values):
        slot = bisect_left(tails, value)
        if slot == len(tails):
            tails.append(value)
            tail_positions.append(position)
        else:
            tails[slot] = value
            tail_positions[slot] = position
        previous[position] = tail_positions[slot - 1] if slot else -1
    chain = []
    position = tail_positions[-1] if tail_positions else -1
    while position != -1:
        chain.append(position)
        position = previous[position]
    return chain[::-1]


@pytest.mark.parametrize(
    "values",
    [[], [5], [1, 2, 3], [3, 2, 1], [1, 1, 1], [1, 5, 2, 3, 9, 4, 5, 6], [0, 1, 2, 9, 3, 4, 5]],
)
def test_longest_increasing_on_hand_made_sequences(values):
    assert longest_increasing(values) == textbook_longest_increasing(values)


def test_longest_increasing_matches_the_textbook_on_random_sequences():
    rng = random.Random(7)
    for _ in range(3_000):
        size = rng.randint(0, 40)
        if rng.random() < 0.5:
            values = [rng.randint(0, 12) for _ in range(size)]
        else:
            # Mostly in order, as matched paragraphs are: a few moves and repeats.
            values = list(range(size))
            for _ in range(rng.randint(0, 4)):
                if values:
                    values.insert(rng.randrange(len(values)), rng.randint(-3, size + 3))
        assert longest_increasing(values) == textbook_longest_increasing(values)
        assert longest_increasing(tuple(values)) == textbook_longest_increasing(values)


def test_heaviest_chain_prefers_weight_to_length():
    pairs = [(0, 0, 0.6), (1, 1, 0.6), (2, 0, 1.5)]
    assert heaviest_chain(pairs) == [2]
