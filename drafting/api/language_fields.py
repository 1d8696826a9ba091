"""Reading in a language in the API's answers and queries (see documents.translations): the
language each paragraph's text is in, and the ``language`` query of versions and comparisons."""

from __future__ import annotations

from marshmallow import Schema, fields

LANGUAGE_QUERY = (
    "Read in this language (ISO 639-1), one the version has a translation into; a paragraph "
    "not yet translated is given in the original."
)


def _language_of(paragraph) -> str:
    if getattr(paragraph, "is_translated", False):
        return paragraph.language
    return paragraph.version.document.language


class LanguageFields(Schema):
    language = fields.Function(
        _language_of,
        metadata={"type": "string", "description": "The language the text is in (ISO 639-1)."},
    )
    out_of_date = fields.Function(
        lambda p: bool(getattr(p, "is_out_of_date", False)),
        metadata={
            "type": "boolean",
            "description": "A translation of an earlier text of the original paragraph.",
        },
    )


class InLanguage(Schema):
    """The query of a version read in a language (read by the view, described here)."""

    language = fields.String(metadata={"description": LANGUAGE_QUERY})
