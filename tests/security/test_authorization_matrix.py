"""The authorisation matrix: every route and method of the app, for every role, on its own and on
others' objects, against tests/security/authorization_table.py.

The routes come from the app's URL map: a route missing from the table fails the suite, and so
does an entry of the table the app no longer has. Each role is one test that sends every cell
(route × method × object) and lists every wrong cell in one message.

A request that may have changed something (any method but GET) is followed by putting the
database back as it was built, so that every cell is judged on the same world: on SQLite with
the online backup API from a copy taken after the build; on PostgreSQL by emptying the tables
and building it again.
"""

from __future__ import annotations

import io
import sqlite3
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import text

from config import TestConfig
from drafting.app import create_app
from drafting.extensions import db
from tests.conftest import ON_POSTGRES, PASSWORD
from tests.consultations.conftest import DRAFT
from tests.security.authorization_table import ROLES, TABLE

OUTCOMES = {"A": "allowed", "L": "login required", "F": "forbidden (403)", "H": "hidden (404)"}
OTHERS = {"M": "405", "E": "a server error", "C": "a refused CSRF token"}
CSRF_REFUSED = "not sent from a page of this service"
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def _routes() -> dict[tuple[str, str], tuple[str, tuple[str, ...]]]:
    """(endpoint, method) → (rule, its arguments), for every route but the static files."""
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI="sqlite://")
    found = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in rule.methods & set(METHODS):
            found[(rule.endpoint, method)] = (rule.rule, tuple(sorted(rule.arguments)))
    return found


ROUTES = _routes()


def test_every_route_of_the_app_is_in_the_table():
    missing = sorted(set(ROUTES) - set(TABLE))
    assert not missing, (
        "routes missing from tests/security/authorization_table.py: "
        + ", ".join(f"{method} {ROUTES[(ep, method)][0]} ({ep})" for ep, method in missing)
        + ". Add each with the expected outcome for every role and kind of object."
    )


def test_every_entry_of_the_table_is_still_a_route():
    stale = sorted(set(TABLE) - set(ROUTES))
    assert not stale, f"the table lists routes the app no longer has: {stale}"


def test_every_row_of_the_table_is_well_formed():
    for key, variants in TABLE.items():
        assert variants, f"{key}: no variant"
        for variant, row in variants.items():
            outcomes = row.split()
            assert len(outcomes) == len(ROLES), f"{key} {variant!r}: one outcome per role"
            assert set(outcomes) <= set(OUTCOMES), f"{key} {variant!r}: unknown outcome"
            for part in filter(None, variant.split(",")):
                kind, _, name = part.partition("=")
                assert kind in _KINDS and name, f"{key}: unknown object {part!r}"


# ---------------------------------------------------------------------------------------------
# The world: two documents, three rounds, four comments, a token per person


@dataclass
class World:
    users: dict[str, object] = field(default_factory=dict)  # role → User
    ids: dict[str, int | str] = field(default_factory=dict)  # "version=working" → id
    tokens: dict[str, tuple[int, str]] = field(default_factory=dict)  # role → (id, secret)


_KINDS = {
    "doc": "document_id",
    "version": "version_id",
    "round": "consultation_id",
    "comment": "comment_id",
    "token": "token_id",
    "person": "user_id",
    "silence": "silence_id",
    "q": None,
}


