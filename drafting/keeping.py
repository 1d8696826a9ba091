"""What a process keeps of work that never needs doing twice: the Word and PDF copies of a
published version, the alignment of two published versions. Their inputs are frozen, so a value
made for a key stays right; only the last few are kept, so memory stays bounded."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class Kept(Generic[V]):
    """The values made for the last ``most`` keys used, safe across a worker's threads. A value
    is made outside the lock: two threads asking at once may both make it, and one is kept."""

    def __init__(self, most: int) -> None:
        self.most = most
        self._values: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], V]) -> V:
        """The value kept for ``key`` (which must name everything the value depends on), made
        now if it is not kept."""
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        made = make()
        with self._lock:
            self._values[key] = made
            while len(self._values) > self.most:
                self._values.popitem(last=False)
        return made
