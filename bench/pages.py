"""Is every page and export fast at the size of a large negotiation? Statements, server ms, bytes.

Builds the data of ``bench/consultations.py`` (40 delegations; a zero draft, a round of open
comments on it with decisions and co-sponsors, a Draft 1 with some paragraphs reworded) for two
documents, 100 paragraphs with 500 comments and 1,000 paragraphs with 5,000 comments, opens a
working Draft 2 for the editor, and then asks, through the Flask test client, for every page and
export a person or a program reads: the compilation and its three exports, the delegation's view
of the draft, Draft 1 with the earlier comments beside, the comparison, the editor, the draft's
Word and PDF, and the API's lists. For each: the SQL statements of one request, the median
server time of ``--runs`` requests (after a warm-up) and the bytes sent, with the goal beside:
a page within 300 ms and 1 MB, an export within 1 s, an API list within 300 ms and 1 MB.

    .venv/bin/python bench/pages.py [--runs 3] [--only compil] [--postgres postgresql://.../db]
                                    [--applied 300]

``--applied N`` applies, for up to N paragraphs with several amendments, one of them to Draft 2,
so that the other amendments of those paragraphs are in conflict (rebased or superseded).

With ``--postgres`` the database must be empty: the script creates its tables and leaves its
data there (drop and recreate the database to run again).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import event, text  # noqa: E402

from bench import consultations as data  # noqa: E402
from drafting.api.operations import create_token  # noqa: E402
from drafting.documents.editing import open_working_draft  # noqa: E402
from drafting.documents.models import Version  # noqa: E402
from drafting.extensions import db  # noqa: E402

SIZES = {"100 ¶": (100, 500), "1,000 ¶": (1_000, 5_000)}  # paragraphs, comments
PAGE_MS, EXPORT_MS, PAGE_BYTES = 300, 1_000, 1_000_000
PAGE, EXPORT, API = "page", "export", "api"


@dataclass(frozen=True)
class Row:
    """One page or export: who reads it, its endpoint and the ids of the case it needs."""

    name: str
    kind: str  # PAGE, EXPORT or API
    reader: str  # secretariat, delegate or api (the delegate's bearer token)
    endpoint: str
    ids: tuple[str, ...]
    query: tuple[tuple[str, object], ...] = ()


ROWS = (
    Row("compilation", PAGE, "secretariat", "compilation.compilation", ("consultation_id",)),
    Row(
        "compilation, Word table",
        EXPORT,
        "secretariat",
        "compilation.export_docx",
        ("consultation_id",),
        (("layout", "table"),),
    ),
    Row(
        "compiled text, Word",
        EXPORT,
        "secretariat",
        "compilation.export_docx",
        ("consultation_id",),
        (("layout", "text"),),
    ),
    Row(
        "compilation, spreadsheet",
        EXPORT,
        "secretariat",
        "compilation.export_csv",
        ("consultation_id",),
    ),
    Row("convergence view", PAGE, "secretariat", "convergence.of_round", ("consultation_id",)),
    Row("delegation's draft page", PAGE, "delegate", "comments.draft", ("consultation_id",)),
    Row("Draft 1, earlier comments", PAGE, "delegate", "documents.version", ("draft_1_id",)),
    Row(
        "comparison zero -> Draft 1", PAGE, "delegate", "documents.compare", ("document_id", "pair")
    ),
    Row("editor, Draft 2", PAGE, "secretariat", "editing.editor", ("working_id",)),
    Row("Draft 1, Word", EXPORT, "delegate", "documents.export_docx", ("draft_1_id",)),
    Row("Draft 1, PDF", EXPORT, "delegate", "documents.export_pdf", ("draft_1_id",)),
    Row("API: documents", API, "api", "api.documents", ()),
    Row("API: rounds of a document", API, "api", "api.document_consultations", ("document_id",)),
    Row("API: comments of a round", API, "api", "api.comments", ("consultation_id",)),
)


@dataclass
class Case(data.Case):
    working_id: int = 0


@dataclass
class Measure:
    status: int
    statements: int = 0
    seconds: float = 0.0
    cpu: float = 0.0  # this process's CPU time: the server's own work, whatever else runs
    size: int = 0


def url_of(app, row: Row, case: Case) -> str:
    from flask import url_for

    names = {
        "consultation_id": ("consultation_id", case.consultation_id),
        "draft_1_id": ("version_id", case.draft_1_id),
        "working_id": ("version_id", case.working_id),
        "document_id": ("document_id", case.document_id),
    }
    values: dict[str, object] = dict(row.query)
    for need in row.ids:
        if need == "pair":
            values |= {"old": case.zero_id, "new": case.draft_1_id}
        else:
            key, value = names[need]
            values[key] = value
    with app.test_request_context():
        return url_for(row.endpoint, **values)


def measure(app, client, url: str, runs: int, headers: dict[str, str]) -> Measure:
    """A warm-up, then ``runs`` timed requests; the statements are those of the first of them."""
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    response = client.get(url, headers=headers)
    if response.status_code != 200:
        return Measure(response.status_code)
    times, cpu, size = [], [], 0
    for run in range(runs):
        if run == 0:
            event.listen(engine, "before_cursor_execute", count)
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get(url, headers=headers)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
        if run == 0:
            event.remove(engine, "before_cursor_execute", count)
            size = len(response.get_data())
    return Measure(200, len(statements), statistics.median(times), statistics.median(cpu), size)


def fill(app, applied: int = 0) -> tuple[dict[str, Case], dict[str, object], str]:
    import random

    rng = random.Random(data.SEED)
    cases = {name: Case(name, *size) for name, size in SIZES.items()}
    with app.app_context():
        started = time.perf_counter()
        secretariat, delegates = data.people()
        for case in cases.values():
            data.build(case, secretariat, delegates, rng)
            follow_bulk_ids()
            take_stances(case, rng)
            draft_1 = db.session.get(Version, case.draft_1_id)
            case.working_id = open_working_draft(secretariat, draft_1, label="Draft 2").id
            db.session.commit()
            if applied:
                apply_some(secretariat, case, applied)
        _token, secret = create_token(delegates[0], "bench pages")
        db.session.commit()
        print(f"built in {time.perf_counter() - started:.1f} s")
        readers = {"secretariat": secretariat.email, "delegate": delegates[0].email}
    return cases, readers, secret


def apply_some(secretariat, case, most: int) -> None:
    """Apply one amendment on each of up to ``most`` paragraphs that have several."""
    from collections import Counter

    from sqlalchemy import select

    from drafting.consultations.amending import apply_amendment
    from drafting.consultations.models import Comment, CommentKind
    from drafting.documents.working_draft import EditError

    working = db.session.get(Version, case.working_id)
    replacements = db.session.scalars(
        select(Comment)
        .where(Comment.consultation_id == case.consultation_id)
        .where(Comment.kind.in_([CommentKind.REPLACE, CommentKind.DELETE]))
        .order_by(Comment.id)
    ).all()
    crowded = Counter(c.paragraph_uid for c in replacements)
    done: set[str] = set()
    for comment in replacements:
        uid = comment.paragraph_uid
        if len(done) >= most or uid in done or crowded[uid] < 2 or comment.decision is not None:
            continue
        try:
            apply_amendment(secretariat, working, comment)
        except EditError:
            db.session.rollback()
            continue
        done.add(uid)
        db.session.commit()
    print(f"{case.name}: {len(done)} amendments applied to Draft 2")


def take_stances(case: Case, rng) -> None:
    """Half the amendments get a stance from two other delegations (the convergence view
    counts them), inserted in bulk."""
    from drafting.consultations.models import AmendmentStance, Comment, StanceKind
    from drafting.database import utcnow

    amendments = db.session.execute(
        db.select(Comment.id, Comment.delegation_id, Comment.created_by_id).where(
            Comment.consultation_id == case.consultation_id,
            Comment.kind.in_(["replace", "insert", "delete"]),
        )
    ).all()
    delegation_ids = sorted({row.delegation_id for row in amendments})
    rows = []
    for comment_id, author, user_id in amendments[::2]:
        others = [d for d in delegation_ids if d != author]
        for delegation_id in rng.sample(others, min(2, len(others))):
            kind = rng.choice([StanceKind.SUPPORT, StanceKind.OBJECTION])
            rows.append(
                {
                    "comment_id": comment_id,
                    "delegation_id": delegation_id,
                    "kind": kind,
                    "reason": "Our position.",
                    "stated_by_id": user_id,
                    "stated_dt": utcnow(),
                }
            )
    if rows:
        db.session.execute(db.insert(AmendmentStance), rows)
    db.session.commit()


def follow_bulk_ids() -> None:
    """The bulk insert gives comments their ids: PostgreSQL's sequence must catch up, or the
    next comment written through the operations takes an id already used."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(
            text("SELECT setval(pg_get_serial_sequence('comments', 'id'), max(id)) FROM comments")
        )
        db.session.commit()


