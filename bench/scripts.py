"""Does printing every script keep the PDF fast? Seconds for a 1,000-paragraph draft, before/after.

"Before" is the PDF writer with the per-character font fallback and the right-to-left layout
switched off (everything set in the primary font, as when only one font was embedded: the
characters it lacks come out blank); "after" is the writer as it is. Two drafts: one in English
only (the common case: one regular-expression search per paragraph finds nothing to switch), and
one whose paragraphs go round English, Russian, Greek, Arabic, Chinese, Japanese and Korean.

    .venv/bin/python bench/scripts.py [--runs 3] [--paragraphs 1000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from unittest import mock
from xml.sax.saxutils import escape

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from drafting.exports import pdf  # noqa: E402
from drafting.text.draft_format import Block  # noqa: E402
from drafting.text.inline import xml_safe  # noqa: E402

SENTENCES = (
    "The delegations agree to meet again in the spring to review the **draft** together, and "
    "to send their written comments to the secretariat before the end of the month.",
    "Делегации договорились вновь встретиться весной, чтобы вместе рассмотреть проект и "
    "направить письменные замечания секретариату до конца месяца.",
    "Οι αντιπροσωπείες συμφωνούν να συναντηθούν ξανά την άνοιξη για να εξετάσουν μαζί το σχέδιο.",
    "تتفق الوفود على أن تجتمع مرة أخرى في الربيع لمراجعة مشروع الإعلان معا، وأن تقدم كل حكومة "
    "ملاحظاتها كتابة قبل نهاية الشهر.",
    "各代表团同意于春季再次举行会议，共同审议草案，并在月底前向秘书处提交书面意见。",
    "各代表団は、春に再び会合し、草案を共に検討し、月末までに事務局に書面で意見を提出する。",
    "각 대표단은 봄에 다시 만나 초안을 함께 검토하고 월말까지 사무국에 서면 의견을 제출한다.",
)


def draft(paragraphs: int, sentences: tuple[str, ...]) -> list[Block]:
    return [
        Block("paragraph", sentences[index % len(sentences)], label=f"{index + 1}.")
        for index in range(paragraphs)
    ]


def seconds(blocks: list[Block], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        pdf.build_version_pdf(blocks, title="Declaration", version_label="Draft 1")
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def one_font_only():
    """The writer as it was with one font: no runs, no right-to-left lines."""
    plain = mock.patch.object(
        pdf, "font_markup", lambda text, *_: escape(xml_safe(text)).replace("\n", "<br/>")
    )
    ltr = mock.patch.object(pdf, "has_right_to_left", lambda text: False)
    return plain, ltr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--paragraphs", type=int, default=1000)
    options = parser.parse_args()
    seconds(draft(10, SENTENCES), 1)  # fonts loaded and registered once, outside the timing
    print(f"{'draft':<28}{'before s':>10}{'after s':>10}{'after/before':>14}")
    for name, sentences in (("English only", SENTENCES[:1]), ("seven scripts", SENTENCES)):
        blocks = draft(options.paragraphs, sentences)
        plain, ltr = one_font_only()
        with plain, ltr:
            before = seconds(blocks, options.runs)
        after = seconds(blocks, options.runs)
        label = f"{options.paragraphs:,} ¶, {name}"
        print(f"{label:<28}{before:>10.2f}{after:>10.2f}{after / before:>14.2f}")


if __name__ == "__main__":
    main()
