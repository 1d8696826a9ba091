"""Order-keeping chains: which matches keep their order on both sides. The longest increasing
subsequence separates what stayed in place from what moved (and anchors long word diffs); the
heaviest chain picks the best order-keeping set among scored candidate pairs."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from itertools import islice
from operator import lt


def longest_increasing(values: Sequence[int]) -> list[int]:
    """Positions of one longest strictly increasing subsequence of ``values``, in O(n log n);
    ties between equally long answers are broken the same way on every run."""
    values = list(values)
    count = len(values)
    tails: list[int] = []
    tail_positions: list[int] = []
    previous = [-1] * count
    # rising[p] is 1 where values[p] < values[p + 1]. Values mostly come in order (most
    # paragraphs stay in place), and a rising stretch that starts above the last tail extends
    # the chain by each of its values in turn: it is appended whole, without a step per value
    # (the binary search would have given the same slots).
    rising = bytes(map(lt, values, islice(values, 1, None)))
    position = 0
    while position < count:
        value = values[position]
        if not tails or value > tails[-1]:
            end = rising.find(0, position)
            end = count if end == -1 else end + 1
            previous[position] = tail_positions[-1] if tails else -1
            previous[position + 1 : end] = range(position, end - 1)
            tails.extend(values[position:end])
            tail_positions.extend(range(position, end))
            position = end
            continue
        slot = bisect_left(tails, value)
        tails[slot] = value
        tail_positions[slot] = position
        previous[position] = tail_positions[slot - 1] if slot else -1
        position += 1
    chain = []
    position = tail_positions[-1] if tail_positions else -1
    while position != -1:
        chain.append(position)
        position = previous[position]
    chain.reverse()
    return chain


def heaviest_chain(pairs: Sequence[tuple[int, int, float]]) -> list[int]:
    """Positions of the pairs ``(old, new, weight)`` forming the heaviest chain that increases
    strictly on both sides: the best order-keeping choice among candidate matches, in
    O(p log p) for p pairs instead of a dynamic programme over every old and new position."""
    if not pairs:
        return []
    ranks = {old: rank for rank, old in enumerate(sorted({old for old, _, _ in pairs}), 1)}
    tree: list[tuple[float, int]] = [(0.0, -1)] * (len(ranks) + 1)
    best: list[tuple[float, int]] = [(0.0, -1)] * len(pairs)
    back = [-1] * len(pairs)
    order = sorted(range(len(pairs)), key=lambda position: (pairs[position][1], pairs[position][0]))
    start = 0
    while start < len(order):
        end = start
        while end < len(order) and pairs[order[end]][1] == pairs[order[start]][1]:
            end += 1
        for position in order[start:end]:
            before = _prefix_max(tree, ranks[pairs[position][0]] - 1)
            best[position] = (before[0] + pairs[position][2], position)
            back[position] = before[1]
        for position in order[start:end]:
            _raise(tree, ranks[pairs[position][0]], best[position])
        start = end
    position = max(best)[1]
    chain = []
    while position != -1:
        chain.append(position)
        position = back[position]
    chain.reverse()
    return chain


def _prefix_max(tree: list[tuple[float, int]], rank: int) -> tuple[float, int]:
    found = (0.0, -1)
    while rank > 0:
        found = max(found, tree[rank])
        rank -= rank & -rank
    return found


def _raise(tree: list[tuple[float, int]], rank: int, value: tuple[float, int]) -> None:
    while rank < len(tree):
        if value > tree[rank]:
            tree[rank] = value
        rank += rank & -rank
