"""The same Idempotency-Key sent by many requests at the same instant (a client retrying while
its first request is still running): one comment is stored, one request answers 201 and every
other answers 200 with that comment, on SQLite and on PostgreSQL.

Each thread is a request of its own, with its own session and connection, as under gunicorn;
on PostgreSQL the key's INSERT … ON CONFLICT DO NOTHING waits for the request that holds the
key uncommitted, on SQLite the write lock serialises them."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from config import TestConfig
from drafting.api.models import IdempotencyKey
from drafting.app import create_app
from drafting.audit.chain import verify_chain
from drafting.consultations.models import Comment, CommentRevision
from drafting.extensions import db
from drafting.notifications.models import OutboxMessage
from tests.api.conftest import paragraph

THREADS = 8


def test_one_key_sent_by_eight_requests_at_once_stores_one_comment(
    database_url, people, published, open_round, token_for
):
    consultation = open_round()
    uid = paragraph(published, "1.").uid
    secret = token_for(people.aut)
    path = f"/api/v1/consultations/{consultation.id}/comments"
    db.session.commit()
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=database_url)
    barrier = threading.Barrier(THREADS)
    answers: list[tuple[int, dict]] = []

    def post() -> None:
        client = app.test_client()
        barrier.wait()
        response = client.post(
            path,
            json={"kind": "paragraph", "paragraph_uid": uid, "body": "Sent once, retried."},
            headers={
                "Authorization": f"Bearer {secret}",
                "Idempotency-Key": "retried-while-running-1",
            },
        )
        answers.append((response.status_code, response.get_json()))

    threads = [threading.Thread(target=post) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    with app.app_context():
        db.engine.dispose()

    statuses = sorted(status for status, _ in answers)
    assert statuses == [200] * (THREADS - 1) + [201], answers
    assert len({answer["id"] for _, answer in answers}) == 1
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Comment.id))) == 1
    assert db.session.scalar(select(func.count(IdempotencyKey.id))) == 1
    assert db.session.scalar(select(func.count(CommentRevision.id))) == 1
    receipts = select(func.count(OutboxMessage.id)).where(OutboxMessage.kind == "comment.receipt")
    assert db.session.scalar(receipts) == 1
    assert verify_chain().problems == []
