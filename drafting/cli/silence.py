"""`drafting silence settle`: adopt every version whose silence ran to its deadline unbroken,
without waiting for someone to read the document; safe to run from cron."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from drafting.consultations.silence import operations
from drafting.consultations.silence.queries import due_silences
from drafting.extensions import db
from drafting.times import format_instant


@click.group("silence")
def silence_group() -> None:
    """The silence procedure."""


@silence_group.command("settle")
@with_appcontext
def settle_command() -> None:
    """Adopt each version whose silence procedure has passed its deadline unbroken.

    Idempotent: a procedure already settled (here, by another run, or by a reader of the
    document) is left alone. Each is settled in its own transaction; one whose version no
    longer has its published hash is not adopted, is named, and the exit status is 1.
    """
    refused = 0
    adopted = 0
    for silence_id in due_silences():
        try:
            found = operations.settle_due(only=silence_id)
        except operations.AdoptionRefused as exc:
            db.session.rollback()
            click.echo(f"Not adopted: {exc}", err=True)
            refused += 1
            continue
        db.session.commit()
        for adoption in found:
            adopted += 1
            when = format_instant(adoption.adopted_dt, adoption.silence.timezone)
            click.echo(
                f"Adopted: {adoption.version.label} of “{adoption.version.document.title}”, "
                f"silence ended {when}; SHA-256 {adoption.text_hash}."
            )
    click.echo(f"{adopted} version{'' if adopted == 1 else 's'} adopted.")
    if refused:
        raise SystemExit(1)
