"""Pausing Python's cyclic garbage collector while a comparison runs.

A comparison allocates tens of thousands of small objects (groups, tuples, word sets, strings)
and no reference cycles, so reference counting frees all of it; the cyclic collector would only
scan the growing heap again and again: 15% of a 5,000-paragraph comparison's time, and the main
reason its time grew faster than its size.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


def pause_cyclic_gc() -> bool:
    """Switch the cyclic collector off; True if it was on, for ``resume_cyclic_gc``.

    Call it first thing, before building any container: then it allocates nothing the collector
    tracks, so it cannot set off a collection that earlier work has made due (entering
    ``cyclic_gc_paused`` makes a generator, which can). Such a collection, set off right after
    an alignment by the page that renders it, would scan every entry the alignment has just
    made; paused, it runs later, when the comparison is gone.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    return was_enabled


def resume_cyclic_gc(was_enabled: bool) -> None:
    """Switch the collector back on if ``pause_cyclic_gc`` found it on."""
    if was_enabled:
        gc.enable()


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Run the body with the cyclic collector off, and leave it as it was found.

    Only the caller that switched it off switches it back on, so nested or concurrent
    comparisons end with the collector in its original state.
    """
    was_enabled = pause_cyclic_gc()
    try:
        yield
    finally:
        resume_cyclic_gc(was_enabled)
