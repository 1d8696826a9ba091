"""The hour before a deadline: 40 delegations posting comments through the API, 64 at once.

Builds a fresh database through the real migrations (SQLite in a temporary folder; on
PostgreSQL the database ``rush`` or ``--pg-database``, dropped and created again on each run, so
that the test suite's database is left alone), with 40 delegations, one delegate each with a
personal API token, a document with a published version, and a round of comments open to all
40. Then it serves the app with gunicorn and posts comments through
``POST /api/v1/consultations/{id}/comments`` over 64 keep-alive connections, each request with
its own ``Idempotency-Key``: the real submission path (token, permission, deadline, validation,
audit event, outbox). In the same run, served the same way on the same kind of database, it
measures the reference: a bare Flask-SQLAlchemy app that only inserts a row per POST
(bench/reference_app.py).

The load comes from ``wrk`` (with a Lua script) when /usr/bin/wrk exists, otherwise from a
Python generator: 64 threads, each with its own http.client keep-alive connection, spread over
two processes so that one interpreter lock does not cap the load. The Python generator runs on
the same machine as the server and takes CPU from it; it costs the same per request whichever
server it drives, so it flatters the slower one: the ratio is a little kinder than with wrk.

gunicorn runs gthread workers: ``--workers 2 --threads 4`` by default on 2 cores, one process
per core (the work is Python, bound by the interpreter lock) and a few threads each, so that a
request waiting on the database (a commit, a row lock, SQLite's write lock) does not leave its
core idle, while few enough writers queue on SQLite's lock that its busy handler (which sleeps)
rarely runs. Keep-alive works with gthread (sync workers close each connection).

Three servers are measured one after the other, the same way: the reference; the floor
(bench/floor_app.py), a bare app that runs the very statements of the submission path on tables
of the same shape and nothing else, which shows what the issue's list of duties costs in this
stack before a line of the service's own code runs; and the service.

Each is measured in three steps:

1. Alone: 100 requests on one connection, one after the other; "alone ms" is the median, what
   the server spends per request when nothing waits.
2. Closed loop: wrk keeps all 64 connections busy for --seconds; its throughput is the one the
   ratio compares. Its latencies only measure the queue: with 64 requests always in flight,
   the mean latency is 64 / throughput (Little's law), so no server under 427 req/s can have
   even its mean under 150 ms there.
3. Open loop: --open-seconds at a fixed rate, by default the goal's 150 requests per second,
   over the same 64 connections, each sending at its own pace
   whether or not the server keeps up, with each request timed from the instant it was due
   (so a server that falls behind shows its whole delay, as wrk2 measures). Its 99th
   percentile is the latency goal: under 150 ms at the goal's rate. Its load comes from the
   Python generator whether or not wrk exists (wrk times a request from when it is sent, not
   from when it was due); at a given rate it takes the same CPU from the server's two cores
   whichever server it drives, and the line prints how much ("load generator: 0.40 of a core").

On PostgreSQL, during each closed loop, a thread samples pg_locks for the audit chain's advisory
lock (the floor's own for the floor; bench/locks.py): the share of the time it is held, how many
wait for it, and so the time it is held per submission and the throughput it bounds, whatever
the number of app servers. ``--workers 4`` is the run with four app workers on one database.

Afterwards it counts the rows: every acknowledged (201) request must have its row, with the id
it was given, and no key may have two rows ("lost: 0, duplicated: 0"). Goals (issue 14): the
service's throughput at least 0.8 of the floor's and 0.35 of the reference's in the same run,
and its 99th percentile under 150 ms at 150 submissions per second.

    .venv/bin/python bench/rush.py [--seconds 20 | --requests 4000] [--db sqlite|postgres|both]
        [--open-seconds 15] [--rate REQ/S] [--workers 2] [--threads 4] [--connections 64]
        [--postgres postgresql://postgres@127.0.0.1:5432/postgres] [--pg-database rush]
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import resource
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(REPO))
# A key for this run, given to the servers too: config.py then writes no key file anywhere.
os.environ.setdefault("SECRET_KEY", secrets.token_hex(32))

from sqlalchemy import create_engine, select, text  # noqa: E402

from bench.locks import LockSampler, LockShare  # noqa: E402
from config import Config  # noqa: E402
from drafting.api.models import ApiToken, IdempotencyKey  # noqa: E402
from drafting.app import create_app  # noqa: E402
from drafting.audit.chain import CHAIN_LOCK_KEY  # noqa: E402
from drafting.auth.operations import create_delegation, create_user, hash_password  # noqa: E402
from drafting.consultations import rounds  # noqa: E402
from drafting.consultations.models import Comment  # noqa: E402
from drafting.documents.importing import import_version  # noqa: E402
from drafting.documents.models import ParagraphKind  # noqa: E402
from drafting.documents.operations import create_document  # noqa: E402
from drafting.extensions import db  # noqa: E402

DELEGATIONS = 40
CONNECTIONS = 64
PROCESSES = 2  # of the Python load generator
WARM_UP_SECONDS = 2.0
PACE_START = 0.2  # seconds from starting the open loop's processes to its first request
ALONE = 100  # requests on a single connection, for the cost of one request on its own
GOAL_OF_FLOOR = 0.80  # the service's throughput, of the floor's in the same run
GOAL_OF_REFERENCE = 0.35  # and of the bare insert's
GOAL_RATE = 150.0  # submissions per second of the open loop, where p99 is measured
GOAL_P99_MS = 150.0
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_DATABASE = "rush"
PASSWORD = "a bench password, long enough"  # noqa: S105  (a throwaway database)
WRK = Path("/usr/bin/wrk")
PARAGRAPHS = 30
_WORDS = (  # noqa: SIM905 - a sentence is easier to read than a list of words
    "cooperation dialogue protection access pathways regional partners capacity sharing "
    "responsibility commitment solidarity support development resilience communities host "
    "states framework dignity rights safety integration mobility data evidence platform"
).split()


# ---------------------------------------------------------------------------------------------
# The database


@dataclass
class Round:
    """What the clients need: where to post, with which tokens, on which paragraphs."""

    consultation_id: int
    tokens: list[str]
    paragraph_uids: list[str]


def sqlalchemy_url(url: str) -> str:
    if url.startswith(("postgres://", "postgresql://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def recreate_postgres(admin_url: str, name: str = PG_DATABASE) -> str:
    """Drop the database ``name`` and create it empty; return its URL."""
    if not name.replace("_", "").isalnum():
        raise SystemExit(f"not a database name: {name!r}")
    engine = create_engine(sqlalchemy_url(admin_url), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {name}"))
    engine.dispose()
    return admin_url.rsplit("/", 1)[0] + "/" + name


def build(url: str) -> Round:
    """Migrate, then seed through the app's operations: 40 delegations, a delegate each with an
    API token, a document, its published version, and a round open to all 40 for a month."""
    from flask_migrate import upgrade

    app = create_app(Config, SQLALCHEMY_DATABASE_URI=sqlalchemy_url(url))
    with app.app_context():
        upgrade()
        password_hash = hash_password(PASSWORD)
        delegations, delegates = [], []
        for number in range(DELEGATIONS):
            code = "Q" + chr(65 + number // 26) + chr(65 + number % 26)  # QAA...: unassigned
            delegation = create_delegation(None, name=f"Delegation {code}", code=code, kind="state")
            delegations.append(delegation)
            delegates.append(
                create_user(
                    None,
                    email=f"delegate.{code.lower()}@rush.example.org",
                    name=f"Delegate of {code}",
                    role="delegate",
                    delegation=delegation,
                    password="",
                    password_hash=password_hash,
                )
            )
        db.session.flush()
        tokens = []
        for user in delegates:
            token = "dft_" + secrets.token_urlsafe(32)
            db.session.add(
                ApiToken(
                    user_id=user.id,
                    name="rush",
                    token_hash=ApiToken.hash_token(token),
                    prefix=token[:12],
                )
            )
            tokens.append(token)
        document = create_document(
            None, title="Declaration before the deadline", participants=delegations
        )
        version = import_version(None, document, draft_text(), label="Zero draft", publish=True)
        now = datetime.now(UTC)
        consultation = rounds.open_consultation(
            None,
            version,
            title="Comments on the zero draft",
            opens_dt=now - timedelta(hours=1),
            closes_dt=now + timedelta(days=30),
            timezone="Europe/Vienna",
            invited=delegations,
            visibility="sealed",
        )
        db.session.commit()
        uids = [p.uid for p in version.paragraphs if p.kind == ParagraphKind.PARAGRAPH]
        result = Round(consultation.id, tokens, uids)
        db.session.remove()
        db.engine.dispose()
    return result


def draft_text() -> str:
    blocks = ["# Declaration before the deadline"]
    for number in range(1, PARAGRAPHS + 1):
        words = " ".join(_WORDS[(number * 7 + k) % len(_WORDS)] for k in range(12))
        blocks.append(f"{number}. We affirm {words}.")
    return "\n\n".join(blocks) + "\n"


def stored_rows(url: str, service: bool, consultation_id: int) -> list[tuple[str, int]]:
    """(key, id) of every row the run wrote."""
    engine = create_engine(sqlalchemy_url(url))
    with engine.connect() as conn:
        if service:
            statement = (
                select(IdempotencyKey.key, Comment.id)
                .join(IdempotencyKey, IdempotencyKey.comment_id == Comment.id)
                .where(Comment.consultation_id == consultation_id)
            )
        else:
            statement = text("SELECT key, id FROM reference_rows")
        rows = [(key, id_) for key, id_ in conn.execute(statement)]
    engine.dispose()
    return rows


# ---------------------------------------------------------------------------------------------
# The servers


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn in its own process group, on a free port, with the database in DATABASE_URL."""

    def __init__(self, target: str, env: dict[str, str], workers: int, threads: int, log: Path):
        self.target, self.env, self.workers, self.threads, self.log = (
            target,
            env,
            workers,
            threads,
            log,
        )
        self.port = 0
        self.process: subprocess.Popen | None = None

    def start(self, ready_path: str) -> None:
        self.port = free_port()
        command = [
            str(BIN / "gunicorn"),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(self.threads),
            "--backlog",
            "2048",
            "--keep-alive",
            "10",
            "--log-level",
            "warning",
            self.target,
        ]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                command,
                cwd=REPO,
                env={**os.environ, **self.env},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn {self.target} stopped; see {self.log}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", ready_path)
                status = conn.getresponse().status
                conn.close()
                if status < 500:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        raise SystemExit(f"gunicorn {self.target} did not answer within 60 s; see {self.log}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


# ---------------------------------------------------------------------------------------------
# The load


@dataclass
class Target:
    """Where the clients post, and what: connection ``n`` posts as token ``n % len(tokens)``."""

    port: int
    path: str
    tokens: list[str | None]
    paragraph_uids: list[str]


@dataclass
class Outcome:
    """One request: its key, the status (0: no answer), the time it took, the id answered."""

    key: str
    status: int
    seconds: float
    id: int | None


def payload(target: Target, connection: int, number: int) -> dict:
    uids = target.paragraph_uids
    words = " ".join(_WORDS[(connection + number + k) % len(_WORDS)] for k in range(8))
    text = f"Delegation {connection % DELEGATIONS} asks, in its comment {number}, for {words}."
    if uids and number % 3:
        return {
            "kind": "paragraph",
            "paragraph_uid": uids[(connection * 7 + number) % len(uids)],
            "body": text,
            "submit": True,
        }
    return {"kind": "general", "body": text, "submit": True}


def one_connection(target, connection, run, stop_at, limit, results, pace=None) -> None:
    """Post one request after another on one keep-alive connection until ``stop_at`` (or
    ``limit`` requests). With ``pace`` = (first_at, interval), the k-th request is due at
    first_at + k * interval: the connection waits for that instant, and the time of a request
    is counted from it, not from when it could be sent, so that a server that falls behind
    shows its whole delay (no coordinated omission, as wrk2 measures)."""
    token = target.tokens[connection % len(target.tokens)]
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn = http.client.HTTPConnection("127.0.0.1", target.port, timeout=60)
    number = 0
    while limit is None or number < limit:
        due = None
        if pace is not None:
            due = pace[0] + number * pace[1]
            if due >= stop_at:
                break
            wait = due - time.monotonic()
            if wait > 0:
                time.sleep(wait)
        elif time.monotonic() >= stop_at:
            break
        key = f"{run}-{connection:03d}-{number:07d}"
        body = json.dumps(payload(target, connection, number))
        # Timed from the instant the request was due (open loop), else from now.
        started = due if due is not None else time.monotonic()
        try:
            conn.request("POST", target.path, body, {**headers, "Idempotency-Key": key})
            response = conn.getresponse()
            data = response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            conn.close()
            status, data = 0, b""
        seconds = time.monotonic() - started
        ident = None
        if status in (200, 201):
            ident = json.loads(data).get("id")
        results.append(Outcome(key, status, seconds, ident))
        number += 1
    conn.close()


def _process(target, connections, run, stop_at, limit, queue, paces=None) -> None:
    results: list[Outcome] = []
    threads = [
        threading.Thread(
            target=one_connection,
            args=(target, c, run, stop_at, limit, results, paces[c] if paces else None),
        )
        for c in connections
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queue.put([(o.key, o.status, o.seconds, o.id) for o in results])


def python_load(
    target: Target,
    connections: int,
    seconds: float,
    requests: int | None,
    run: str,
    rate: float | None = None,
):
    """Outcomes of every request, and the wall time they took. With ``rate`` (requests per
    second in all), an open loop: each connection sends at its own fixed pace, the connections'
    instants evenly spread, whether or not the server keeps up."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    groups = [list(range(p, connections, PROCESSES)) for p in range(PROCESSES)]
    limit = None if requests is None else -(-requests // connections)
    started = time.monotonic()
    stop_at = started + (seconds if requests is None else 3600)
    paces = None
    if rate:
        interval = connections / rate  # each connection's time between two requests
        begin = started + PACE_START  # every process is running by then
        paces = {c: (begin + c * interval / connections, interval) for c in range(connections)}
        stop_at = begin + seconds
    processes = [
        context.Process(target=_process, args=(target, group, run, stop_at, limit, queue, paces))
        for group in groups
    ]
    for process in processes:
        process.start()
    outcomes = [Outcome(*row) for _ in processes for row in queue.get()]
    for process in processes:
        process.join()
    return outcomes, time.monotonic() - started


WRK_SCRIPT = """
local tokens = {%(tokens)s}
local uids = {%(uids)s}
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("number", counter)
  table.insert(threads, thread)
end

function init(args)
  sent, created, other = 0, 0, 0
  run = "%(run)s-w" .. number
end

function request()
  sent = sent + 1
  local token = tokens[(number * 31 + sent) %% #tokens + 1]
  local body
  if #uids > 0 and sent %% 3 ~= 0 then
    body = string.format('{"kind": "paragraph", "paragraph_uid": "%%s", ' ..
      '"body": "Comment %%s of %%s on a paragraph.", "submit": true}',
      uids[sent %% #uids + 1], sent, run)
  else
    body = string.format(
      '{"kind": "general", "body": "Comment %%s of %%s.", "submit": true}', sent, run)
  end
  local headers = {}
  headers["Content-Type"] = "application/json"
  headers["Idempotency-Key"] = string.format("%%s-%%07d", run, sent)
  if token ~= "" then headers["Authorization"] = "Bearer " .. token end
  return wrk.format("POST", "%(path)s", headers, body)
end

function response(status, headers, body)
  if status == 201 then created = created + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local created_all, other_all = 0, 0
  for _, thread in ipairs(threads) do
    created_all = created_all + thread:get("created")
    other_all = other_all + thread:get("other")
  end
  io.write(string.format(
    'RESULT {"requests": %%d, "created": %%d, "other": %%d, "errors": %%d, "seconds": %%f, ' ..
    '"p50": %%f, "p95": %%f, "p99": %%f}\\n',
    summary.requests, created_all, other_all,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.duration / 1e6, latency:percentile(50) / 1e3, latency:percentile(95) / 1e3,
    latency:percentile(99) / 1e3))
end
"""


def wrk_load(target: Target, connections: int, seconds: float, run: str, folder: Path) -> dict:
    """wrk's summary: requests, 201s, other answers, errors, seconds, p50/p95/p99 in ms."""
    script = folder / f"{run}.lua"
    script.write_text(
        WRK_SCRIPT
        % {
            "tokens": ", ".join(f'"{t or ""}"' for t in target.tokens),
            "uids": ", ".join(f'"{u}"' for u in target.paragraph_uids),
            "run": run,
            "path": target.path,
        }
    )
    command = [
        str(WRK),
        "--threads",
        "2",
        "--connections",
        str(connections),
        "--duration",
        f"{max(1, round(seconds))}s",
        "--timeout",
        "30s",
        "--script",
        str(script),
        f"http://127.0.0.1:{target.port}",
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


# ---------------------------------------------------------------------------------------------
# Measuring


@dataclass
class Figures:
    requests: int = 0
    created: int = 0
    other: int = 0  # answered, but not 201
    errors: int = 0  # no answer
    seconds: float = 0.0
    p50: float = 0.0
    p95: float = 0.0
    p99: float = 0.0
    lost: int = 0
    duplicated: int = 0
    unacknowledged: int = 0  # stored, but the client heard no 201 (e.g. cut off at the end)
    alone_ms: float = 0.0  # median time of one request with no other in flight
    statuses: dict[int, int] = field(default_factory=dict)
    # The open loop: requests sent at a fixed rate, timed from the instant each was due.
    paced: Paced | None = None
    # On PostgreSQL: the audit chain's lock (the floor's own), sampled during the closed loop.
    lock: LockShare | None = None

    @property
    def throughput(self) -> float:
        return self.created / self.seconds if self.seconds else 0.0


@dataclass
class Paced:
    rate: float  # asked, requests per second
    requests: int = 0
    created: int = 0
    refused: int = 0  # answered, but not 201
    errors: int = 0  # no answer
    seconds: float = 0.0
    p50: float = 0.0
    p95: float = 0.0
    p99: float = 0.0
    client_cpu: float = 0.0  # the Python load generator's CPU seconds per second: cores taken

    @property
    def achieved(self) -> float:
        return self.created / self.seconds if self.seconds else 0.0


def percentiles(outcomes: list[Outcome]) -> tuple[float, float, float]:
    """p50, p95, p99 in ms of the answered requests."""
    answered = sorted(o.seconds * 1e3 for o in outcomes if o.status)
    if len(answered) < 2:
        return (answered[0],) * 3 if answered else (0.0, 0.0, 0.0)
    cuts = statistics.quantiles(answered, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


def measure(
    name: str,
    server: Server,
    target_of,
    ready_path: str,
    count_rows,
    arguments,
    folder: Path,
    rate=None,
    lock: tuple[str, int] | None = None,
) -> Figures:
    """Closed loop (every connection busy), then, with ``rate``, an open loop at that rate: a
    number of requests per second, or a function of the closed loop's Figures that gives it.
    With ``lock`` (a PostgreSQL URL and an advisory lock's key), how much of the closed loop's
    time that lock was held, sampled from pg_locks (bench/locks.py)."""
    server.start(ready_path)
    try:
        target = target_of(server.port)
        run = "r" + secrets.token_hex(4) + name[:3]
        acknowledged: dict[str, int | None] = {}
        all_keys: set[str] = set()
        # Warm-up: every worker has loaded the app and opened its connections.
        warm, _ = python_load(target, arguments.connections, WARM_UP_SECONDS, None, run + "w")
        for outcome in warm:
            all_keys.add(outcome.key)
            if outcome.status == 201:
                acknowledged[outcome.key] = outcome.id
        figures = Figures()
        # The cost of one request on its own: a single connection, one request after another.
        alone: list[Outcome] = []
        one_connection(target, 0, run + "a", time.monotonic() + 60, ALONE, alone)
        for outcome in alone:
            all_keys.add(outcome.key)
            if outcome.status == 201:
                acknowledged[outcome.key] = outcome.id
        figures.alone_ms = statistics.median(o.seconds for o in alone) * 1e3
        sampler = LockSampler(*lock).start() if lock else None
        if WRK.exists() and arguments.requests is None:
            summary = wrk_load(target, arguments.connections, arguments.seconds, run, folder)
            figures.requests, figures.created = summary["requests"], summary["created"]
            figures.other, figures.errors = summary["other"], summary["errors"]
            figures.seconds = summary["seconds"]
            figures.p50, figures.p95, figures.p99 = summary["p50"], summary["p95"], summary["p99"]
            known_by_count = True
        else:
            outcomes, figures.seconds = python_load(
                target, arguments.connections, arguments.seconds, arguments.requests, run
            )
            figures.requests = len(outcomes)
            for outcome in outcomes:
                all_keys.add(outcome.key)
                figures.statuses[outcome.status] = figures.statuses.get(outcome.status, 0) + 1
                if outcome.status == 201:
                    acknowledged[outcome.key] = outcome.id
            figures.created = figures.statuses.get(201, 0)
            figures.errors = figures.statuses.get(0, 0)
            figures.other = figures.requests - figures.created - figures.errors
            figures.p50, figures.p95, figures.p99 = percentiles(outcomes)
            known_by_count = False
        if sampler is not None:
            figures.lock = sampler.stop()
        if rate is not None:
            asked = rate(figures) if callable(rate) else rate
            paced, figures.paced = measure_paced(target, arguments, asked, run + "o")
            for outcome in paced:
                all_keys.add(outcome.key)
                if outcome.status == 201:
                    acknowledged[outcome.key] = outcome.id
    finally:
        server.stop()
    rows = count_rows()
    by_key: dict[str, list[int]] = {}
    for key, ident in rows:
        by_key.setdefault(key, []).append(ident)
    figures.duplicated = sum(len(ids) - 1 for ids in by_key.values())
    # Acknowledged with an id, stored under another (or not at all): lost.
    figures.lost = sum(1 for key, ident in acknowledged.items() if ident not in by_key.get(key, []))
    # Stored under a key the Python clients sent, with no 201 heard for it.
    figures.unacknowledged = sum(1 for key in by_key if key in all_keys and key not in acknowledged)
    if known_by_count:
        # wrk tells how many 201s it heard, not which: the timed run's rows must be as many.
        timed = sum(1 for key in by_key if key.startswith(run + "-"))
        figures.lost += max(0, figures.created - timed)
        figures.unacknowledged += max(0, timed - figures.created)
    return figures


def measure_paced(target: Target, arguments, rate: float, run: str) -> tuple[list, Paced]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)  # its processes count once joined
    outcomes, wall = python_load(
        target, arguments.connections, arguments.open_seconds, None, run, rate=rate
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    # Until the last answer: a server that falls behind answers late, not less.
    seconds = max(arguments.open_seconds, wall - PACE_START)
    paced = Paced(rate=rate, requests=len(outcomes), seconds=seconds, client_cpu=cpu / wall)
    paced.created = sum(1 for o in outcomes if o.status == 201)
    paced.errors = sum(1 for o in outcomes if o.status == 0)
    paced.refused = paced.requests - paced.created - paced.errors
    paced.p50, paced.p95, paced.p99 = percentiles(outcomes)
    return outcomes, paced


def run_database(kind: str, arguments) -> tuple[Figures, Figures, Figures]:
    """The reference, the floor and the service, one after the other, on one kind of database:
    (reference, floor, service)."""
    from bench import floor_app
    from bench.reference_app import create_tables

    with tempfile.TemporaryDirectory(prefix=f"rush-{kind}-") as name:
        folder = Path(name)
        if kind == "sqlite":
            app_url = f"sqlite:///{folder / 'drafting.sqlite'}"
            reference_url = f"sqlite:///{folder / 'reference.sqlite'}"
            floor_url = f"sqlite:///{folder / 'floor.sqlite'}"
        else:
            app_url = reference_url = floor_url = recreate_postgres(
                arguments.postgres, arguments.pg_database
            )
        started = time.perf_counter()
        plan = build(app_url)
        create_tables(reference_url)
        floor_round = floor_app.create_tables(floor_url, plan.tokens, plan.paragraph_uids)
        print(
            f"\n== {kind}: {DELEGATIONS} delegations, tokens, an open round: "
            f"built in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        common = {"SECRET_KEY": os.environ["SECRET_KEY"], "DRAFTING_INSTANCE": str(folder)}

        def server(target: str, url: str, log: str) -> Server:
            env = {**common, "DATABASE_URL": url}
            return Server(target, env, arguments.workers, arguments.threads, folder / log)

        # The open loop's rate: the goal's, 150 submissions per second, unless --rate says.
        rate = arguments.rate

        def chain_lock(key: int) -> tuple[str, int] | None:
            return (sqlalchemy_url(app_url), key) if kind == "postgres" else None

        reference_figures = measure(
            "reference",
            server("bench.reference_app:app", reference_url, "reference.log"),
            lambda port: Target(port, "/rows", [None], []),
            "/ready",
            lambda: stored_rows(reference_url, False, 0),
            arguments,
            folder,
            rate=rate,
        )
        show("reference (insert a row)", reference_figures)
        floor_figures = measure(
            "floor",
            server("bench.floor_app:app", floor_url, "floor.log"),
            lambda port: Target(
                port, f"/rounds/{floor_round}/comments", plan.tokens, plan.paragraph_uids
            ),
            "/ready",
            lambda: floor_app.rows(floor_url),
            arguments,
            folder,
            rate=rate,
            lock=chain_lock(floor_app.CHAIN_LOCK_KEY),
        )
        show("floor (its statements only)", floor_figures)
        service_figures = measure(
            "service",
            server("wsgi:app", app_url, "service.log"),
            lambda port: Target(
                port,
                f"/api/v1/consultations/{plan.consultation_id}/comments",
                plan.tokens,
                plan.paragraph_uids,
            ),
            "/login",
            lambda: stored_rows(app_url, True, plan.consultation_id),
            arguments,
            folder,
            rate=rate,
            lock=chain_lock(CHAIN_LOCK_KEY),
        )
        show("service (API comment)", service_figures)
        for label, figures in (("floor", floor_figures), ("service", service_figures)):
            paced = figures.paced
            if figures.other or figures.errors or (paced and (paced.refused or paced.errors)):
                print(f"   the {label}'s log: {tail(folder / f'{label}.log')}")
    return reference_figures, floor_figures, service_figures


def tail(path: Path, lines: int = 15) -> str:
    if not path.exists():
        return "(empty)"
    return "\n      ".join(path.read_text(errors="replace").splitlines()[-lines:]) or "(empty)"


HEADER = (
    f"   {'':<26}{'requests':>9}{'201':>8}{'other':>7}{'no answer':>10}{'req/s':>9}"
    f"{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'alone ms':>10}"
)


def show(name: str, f: Figures) -> None:
    print(HEADER)
    print(
        f"   {name:<26}{f.requests:>9,}{f.created:>8,}{f.other:>7,}{f.errors:>10,}"
        f"{f.throughput:>9.0f}{f.p50:>8.1f}{f.p95:>8.1f}{f.p99:>8.1f}{f.alone_ms:>10.1f}"
    )
    if f.paced is not None:
        p = f.paced
        label = f"  at {p.rate:.0f} req/s asked"
        print(
            f"   {label:<26}{p.requests:>9,}{p.created:>8,}{p.refused:>7,}{p.errors:>10,}"
            f"{p.achieved:>9.0f}{p.p50:>8.1f}{p.p95:>8.1f}{p.p99:>8.1f}"
            f"   (load generator: {p.client_cpu:.2f} of a core)"
        )
    others = {s: n for s, n in f.statuses.items() if s not in (0, 201)}
    if others:
        print(f"   answers other than 201: {others}")
    if f.lock is not None and f.lock.samples:
        per = f.lock.held_share * f.seconds / f.created * 1e3 if f.created else 0.0
        print(
            f"   the audit chain's lock: held {f.lock.held_share:.0%} of the closed loop's time "
            f"({f.lock.samples:,} samples of pg_locks), {f.lock.mean_waiting:.1f} waiting for it "
            f"on average; {per:.2f} ms held per submission, so at most "
            f"{1e3 / per if per else 0:,.0f} submissions/s whatever the number of app servers"
        )
    print(
        f"   lost: {f.lost}, duplicated: {f.duplicated}"
        f" (stored without a 201 heard: {f.unacknowledged})",
        flush=True,
    )


def verdict(kind: str, reference: Figures, floor: Figures, service: Figures) -> bool:
    def share(a: Figures, b: Figures) -> float:
        return a.throughput / b.throughput if b.throughput else 0.0

    of_floor, of_reference = share(service, floor), share(service, reference)
    ratio_ok = of_floor >= GOAL_OF_FLOOR and of_reference >= GOAL_OF_REFERENCE
    paced = service.paced
    p99_ok = (
        paced is not None
        and paced.achieved >= 0.95 * paced.rate
        and 0 < paced.p99 < GOAL_P99_MS
        and not (paced.refused or paced.errors)
    )
    everyone = (reference, floor, service)
    sound = not any(f.lost or f.duplicated for f in everyone)

    def met(ok: bool) -> str:
        return "met" if ok else "NOT met"

    print(
        f"   {kind}: throughput service/floor {of_floor:.2f} (goal >= {GOAL_OF_FLOOR:.2f}: "
        f"{met(of_floor >= GOAL_OF_FLOOR)}), service/reference {of_reference:.2f} (goal >= "
        f"{GOAL_OF_REFERENCE:.2f}: {met(of_reference >= GOAL_OF_REFERENCE)}); "
        f"floor/reference {share(floor, reference):.2f}"
    )
    if paced is not None:
        print(
            f"   {kind}: at {paced.rate:.0f} req/s asked, the service answered "
            f"{paced.achieved:.0f} req/s with p99 {paced.p99:.0f} ms (goal < "
            f"{GOAL_P99_MS:.0f} ms at {GOAL_RATE:.0f} req/s: {met(p99_ok)}); the "
            f"reference's p99 there: {reference.paced.p99:.0f} ms, the floor's: "
            f"{floor.paced.p99:.0f} ms (achieved {floor.paced.achieved:.0f} req/s)"
        )
    print(
        f"   {kind}: closed loop p99 {service.p99:.0f} ms (64 busy connections: "
        f"64 / throughput = {64e3 / service.throughput if service.throughput else 0:.0f} ms "
        f"on average); lost: {sum(f.lost for f in everyone)}, "
        f"duplicated: {sum(f.duplicated for f in everyone)} ({met(sound)})"
    )
    return ratio_ok and p99_ok and sound and service.created > 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="length of the timed run")
    parser.add_argument(
        "--requests", type=int, help="a fixed number of requests instead of --seconds"
    )
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn gthread workers")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker")
    parser.add_argument("--connections", type=int, default=CONNECTIONS)
    parser.add_argument(
        "--open-seconds", type=float, default=15.0, help="length of the open loop at a fixed rate"
    )
    parser.add_argument(
        "--rate",
        type=float,
        default=GOAL_RATE,
        help=f"the open loop's rate in req/s (default: the goal's, {GOAL_RATE:.0f})",
    )
    parser.add_argument(
        "--postgres",
        default=PG_ADMIN,
        metavar="URL",
        help="a PostgreSQL server's admin URL",
    )
    parser.add_argument(
        "--pg-database",
        default=PG_DATABASE,
        metavar="NAME",
        help=f"the database dropped and created again on that server (default {PG_DATABASE!r})",
    )
    arguments = parser.parse_args()
    generator = "wrk" if WRK.exists() and arguments.requests is None else "Python, 2 processes"
    load = (
        f"{arguments.requests:,} requests"
        if arguments.requests
        else f"{arguments.seconds:g} s after {WARM_UP_SECONDS:g} s of warm-up"
    )
    print(
        f"gunicorn gthread, {arguments.workers} workers x {arguments.threads} threads; "
        f"{arguments.connections} keep-alive connections, {load}; load generator: {generator}; "
        f"{os.cpu_count()} CPUs"
    )
    kinds = ["sqlite", "postgres"] if arguments.db == "both" else [arguments.db]
    results = {kind: run_database(kind, arguments) for kind in kinds}
    print()
    ok = all([verdict(kind, *figures) for kind, figures in results.items()])
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    if shutil.which("gunicorn", path=str(BIN)) is None:
        raise SystemExit(f"gunicorn is not in {BIN}: run `make install` first")
    main()
