"""Twenty editors saving the same paragraph from the same revision, at once: exactly one save
wins, every other is refused as stale and told so; and edits racing a publication either make
it into the published text (and its hash) or are refused. Nothing is silently lost."""

from __future__ import annotations

import threading

from sqlalchemy import select

from config import TestConfig
from drafting.app import create_app
from drafting.auth.models import User
from drafting.documents import editing, operations, publishing, working_draft
from drafting.documents.models import Paragraph, Version
from drafting.extensions import db
from tests.editing.conftest import paragraph

THREADS = 20


def _app(database_url):
    return create_app(
        TestConfig, SQLALCHEMY_DATABASE_URI=database_url, SQLITE_BEGIN_OUTSIDE_REQUESTS="IMMEDIATE"
    )


def test_concurrent_saves_from_one_revision_one_wins_the_rest_are_refused(
    database_url, people, working
):
    version_id, uid, actor_id = working.id, paragraph(working, "2.").uid, people.secretariat.id
    db.session.commit()
    app = _app(database_url)
    barrier = threading.Barrier(THREADS)
    outcomes: list[str | None] = [None] * THREADS

    def save(n: int) -> None:
        with app.app_context():
            barrier.wait()
            try:
                editing.edit_paragraph(
                    db.session.get(User, actor_id),
                    db.session.get(Version, version_id),
                    uid,
                    source=f"2. Wording number {n}.",
                    base_revision=1,
                )
                db.session.commit()
                outcomes[n] = "saved"
            except working_draft.StaleParagraph:
                db.session.rollback()
                outcomes[n] = "stale"
            finally:
                db.session.remove()

    threads = [threading.Thread(target=save, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("saved") == 1 and outcomes.count("stale") == THREADS - 1
    winner = outcomes.index("saved")
    db.session.rollback()
    stored = db.session.scalar(
        select(Paragraph).where(Paragraph.version_id == version_id, Paragraph.uid == uid)
    )
    assert stored.text == f"Wording number {winner}." and stored.revision == 2


def test_edits_racing_a_publication_are_in_the_hash_or_refused(database_url, people, working):
    version_id, actor_id = working.id, people.secretariat.id
    uids = [p.uid for p in working.paragraphs if not p.is_heading]
    db.session.commit()
    app = _app(database_url)
    barrier = threading.Barrier(len(uids) + 1)
    saved: list[str] = []

    def edit(uid: str) -> None:
        with app.app_context():
            barrier.wait()
            try:
                current = db.session.scalar(
                    select(Paragraph).where(
                        Paragraph.version_id == version_id, Paragraph.uid == uid
                    )
                )
                editing.edit_paragraph(
                    db.session.get(User, actor_id),
                    db.session.get(Version, version_id),
                    uid,
                    source=f"{current.label or ''} Raced text for {uid[:6]}.".strip(),
                    base_revision=current.revision,
                )
                db.session.commit()
                saved.append(uid)
            except editing.EditError:
                db.session.rollback()
            finally:
                db.session.remove()

    def publish() -> None:
        with app.app_context():
            barrier.wait()
            try:
                publishing.publish_version(
                    db.session.get(User, actor_id), db.session.get(Version, version_id)
                )
                db.session.commit()
            finally:
                db.session.remove()

    threads = [threading.Thread(target=edit, args=(uid,)) for uid in uids]
    threads.append(threading.Thread(target=publish))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.session.rollback()
    checked, mismatches = operations.verify_published_hashes()
    assert mismatches == [] and checked == 2
    published = db.session.get(Version, version_id)
    texts = {p.uid: p.text for p in published.paragraphs}
    for uid in saved:
        assert texts[uid].startswith("Raced text")
