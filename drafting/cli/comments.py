"""`drafting comments import`: a delegation's marked-up Word file, received by the secretariat,
read and stored as that delegation's submitted comments, recorded by the secretariat."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from drafting.auth.models import Delegation, Role, User
from drafting.consultations.models import Consultation
from drafting.consultations.refusals import ConsultationError
from drafting.consultations.word_comments import (
    DEFAULT_SOURCE,
    comment_kind_of,
    import_word_comments,
    read_word_file,
)
from drafting.documents.docx_archive import DocxError
from drafting.extensions import db


@click.group("comments")
def comments_group() -> None:
    """Comments received outside the service."""


@comments_group.command("import")
@click.argument("round_id", type=int)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--delegation", "code", required=True, help="The code of the invited delegation.")
@click.option("--dry-run", is_flag=True, help="Print what the file proposes; store nothing.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option("--source", default=DEFAULT_SOURCE, show_default=True, help="Where it came from.")
@click.option("--by", "email", help="The secretariat's person recording it (default: the first).")
@with_appcontext
def import_command(
    round_id: int, file: Path, code: str, dry_run: bool, fmt: str, source: str, email: str | None
) -> None:
    """Read FILE.docx, a marked-up copy of round ROUND_ID's version, as the delegation's
    amendments and comments, and store them as submitted, recorded by the secretariat."""
    consultation = db.session.get(Consultation, round_id)
    if consultation is None:
        raise click.ClickException(f"There is no round #{round_id}.")
    delegation = db.session.scalar(select(Delegation).where(Delegation.code == code))
    if delegation is None:
        raise click.ClickException(f"There is no delegation with the code {code}.")
    try:
        reading = read_word_file(consultation, file.read_bytes(), current_app.config)
    except DocxError as exc:
        raise click.ClickException(str(exc)) from None
    if fmt == "json":
        click.echo(json.dumps(reading.to_json(), ensure_ascii=False, indent=2))
    else:
        _describe(reading)
    if dry_run:
        return
    try:
        stored = import_word_comments(
            _recorder(email),
            consultation,
            delegation,
            reading.amendments,
            on_behalf=True,
            source=source,
        )
    except ConsultationError as exc:
        db.session.rollback()
        raise click.ClickException(f"Nothing was stored. {exc}") from None
    db.session.commit()
    click.echo(f"Stored {len(stored)} comment(s) for {delegation.name}.", err=True)


def _recorder(email: str | None) -> User:
    """The secretariat's person the comments are recorded by: the one named, or the first."""
    query = select(User).where(User.role == Role.SECRETARIAT, User.is_active.is_(True))
    if email:
        query = query.where(User.email == email.strip().lower())
    user = db.session.scalar(query.order_by(User.id))
    if user is None:
        raise click.ClickException(
            "No active secretariat account" + (f" {email}" if email else "") + " to record by."
        )
    return user


def _describe(reading) -> None:
    for change in reading.amendments:
        where = change.label if change.kind != "insert" else f"after {change.label}"
        text = change.proposed_text or change.body
        click.echo(f"{comment_kind_of(change):9} {where}: {text[:120]}")
    for text in reading.unmatched:
        click.echo(f"unmatched {text[:120]}")
    for note in reading.notes:
        click.echo(f"note      {note}")
    click.echo(
        f"{len(reading.amendments)} change(s), {len(reading.unmatched)} unmatched, "
        f"{reading.ignored_formatting_changes} formatting change(s) left out."
    )
