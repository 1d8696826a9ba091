"""Fixtures for mail, reminders and feeds: the rounds' fixtures, the outbox, an SMTP server."""

from __future__ import annotations

import base64
import email
import email.policy
import socket
import socketserver
import threading
from dataclasses import dataclass, field

import pytest
from sqlalchemy import func, select

from drafting.extensions import db
from drafting.notifications.models import OutboxMessage
from tests.consultations.conftest import delegation, open_round, paragraph, people, published

__all__ = ["delegation", "open_round", "paragraph", "people", "published"]


def outbox(kind: str | None = None, *, after: int = 0) -> list[OutboxMessage]:
    """The outbox as the database has it now, oldest first, optionally of one kind, or only
    the messages queued after the one numbered ``after`` (see `last_queued`)."""
    db.session.expire_all()
    stmt = select(OutboxMessage).where(OutboxMessage.id > after).order_by(OutboxMessage.id)
    if kind:
        stmt = stmt.where(OutboxMessage.kind == kind)
    return list(db.session.scalars(stmt))


def last_queued() -> int:
    """The number of the last message queued so far (0 if none): a mark to count from."""
    return db.session.scalar(select(func.coalesce(func.max(OutboxMessage.id), 0)))


@dataclass
class SmtpServer:
    """What a tiny SMTP server on 127.0.0.1 received, and what it is told to refuse."""

    host: str
    port: int
    received: list = field(default_factory=list)  # email.message.EmailMessage
    envelopes: list = field(default_factory=list)  # (mail from, [rcpt to])
    logins: list = field(default_factory=list)
    refuse_recipients: set = field(default_factory=set)
    refuse_data: bool = False


class _SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough of RFC 5321 for smtplib: EHLO, AUTH PLAIN, MAIL, RCPT, DATA, RSET, QUIT."""

    def reply(self, text: str) -> None:
        self.wfile.write(text.encode() + b"\r\n")

    def handle(self) -> None:
        state: SmtpServer = self.server.state
        sender, recipients = None, []
        self.reply("220 localhost test SMTP")
        while line := self.rfile.readline():
            command = line.decode("utf-8", "replace").rstrip("\r\n")
            verb = command.split(" ", 1)[0].upper()
            if verb == "EHLO":
                self.reply("250-localhost\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 AUTH PLAIN")
            elif verb == "HELO":
                self.reply("250 localhost")
            elif verb == "AUTH":
                _, who, password = base64.b64decode(command.split()[-1]).split(b"\0")
                state.logins.append((who.decode(), password.decode()))
                self.reply("235 2.7.0 Authentication successful")
            elif verb == "MAIL":
                sender, recipients = command.split(":", 1)[1].split()[0].strip("<>"), []
                self.reply("250 OK")
            elif verb == "RCPT":
                to = command.split(":", 1)[1].split()[0].strip("<>")
                if to in state.refuse_recipients:
                    self.reply("550 5.1.1 No such mailbox here")
                else:
                    recipients.append(to)
                    self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while (data := self.rfile.readline()) not in (b".\r\n", b""):
                    lines.append(data[1:] if data.startswith(b"..") else data)
                if state.refuse_data:
                    self.reply("554 5.6.0 Message refused")
                    continue
                state.received.append(
                    email.message_from_bytes(b"".join(lines), policy=email.policy.default)
                )
                state.envelopes.append((sender, recipients))
                self.reply("250 OK queued")
            elif verb in ("RSET", "NOOP"):
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


@pytest.fixture
def smtp_server(app):
    """A real SMTP server in a thread, and the app configured to send through it."""
    server = _Server(("127.0.0.1", 0), _SmtpHandler)
    host, port = server.server_address
    server.state = SmtpServer(host, port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER=host, MAIL_PORT=port, MAIL_USE_TLS=False)
    yield server.state
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
