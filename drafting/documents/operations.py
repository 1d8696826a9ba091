"""What is done with documents as a whole: create them, choose who takes part, count their
paragraphs, export a version, verify the published hashes. Importing a draft is in importing,
publishing one in publishing; each builds on the refusal and the label check defined here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from drafting.audit.operations import record_event
from drafting.auth.models import Delegation, User
from drafting.auth.policy import authorize
from drafting.documents.models import Document, Paragraph, ParagraphKind, Version, VersionStatus
from drafting.documents.translations import (
    TranslationError,
    blocks_in,
    check_original_language,
    has_translations,
    language_name,
)
from drafting.extensions import db
from drafting.text.draft_format import export_draft
from drafting.text.names import name_problem

MAX_LABEL_LENGTH = 100


class DocumentError(ValueError):
    """A request about a document that cannot be done; the message says why."""


def create_document(
    actor: User | None, *, title: str, participants: Sequence[Delegation], language: str = "en"
) -> Document:
    authorize(actor, "document.create")
    language = _original_language(language)
    problem = name_problem(title)
    if problem:
        raise DocumentError(f"The title {problem}.")
    title = " ".join((title or "").split())
    if not title:
        raise DocumentError("Give the document a title.")
    if len(title) > 300:
        raise DocumentError("The title may have at most 300 characters.")
    document = Document(
        title=title,
        participants=list(participants),
        language=language,
        created_by_id=getattr(actor, "id", None),
    )
    db.session.add(document)
    record_event(actor, "document.created", document, title=title, language=language)
    return document


def _original_language(code: str | None) -> str:
    try:
        return check_original_language(code)
    except TranslationError as exc:
        raise DocumentError(str(exc)) from None


def set_language(actor: User | None, document: Document, language: str) -> None:
    """Say which language the original is written in; fixed once a translation exists, since
    every translation was read and aligned as a translation from it."""
    authorize(actor, "document.manage", document)
    language = _original_language(language)
    if language == document.language:
        return
    if has_translations(document.id):
        raise DocumentError(
            f"The original stays in {language_name(document.language)}: this document has "
            "translations, made from it."
        )
    before, document.language = document.language, language
    record_event(actor, "document.language_changed", document, before=before, after=language)


def set_participants(actor: User, document: Document, participants: Sequence[Delegation]) -> None:
    """Say which delegations take part: they read its published drafts; others do not see it."""
    authorize(actor, "document.manage", document)
    before = {d.code for d in document.participants}
    after = {d.code for d in participants}
    if before == after:
        return
    document.participants = sorted(participants, key=lambda d: d.name)
    record_event(
        actor,
        "document.participants_changed",
        document,
        added=sorted(after - before),
        removed=sorted(before - after),
    )


def check_label(document: Document, label: str) -> str:
    """The label a new version of ``document`` takes (imported, opened as the next draft or
    renamed at publication), normalised, or DocumentError saying why not."""
    problem = name_problem(label)
    if problem:
        raise DocumentError(f"The label {problem}.")
    label = " ".join((label or "").split())
    if not label:
        raise DocumentError('Give the version a label, e.g. "Zero draft" or "Draft 1".')
    if len(label) > MAX_LABEL_LENGTH:
        raise DocumentError(f"The label may have at most {MAX_LABEL_LENGTH} characters.")
    exists = db.session.scalar(
        select(Version.id).where(
            Version.document_id == document.id, func.lower(Version.label) == label.lower()
        )
    )
    if exists:
        raise DocumentError(f'This document already has a version labelled "{label}".')
    return label


def paragraph_counts(versions: Sequence[Version]) -> dict[int, int]:
    """How many paragraphs (headings and title not counted) each version has, in one query."""
    ids = [v.id for v in versions]
    if not ids:
        return {}
    rows = db.session.execute(
        select(Paragraph.version_id, func.count())
        .where(Paragraph.version_id.in_(ids), Paragraph.kind == ParagraphKind.PARAGRAPH)
        .group_by(Paragraph.version_id)
    )
    return {version_id: count for version_id, count in rows}


def export_markdown(version: Version, language: str | None = None) -> str:
    """The version as a draft file, in ``language`` if given (see translations.blocks_in)."""
    return export_draft(blocks_in(version, language))


@dataclass(frozen=True)
class HashMismatch:
    version_id: int
    document_title: str
    label: str
    stored: str | None
    computed: str


def verify_published_hashes() -> tuple[int, list[HashMismatch]]:
    """Recompute every published version's hash: (how many were checked, which differ)."""
    versions = db.session.scalars(
        select(Version)
        .where(Version.status == VersionStatus.PUBLISHED)
        .options(selectinload(Version.paragraphs), selectinload(Version.document))
        .order_by(Version.id)
    ).all()
    mismatches = [
        HashMismatch(v.id, v.document.title, v.label, v.text_hash, computed)
        for v in versions
        if (computed := v.compute_hash()) != v.text_hash
    ]
    return len(versions), mismatches
