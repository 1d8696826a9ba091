"""A published version never changes, nor therefore its Word and PDF copies: each is made once
per process and kept (the last ``KEPT_MOST``), so that the thousandth download of a large draft
costs no layout at all."""

from __future__ import annotations

from collections.abc import Callable, Hashable

from drafting.documents.models import Version
from drafting.documents.statuses import status_tags
from drafting.documents.translations import blocks_in
from drafting.exports.word_languages import document_language
from drafting.keeping import Kept

KEPT_MOST = 16
_kept: Kept[bytes] = Kept(KEPT_MOST)


def kept_copy(key: Hashable, make: Callable[[], bytes]) -> bytes:
    """The copy made for ``key`` (which must name everything the copy shows), made now if it
    is not kept."""
    return _kept.get(key, make)


def version_copy(
    version: Version, build: Callable[..., bytes], in_language: str | None = None, **marks
) -> bytes:
    """The clean copy of a version made by ``build`` (build_version_docx or build_version_pdf)
    with its date, status marks and language, as the pages and the command line serve it, in
    the original or (``in_language``) a translation; ``marks`` are further arguments of
    ``build`` (the paragraphs' hidden identities)."""
    dated = (version.published_dt or version.created_dt).date()
    tags = status_tags(version)
    language = in_language or document_language(version.document)

    def make() -> bytes:
        return build(
            blocks_in(version, in_language),
            title=version.document.title,
            version_label=version.label,
            text_hash=version.text_hash,
            dated=dated,
            tags=tags,
            language=language,
            **marks,
        )

    if not version.is_published or in_language:  # a working draft or translation may change
        return make()
    title, label = version.document.title, version.label
    key = (
        build.__name__,
        version.id,
        version.text_hash,
        title,
        label,
        dated,
        tuple(tags),
        language,
        tuple((name, tuple(value)) for name, value in marks.items()),
    )
    return kept_copy(key, make)
