"""Reading a marked-up Word copy: how the time grows with the draft (1,000 then 4,000 paragraphs,
each tenth one edited with a tracked insertion, and a Word comment every twentieth). Prints the
seconds and the ratio, which stays near 4 (linear) if nothing is quadratic."""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from drafting.documents.docx_markup import read_markup  # noqa: E402
from drafting.exports.word import build_version_docx  # noqa: E402
from drafting.text.draft_format import parse_draft  # noqa: E402
from tests.documents.markup_files import Marked  # noqa: E402


def marked_copy(count: int):
    source = "\n\n".join(
        f"{n}. The parties will cooperate on item {n} in good faith." for n in range(1, count + 1)
    )
    blocks = parse_draft(source)
    uids = [f"{n:032x}" for n in range(1, len(blocks) + 1)]
    marked = Marked(build_version_docx(blocks, title="Bench", version_label="Zero", uids=uids))
    for n, uid in enumerate(uids):
        if n % 10 == 0:
            marked.insert_text(marked.paragraph(uid), " Added.")
        if n % 20 == 5:
            marked.comment(marked.paragraph(uid), "good faith", "Why?")
    return marked.save(), list(zip(uids, blocks, strict=True))


def seconds(count: int) -> float:
    data, originals = marked_copy(count)
    start = time.perf_counter()
    reading = read_markup(data, originals)
    elapsed = time.perf_counter() - start
    assert len(reading.amendments) == count // 10 + count // 20
    return elapsed


if __name__ == "__main__":
    small, large = seconds(1_000), seconds(4_000)
    print(f"1,000 paragraphs: {small:.2f} s; 4,000: {large:.2f} s; ratio {large / small:.1f}")
