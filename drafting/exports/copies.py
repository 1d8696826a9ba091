"""A published version never changes, nor therefore its Word and PDF copies: each is made once
per process and kept (the last ``KEPT_MOST``), so that the thousandth download of a large draft
costs no layout at all."""

from __future__ import annotations

from collections.abc import Callable, Hashable

from drafting.keeping import Kept

KEPT_MOST = 16
_kept: Kept[bytes] = Kept(KEPT_MOST)


def kept_copy(key: Hashable, make: Callable[[], bytes]) -> bytes:
    """The copy made for ``key`` (which must name everything the copy shows), made now if it
    is not kept."""
    return _kept.get(key, make)
