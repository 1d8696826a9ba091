"""Is rendering linear? Each adversarial text at n and 4n characters, through the page renderer
(``render_markdown``), the Word/PDF inline reader (``read_inline``) and the check every draft and
comment passes before it is stored (``forbidden_markup``); prints seconds and the ratio 4n/n,
which stays near 4 when the time is linear (16 would be quadratic).

    .venv/bin/python bench/markup.py [--n 25000]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from drafting.text.draft_format import forbidden_markup  # noqa: E402
from drafting.text.inline import read_inline  # noqa: E402
from drafting.text.markup import render_markdown  # noqa: E402


def _repeat(unit: str) -> Callable[[int], str]:
    return lambda n: unit * (n // len(unit))


ADVERSARIAL: dict[str, Callable[[int], str]] = {
    "[": _repeat("["),
    "*": _repeat("*"),
    "_": _repeat("_"),
    "`": _repeat("`"),
    "<": _repeat("<"),
    "](": _repeat("]("),
    "![": _repeat("!["),
    "[a](": _repeat("[a]("),
    "*a_ ": _repeat("*a_ "),
    "a**b c* ": _repeat("a**b c* "),
    "[ a_": _repeat("[ a_"),
    "[]( ": _repeat("[]( "),
    "[a]{": _repeat("[a]{"),
    "[a]{EU}": _repeat("[a]{EU}"),
    "]{EU, TUR}[": _repeat("]{EU, TUR}["),
    "backtick runs 1..k": lambda n: "".join("e" + "`" * i for i in range(1, int((2 * n) ** 0.5))),
    "nested brackets": lambda n: "[" * (n // 2) + "a" + "]" * (n // 2),
    "nested emphasis": lambda n: "*a **a " * (n // 14) + "b" + " a** a*" * (n // 14),
    "nested list": lambda n: "\n".join("  " * i + "- x" for i in range(int(n**0.5))),
    "nested list, one line": _repeat("- "),
    "nested quotes": _repeat(">"),
    "quote and list": _repeat("> - "),
    "blank lines": _repeat("\n"),
    "unclosed labels": _repeat("[a\n"),
    "many references": lambda n: (
        "".join(f"[r{i}]: /u{i}\n" for i in range(n // 24))
        + "".join(f"[r{i}] " for i in range(n // 24))
    ),
}


def _seconds(function: Callable[[str], object], text: str) -> float:
    best = float("inf")
    for _ in range(2):
        start = time.perf_counter()
        function(text)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=25_000, help="characters of the smaller input")
    n = parser.parse_args().n
    print(f"{'input':<24}{'renderer':<18}{'n s':>9}{'4n s':>9}{'ratio':>7}")
    for name, make in ADVERSARIAL.items():
        small, large = make(n), make(4 * n)
        for label, function in (
            ("render_markdown", render_markdown),
            ("read_inline", read_inline),
            ("forbidden_markup", forbidden_markup),
        ):
            first, second = _seconds(function, small), _seconds(function, large)
            ratio = second / max(first, 1e-4)
            print(f"{name:<24}{label:<18}{first:>9.3f}{second:>9.3f}{ratio:>7.1f}", flush=True)


if __name__ == "__main__":
    main()
