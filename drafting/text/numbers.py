"""The one reading of a whole number a person typed (a page number, an id in a query string).

``str.isdigit`` is not enough before ``int``: "²" and "①" are digits to it and not to ``int``
(a ValueError, a 500), and ``int`` refuses strings of more than 4,300 digits. Only ASCII digits,
no longer than the largest number allowed, are read.
"""

from __future__ import annotations


def whole_number(raw: str | None, largest: int) -> int | None:
    """The number in ``raw`` if it is written in ASCII digits and lies in 1..``largest``."""
    raw = (raw or "").strip()
    if not raw.isascii() or not raw.isdigit() or len(raw) > len(str(largest)):
        return None
    number = int(raw)
    return number if 1 <= number <= largest else None