def build_world(password_hash: str) -> World:
    from drafting.api.operations import create_token
    from drafting.auth.operations import create_delegation, create_user
    from drafting.consultations.commenting import create_comment
    from drafting.consultations.rounds import close_early, open_consultation
    from drafting.documents.editing import open_working_draft
    from drafting.documents.importing import import_version
    from drafting.documents.operations import create_document

    world = World()
    delegations = {}
    for code, kind in (
        ("MDS", "organisation"),
        ("GEO", "state"),
        ("AUT", "state"),
        ("PAK", "state"),
        ("TUR", "state"),
        ("UNHCR", "organisation"),
    ):
        delegations[code] = create_delegation(None, name=f"Delegation {code}", code=code, kind=kind)
    for role, code, user_role in (
        ("secretariat", "MDS", "secretariat"),
        ("chair", "GEO", "chair"),
        ("owner", "AUT", "delegate"),
        ("other", "PAK", "delegate"),
        ("outsider", "TUR", "delegate"),
        ("observer", "UNHCR", "observer"),
    ):
        world.users[role] = create_user(
            None,
            email=f"{role}@example.org",
            name=f"{role.title()} of {code}",
            role=user_role,
            delegation=delegations[code],
            password="",
            password_hash=password_hash,
        )
    users = world.users
    part = create_document(
        None,
        title="Ministerial Declaration",
        participants=[delegations[c] for c in ("AUT", "PAK", "TUR", "GEO", "UNHCR")],
    )
    import_version(None, part, DRAFT, label="Zero draft", publish=True)
    published = import_version(None, part, DRAFT.replace("shared", "common"), label="Draft 1")
    from drafting.documents.publishing import publish_version

    publish_version(None, published)
    uid = next(p.uid for p in published.paragraphs if p.label == "1.")
    now = datetime.now(UTC)

    def round_on(version, invited):
        return open_consultation(
            None,
            version,
            title="Comments",
            opens_dt=now - timedelta(hours=1),
            closes_dt=now + timedelta(days=10),
            timezone="Europe/Vienna",
            invited=[delegations[c] for c in invited],
            visibility="sealed",
            late_rule="refuse",
        )

    def comment(user, consultation, *, submit, paragraph_uid=None):
        created, _ = create_comment(
            user,
            consultation,
            kind="replace" if paragraph_uid else "general",
            paragraph_uid=paragraph_uid,
            body="A reason.",
            proposed_text="We affirm duties." if paragraph_uid else "",
            form_token=uuid.uuid4().hex,
            submit=submit,
        )
        return created

    open_round = round_on(published, ("AUT", "PAK", "TUR"))
    closed_round = round_on(published, ("AUT", "PAK", "TUR"))
    draft = comment(users["owner"], open_round, submit=False)
    submitted = comment(users["owner"], open_round, submit=True, paragraph_uid=uid)
    closed = comment(users["owner"], closed_round, submit=True, paragraph_uid=uid)
    close_early(None, closed_round)
    working = open_working_draft(users["secretariat"], published, label="Draft 2")

    apart = create_document(None, title="Another Declaration", participants=[delegations["TUR"]])
    import_version(None, apart, DRAFT, label="Zero draft", publish=True)
    apart_version = import_version(
        None, apart, DRAFT + "\n5. More.\n", label="Draft 1", publish=True
    )
    apart_uid = next(p.uid for p in apart_version.paragraphs if p.label == "1.")
    apart_round = round_on(apart_version, ("TUR",))
    apart_comment = comment(users["outsider"], apart_round, submit=True, paragraph_uid=apart_uid)
    from drafting.consultations.silence.operations import start_silence

    silence = start_silence(None, published, deadline_dt=now + timedelta(days=10), timezone="UTC")
    apart_silence = start_silence(
        None, apart_version, deadline_dt=now + timedelta(days=10), timezone="UTC"
    )
    db.session.flush()

    world.ids = {
        "doc=part": part.id,
        "doc=apart": apart.id,
        "version=published": published.id,
        "version=working": working.id,
        "version=apart": apart_version.id,
        "round=open": open_round.id,
        "round=closed": closed_round.id,
        "round=apart": apart_round.id,
        "comment=draft": draft.id,
        "comment=submitted": submitted.id,
        "comment=closed": closed.id,
        "comment=apart": apart_comment.id,
        "uid": uid,
        "delegation=AUT": delegations["AUT"].id,
        "version=zero": part.versions[0].id,
        "person=other": users["other"].id,
        "silence=running": silence.id,
        "silence=apart": apart_silence.id,
    }
    for role, user in users.items():
        token, secret = create_token(user, "Matrix")
        db.session.flush()
        world.tokens[role] = (token.id, secret)
    db.session.commit()
    world.users = {role: user.id for role, user in users.items()}
    return world


# ---------------------------------------------------------------------------------------------
# Forms: plausible, so that an allowed request is judged past the policy, not at the door


