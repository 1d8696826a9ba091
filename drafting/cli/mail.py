"""`drafting send-mail` and `drafting remind`: the outbox's two jobs, safe to run from cron."""

from __future__ import annotations

import os
import time

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import DBAPIError

from drafting.consultations.reminders import queue_reminders
from drafting.extensions import db
from drafting.notifications import sending
from drafting.notifications.mailer import backend_for

SHOWN_GIVEN_UP = 20


@click.command("send-mail")
@click.option(
    "--limit", type=click.IntRange(min=1), help="Send at most this many messages in this run."
)
@click.option("--dry-run", is_flag=True, help="List what would be sent; send and mark nothing.")
@with_appcontext
def send_mail_command(limit: int | None, dry_run: bool) -> None:
    """Send the mail waiting in the outbox, oldest first, each message once.

    MAIL_BACKEND chooses how: "console" prints the messages, "smtp" delivers them through
    MAIL_SERVER. A message the server refuses stays pending and is tried again on the next
    run, up to MAIL_MAX_ATTEMPTS times (10 by default). Exits with status 1 when a message
    failed or the server could not be reached.
    """
    config = current_app.config
    max_attempts = int(config.get("MAIL_MAX_ATTEMPTS", sending.MAX_ATTEMPTS))
    if dry_run:
        stmt = sending.pending(max_attempts)
        if limit:
            stmt = stmt.limit(limit)
        messages = db.session.scalars(stmt).all()
        for m in messages:
            retry = f" (attempt {m.attempts + 1})" if m.attempts else ""
            click.echo(f"#{m.id} {m.kind} to {m.to_address}: {m.subject}{retry}")
        total = sending.count_pending(max_attempts)
        db.session.rollback()
        click.echo(f"Dry run: would send {len(messages)} of {total} pending messages.")
        return
    try:
        backend = backend_for(config)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    report = _send(backend, limit=limit, max_attempts=max_attempts)
    _echo_report(report, max_attempts)
    if report.failed or report.stopped:
        raise SystemExit(1)


def _send(backend, *, limit: int | None, max_attempts: int) -> sending.SendReport:
    with backend:
        return sending.send_pending(backend, limit=limit, max_attempts=max_attempts)


def _echo_report(report: sending.SendReport, max_attempts: int) -> None:
    for outbox_id, error in report.failed:
        click.echo(f"Not sent: #{outbox_id}: {error}", err=True)
    for m in report.given_up[:SHOWN_GIVEN_UP]:
        click.echo(
            f"Given up: #{m.id} {m.kind} to {m.to_address} after {m.attempts} attempts: "
            f"{m.last_error}",
            err=True,
        )
    if len(report.given_up) > SHOWN_GIVEN_UP:
        click.echo(f"... and {len(report.given_up) - SHOWN_GIVEN_UP} more given up.", err=True)
    click.echo(report.summary(max_attempts))


@click.command("remind")
@with_appcontext
def remind_command() -> None:
    """Remind delegations that have submitted nothing, 7 days and 1 day before their deadline.

    Safe to run from cron every few minutes: nobody gets the same reminder twice, whoever runs
    it and however often. Reminders are queued in the outbox; `drafting send-mail` sends them.
    """
    queued = _remind()
    click.echo(f"Queued {queued} reminder{'' if queued == 1 else 's'}.")


def _remind() -> int:
    queued = queue_reminders()
    db.session.commit()
    return queued


def work_once(backend, max_attempts: int) -> sending.SendReport:
    """One turn of the mail worker: queue the reminders now due, then send the outbox."""
    _remind()
    return _send(backend, limit=None, max_attempts=max_attempts)


@click.command("mail-worker")
@click.option(
    "--every",
    type=click.FloatRange(min=0.5),
    default=5.0,
    show_default=True,
    help="Seconds between two turns.",
)
@click.option("--once", is_flag=True, help="One turn (remind, then send-mail), then stop.")
@with_appcontext
def mail_worker_command(every: float, once: bool) -> None:
    """`drafting remind` and `drafting send-mail` every few seconds, until stopped.

    `make run` starts it beside the web server, so that the sample's mail goes out as it would
    in production (printed to the console by default, see MAIL_BACKEND). It stops by itself
    when the process that started it ends. In production, prefer cron (see README.md).
    """
    config = current_app.config
    max_attempts = int(config.get("MAIL_MAX_ATTEMPTS", sending.MAX_ATTEMPTS))
    try:
        backend = backend_for(config)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    parent = os.getppid()
    while True:
        try:
            report = work_once(backend, max_attempts)
        except DBAPIError as exc:  # a busy or restarting database: try again on the next turn
            db.session.rollback()
            if once:
                raise
            click.echo(f"Mail worker: the database refused this turn ({exc.orig}).", err=True)
        else:
            if report.tried or report.stopped:
                _echo_report(report, max_attempts)
        if once or os.getppid() != parent:  # the server that started us has gone: stop too
            return
        time.sleep(every)
