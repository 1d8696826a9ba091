"""Comparison of two versions of a draft: pure functions from texts and blocks to data.

Nothing here touches Flask or the database, so pages, the JSON API, the Word export, the
``drafting compare`` command and the benchmark all share one tested implementation.
"""

from drafting.compare.align import align_paragraphs
from drafting.compare.model import Comparison, Entry
from drafting.compare.words import diff_words
from drafting.text.draft_format import parse_draft

__all__ = ["Comparison", "Entry", "align_paragraphs", "compare_texts", "diff_words"]


def compare_texts(old_src: str, new_src: str) -> Comparison:
    """Compare two drafts given as Markdown; raises DraftFormatError for text that is no draft."""
    return align_paragraphs(parse_draft(old_src), parse_draft(new_src))
