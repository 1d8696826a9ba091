"""``drafting compare OLD.md NEW.md``: compare two draft files without the application, for
secretariats who want a redline (JSON, HTML or Word) of texts that never went through the site."""

from __future__ import annotations

import importlib
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from drafting.compare.align import align_paragraphs
from drafting.compare.html import render_comparison_page
from drafting.compare.model import Comparison
from drafting.text.draft_format import Block, DraftFormatError, decode_draft, parse_draft

DEFAULT_AUTHOR = "Comparison"


@click.command("compare")
@click.argument("old", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["json", "html", "docx"]),
    default="json",
    show_default=True,
    help="JSON for programs, HTML to read, docx for Word with tracked changes.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="File to write; standard output when left out.",
)
@click.option(
    "--author",
    default=DEFAULT_AUTHOR,
    show_default=True,
    help="Name shown as the author of tracked changes in the docx output.",
)
def compare_command(
    old: Path, new: Path, output_format: str, output: Path | None, author: str
) -> None:
    """Compare two versions of a draft (Markdown, blocks separated by blank lines)."""
    if output_format == "docx" and output is None and sys.stdout.isatty():
        raise click.UsageError("A docx file is binary: give -o FILE or redirect the output.")
    comparison = align_paragraphs(_read_draft(old), _read_draft(new))
    if output_format == "json":
        payload = (json.dumps(comparison.to_json(), ensure_ascii=False) + "\n").encode()
    elif output_format == "html":
        page = render_comparison_page(comparison, title=f"{old.name} → {new.name}")
        payload = page.encode()
    else:
        payload = _redline_docx(comparison, author)
    if output is None:
        click.echo(payload, nl=False)
    else:
        try:
            output.write_bytes(payload)
        except OSError as exc:
            raise click.FileError(str(output), hint=exc.strerror or str(exc)) from None


def _read_draft(path: Path) -> list[Block]:
    try:
        return parse_draft(decode_draft(path.read_bytes()))
    except OSError as exc:
        raise click.FileError(str(path), hint=exc.strerror or str(exc)) from None
    except DraftFormatError as exc:
        raise click.BadParameter(str(exc), param_hint=f"'{path}'") from None


def _redline_docx(comparison: Comparison, author: str) -> bytes:
    # Loaded when asked for: the Word writer pulls in python-docx (0.2 s to import), which JSON
    # and HTML output never need. The layers test reads this load as an import.
    writer = importlib.import_module("drafting.exports.redline")
    return writer.build_redline_docx(comparison, author=author, date=datetime.now(UTC))
