"""The Word copy of a version made for marking up: the clean copy, each paragraph carrying its
identity in a hidden bookmark, so that a delegation's tracked changes and comments map back."""

from __future__ import annotations

from drafting.documents.models import Version
from drafting.exports.copies import version_copy
from drafting.exports.word import build_version_docx

__all__ = ["version_markup_docx"]


def version_markup_docx(version: Version, language: str | None = None) -> bytes:
    """The version as the page's Word download gives it (same look, same bookmarks), in the
    original or a translation."""
    uids = [paragraph.uid for paragraph in version.paragraphs]
    return version_copy(version, build_version_docx, language, uids=uids)
