"""Language versions of a version: importing a translation after its alignment is reviewed,
publishing it later than the original, updating a single paragraph, and reading a version in a
language (each paragraph translated, out of date, or the original as fallback).

A version with no translation of its own in a language is read through the latest translation of
an earlier version of the document: a paragraph whose original text is unchanged keeps its
translation, one whose text changed shows it marked out of date. The translation is carried into
the version itself the first time the secretariat updates one of its paragraphs there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from babel import Locale, UnknownLocaleError
from sqlalchemy import select

from drafting.audit.operations import record_event
from drafting.auth.models import User
from drafting.auth.policy import authorize
from drafting.database import utcnow
from drafting.documents.models import Paragraph, Version
from drafting.documents.translation_alignment import Alignment, align_translation
from drafting.documents.translation_models import (
    TranslatedParagraph,
    Translation,
    TranslationStatus,
    source_hash,
)
from drafting.extensions import db
from drafting.text.draft_format import (
    Block,
    DraftFormatError,
    forbidden_markup,
    parse_draft,
    refuse_markup,
)
from drafting.text.footnotes import Note, note_lines, split_notes

_LANGUAGE_CODE = re.compile(r"[a-z]{2}")
# The languages an original may be written in: the six of the United Nations and German.
ORIGINAL_LANGUAGES = ("en", "fr", "es", "ru", "ar", "zh", "de")
MAX_TRANSLATED_PARAGRAPH = 100_000


class TranslationError(ValueError):
    """A translation that cannot be stored or published; the message says why."""


def language_name(code: str, locale: str = "en") -> str:
    """ "Russian" for "ru" (in the given locale's words); the code itself when unknown."""
    try:
        return Locale.parse(code).get_display_name(locale) or code
    except (ValueError, UnknownLocaleError):
        return code


def check_original_language(code: str | None) -> str:
    """One of ORIGINAL_LANGUAGES, the language a document's original is written in."""
    code = (code or "").strip().lower()
    if code not in ORIGINAL_LANGUAGES:
        known = ", ".join(ORIGINAL_LANGUAGES)
        raise TranslationError(f"“{code[:20]}” is not a language of the service: choose {known}.")
    return code


def has_translations(document_id: int) -> bool:
    """Whether any version of the document has a translation (its original's language is then
    fixed: the translations were aligned on it)."""
    found = db.session.scalar(
        select(Translation.id)
        .join(Translation.version)
        .where(Version.document_id == document_id)
        .limit(1)
    )
    return found is not None


def check_language(version: Version, code: str | None) -> str:
    """A two-letter ISO 639-1 code of a language other than the original's."""
    code = (code or "").strip().lower()
    if not _LANGUAGE_CODE.fullmatch(code) or language_name(code) == code:
        raise TranslationError(
            f"“{code[:20]}” is not a language code: give two letters of ISO 639-1, e.g. ru."
        )
    if code == version.document.language:
        raise TranslationError(f"{language_name(code)} is the language of the original.")
    return code


def read_translation(source: str) -> list[Block]:
    try:
        blocks = parse_draft(source)
        refuse_markup(blocks)
    except DraftFormatError as exc:
        raise TranslationError(str(exc)) from None
    return blocks


def review_translation(version: Version, source: str) -> tuple[list[Block], Alignment]:
    """The translation's blocks aligned on the version's paragraphs, for the review page."""
    blocks = read_translation(source)
    return blocks, align_translation(version.paragraphs, blocks)


def translation_of(version: Version, language: str) -> Translation | None:
    """The version's own translation into ``language``."""
    return db.session.scalar(
        select(Translation).where(
            Translation.version_id == version.id, Translation.language == language
        )
    )


def latest_translation(version: Version, language: str) -> Translation | None:
    """The translation the version is read through: its own, else the latest of an earlier
    version of the document."""
    return db.session.scalar(
        select(Translation)
        .join(Translation.version)
        .where(
            Version.document_id == version.document_id,
            Version.id <= version.id,
            Translation.language == language,
        )
        .order_by(Version.id.desc())
        .limit(1)
    )


def reading_language(version: Version, asked: str | None) -> tuple[str, list[str]]:
    """The language asked for if the version has it ("" for the original), and its languages."""
    languages = languages_of(version)
    return (asked if asked in languages else ""), languages


def languages_of(version: Version) -> list[str]:
    """The languages the version can be read in besides the original's."""
    return sorted(
        db.session.scalars(
            select(Translation.language)
            .join(Translation.version)
            .where(Version.document_id == version.document_id, Version.id <= version.id)
            .distinct()
        )
    )


def import_translation(
    actor: User | None, version: Version, source: str, *, language: str
) -> Translation:
    """Store a reviewed translation of a published version; refused while any paragraph does
    not align (the message lists them), or once that language's translation is published."""
    authorize(actor, "version.import", version.document)
    language = check_language(version, language)
    if not version.is_published:
        raise TranslationError(f"Publish {version.label} before importing a translation of it.")
    _blocks, alignment = review_translation(version, source)
    if not alignment.is_complete:
        raise TranslationError(
            "The translation does not match the original paragraph by paragraph, so nothing "
            f"was stored: {alignment.describe_problems()}."
        )
    translation = translation_of(version, language)
    if translation is not None and translation.is_published:
        raise TranslationError(
            f"The {language_name(language)} translation of {version.label} is published."
        )
    if translation is None:
        translation = Translation(
            version=version, language=language, created_by_id=getattr(actor, "id", None)
        )
        db.session.add(translation)
    translation.paragraphs = [
        _translated(actor, row.original, row.block.text) for row in alignment.rows
    ]
    record_event(
        actor,
        "translation.imported",
        translation,
        version=version.id,
        language=language,
        paragraphs=len(alignment.rows),
    )
    return translation


def _translated(actor: User | None, original: Paragraph, text: str) -> TranslatedParagraph:
    return TranslatedParagraph(
        paragraph_uid=original.uid,
        text=text,
        source_hash=source_hash(original.text),
        edited_by_id=getattr(actor, "id", None),
        edited_dt=utcnow(),
    )


def publish_translation(actor: User | None, translation: Translation) -> None:
    """Publish a complete, up-to-date translation of a published version: frozen from now."""
    version = translation.version
    authorize(actor, "version.import", version.document)
    if translation.is_published:
        raise TranslationError("This translation is already published.")
    if not version.is_published:  # its text may still change: the translation could not
        raise TranslationError(f"{version.label} is a working draft: publish it first.")
    left = remaining(version, translation.language)
    if left.count:
        raise TranslationError(
            f"{left.count} paragraph(s) remain to translate: translate them before publishing."
        )
    translation.status = TranslationStatus.PUBLISHED
    translation.published_dt = utcnow()
    translation.published_by_id = getattr(actor, "id", None)
    record_event(actor, "translation.published", translation, language=translation.language)


def update_paragraph(
    actor: User | None, version: Version, language: str, uid: str, text: str
) -> TranslatedParagraph:
    """Translate one paragraph of the version afresh (the earlier translation carried into it
    first, if it has none of its own)."""
    authorize(actor, "version.import", version.document)
    language = check_language(version, language)
    original = next((p for p in version.paragraphs if p.uid == uid), None)
    text = _one_paragraph(text or "")
    if original is None:
        raise TranslationError(f"{version.label} has no such paragraph.")
    if not text or len(text) > MAX_TRANSLATED_PARAGRAPH:
        raise TranslationError("Give the paragraph's translation (one paragraph of text).")
    if problem := forbidden_markup(text):
        raise TranslationError(f"The translation {problem}.")
    translation = _own_translation(actor, version, language)
    if translation.is_published:
        raise TranslationError(f"The {language_name(language)} translation is published.")
    found = translation.by_uid().get(uid)
    if found is None:
        found = _translated(actor, original, text)
        translation.paragraphs.append(found)
    else:
        found.text, found.source_hash = text, source_hash(original.text)
        found.edited_by_id, found.edited_dt = getattr(actor, "id", None), utcnow()
    record_event(actor, "translation.paragraph_updated", translation, uid=uid, language=language)
    return found


def _one_paragraph(text: str) -> str:
    """A paragraph's translation as typed, its white space folded, its footnotes' lines kept
    ("[^1]: ..."), as the draft format writes a paragraph."""
    noted = split_notes(text.replace("\r\n", "\n").replace("\r", "\n"))
    folded = [Note(note.label, " ".join(note.text.split())) for note in noted.notes]
    return "\n".join([" ".join(noted.body.split()), *([note_lines(folded)] if folded else [])])


def _own_translation(actor: User | None, version: Version, language: str) -> Translation:
    own = translation_of(version, language)
    if own is not None:
        return own
    earlier = latest_translation(version, language)
    own = Translation(version=version, language=language, created_by_id=getattr(actor, "id", None))
    uids = {p.uid for p in version.paragraphs}
    for kept in earlier.paragraphs if earlier else []:
        if kept.paragraph_uid in uids:
            own.paragraphs.append(
                TranslatedParagraph(
                    paragraph_uid=kept.paragraph_uid,
                    text=kept.text,
                    source_hash=kept.source_hash,
                    edited_by_id=kept.edited_by_id,
                    edited_dt=kept.edited_dt,
                )
            )
    db.session.add(own)
    record_event(
        actor,
        "translation.carried",
        own,
        version=version.id,
        language=language,
        carried_from=earlier.version_id if earlier else None,
    )
    return own


@dataclass(frozen=True)
class ParagraphInLanguage:
    """A paragraph of a version as read in a language: the attributes exports and pages read
    (uid, kind, label, level, anchor, ...) are the original's, ``text`` the translation's, or
    the original's when there is none (``is_translated`` False)."""

    original: Paragraph
    text: str
    language: str
    is_translated: bool
    is_out_of_date: bool = False

    def __getattr__(self, name: str):
        if name == "original":  # not yet set (a copy being made): no recursion
            raise AttributeError(name)
        return getattr(self.original, name)

    @property
    def block(self) -> Block:
        original = self.original
        return Block(
            kind=original.kind.value,
            text=self.text,
            level=original.level,
            label=original.label,
            label_bold=original.label_bold,
        )


def paragraphs_in(version: Version, language: str | None, paragraphs=None) -> list:
    """The version's paragraphs (or those given of it) in ``language``; the originals for the
    original's language or none."""
    paragraphs = version.paragraphs if paragraphs is None else paragraphs
    if not language or language == version.document.language:
        return list(paragraphs)
    translation = latest_translation(version, language)
    found = translation.by_uid() if translation else {}
    shown = []
    for paragraph in paragraphs:
        translated = found.get(paragraph.uid)
        if translated is None:
            shown.append(ParagraphInLanguage(paragraph, paragraph.text, language, False))
        else:
            stale = not translated.translates(paragraph.text)
            shown.append(ParagraphInLanguage(paragraph, translated.text, language, True, stale))
    return shown


def blocks_in(version: Version, language: str | None) -> list[Block]:
    """The blocks every export writes of a version in a language (the original's where a
    paragraph is not translated): the Markdown, Word and PDF copies read these."""
    return [p.block for p in paragraphs_in(version, language)]


@dataclass(frozen=True)
class Remaining:
    """What remains to translate of a version in a language."""

    missing: list[ParagraphInLanguage]
    out_of_date: list[ParagraphInLanguage]

    @property
    def count(self) -> int:
        return len(self.missing) + len(self.out_of_date)


def remaining(version: Version, language: str) -> Remaining:
    shown = paragraphs_in(version, language)
    return Remaining(
        missing=[p for p in shown if not p.is_translated],
        out_of_date=[p for p in shown if p.is_translated and p.is_out_of_date],
    )
