"""`drafting translations import`: a translation of a published version, from Markdown or Word,
aligned on the original paragraph by paragraph; `--dry-run` shows the alignment and stores
nothing."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from drafting.documents import translations
from drafting.documents.docx_import import is_word_file, read_docx
from drafting.documents.models import Version
from drafting.extensions import db
from drafting.text.draft_format import DraftFormatError, decode_draft


@click.group("translations")
def translations_group() -> None:
    """Language versions of a version."""


def read_source(file: Path) -> str:
    """The translation's text in the draft format, from a Markdown or a Word file."""
    config = current_app.config
    data = file.read_bytes()
    limits = config["MAX_DRAFT_BYTES"], config["MAX_DRAFT_PARAGRAPHS"]
    if is_word_file(data, file.name):
        return read_docx(
            data, max_bytes=limits[0], max_xml=config["MAX_WORD_XML_BYTES"], max_blocks=limits[1]
        ).markdown
    return decode_draft(data, *limits)


@translations_group.command("import")
@click.argument("version_id", type=int)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--language", required=True, help="ISO 639-1 code of the translation, e.g. ru.")
@click.option("--dry-run", is_flag=True, help="Show the alignment; store nothing.")
@with_appcontext
def import_command(version_id: int, file: Path, language: str, dry_run: bool) -> None:
    """Import FILE as the translation of version VERSION_ID into LANGUAGE.

    Refused, with every paragraph that does not match, unless the file has the original's
    structure paragraph by paragraph (same blocks, kinds, levels and numbers, in order)."""
    version = db.session.get(Version, version_id)
    if version is None:
        raise click.ClickException(f"There is no version #{version_id}.")
    try:
        language = translations.check_language(version, language)
        source = read_source(file)
        _blocks, alignment = translations.review_translation(version, source)
    except (translations.TranslationError, DraftFormatError) as exc:
        raise click.ClickException(f"{file}: {exc}") from None
    for row in alignment.problems:
        click.echo(f"  {row.problem}: {translations_name(row)}", err=True)
    name = translations.language_name(language)
    if not alignment.is_complete:
        raise click.ClickException(
            f"{len(alignment.problems)} paragraph(s) do not match {version.label}: nothing stored."
        )
    if dry_run:
        click.echo(f"Dry run: all {len(alignment.rows)} paragraphs align; nothing stored.")
        return
    try:
        translations.import_translation(None, version, source, language=language)
    except translations.TranslationError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(
        f"Stored the {name} translation of {version.label}: {len(alignment.rows)} paragraphs."
    )


def translations_name(row) -> str:
    """A paragraph named as the review lists it: its number, else its first words."""
    block = row.original.block if row.original is not None else row.block
    return block.label or " ".join(block.text.split()[:8])