def _forms(world: World, role: str) -> dict[str, dict]:
    ids = world.ids
    comment_form = {
        "kind": "general",
        "paragraph": "",
        "delegation_id": "",
        "body": "A comment.",
        "quote": "",
        "proposed_text": "",
        "form_token": uuid.uuid4().hex,
        "action": "save",
        "base_revision": "1",
    }
    return {
        "auth.login": {"email": "owner@example.org", "password": PASSWORD},
        "auth.settings": {"timezone": "Asia/Tbilisi"},
        "auth.add_delegation": {"name": "Chile", "code": "CHL", "kind": "state"},
        "auth.add_user": {
            "name": "New Delegate",
            "email": "new.delegate@example.org",
            "role": "delegate",
            "delegation_id": str(ids["delegation=AUT"]),
            "password": "a long enough password",
        },
        "tokens.tokens": {"name": "Reporting script"},
        "auth.change_password": {
            "current_password": PASSWORD,
            "new_password": "a new and long passphrase",
            "confirmation": "a new and long passphrase",
        },
        "documents.new_document": {"title": "A third declaration"},
        "documents.participants": {"participants": [str(ids["delegation=AUT"])]},
        "documents.publish": {"label": "Draft 2", "note": "", "confirm": "y"},
        "importing.upload": {
            "label": "Imported draft",
            "file": (io.BytesIO(b"# A Declaration\n\n1. One paragraph.\n"), "draft.md"),
        },
        "importing.confirm": {
            "label": "Imported draft",
            "draft": "# A Declaration\n\n1. One paragraph.\n",
            "filename": "draft.docx",
            "revisions": "",
            "accept": "Import this draft",
        },
        "consultations.new": {
            "title": "Another round",
            "closes_day": "2099-01-31",
            "closes_time": "18:00",
            "timezone": "Europe/Vienna",
            "invited": [str(ids["delegation=AUT"])],
            "visibility": "sealed",
            "late_rule": "refuse",
        },
        "editing.start": {"label": "Draft 3"},
        "editing.save": {"source": "1. New words.", "revision": "1"},
        "editing.insert": {"after": ids["uid"], "source": "2. New words."},
        "editing.split": {"source": "1. New words.\n\n2. More.", "revision": "1"},
        "editing.merge": {"revision": "1", "next_revision": "1"},
        "editing.move": {"direction": "down", "revision": "1"},
        "editing.delete": {"revision": "1"},
        "editing.apply": {"revision": "1", "justification": "Agreed."},
        "consultations.extend": {
            "delegation_id": str(ids["delegation=AUT"]),
            "closes_day": "2099-02-28",
            "closes_time": "18:00",
            "reason": "Asked in time.",
        },
        "consultations.close": {"confirm": "y"},
        "comments.new": comment_form,
        "comments.edit": comment_form,
        "comments.submit": {"base_revision": "1"},
        "comments.withdraw": {"base_revision": "1", "confirm": "y"},
        "compilation.decide": {"outcome": "accepted", "justification": "Yes.", "is_shared": "y"},
        "silence.start": {"day": "2099-01-31", "at": "18:00", "timezone": "UTC", "confirm": "y"},
        "silence.break_silence": {"statement": "We cannot accept paragraph 1."},
    }


API_BODIES = {
    "api.create_comment": {"kind": "general", "body": "A comment.", "submit": False},
    "api.edit_comment": {"base_revision": 1, "body": "Changed."},
    "api.submit_comment": {"base_revision": 1},
    "api.withdraw_comment": {"base_revision": 1},
}


# ---------------------------------------------------------------------------------------------
# Sending one cell and judging its answer


def classify(response, *, api: bool) -> str:
    status = response.status_code
    if status == 401:
        return "L"
    if status in (301, 302, 303, 307, 308) and not api:
        location = urlsplit(response.headers.get("Location", ""))
        if location.path == "/login" and "next=" in location.query:
            return "L"
    if status == 403:
        return "F"
    if status == 404:
        return "H"
    if status == 405:
        return "M"
    if status >= 500:
        return "E"
    if status == 400 and not api and CSRF_REFUSED in response.get_data(as_text=True):
        return "C"  # the form's token was refused: the cell proves nothing about the policy
    return "A"


def _url(app, endpoint: str, arguments, variant: str, world: World, role: str) -> str:
    values, query = {}, {}
    for part in filter(None, variant.split(",")):
        kind, _, name = part.partition("=")
        if kind == "token":
            mine = world.tokens["owner" if role == "anonymous" else role][0]
            theirs = world.tokens["other" if role == "owner" else "owner"][0]
            values["token_id"] = mine if name == "mine" else theirs
        elif kind == "q":
            query = {"old": world.ids["version=published"], "new": world.ids["version=working"]}
        else:
            values[_KINDS[kind]] = world.ids[part]
    if "uid" in arguments:
        values["uid"] = world.ids["uid"]
    if "language" in arguments:
        values["language"] = "ru"
    missing = set(arguments) - set(values)
    assert not missing, f"{endpoint} {variant!r}: the variant does not name {sorted(missing)}"
    adapter = app.url_map.bind("localhost")
    return adapter.build(endpoint, {**values, **query}, force_external=False)


