"""The Word copy of a version made for marking up: the clean copy, each paragraph carrying its
identity in a hidden bookmark, so that a delegation's tracked changes and comments map back."""

from __future__ import annotations

from drafting.documents.models import Version
from drafting.documents.statuses import status_tags
from drafting.exports.word import build_version_docx

__all__ = ["version_markup_docx"]


def version_markup_docx(version: Version) -> bytes:
    """The version as the page's Word download gives it (same look, same bookmarks)."""
    return build_version_docx(
        version.blocks,
        title=version.document.title,
        version_label=version.label,
        text_hash=version.text_hash,
        dated=(version.published_dt or version.created_dt).date(),
        tags=status_tags(version),
        uids=[paragraph.uid for paragraph in version.paragraphs],
    )
