"""Real servers for the load tests: gunicorn in its own process group on a free port, serving the
app on the test's database (DATABASE_URL), and a round of comments to post to through the API.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from drafting.extensions import db
from tests.conftest import REPO, SAMPLE_DRAFT

GUNICORN = Path(sys.executable).parent / "gunicorn"
SECRET_KEY = "load-test-secret-key-shared-by-every-instance"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """``gunicorn wsgi:app`` with the database in DATABASE_URL; every instance shares the same
    SECRET_KEY, as the instances behind one load balancer do, and nothing else."""

    def __init__(self, database_url: str, instance: Path, *, workers: int = 2, threads: int = 2):
        self.database_url, self.instance = database_url, instance
        self.workers, self.threads = workers, threads
        self.port = 0
        self.process: subprocess.Popen | None = None
        instance.mkdir(parents=True, exist_ok=True)
        self.log = instance / "gunicorn.log"

    def start(self) -> Server:
        self.port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "DRAFTING_INSTANCE": str(self.instance),
            "SECRET_KEY": SECRET_KEY,
            # The OWASP minimum, as in the tests' configuration: logins stay quick.
            "ARGON2_MEMORY_KIB": "19456",
            "ARGON2_TIME_COST": "2",
            "ARGON2_PARALLELISM": "1",
        }
        env.pop("TEST_DATABASE_URL", None)
        command = [
            str(GUNICORN),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(self.threads),
            "--log-level",
            "warning",
            "wsgi:app",
        ]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                command,
                cwd=REPO,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: killed whole, workers too
            )
        self._wait_until_ready()
        return self

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn stopped:\n{self.log_tail()}")
            try:
                status, _ = self.request("GET", "/login", timeout=5)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        self.kill()
        raise AssertionError(f"gunicorn did not answer within 60 s:\n{self.log_tail()}")

    def request(self, method, path, body=None, headers=None, *, timeout=30):
        """(status, parsed JSON or raw bytes) of one request on a new connection."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            data = json.dumps(body) if body is not None else None
            all_headers = {"Content-Type": "application/json"} if data else {}
            conn.request(method, path, data, {**all_headers, **(headers or {})})
            response = conn.getresponse()
            raw = response.read()
        finally:
            conn.close()
        if response.getheader("Content-Type", "").endswith("json"):
            return response.status, json.loads(raw)
        return response.status, raw

    def kill(self) -> None:
        """SIGKILL the whole process group: master and workers die at once, mid-request."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        if self.process is not None:
            self.process.wait()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()

    def log_tail(self, lines: int = 40) -> str:
        if not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


@pytest.fixture
def servers():
    """Start servers with ``servers(database_url, folder)``; all are stopped after the test."""
    started: list[Server] = []

    def _start(database_url: str, instance: Path, **kwargs) -> Server:
        server = Server(database_url, instance, **kwargs).start()
        started.append(server)
        return server

    yield _start
    for server in started:
        server.stop()


@dataclass
class Round:
    consultation_id: int
    tokens: dict[str, str]  # delegation code -> a delegate's API token
    emails: dict[str, str]  # delegation code -> that delegate's e-mail
    paragraph_uids: list[str]

    def path(self) -> str:
        return f"/api/v1/consultations/{self.consultation_id}/comments"

    def headers(self, code: str, key: str | None = None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.tokens[code]}"}
        if key:
            headers["Idempotency-Key"] = key
        return headers


def add_token(user) -> str:
    """A personal API token for ``user``, stored as the API stores it: only its hash."""
    from drafting.api.models import ApiToken

    token = "dft_" + secrets.token_urlsafe(32)
    db.session.add(
        ApiToken(
            user_id=user.id,
            name="load test",
            token_hash=ApiToken.hash_token(token),
            prefix=token[:12],
        )
    )
    return token


@pytest.fixture
def round_with_tokens(app, create_user, create_document):
    """A published draft and a round open to ``codes`` for ten days, a delegate with a token in
    each delegation; everything committed, so a server in another process sees it."""
    from drafting.auth.models import Delegation
    from drafting.consultations import rounds
    from drafting.documents.models import ParagraphKind

    def _open(codes=("AUT", "PAK", "TUR", "KEN", "CHL", "NOR", "JPN", "GHA")) -> Round:
        users = {code: create_user("delegate", code) for code in codes}
        delegations = [db.session.get(Delegation, u.delegation_id) for u in users.values()]
        document = create_document(("Zero draft", SAMPLE_DRAFT, True), participants=delegations)
        version = document.versions[0]
        now = datetime.now(UTC)
        consultation = rounds.open_consultation(
            None,
            version,
            title="Comments under load",
            opens_dt=now - timedelta(hours=1),
            closes_dt=now + timedelta(days=10),
            timezone="Europe/Vienna",
            invited=delegations,
        )
        tokens = {code: add_token(user) for code, user in users.items()}
        db.session.commit()
        result = Round(
            consultation.id,
            tokens,
            {code: user.email for code, user in users.items()},
            [p.uid for p in version.paragraphs if p.kind == ParagraphKind.PARAGRAPH],
        )
        db.session.remove()  # the test holds no connection, no lock, while servers write
        return result

    return _open