def goals(row: Row) -> tuple[int, int | None]:
    if row.kind == EXPORT:
        return EXPORT_MS, None
    return PAGE_MS, PAGE_BYTES


def report(app, cases, readers, secret: str, runs: int, only: str) -> bool:
    clients = {who: data.logged_in(app, email) for who, email in readers.items()}
    clients["api"] = app.test_client()
    bearer = {"Authorization": f"Bearer {secret}"}
    print(
        f"\n{'page or export':<30}{'size':>9}{'stmts':>7}{'server ms':>11}{'cpu ms':>8}{'goal':>7}"
        f"{'bytes':>12}{'goal':>11}  met"
    )
    ok = True
    for row in ROWS:
        if only and only.lower() not in row.name.lower():
            continue
        for name, case in cases.items():
            headers = bearer if row.reader == "api" else {}
            found = measure(app, clients[row.reader], url_of(app, row, case), runs, headers)
            if found.status != 200:
                print(f"{row.name:<30}{name:>9}   answered {found.status}")
                ok = False
                continue
            ms_goal, bytes_goal = goals(row)
            ms = found.seconds * 1e3
            met = ms <= ms_goal and (bytes_goal is None or found.size <= bytes_goal)
            ok = ok and met
            print(
                f"{row.name:<30}{name:>9}{found.statements:>7}{ms:>11.1f}"
                f"{found.cpu * 1e3:>8.1f}{ms_goal:>7}"
                f"{found.size:>12,}{(f'{bytes_goal:,}' if bytes_goal else '-'):>11}"
                f"  {'yes' if met else 'NO'}",
                flush=True,
            )
    print(
        f"\n{data.DELEGATIONS} delegations; server ms: median of {runs} requests through the "
        "test client after a warm-up (cpu ms: this process's CPU time in them, the server's own "
        "work on a shared machine; on PostgreSQL the database's is not in it); statements: "
        "those of one request; bytes: the body sent."
    )
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timed requests per row (median)")
    parser.add_argument("--only", default="", help="only the rows whose name contains this")
    parser.add_argument(
        "--postgres", metavar="URL", help="an EMPTY PostgreSQL database to run on, not SQLite"
    )
    parser.add_argument(
        "--applied", type=int, default=0, help="amendments to apply (conflicts to show)"
    )
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as folder:
        if arguments.postgres:
            url = "postgresql+psycopg://" + arguments.postgres.split("://", 1)[1]
        else:
            url = f"sqlite:///{Path(folder) / 'bench.sqlite'}"
        app = data.make_app(url)
        for row in ROWS:
            if row.endpoint not in app.view_functions:
                raise SystemExit(f"no such page: {row.endpoint}")
        data.migrate(app, bool(arguments.postgres))
        cases, readers, secret = fill(app, arguments.applied)
        ok = report(app, cases, readers, secret, arguments.runs, arguments.only)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
