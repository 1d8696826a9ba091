"""A published version never changes, nor therefore its Word and PDF copies: each is made once
per process and kept (the last ``KEPT_MOST``), so that the thousandth download of a large draft
costs no layout at all."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

KEPT_MOST = 16
_kept: OrderedDict[Hashable, bytes] = OrderedDict()
_lock = threading.Lock()


def kept_copy(key: Hashable, make: Callable[[], bytes]) -> bytes:
    """The copy made for ``key`` (which must name everything the copy shows), made now if it
    is not kept."""
    with _lock:
        if key in _kept:
            _kept.move_to_end(key)
            return _kept[key]
    made = make()
    with _lock:
        _kept[key] = made
        while len(_kept) > KEPT_MOST:
            _kept.popitem(last=False)
    return made
