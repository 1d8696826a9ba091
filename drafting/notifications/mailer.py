"""Mail backends: how `drafting send-mail` hands a message of the outbox to the world.

``console`` (the default) prints each message, so that a development machine sends nothing;
``smtp`` delivers it through the server in the configuration. Every message carries a
Message-ID made from its outbox row, so that one sent again after a crash (the server took it,
the process died before the row was marked) is recognisable as the same message.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from urllib.parse import urlsplit

import click

from drafting.database import utcnow
from drafting.notifications.models import OutboxMessage

BEGIN = "-----BEGIN MESSAGE {id}-----"
END = "-----END MESSAGE {id}-----"


class MailError(Exception):
    """The server refused this message (a recipient, its size, ...): worth another attempt
    later, and counted against the message."""


class MailServerUnavailable(MailError):
    """The mail server could not be reached or refused to let us in: not the message's fault,
    so not counted against it. Sending stops until the next run."""


def message_id(message: OutboxMessage, domain: str) -> str:
    """The same Message-ID for the same outbox row, however often it is sent."""
    created = f"{message.created_dt:%Y%m%d%H%M%S}" if message.created_dt else "0"
    return f"<outbox.{message.id}.{created}@{domain}>"


def _domain(config) -> str:
    address = parseaddr(config.get("MAIL_FROM", ""))[1]
    if "@" in address:
        return address.rsplit("@", 1)[1]
    return urlsplit(config.get("BASE_URL", "")).hostname or "localhost"


def build_email(message: OutboxMessage, config) -> EmailMessage:
    """The e-mail for one outbox row, with the sender and the domain from ``config``."""
    email = EmailMessage()
    email["From"] = config["MAIL_FROM"]
    email["To"] = message.to_address
    email["Subject"] = " ".join(message.subject.split())  # no header injection by a newline
    email["Date"] = format_datetime(message.created_dt or utcnow())
    email["Message-ID"] = message_id(message, _domain(config))
    email["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies, please
    email.set_content(message.body)
    return email


class ConsoleBackend:
    """Prints each message to standard output between clear markers; sends nothing."""

    name = "console"

    def __init__(self, config, echo: Callable[[str], None] = click.echo) -> None:
        self.config = config
        self.echo = echo

    def __enter__(self) -> ConsoleBackend:
        return self

    def __exit__(self, *_exc) -> None:
        return None

    def send(self, message: OutboxMessage) -> None:
        email = build_email(message, self.config)
        self.echo(BEGIN.format(id=message.id))
        for header in ("Message-ID", "Date", "From", "To", "Subject"):
            self.echo(f"{header}: {email[header]}")
        self.echo("")
        self.echo(email.get_content().rstrip("\n"))
        self.echo(END.format(id=message.id))


class SmtpBackend:
    """Delivers through MAIL_SERVER:MAIL_PORT with smtplib, one connection for the whole run,
    STARTTLS when MAIL_USE_TLS, and a login when MAIL_USERNAME is set."""

    name = "smtp"

    def __init__(self, config) -> None:
        self.config = config
        self.connection: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpBackend:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def close(self) -> None:
        if self.connection is None:
            return
        try:
            self.connection.quit()
        except (smtplib.SMTPException, OSError):
            self.connection.close()
        self.connection = None

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        server, port = config["MAIL_SERVER"], int(config["MAIL_PORT"])
        try:
            connection = smtplib.SMTP(server, port, timeout=config.get("MAIL_TIMEOUT", 30))
        except (smtplib.SMTPException, OSError) as exc:
            raise MailServerUnavailable(f"cannot reach {server}:{port}: {_reason(exc)}") from exc
        try:
            if config.get("MAIL_USE_TLS"):
                connection.starttls(context=ssl.create_default_context())
            if config.get("MAIL_USERNAME"):
                connection.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD", ""))
        except (smtplib.SMTPException, OSError) as exc:
            connection.close()
            raise MailServerUnavailable(f"{server}:{port} refused us: {_reason(exc)}") from exc
        return connection

    def send(self, message: OutboxMessage) -> None:
        email = build_email(message, self.config)
        reused = self.connection is not None
        if self.connection is None:
            self.connection = self._connect()
        try:
            refused = self.connection.send_message(email)
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            self.connection = None
            if reused:
                # The server may have closed an idle connection: once more on a new one.
                self.send(message)
                return
            # The line dropped mid-message: whether it arrived is unknown. Count it; if it did
            # arrive, the resend carries the same Message-ID.
            raise MailError(f"connection lost while sending: {_reason(exc)}") from exc
        except smtplib.SMTPException as exc:
            self._reset()
            raise MailError(_reason(exc)) from exc
        if refused:
            raise MailError(f"refused recipients: {_reason(refused)}")

    def _reset(self) -> None:
        """After a refusal, start the next message on a clean transaction."""
        try:
            self.connection.rset()
        except (smtplib.SMTPException, OSError):
            self.close()


def _reason(exc) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        exc = exc.recipients
    if isinstance(exc, dict):
        return "; ".join(f"{to}: {_reason(answer)}" for to, answer in exc.items())
    if isinstance(exc, tuple) and len(exc) == 2 and isinstance(exc[0], int):
        text = exc[1].decode("utf-8", "replace") if isinstance(exc[1], bytes) else str(exc[1])
        return f"{exc[0]} {text}"
    code = getattr(exc, "smtp_code", None)
    if code is not None:
        text = exc.smtp_error
        text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
        return f"{code} {text}"
    return str(exc) or type(exc).__name__


BACKENDS = {"console": ConsoleBackend, "smtp": SmtpBackend}


def backend_for(config):
    """The backend MAIL_BACKEND names; a clear error for a name that is not one."""
    name = (config.get("MAIL_BACKEND") or "console").lower()
    try:
        backend = BACKENDS[name]
    except KeyError:
        raise ValueError(
            f"MAIL_BACKEND is {name!r}; it must be one of {', '.join(sorted(BACKENDS))}."
        ) from None
    return backend(config)
