"""The service's commands (demo, import, export, verify, backup, users, delegations), run in
the app's context; `ALL` is what the app factory adds to its command group."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from drafting import backup
from drafting.audit.chain import verify_chain
from drafting.auth import operations as people
from drafting.auth.models import Delegation, User
from drafting.cli.comments import comments_group
from drafting.cli.compare import compare_command
from drafting.cli.mail import mail_worker_command, remind_command, send_mail_command
from drafting.cli.silence import silence_group
from drafting.cli.translations import translations_group
from drafting.demo import load_sample
from drafting.documents import importing, translations
from drafting.documents import operations as documents
from drafting.documents.docx_import import is_word_file, read_docx
from drafting.documents.models import Document, Version
from drafting.exports.akn import version_akn
from drafting.exports.copies import version_copy
from drafting.exports.markup_copy import version_markup_docx
from drafting.exports.pdf import UncoveredCharacter, build_version_pdf
from drafting.extensions import db
from drafting.text.draft_format import DraftFormatError, decode_draft, describe_contents
from drafting.text.names import normal_email
from drafting.verification import verify_tables

commands = click.Group("drafting")


@commands.command("demo")
@click.option("--reset", is_flag=True, help="Load even if the sample document exists already.")
@with_appcontext
def demo_command(reset: bool) -> None:
    """Load the sample declaration, delegations and one user per role."""
    sample = load_sample(force=reset)
    db.session.commit()
    click.echo(sample.summary())


@commands.command("import")
@click.argument("document")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--label", required=True, help='As printed, e.g. "Zero draft".')
@click.option(
    "--publish", is_flag=True, help="Publish the version at once (it then never changes)."
)
@click.option(
    "--language",
    help="The original's language (ISO 639-1: en, fr, es, ru, ar, zh, de); en for a new "
    "document by default. Fixed once the document has a translation.",
)
@with_appcontext
def import_command(
    document: str, file: Path, label: str, publish: bool, language: str | None
) -> None:
    """Import FILE (Markdown, or Word .docx) as a new version of DOCUMENT (id or exact title;
    created if new)."""
    doc = _find_document(document)
    try:
        source = _read_draft_file(file)
        if doc is None:
            doc = documents.create_document(
                None, title=document, participants=[], language=language or "en"
            )
            click.echo(f"Created document #{doc.id}: {document}")
        elif language:
            documents.set_language(None, doc, language)
        version = importing.import_version(None, doc, source, label=label, publish=publish)
    except (DraftFormatError, documents.DocumentError) as exc:
        db.session.rollback()
        raise click.ClickException(f"{file}: {exc}") from None
    db.session.commit()
    state = "published" if version.is_published else "working draft"
    click.echo(
        f"Imported {file.name} as version #{version.id} “{version.label}” of “{doc.title}”: "
        f"{describe_contents(version.paragraphs)}, {state}."
    )
    if version.text_hash:
        click.echo(f"SHA-256 {version.text_hash}")


def _read_draft_file(file: Path) -> str:
    """A draft file as Markdown: a Word file is read as the import page reads it (footnotes
    kept, a table refused by name), anything else as a Markdown draft."""
    config, data = current_app.config, file.read_bytes()
    if is_word_file(data, file.name):
        return read_docx(
            data,
            max_bytes=config["MAX_DRAFT_BYTES"],
            max_xml=config["MAX_WORD_XML_BYTES"],
            max_blocks=config["MAX_DRAFT_PARAGRAPHS"],
        ).markdown
    return decode_draft(data, config["MAX_DRAFT_BYTES"], config["MAX_DRAFT_PARAGRAPHS"])


def _find_document(key: str) -> Document | None:
    if key.isdigit():
        return db.session.get(Document, int(key))
    return db.session.scalar(select(Document).where(Document.title == key))


@commands.command("export")
@click.argument("version_id", type=int)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "akn", "docx", "pdf"]),
    default="md",
    show_default=True,
    help="md: the draft file; akn: Akoma Ntoso 3.0 XML; docx: the Word copy made for marking "
    "up; pdf: the PDF copy.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write; stdout by default.",
)
@click.option("--language", help="Write the version in this language (ISO 639-1), e.g. ru.")
@with_appcontext
def export_command(version_id: int, fmt: str, output: Path | None, language: str | None) -> None:
    """Write version VERSION_ID back as a draft file, as Akoma Ntoso XML, or as its clean Word or
    PDF copy, in its original or (``--language``) a translation (a PDF whose text holds a
    character no embedded font prints is refused, naming it)."""
    version = db.session.get(Version, version_id)
    if version is None:
        raise click.ClickException(f"There is no version #{version_id}.")
    language = _export_language(version, language, fmt)
    if fmt == "akn":
        data = version_akn(version)
    elif fmt == "docx":
        if not output:
            raise click.ClickException("A Word file is not text: name the file with -o FILE.")
        data = version_markup_docx(version, language)
    elif fmt == "pdf":
        try:
            data = version_copy(version, build_version_pdf, language)
        except UncoveredCharacter as refusal:
            raise click.ClickException(str(refusal)) from None
    else:
        data = documents.export_markdown(version, language).encode("utf-8")
    if output:
        output.write_bytes(data)
        click.echo(f"Wrote {output}", err=True)
    elif fmt in ("docx", "pdf"):
        click.get_binary_stream("stdout").write(data)
    else:
        click.echo(data.decode("utf-8"), nl=False)


def _export_language(version: Version, language: str | None, fmt: str) -> str | None:
    """The language to export in (None: the original's), said when not all is translated."""
    if not language or language == version.document.language:
        return None
    if fmt == "akn":
        raise click.ClickException("The Akoma Ntoso export is of the original only.")
    if language not in translations.languages_of(version):
        raise click.ClickException(f"{version.label} has no translation into “{language}”.")
    if left := translations.remaining(version, language).count:
        click.echo(f"{left} paragraph(s) not translated or out of date.", err=True)
    return language


@commands.command("verify")
@with_appcontext
def verify_command() -> None:
    """Check the published versions' hashes, the audit trail's hash chain, and the tables
    against what the trail recorded (published hashes, comments, decisions, roles).

    Exits with an error if any published text, audit event, comment, decision or role was
    changed behind the service's back, naming each one and the first tampered event.
    """
    checked, mismatches = documents.verify_published_hashes()
    for m in mismatches:
        click.echo(
            f"MISMATCH version #{m.version_id} “{m.label}” of “{m.document_title}”: "
            f"stored {m.stored}, computed {m.computed}",
            err=True,
        )
    chain = verify_chain()
    for problem in chain.problems:
        click.echo(f"TAMPERED {problem}", err=True)
    failures = []
    if mismatches:
        failures.append(
            f"{len(mismatches)} of {checked} published versions do not match their hash."
        )
    else:
        click.echo(f"All {checked} published versions match their hash.")
    if chain.problems:
        first = chain.first
        failures.append(
            f"The audit trail was tampered with: {len(chain.problems)} problem(s) in "
            f"{chain.checked} events checked; the first tampered event is #{first.event_id} "
            f"({first.action}): {first.kind}."
        )
    else:
        click.echo(
            f"All {chain.checked} audit events form an unbroken hash chain; "
            f"its head is {chain.head}."
        )
    tables = verify_tables()
    for mismatch in tables.mismatches:
        click.echo(f"TAMPERED {mismatch}", err=True)
    checked = ", ".join(f"{n} {what}" for what, n in tables.checked.items())
    if tables.mismatches:
        failures.append(
            f"{len(tables.mismatches)} row(s) differ from what the audit trail recorded "
            f"(checked {checked})."
        )
    else:
        click.echo(f"The tables say what the audit trail recorded: {checked}.")
    for what, n in tables.unchecked.items():
        click.echo(f"{n} {what} were recorded before fingerprints and could not be compared.")
    if failures:
        raise click.ClickException(" ".join(failures))


@commands.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(file: Path) -> None:
    """Write a consistent copy of the whole database to FILE, while the service runs.

    SQLite: the online backup API; PostgreSQL: pg_dump's custom format.
    """
    url = backup.database_url()
    try:
        summary = backup.backup(
            url, file, busy_timeout_ms=current_app.config["SQLITE_BUSY_TIMEOUT_MS"]
        )
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Backed up {backup.describe_target(url)} to {file}: {summary.describe()}.")


@commands.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace the database without asking.")
@with_appcontext
def restore_command(file: Path, yes: bool) -> None:
    """Replace the whole database with the backup in FILE (made by `drafting backup`).

    Everything written since the backup is lost. Requests of a running service wait while
    the restore runs; stopping the service first is safer.
    """
    url = backup.database_url()
    try:
        revision = backup.check_backup(url, file)
        if not yes:
            click.confirm(
                f"Replace everything in {backup.describe_target(url)} with the backup {file}?",
                abort=True,
            )
        summary = backup.restore(
            url, file, busy_timeout_ms=current_app.config["SQLITE_BUSY_TIMEOUT_MS"]
        )
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Restored {file} into {backup.describe_target(url)}: {summary.describe()}.")
    if revision != backup.head_revision():
        click.echo(
            f"The backup's schema is at revision {revision}; bring it up to date with "
            "`drafting db upgrade`."
        )
    click.echo("Check it with `drafting verify`.")


@commands.group("users")
def users_group() -> None:
    """People who log in."""


@users_group.command("add")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option(
    "--role", required=True, type=click.Choice(["secretariat", "chair", "delegate", "observer"])
)
@click.option("--delegation", "code", required=True, help="The delegation's code, e.g. AUT or IOM.")
@click.password_option("--password", help="Asked for if not given.")
@with_appcontext
def users_add(email: str, name: str, role: str, code: str, password: str) -> None:
    """Add a person who can log in."""
    delegation = db.session.scalar(select(Delegation).where(Delegation.code == code.upper()))
    if delegation is None:
        raise click.ClickException(
            f"There is no delegation with code {code}; add it with `drafting delegations add`."
        )
    try:
        user = people.create_user(
            None, email=email, name=name, role=role, delegation=delegation, password=password
        )
    except people.PeopleError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"Added {user.name} <{user.email}>, {user.role.value} of {delegation.code}.")


