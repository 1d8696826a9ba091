"""`drafting send-mail`: each pending message sent once, marked, and kept when refused."""

from __future__ import annotations

import threading
import time

import pytest

from config import TestConfig
from drafting.app import create_app
from drafting.auth.models import User
from drafting.extensions import db
from drafting.notifications import sending
from drafting.notifications.mailer import build_email, message_id
from drafting.notifications.models import OutboxMessage
from drafting.notifications.operations import queue_mail

from .conftest import outbox


@pytest.fixture
def queued(people):
    """Three messages waiting: to AUT's delegates and to PAK, one with non-ASCII text."""
    for user, subject in [
        (people.aut, "Comments invited on the zero draft"),
        (people.aut2, "Comments invited on the zero draft"),
        (people.pak, "Délai prolongé — “Zero draft”"),
    ]:
        queue_mail(user, subject=subject, body=f"Dear {user.name},\n\nÀ bientôt.\n", kind="test")
    db.session.commit()
    return outbox()


def test_console_prints_each_pending_message_between_markers_and_marks_it_sent(runner, queued):
    result = runner.invoke(args=["send-mail"])

    assert result.exit_code == 0, result.output
    for message in queued:
        assert result.output.count(f"-----BEGIN MESSAGE {message.id}-----") == 1
        assert result.output.count(f"-----END MESSAGE {message.id}-----") == 1
        assert f"To: {message.to_address}" in result.output
    assert "Subject: Délai prolongé — “Zero draft”" in result.output
    assert "À bientôt." in result.output
    assert result.output.rstrip().splitlines()[-1] == "Sent 3 messages."
    assert all(m.sent_dt is not None and m.attempts == 1 for m in outbox())


def test_console_sends_oldest_first_and_nothing_twice(runner, queued):
    first = runner.invoke(args=["send-mail"]).output
    positions = [first.index(f"BEGIN MESSAGE {m.id}-") for m in queued]
    assert positions == sorted(positions)

    again = runner.invoke(args=["send-mail"])
    assert again.exit_code == 0
    assert "BEGIN MESSAGE" not in again.output
    assert "Sent 0 messages." in again.output


def test_limit_sends_only_that_many_and_leaves_the_rest_pending(runner, queued):
    result = runner.invoke(args=["send-mail", "--limit", "2"])
    assert "Sent 2 messages." in result.output
    assert [m.sent_dt is not None for m in outbox()] == [True, True, False]


def test_dry_run_lists_what_would_be_sent_and_sends_nothing(runner, queued):
    result = runner.invoke(args=["send-mail", "--dry-run"])
    assert result.exit_code == 0
    assert "BEGIN MESSAGE" not in result.output
    for message in queued:
        assert f"#{message.id} test to {message.to_address}" in result.output
    assert "would send 3 of 3 pending messages" in result.output
    assert all(m.sent_dt is None and m.attempts == 0 for m in outbox())


def test_smtp_delivers_each_message_once_with_its_own_message_id(app, runner, queued, smtp_server):
    app.config.update(MAIL_FROM="Secretariat <drafting@talks.example.org>")
    result = runner.invoke(args=["send-mail"])

    assert result.exit_code == 0, result.output
    assert "Sent 3 messages." in result.output
    assert [to for _, (to,) in smtp_server.envelopes] == [m.to_address for m in queued]
    assert {sender for sender, _ in smtp_server.envelopes} == {"drafting@talks.example.org"}
    first = smtp_server.received[0]
    assert first["To"] == queued[0].to_address
    assert first["From"] == "Secretariat <drafting@talks.example.org>"
    assert first["Auto-Submitted"] == "auto-generated"
    assert first.get_content().replace("\r\n", "\n") == queued[0].body
    assert smtp_server.received[2]["Subject"] == "Délai prolongé — “Zero draft”"
    ids = [m["Message-ID"] for m in smtp_server.received]
    assert len(set(ids)) == 3
    assert ids[0] == message_id(queued[0], "talks.example.org")
    assert all(i.endswith("@talks.example.org>") for i in ids)
    assert all(m.sent_dt is not None for m in outbox())
    assert smtp_server.logins == []


def test_smtp_logs_in_when_a_username_is_configured(app, runner, queued, smtp_server):
    app.config.update(MAIL_USERNAME="drafting", MAIL_PASSWORD="s3cret")
    assert runner.invoke(args=["send-mail"]).exit_code == 0
    assert smtp_server.logins == [("drafting", "s3cret")]


def test_a_message_sent_again_after_a_crash_has_the_same_message_id(app, queued):
    """The server took the message, the process died before marking it: the resend is
    recognisable as the same message, and no other message shares its Message-ID."""
    before_crash = build_email(queued[0], app.config)["Message-ID"]
    db.session.remove()
    after_restart = build_email(db.session.get(OutboxMessage, queued[0].id), app.config)
    assert after_restart["Message-ID"] == before_crash
    assert build_email(outbox()[1], app.config)["Message-ID"] != before_crash


