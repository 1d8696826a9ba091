"""How do the pages of a round of comments scale? Queries and server time, small and large.

Builds a fresh database (SQLite in a temporary folder, or an empty PostgreSQL database with
``--postgres``) through the real migrations, with 40 delegations of one delegate each, and two
documents: a large one (1,000 paragraphs, 5,000 submitted comments) and a small one (20
paragraphs, 50 comments). Each has a published zero draft, a round of comments on it (open
visibility, so every participant reads every comment), decisions on some comments, co-sponsors
on some amendments, and a published Draft 1 in which some paragraphs were reworded.

A few comments are written through the operations, as a delegate would; the rest are inserted
in bulk (comments, their first revision, decisions, co-sponsors), so that building takes
seconds. Then, logged in through the Flask test client, it measures four pages of each
document: the compilation (as the secretariat), a delegate's view of the consulted draft, the
version page of Draft 1 with the earlier comments beside its paragraphs, and the comparison of
the two drafts. For each: the number of SQL statements per page (which must not grow with the
document: large/small = 1.0, and at most 15) and the median server time of several requests.
A page that is not written yet (501) is reported as not available.

    .venv/bin/python bench/consultations.py [--runs 7] [--postgres postgresql://.../empty_db]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import event, func, insert, inspect, select, text  # noqa: E402

from config import TestConfig  # noqa: E402
from drafting.app import create_app  # noqa: E402
from drafting.auth.models import Delegation, User  # noqa: E402
from drafting.auth.operations import create_delegation, create_user, hash_password  # noqa: E402
from drafting.consultations import commenting, rounds  # noqa: E402
from drafting.consultations.models import (  # noqa: E402
    Comment,
    CommentKind,
    CommentRevision,
    CommentStatus,
    Consultation,
    Decision,
    Outcome,
    Support,
)
from drafting.documents.importing import import_version  # noqa: E402
from drafting.documents.models import Paragraph, ParagraphKind, Version  # noqa: E402
from drafting.documents.operations import create_document  # noqa: E402
from drafting.extensions import db  # noqa: E402

SEED = 20_291_222
DELEGATIONS = 40
SIZES = {"small": (20, 50), "large": (1_000, 5_000)}  # paragraphs, comments
SECTION_EVERY = 25
THROUGH_OPERATIONS = 6  # comments written as a delegate would; the rest in bulk
DECIDED, SUPPORTED, REWORDED = 0.3, 0.2, 0.1
PASSWORD = "a bench password, long enough"  # noqa: S105  (a throwaway database)
QUERY_GOAL = 15
# Kinds of comment, and how often each comes in.
KIND_WEIGHTS = {
    CommentKind.PARAGRAPH: 45,
    CommentKind.REPLACE: 25,
    CommentKind.INSERT: 8,
    CommentKind.DELETE: 7,
    CommentKind.SECTION: 8,
    CommentKind.GENERAL: 7,
}
_WORDS = (
    "cooperation dialogue protection access pathways regional partners capacity sharing "
    "responsibility commitment solidarity support development resilience communities host "
    "states framework dignity rights safety integration mobility data evidence platform "
    "financing partnerships coordination durable solutions inclusion livelihoods education "
    "health returns voluntary reception procedures assistance monitoring follow-up review "
    "implementation national local authorities civil society youth women children families"
)
_VERBS = (
    "affirm recognise welcome encourage invite commit support strengthen promote ensure "
    "consider underline note request urge reaffirm"
)
WORDS, VERBS = _WORDS.split(), _VERBS.split()


@dataclass
class Case:
    """One document of the benchmark, and what its pages are measured on."""

    name: str
    paragraphs: int
    comments: int
    document_id: int = 0
    zero_id: int = 0
    draft_1_id: int = 0
    consultation_id: int = 0


# ---------------------------------------------------------------------------------------------
# Text


def sentence(rng: random.Random) -> str:
    words = rng.sample(WORDS, rng.randint(6, 14))
    return f"We {rng.choice(VERBS)} {' '.join(words)}."


def zero_draft(rng: random.Random, paragraphs: int, title: str) -> str:
    blocks = [f"# {title}"]
    for number in range(1, paragraphs + 1):
        if number % SECTION_EVERY == 1:
            blocks.append(f"## Part {number // SECTION_EVERY + 1}: {rng.choice(WORDS).title()}")
        blocks.append(f"{number}. " + " ".join(sentence(rng) for _ in range(rng.randint(1, 3))))
    return "\n\n".join(blocks) + "\n"


def draft_1(rng: random.Random, source: str) -> str:
    """The zero draft with a share of its paragraphs reworded, so some comments are marked
    "the paragraph has changed since"."""
    blocks = source.strip().split("\n\n")
    for index, block in enumerate(blocks):
        if block[0].isdigit() and rng.random() < REWORDED:
            number, text = block.split(" ", 1)
            blocks[index] = f"{number} {text[:-1]}, as {rng.choice(WORDS)} allows."
    return "\n\n".join(blocks) + "\n"


# ---------------------------------------------------------------------------------------------
# Data


def people() -> tuple[User, list[User]]:
    """The secretariat and one delegate for each of 40 delegations."""
    password_hash = hash_password(PASSWORD)
    secretariat = create_user(
        None,
        email="secretariat@bench.example.org",
        name="Secretariat",
        role="secretariat",
        delegation=create_delegation(None, name="Secretariat", code="SECR", kind="organisation"),
        password="",
        password_hash=password_hash,
    )
    delegates = []
    for number in range(DELEGATIONS):
        code = "Q" + chr(65 + number // 26) + chr(65 + number % 26)  # QAA, QAB...: unassigned
        delegation = create_delegation(None, name=f"Delegation {code}", code=code, kind="state")
        delegates.append(
            create_user(
                None,
                email=f"delegate.{code.lower()}@bench.example.org",
                name=f"Delegate of {code}",
                role="delegate",
                delegation=delegation,
                password="",
                password_hash=password_hash,
            )
        )
    db.session.commit()
    return secretariat, delegates


def build(case: Case, secretariat: User, delegates: list[User], rng: random.Random) -> None:
    delegations = [db.session.get(Delegation, user.delegation_id) for user in delegates]
    title = f"Declaration of {case.paragraphs:,} paragraphs"
    document = create_document(None, title=title, participants=delegations)
    source = zero_draft(rng, case.paragraphs, title)
    zero = import_version(None, document, source, label="Zero draft", publish=True)
    now = datetime.now(UTC)
    consultation = rounds.open_consultation(
        None,
        zero,
        title=f"Comments on the zero draft ({case.name})",
        opens_dt=now - timedelta(hours=1),
        closes_dt=now + timedelta(days=30),
        timezone="Europe/Vienna",
        invited=delegations,
        visibility="open",
    )
    db.session.commit()
    paragraphs = [p for p in zero.paragraphs if p.kind == ParagraphKind.PARAGRAPH]
    headings = [p for p in zero.paragraphs if p.kind == ParagraphKind.HEADING]
    plan = [
        comment_plan(rng, number, paragraphs, headings, delegates)
        for number in range(case.comments)
    ]
    for kind, paragraph, body, proposed, author in plan[:THROUGH_OPERATIONS]:
        commenting.create_comment(
            author,
            consultation,
            kind=kind,
            paragraph_uid=paragraph.uid if paragraph else None,
            body=body,
            proposed_text=proposed,
            submit=True,
        )
    db.session.commit()
    bulk_comments(consultation, plan[THROUGH_OPERATIONS:], secretariat, delegates, rng)
    later = import_version(None, document, draft_1(rng, source), label="Draft 1", publish=True)
    db.session.commit()
    case.document_id, case.zero_id, case.draft_1_id = document.id, zero.id, later.id
    case.consultation_id = consultation.id


def comment_plan(rng, number, paragraphs, headings, delegates):
    kind = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]
    author = delegates[number % len(delegates)]
    paragraph = None
    if kind == CommentKind.SECTION:
        paragraph = rng.choice(headings)
    elif kind != CommentKind.GENERAL:
        paragraph = rng.choice(paragraphs)
    proposed = ""
    if kind == CommentKind.REPLACE:
        proposed = f"{paragraph.text.split('.')[0]}, in line with {rng.choice(WORDS)}."
    elif kind == CommentKind.INSERT:
        proposed = sentence(rng)
    body = f"{author.delegation.code} comment {number}: {sentence(rng)} *{rng.choice(WORDS)}*"
    return kind, paragraph, body, proposed, author


def bulk_comments(consultation, plan, secretariat, delegates, rng) -> None:
    """Insert submitted comments with their first revision, and decisions and co-sponsors on
    some of them, a few statements for thousands of rows."""
    if not plan:
        return
    first_id = (db.session.scalar(select(func.max(Comment.id))) or 0) + 1
    now = datetime.now(UTC)
    comments, revisions, decisions, supports = [], [], [], []
    for offset, (kind, paragraph, body, proposed, author) in enumerate(plan):
        comment_id = first_id + offset
        submitted = now - timedelta(minutes=len(plan) - offset)
        comments.append(
            {
                "id": comment_id,
                "consultation_id": consultation.id,
                "delegation_id": author.delegation_id,
                "kind": kind,
                "paragraph_id": paragraph.id if paragraph else None,
                "paragraph_uid": paragraph.uid if paragraph else None,
                "quote": "",
                "body": body,
                "proposed_text": proposed,
                "status": CommentStatus.SUBMITTED,
                "is_late": False,
                "revision": 1,
                "form_token": f"bench-comment-{comment_id:010d}",
                "created_dt": submitted,
                "created_by_id": author.id,
                "updated_dt": submitted,
                "updated_by_id": author.id,
                "submitted_dt": submitted,
                "submitted_by_id": author.id,
            }
        )
        revisions.append(
            {
                "comment_id": comment_id,
                "revision": 1,
                "kind": kind,
                "paragraph_uid": paragraph.uid if paragraph else None,
                "quote": "",
                "body": body,
                "proposed_text": proposed,
                "status": CommentStatus.SUBMITTED,
                "action": "submitted",
                "saved_dt": submitted,
                "saved_by_id": author.id,
            }
        )
        if rng.random() < DECIDED:
            decisions.append(
                {
                    "comment_id": comment_id,
                    "outcome": rng.choice(list(Outcome)),
                    "justification": sentence(rng),
                    "is_shared": rng.random() < 0.7,
                    "reflected_in": "Draft 1" if rng.random() < 0.5 else "",
                    "decided_dt": now,
                    "decided_by_id": secretariat.id,
                }
            )
        if kind.is_amendment and rng.random() < SUPPORTED:
            others = [u for u in delegates if u.delegation_id != author.delegation_id]
            for supporter in rng.sample(others, rng.randint(1, 3)):
                supports.append(
                    {
                        "comment_id": comment_id,
                        "delegation_id": supporter.delegation_id,
                        "user_id": supporter.id,
                        "created_dt": submitted + timedelta(seconds=30),
                    }
                )
    for model, rows in (
        (Comment, comments),
        (CommentRevision, revisions),
        (Decision, decisions),
        (Support, supports),
    ):
        if rows:
            db.session.execute(insert(model), rows)
    if db.engine.dialect.name == "postgresql":
        # The comments were given their ids here: move the sequence past them, or the next
        # comment written through the operations (the second document's) takes an id in use.
        db.session.execute(
            text(
                "SELECT setval(pg_get_serial_sequence('comments', 'id'), "
                "(SELECT max(id) FROM comments))"
            )
        )
    db.session.commit()


# ---------------------------------------------------------------------------------------------
# Measuring


@dataclass
class Measure:
    status: int
    queries: int = 0
    seconds: float = 0.0

    @property
    def available(self) -> bool:
        return self.status == 200


def measure(app, client, url: str, runs: int) -> Measure:
    """Queries of one request, then the median time of ``runs`` requests (after a warm-up)."""
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    response = client.get(url)  # warm-up: templates compiled, caches filled
    if response.status_code != 200:
        return Measure(response.status_code)
    event.listen(engine, "before_cursor_execute", count)
    try:
        client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - started)
    return Measure(200, len(statements), statistics.median(times))


def logged_in(app, email: str):
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    if response.status_code != 302:
        raise SystemExit(f"could not log in as {email}: {response.status_code}")
    return client


PAGES = (
    # (page, who reads it, endpoint, which ids of the case it needs, query string)
    ("compilation", "secretariat", "compilation.compilation", {"consultation_id"}, {}),
    ("delegate's view of the draft", "delegate", "comments.draft", {"consultation_id"}, {}),
    ("Draft 1, earlier comments beside", "delegate", "documents.version", {"version_id"}, {}),
    ("comparison zero -> Draft 1", "delegate", "documents.compare", {"document_id"}, {}),
    (
        "comparison, own comments only",
        "delegate",
        "documents.compare",
        {"document_id"},
        {"mine": 1},
    ),
)


def pages(app, case: Case) -> list[tuple[str, str, str]]:
    """(page, who reads it, url) for one document, built from the pages' endpoint names."""
    from flask import url_for

    ids = {
        "consultation_id": case.consultation_id,
        "version_id": case.draft_1_id,
        "document_id": case.document_id,
    }
    found = []
    with app.test_request_context():
        for page, who, endpoint, needs, query in PAGES:
            values = {name: ids[name] for name in needs} | query
            if endpoint == "documents.compare":
                values |= {"old": case.zero_id, "new": case.draft_1_id}
            found.append((page, who, url_for(endpoint, **values)))
    return found


