"""What a text reads as, kept per process: a page of 5,000 comments must not render each again
on every view, and the exports read the same thousands of texts export after export. A stored
text is immutable (a correction is a new revision, with new words), so what was made for it
stays right.

Short texts (a comment or a paragraph as people write them) are kept by number in the standard
library's LRU cache, whose look-up costs a fraction of a microsecond. Longer ones (a pasted
annex, a long amendment) are kept too, in an LRU cache bounded by the size of what was made for
them (cachetools), so that however long the texts a process reads, it holds at most
``LONG_KEPT_CHARS`` characters of them; a single text larger than that is made on every call.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import lru_cache, update_wrapper
from typing import TypeVar

from cachetools import LRUCache, cached

SHORT_CHARS = 2_000
SHORT_KEPT = 20_000  # texts, each up to SHORT_CHARS: at most ~40 million characters in all
LONG_KEPT_CHARS = 8_000_000

V = TypeVar("V")


def kept_by_text(
    size_of: Callable[[V], int], budget: int = LONG_KEPT_CHARS
) -> Callable[[Callable[[str, bool], V]], Callable]:
    """Decorate ``make(text, flag)`` so that its value for a text is made once per process.
    ``size_of(value)`` weighs a long text's value against ``budget``."""

    def decorate(make: Callable[[str, bool], V]) -> Callable[[str, bool], V]:
        short = lru_cache(maxsize=SHORT_KEPT)(make)
        long = cached(LRUCache(budget, getsizeof=size_of), lock=threading.Lock())(make)

        def kept(text: str, flag: bool) -> V:
            return short(text, flag) if len(text) <= SHORT_CHARS else long(text, flag)

        kept.short = short  # type: ignore[attr-defined]
        kept.long = long  # type: ignore[attr-defined]
        return update_wrapper(kept, make)

    return decorate
