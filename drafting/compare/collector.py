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


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Run the body with the cyclic collector off, and leave it as it was found.

    Only the caller that switched it off switches it back on, so nested or concurrent
    comparisons end with the collector in its original state.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