def check_routes(app) -> None:
    """The pages measured keep their endpoint names; a renamed route is a failure here."""
    for endpoint in {endpoint for _page, _who, endpoint, _ids, _query in PAGES}:
        if endpoint not in app.view_functions:
            raise SystemExit(f"no such page: {endpoint}")


# ---------------------------------------------------------------------------------------------


def make_app(url: str):
    return create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url, WTF_CSRF_ENABLED=False)


def migrate(app, postgres: bool) -> None:
    from flask_migrate import upgrade

    with app.app_context():
        if postgres and inspect(db.engine).get_table_names():
            raise SystemExit(
                "The PostgreSQL database is not empty. Give the URL of an empty database: "
                "this script creates its tables and leaves its data there."
            )
        upgrade()
        print(f"database: {db.engine.dialect.name}, migrated")


def fill(app) -> tuple[dict[str, Case], dict[str, str]]:
    rng = random.Random(SEED)
    cases = {name: Case(name, *size) for name, size in SIZES.items()}
    with app.app_context():
        started = time.perf_counter()
        secretariat, delegates = people()
        for case in cases.values():
            build(case, secretariat, delegates, rng)
        counts = {
            "comments": db.session.scalar(select(func.count(Comment.id))),
            "paragraphs": db.session.scalar(select(func.count(Paragraph.id))),
            "versions": db.session.scalar(select(func.count(Version.id))),
            "rounds": db.session.scalar(select(func.count(Consultation.id))),
        }
        print(
            f"built in {time.perf_counter() - started:.1f} s: {counts['versions']} versions, "
            f"{counts['paragraphs']:,} paragraphs, {counts['rounds']} rounds, "
            f"{counts['comments']:,} comments"
        )
        readers = {"secretariat": secretariat.email, "delegate": delegates[0].email}
    return cases, readers