class Matrix:
    """One role's client on one world, with the database put back after each change."""

    def __init__(self, app, database_url: str, password_hash: str, role: str, tmp_path):
        self.app, self.database_url, self.role = app, database_url, role
        self.password_hash = password_hash
        self.snapshot = tmp_path / "matrix-snapshot.sqlite"
        self._build()

    def _build(self) -> None:
        self.world = build_world(self.password_hash)
        self.client = self.app.test_client()
        if self.role != "anonymous":
            self.client.post(
                "/login", data={"email": f"{self.role}@example.org", "password": PASSWORD}
            )
            assert self.client.get("/").status_code == 200, f"{self.role} could not log in"
        else:
            self.client.get("/login")
        self.csrf = self.client.csrf_token()
        self.cookie = self.client.get_cookie("session")
        if not ON_POSTGRES:
            db.session.remove()
            with self._sqlite(self.database_url) as live, self._sqlite(self.snapshot) as copy:
                live.backup(copy)

    @staticmethod
    def _sqlite(where) -> sqlite3.Connection:
        path = str(where).removeprefix("sqlite:///")
        return sqlite3.connect(path, timeout=15)

    def reset(self) -> None:
        """The world as it was built, and the client's session as it was after login."""
        db.session.remove()
        if ON_POSTGRES:
            with db.engine.begin() as conn:
                tables = [
                    row[0]
                    for row in conn.execute(
                        text(
                            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                            " AND tablename <> 'alembic_version'"
                        )
                    )
                ]
                conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
            self._build()
            return
        with self._sqlite(self.snapshot) as copy, self._sqlite(self.database_url) as live:
            copy.backup(live)
        self.client.delete_cookie("session")
        if self.cookie is not None:
            self.client.set_cookie("session", self.cookie.value)

    def send(self, endpoint: str, method: str, url: str) -> object:
        api = url.startswith("/api/")
        if api:
            headers = {}
            if self.role != "anonymous":
                headers["Authorization"] = f"Bearer {self.world.tokens[self.role][1]}"
            body = API_BODIES.get(endpoint) if method != "GET" else None
            return self.client.open(url, method=method, json=body, headers=headers)
        if method == "GET":
            return self.client.get(url)
        form = dict(_forms(self.world, self.role).get(endpoint, {}))
        form["csrf_token"] = self.csrf
        return self.client.open(url, method=method, data=form)


@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_each_role_as_the_table_says(
    app, database_url, password_hash, tmp_path, role
):
    from tests.conftest import FormClient

    app.test_client_class = FormClient
    matrix = Matrix(app, database_url, password_hash, role, tmp_path)
    column = ROLES.index(role)
    wrong, checked = [], 0
    for (endpoint, method), variants in sorted(TABLE.items()):
        if (endpoint, method) not in ROUTES:
            continue  # reported by test_every_entry_of_the_table_is_still_a_route
        _rule, arguments = ROUTES[(endpoint, method)]
        for variant, row in variants.items():
            expected = row.split()[column]
            url = _url(app, endpoint, arguments, variant, matrix.world, role)
            try:
                response = matrix.send(endpoint, method, url)
            except Exception as exc:  # noqa: BLE001 - a crash is a wrong cell like any other
                got, status = "E", f"raised {type(exc).__name__}: {exc}"
            else:
                got = classify(response, api=url.startswith("/api/"))
                status = f"{response.status_code} {response.headers.get('Location', '')}"
            checked += 1
            if got != expected:
                wrong.append(
                    f"  {method} {url} ({endpoint}, {variant or 'no object'}): expected "
                    f"{OUTCOMES[expected]}, got {OUTCOMES.get(got) or OTHERS[got]} "
                    f"[{status.strip()}]"
                )
            if method != "GET":
                matrix.reset()
    assert checked > 0
    assert not wrong, f"{len(wrong)} of {checked} cells wrong for {role}:\n" + "\n".join(wrong)


def test_methods_a_path_does_not_offer_are_405(client):
    """Every path, with every method none of its rules offers: 405, for pages and API alike,
    before anything else is asked (no login, no token)."""
    by_path: dict[str, set[str]] = {}
    arguments_of: dict[str, tuple[str, ...]] = {}
    for (_endpoint, method), (rule, arguments) in ROUTES.items():
        by_path.setdefault(rule, set()).add(method)
        arguments_of[rule] = arguments
    wrong = []
    for rule, offered in sorted(by_path.items()):
        url = rule
        for name in arguments_of[rule]:
            url = url.replace(f"<id:{name}>", "1").replace(f"<{name}>", "a" * 32)
        for method in sorted(set(METHODS) - offered):
            response = client.open(url, method=method)
            if response.status_code != 405:
                wrong.append(f"  {method} {url}: {response.status_code}, not 405")
    assert not wrong, "methods not offered but not refused with 405:\n" + "\n".join(wrong)
