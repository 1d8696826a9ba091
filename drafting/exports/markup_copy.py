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
    if language and language != version.document.language:
        # A translation carries no identities: marked up, it would read back as the original's
        # paragraphs rewritten in another language. Amendments are made on the original.
        return version_copy(version, build_version_docx, language)
    uids = [paragraph.uid for paragraph in version.paragraphs]
    return version_copy(version, build_version_docx, language, uids=uids)
