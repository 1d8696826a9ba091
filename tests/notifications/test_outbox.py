"""The Outbox page and `make run`'s mail worker: the secretariat sees mail as people get it."""

from __future__ import annotations

import re
from pathlib import Path

from drafting.extensions import db
from drafting.notifications.operations import queue_mail

from .conftest import outbox

MAKEFILE = Path(__file__).resolve().parents[2] / "Makefile"


def _queue(people, count: int = 1, user=None) -> None:
    for n in range(count):
        queue_mail(user or people.aut, subject=f"Message {n + 1}", body="Hello.\n", kind="test")
    db.session.commit()


def test_make_run_starts_the_mail_worker_beside_the_server_and_stops_it_with_it():
    makefile = MAKEFILE.read_text()
    recipe = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "$(MAIL_WORKER) &" in recipe and "trap 'kill $$worker" in recipe
    assert re.search(r"^MAIL_WORKER = \$\(BIN\)/drafting mail-worker", makefile, re.M)
    assert re.search(r"^export BASE_URL \?= http://\$\(HOST\):\$\(PORT\)$", makefile, re.M)


def test_one_turn_of_the_mail_worker_sends_what_waits_and_marks_it_sent(runner, people):
    _queue(people, 3)
    result = runner.invoke(args=["mail-worker", "--once"])

    assert result.exit_code == 0, result.output
    assert result.output.count("-----BEGIN MESSAGE") == 3
    assert "Sent 3 messages." in result.output
    assert all(m.sent_dt is not None for m in outbox())


def test_the_mail_worker_queues_due_reminders_and_sends_them_in_the_same_turn(runner, open_round):
    from datetime import UTC, datetime, timedelta

    open_round(closes_dt=datetime.now(UTC) + timedelta(hours=5))
    runner.invoke(args=["mail-worker", "--once"])

    reminders = outbox("consultation.reminder")
    assert reminders and all(m.sent_dt is not None for m in reminders)


def test_secretariat_reads_the_outbox_with_each_message_queued_or_sent(
    client, auth, people, runner
):
    _queue(people, 1)
    runner.invoke(args=["send-mail"])
    _queue(people, 1, user=people.pak)
    auth.login(people.secretariat)

    html = client.get("/outbox").get_data(as_text=True)
    assert 'href="/outbox">Outbox</a>' in html
    assert re.search(r'data-status="queued">\s*<td>.*?</td>\s*<td>delegate.pak@', html, re.S)
    assert re.search(r'data-status="sent">\s*<td>.*?</td>\s*<td>delegate.aut@', html, re.S)


def test_outbox_filters_by_recipient_and_status(client, auth, people, runner):
    _queue(people, 1)
    runner.invoke(args=["send-mail"])
    _queue(people, 2, user=people.pak)
    auth.login(people.secretariat)

    assert client.get("/outbox?to=PAK").get_data(as_text=True).count("<tr id=") == 2
    assert client.get("/outbox?status=sent").get_data(as_text=True).count("<tr id=") == 1
    assert client.get("/outbox?to=pak&status=sent").get_data(as_text=True).count("<tr id=") == 0


def test_outbox_is_paged(client, auth, people, monkeypatch):
    from drafting.pages import outbox as page

    monkeypatch.setattr(page, "PAGE_SIZE", 2)
    _queue(people, 5)
    auth.login(people.secretariat)

    html = client.get("/outbox?page=3").get_data(as_text=True)
    assert html.count("<tr id=") == 1 and "Page 3 of 3" in html
    assert client.get("/outbox?page=nonsense").status_code == 200


def test_only_the_secretariat_sees_the_outbox(client, auth, people):
    auth.login(people.aut)
    assert client.get("/outbox").status_code == 403
    assert "/outbox" not in client.get("/").get_data(as_text=True)


# Words that tell a person mail has gone out, when it has only been written to the outbox.
SAYS_SENT = re.compile(
    r"(told|informed|notified) by (e-)?mail|(is|are|been|was|were) (e-)?mailed"
    r"|mail (was|were|has been|have been) sent",
    re.I,
)


def test_no_page_or_message_says_mail_was_sent_when_it_is_only_queued():
    root = MAKEFILE.parent
    sources = [*root.glob("templates/**/*.html"), *root.glob("drafting/**/*.py")]
    claims = [
        f"{path.relative_to(root)}: {match.group(0)}"
        for path in sources
        for match in SAYS_SENT.finditer(path.read_text())
    ]
    assert claims == []


def test_publishing_says_the_mail_is_queued(client, auth, people, published, open_round):
    from drafting.documents.editing import open_working_draft

    draft = open_working_draft(people.secretariat, published, label="Draft 1")
    db.session.commit()
    auth.login(people.secretariat)
    client.post(f"/versions/{draft.id}/publish", data={"confirm": "y"})

    html = client.get(f"/versions/{draft.id}").get_data(as_text=True)
    assert "Mail to every participant is queued in the outbox." in html


def test_a_busy_database_does_not_stop_the_mail_worker(runner, people, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from drafting.cli import mail as commands

    turns = iter([OperationalError("BEGIN", {}, Exception("database is locked"))])
    real_turn = commands.work_once

    def turn(backend, max_attempts):
        if (error := next(turns, None)) is not None:
            raise error
        return real_turn(backend, max_attempts)

    parents = iter([1, 1, 2])  # the server that started the worker ends after the second turn
    monkeypatch.setattr(commands, "work_once", turn)
    monkeypatch.setattr(commands.os, "getppid", lambda: next(parents))
    monkeypatch.setattr(commands.time, "sleep", lambda _seconds: None)
    _queue(people, 1)

    result = runner.invoke(args=["mail-worker"])
    assert "the database refused this turn" in result.output
    assert "Sent 1 message." in result.output and outbox()[0].sent_dt is not None


def test_the_outbox_shows_a_reminder_by_its_subject_only(client, auth, people):
    # A reminder counts the delegation's unsubmitted drafts, which the secretariat never sees.
    queue_mail(
        people.aut,
        subject="Reminder: the deadline is tomorrow",
        body="Your delegation has 2 draft comments saved but not submitted.",
        kind="consultation.reminder",
    )
    db.session.commit()
    auth.login(people.secretariat)
    html = client.get("/outbox").get_data(as_text=True)
    assert "Reminder: the deadline is tomorrow" in html
    assert "draft comments saved" not in html
