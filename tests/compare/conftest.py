"""Fixtures for the comparison package: drafts written inline, the shared corpus, and the
invariants every comparison must keep. Nothing here needs the application or a database."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from drafting.compare import Comparison, align_paragraphs
from drafting.text.draft_format import parse_draft

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("the shared corpus is not beside the checkout")
    return CORPUS


@pytest.fixture
def compare() -> Callable[..., Comparison]:
    """Compare two drafts given as lists of blocks, optionally with stable ids."""

    def run(old: list[str], new: list[str], old_ids=None, new_ids=None) -> Comparison:
        old_blocks = parse_draft("\n\n".join(old)) if old else []
        new_blocks = parse_draft("\n\n".join(new)) if new else []
        return align_paragraphs(old_blocks, new_blocks, old_ids, new_ids)

    return run


@pytest.fixture
def well_formed() -> Callable[[Comparison], None]:
    """Check the invariants of a comparison: every block in exactly one entry, entries in
    reading order of the new version, and only moved entries out of old order."""

    def check(comparison: Comparison) -> None:
        olds = sorted(index for entry in comparison.entries for index in entry.old)
        news = [index for entry in comparison.entries for index in entry.new]
        assert olds == list(range(len(comparison.old_blocks)))
        assert news == list(range(len(comparison.new_blocks)))
        in_place = [e.old[0] for e in comparison.entries if e.old and e.new and not e.moved]
        assert in_place == sorted(in_place)
        for entry in comparison.entries:
            assert (entry.kind in ("unchanged", "added", "deleted")) == (entry.diff == ())
            assert len(entry.old) > 1 if entry.kind == "merged" else len(entry.old) <= 1
            assert len(entry.new) > 1 if entry.kind == "split" else len(entry.new) <= 1

    return check
