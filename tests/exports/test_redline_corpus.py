"""The redline of every version pair in the shared corpus gives back the old text when every
change is rejected and the new text when every change is accepted, paragraph by paragraph."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from drafting.compare.align import align_paragraphs
from drafting.exports.redline import build_redline_docx
from drafting.text.draft_format import parse_draft
from tests.exports.readers import CORPUS, expected_paragraphs, read_redline


def _corpus_pairs() -> list[tuple[str, str]]:
    pairs = [
        (f"{name}/v1.md", f"{name}/v2.md")
        for name in ("canada-official-languages-act", "eu-digital-markets-act", "de-grundgesetz")
    ]
    series = sorted((CORPUS / "canada-official-languages-act" / "series").glob("*.md"))
    pairs += [
        (str(old.relative_to(CORPUS)), str(new.relative_to(CORPUS)))
        for old, new in zip(series, series[1:], strict=False)
    ]
    return pairs


@pytest.mark.parametrize(("old_path", "new_path"), _corpus_pairs())
def test_rejecting_all_gives_old_and_accepting_all_gives_new(old_path, new_path):
    old = parse_draft((CORPUS / old_path).read_text(encoding="utf-8"))
    new = parse_draft((CORPUS / new_path).read_text(encoding="utf-8"))
    redline = build_redline_docx(
        align_paragraphs(old, new), author="Secretariat", date=datetime(2026, 11, 23, tzinfo=UTC)
    )

    rejected, accepted = read_redline(redline)

    assert rejected == expected_paragraphs(old)
    assert accepted == expected_paragraphs(new)
