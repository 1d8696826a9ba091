"""Do footnotes stay linear? Rendering, splitting and writing adversarial footnote text at n and
2n characters, and the Word and PDF copies of a draft whose every paragraph has a note.

Each line prints the time at n, at 2n and their ratio: about 2 is linear, about 4 quadratic.

    .venv/bin/python bench/footnotes.py
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from drafting.exports.pdf import build_version_pdf  # noqa: E402
from drafting.exports.word import build_version_docx  # noqa: E402
from drafting.text.draft_format import parse_draft  # noqa: E402
from drafting.text.footnotes import display_with_notes  # noqa: E402
from drafting.text.markup import _render  # noqa: E402  (the renderer without its cache)


def best(work: Callable[[], object], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def noted_draft(paragraphs: int) -> str:
    return "\n\n".join(
        f"{n}. We agree[^{n}] to cooperate on [return]{{EU}}.\n[^{n}]: Note {n}, *as agreed*."
        for n in range(1, paragraphs + 1)
    )


TEXTS = {
    "runs of [^": lambda n: "[^" * (n // 2),
    "[^1] x n/4 + note": lambda n: "[^1]" * (n // 4) + "\n[^1]: note",
    "note lines": lambda n: "x[^1]\n" + "[^1]: a\n" * (n // 8),
}


def main() -> None:
    n = 80_000
    for name, make in TEXTS.items():
        small, large = make(n), make(2 * n)
        for what, work in (("render", _render), ("split", display_with_notes)):
            t1 = best(lambda w=work, s=small: w(s, False) if w is _render else w(s))
            t2 = best(lambda w=work, s=large: w(s, False) if w is _render else w(s))
            print(
                f"{what:6} {name:20} {t1 * 1000:8.1f} ms {t2 * 1000:8.1f} ms  ratio {t2 / t1:4.2f}"
            )
    for name, build in (("Word", build_version_docx), ("PDF", build_version_pdf)):
        small, large = parse_draft(noted_draft(250)), parse_draft(noted_draft(500))
        t1 = best(lambda b=build, s=small: b(s, title="T", version_label="v"), runs=1)
        t2 = best(lambda b=build, s=large: b(s, title="T", version_label="v"), runs=1)
        figures = f"{t1 * 1000:8.1f} ms {t2 * 1000:8.1f} ms  ratio {t2 / t1:4.2f}"
        print(f"{name:6} {'250 / 500 noted':20} {figures}")


if __name__ == "__main__":
    main()