@users_group.command("reset-password")
@click.argument("email")
@with_appcontext
def users_reset_password(email: str) -> None:
    """Give a person a temporary password (printed once) to replace at their next login: for
    the server's administrator when no one of the secretariat can log in any more."""
    user = db.session.scalar(select(User).where(User.email == normal_email(email)))
    if user is None:
        raise click.ClickException(f"There is no account for {email}.")
    try:
        temporary = people.reset_password(None, user)
    except people.PeopleError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"Temporary password of {user.email}: {temporary}")
    click.echo("Every login and API token of theirs has ended; they choose a new password next.")


@commands.group("delegations")
def delegations_group() -> None:
    """States and organisations."""


@delegations_group.command("add")
@click.option("--name", required=True)
@click.option(
    "--code", required=True, help="ISO 3166 alpha-3 for a state, the acronym for an organisation."
)
@click.option(
    "--kind", type=click.Choice(["state", "organisation"]), default="state", show_default=True
)
@with_appcontext
def delegations_add(name: str, code: str, kind: str) -> None:
    """Add a delegation."""
    try:
        delegation = people.create_delegation(None, name=name, code=code, kind=kind)
    except people.PeopleError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"Added {delegation.name} ({delegation.code}).")


# Every command of the service, added to the app's command group by the app factory.
ALL = (
    *commands.commands.values(),
    compare_command,
    send_mail_command,
    remind_command,
    mail_worker_command,
    silence_group,
    comments_group,
    translations_group,
)