def test_a_refused_recipient_stays_pending_with_the_servers_answer(
    runner, queued, smtp_server, people
):
    smtp_server.refuse_recipients.add(people.aut2.email)

    result = runner.invoke(args=["send-mail"])

    assert result.exit_code == 1
    assert "Sent 2 messages, 1 failed and will be tried again." in result.output
    refused = next(m for m in outbox() if m.to_address == people.aut2.email)
    assert refused.sent_dt is None
    assert refused.attempts == 1
    assert "550" in refused.last_error and "No such mailbox" in refused.last_error
    assert [to for _, (to,) in smtp_server.envelopes] == [people.aut.email, people.pak.email]

    smtp_server.refuse_recipients.clear()
    retry = runner.invoke(args=["send-mail"])
    assert "Sent 1 message." in retry.output
    refused = db.session.get(OutboxMessage, refused.id)
    assert refused.sent_dt is not None and refused.attempts == 2


def test_a_refused_message_stays_pending_and_the_next_one_is_still_sent(
    runner, queued, smtp_server
):
    smtp_server.refuse_data = True
    result = runner.invoke(args=["send-mail"])
    assert result.exit_code == 1
    assert "Sent 0 messages, 3 failed" in result.output
    for message in outbox():
        assert message.sent_dt is None and message.attempts == 1
        assert "554" in message.last_error


def test_an_unreachable_mail_server_keeps_everything_pending_without_using_up_attempts(
    app, runner, queued, closed_port
):
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=closed_port)

    result = runner.invoke(args=["send-mail"])

    assert result.exit_code == 1
    assert "stopped: cannot reach 127.0.0.1" in result.output
    messages = outbox()
    assert all(m.sent_dt is None and m.attempts == 0 for m in messages)
    assert "cannot reach" in messages[0].last_error


def test_a_message_refused_ten_times_is_given_up_and_reported(runner, queued, people):
    refused = queued[1]
    refused.attempts, refused.last_error = 10, "550 No such mailbox here"
    db.session.commit()

    result = runner.invoke(args=["send-mail"])

    assert f"BEGIN MESSAGE {refused.id}-" not in result.output
    assert f"Given up: #{refused.id} test to {people.aut2.email} after 10 attempts" in (
        result.output
    )
    assert "Sent 2 messages, 1 given up after 10 failed attempts" in result.output
    assert db.session.get(OutboxMessage, refused.id).sent_dt is None


def test_an_unknown_backend_is_named_in_the_error(app, runner, queued):
    app.config.update(MAIL_BACKEND="pigeon")
    result = runner.invoke(args=["send-mail"])
    assert result.exit_code != 0
    assert "MAIL_BACKEND is 'pigeon'" in result.output
    assert all(m.sent_dt is None for m in outbox())


class SlowRecorder:
    """A backend that takes a moment per message, long enough for two runs to overlap."""

    sent: list[int] = []
    lock = threading.Lock()

    def send(self, message):
        time.sleep(0.01)
        with self.lock:
            self.sent.append(message.id)


def test_two_send_mail_runs_at_once_send_each_message_once(database_url, people):
    """As in production, each run's transaction takes the write lock before it reads (SQLite)
    or claims its row with FOR UPDATE SKIP LOCKED (PostgreSQL)."""
    app = create_app(
        TestConfig, SQLALCHEMY_DATABASE_URI=database_url, SQLITE_BEGIN_OUTSIDE_REQUESTS="IMMEDIATE"
    )
    with app.app_context():
        users = db.session.scalars(db.select(User).order_by(User.id)).all()
        for n in range(30):
            queue_mail(users[n % len(users)], subject=f"Message {n}", body="…", kind="test")
        db.session.commit()
        db.session.remove()

    backend = SlowRecorder()
    backend.sent = []
    reports, errors = [], []

    def run():
        try:
            with app.app_context():
                reports.append(sending.send_pending(backend))
                db.session.remove()
        except Exception as exc:  # reported below, so that a failure is not lost in the thread
            errors.append(exc)

    runs = [threading.Thread(target=run) for _ in range(2)]
    for thread in runs:
        thread.start()
    for thread in runs:
        thread.join()

    assert errors == []
    assert len(backend.sent) == 30
    assert sorted(backend.sent) == sorted(set(backend.sent))
    assert sum(r.sent for r in reports) == 30
    with app.app_context():
        assert all(m.sent_dt is not None for m in db.session.scalars(db.select(OutboxMessage)))
        db.engine.dispose()