def report(app, cases: dict[str, Case], readers: dict[str, str], runs: int) -> bool:
    clients = {who: logged_in(app, email) for who, email in readers.items()}
    small, large = cases["small"], cases["large"]
    print(
        f"\n{'page':<34}{'reader':<13}{'queries':>8}{'':>8}{'':>7}{'server ms':>11}"
        f"\n{'':<34}{'':<13}{'large':>8}{'small':>8}{'ratio':>7}{'large':>11}{'small':>9}"
        f"{'ratio':>8}"
    )
    ok = True
    for (page, who, large_url), (_p, _w, small_url) in zip(
        pages(app, large), pages(app, small), strict=True
    ):
        big = measure(app, clients[who], large_url, runs)
        little = measure(app, clients[who], small_url, runs)
        if not (big.available and little.available):
            status = big.status if not big.available else little.status
            what = "not available (501)" if status == 501 else f"answered {status}"
            print(f"{page:<34}{who:<13}{what:>8}")
            continue
        query_ratio = big.queries / little.queries
        ok = ok and query_ratio == 1.0 and big.queries <= QUERY_GOAL
        print(
            f"{page:<34}{who:<13}{big.queries:>8}{little.queries:>8}{query_ratio:>7.2f}"
            f"{big.seconds * 1e3:>11.1f}{little.seconds * 1e3:>9.1f}"
            f"{big.seconds / little.seconds:>8.1f}"
        )
    print(
        f"\nlarge: {large.paragraphs:,} paragraphs, {large.comments:,} comments; small: "
        f"{small.paragraphs} paragraphs, {small.comments} comments; {DELEGATIONS} delegations."
        f"\nGoal: the same number of queries for both (ratio 1.00), at most {QUERY_GOAL}; "
        f"times are medians of {runs} requests through the test client."
    )
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed requests per page (median)")
    parser.add_argument(
        "--postgres", metavar="URL", help="an EMPTY PostgreSQL database to run on, not SQLite"
    )
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-consultations-") as folder:
        if arguments.postgres:
            url = "postgresql+psycopg://" + arguments.postgres.split("://", 1)[1]
        else:
            url = f"sqlite:///{Path(folder) / 'bench.sqlite'}"
        app = make_app(url)
        check_routes(app)
        migrate(app, bool(arguments.postgres))
        cases, readers = fill(app)
        ok = report(app, cases, readers, arguments.runs)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
