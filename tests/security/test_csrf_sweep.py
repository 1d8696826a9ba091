"""Every state-changing form refuses a missing or a foreign CSRF token and changes nothing.

The routes come from the app's URL map, not from a list kept by hand: a route added later that
changes state must be added to SWEEP below (who sends it, to which objects, with what form),
and if it lacks CSRF protection the sweep fails. The API (/api/) is left out: it authenticates
with bearer tokens only, never with the cookie, so a forged cross-site request carries nothing.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest

from config import TestConfig
from drafting.app import create_app
from drafting.web.csrf import FORM_EXPIRED, FORM_REFUSED
from tests.security.conftest import snapshot

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
MARKER = "Text typed before the token was refused"

# What each refusal says: the app's CSRF error page, and the views that check the token
# themselves so that their own form comes back as typed (grep form_token_refused). Either way
# the text typed (MARKER) comes back.
CSRF_REFUSALS = (FORM_REFUSED, FORM_EXPIRED)


def _routes() -> list[tuple[str, str, str, tuple[str, ...]]]:
    """(endpoint, method, rule, its arguments) for every state-changing route outside the API."""
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI="sqlite://")
    found = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            continue
        for method in sorted(rule.methods & STATE_CHANGING):
            found.append((rule.endpoint, method, rule.rule, tuple(sorted(rule.arguments))))
    return sorted(found)


ROUTES = _routes()


@dataclass
class Route:
    """How to send one route as its users would: who (secretariat, delegate of AUT, or nobody
    logged in), the URL's objects where they differ from the defaults, and a plausible form."""

    roles: tuple[str, ...]
    form: Any = field(default_factory=lambda: lambda w: {})
    args: Any = field(default_factory=lambda: lambda w: {})


def _defaults(w) -> dict[str, Any]:
    """The objects URLs name, unless a route says otherwise."""
    return {
        "document_id": w.document.id,
        "version_id": w.working.id,
        "consultation_id": w.round.id,
        "comment_id": w.draft_comment.id,
        "uid": w.uid,
    }


SEC, DEL, ANON = "secretariat", "delegate", "anonymous"


def _comment_form(w, **extra):
    return {
        "kind": "general",
        "paragraph": "",
        "delegation_id": str(w.people.aut.delegation_id),
        "body": MARKER,
        "quote": "",
        "proposed_text": "",
        "action": "save",
        **extra,
    }


SWEEP: dict[str, Route] = {
    "auth.login": Route(
        (ANON,),
        form=lambda w: {"email": w.people.aut.email, "password": "correct horse battery staple"},
    ),
    "auth.logout": Route((SEC, DEL)),
    "auth.settings": Route((SEC, DEL), form=lambda w: {"timezone": "Asia/Tbilisi"}),
    "auth.add_delegation": Route(
        (SEC,), form=lambda w: {"name": "Chile", "code": "CHL", "kind": "state"}
    ),
    "auth.add_user": Route(
        (SEC,),
        form=lambda w: {
            "name": "New Delegate",
            "email": "new.delegate@example.org",
            "role": "delegate",
            "delegation_id": str(w.delegations["AUT"].id),
            "password": "a long enough password",
        },
    ),
    "auth.change_password": Route(
        (SEC, DEL),
        form=lambda w: {
            "current_password": "correct horse battery staple",
            "new_password": "a new and long passphrase",
            "confirmation": "a new and long passphrase",
        },
    ),
    "auth.renew_feeds": Route((SEC, DEL)),
    "auth.reset_password": Route((SEC,), args=lambda w: {"user_id": w.people.pak.id}),
    "auth.deactivate": Route((SEC,), args=lambda w: {"user_id": w.people.pak.id}),
    "auth.reactivate": Route((SEC,), args=lambda w: {"user_id": w.people.pak.id}),
    "documents.new_document": Route(
        (SEC,),
        form=lambda w: {
            "title": "Another Declaration",
            "participants": [str(w.delegations["AUT"].id)],
        },
    ),
    "documents.participants": Route(
        (SEC,), form=lambda w: {"participants": [str(d.id) for d in w.delegations.values()]}
    ),
    "documents.publish": Route(
        (SEC,), form=lambda w: {"label": "Draft 1", "note": MARKER, "confirm": "y"}
    ),
    "importing.upload": Route(
        (SEC,),
        form=lambda w: {
            "label": "Imported draft",
            "file": (io.BytesIO(b"# A Declaration\n\n1. One paragraph.\n"), "draft.md"),
        },
    ),
    "importing.confirm": Route(
        (SEC,),
        form=lambda w: {
            "label": "Imported draft",
            "draft": "# A Declaration\n\n1. One paragraph.\n",
            "filename": "draft.docx",
            "revisions": "",
            "based_on": str(w.working.id),
            "accept": "Import this draft",
        },
    ),
    "editing.start": Route(
        (SEC,), form=lambda w: {"label": "Draft 2"}, args=lambda w: {"version_id": w.version.id}
    ),
    "editing.save": Route((SEC,), form=lambda w: {"source": f"1. {MARKER}", "revision": "1"}),
    "editing.insert": Route((SEC,), form=lambda w: {"after": w.uid, "source": f"2. {MARKER}"}),
    "editing.split": Route(
        (SEC,), form=lambda w: {"source": f"1. {MARKER}\n\n2. And more.", "revision": "1"}
    ),
    "editing.merge": Route((SEC,), form=lambda w: {"revision": "1", "next_revision": "1"}),
    "editing.move": Route((SEC,), form=lambda w: {"direction": "down", "revision": "1"}),
    "editing.delete": Route((SEC,), form=lambda w: {"revision": "1"}),
    "meeting.opened": Route((SEC,)),
    "editing.apply": Route(
        (SEC,),
        form=lambda w: {"revision": "1", "justification": MARKER},
        args=lambda w: {"comment_id": w.amendment.id},
    ),
    "consultations.new": Route(
        (SEC,),
        form=lambda w: {
            "title": "Second round",
            "closes_day": "2099-01-31",
            "closes_time": "18:00",
            "timezone": "Europe/Vienna",
            "invited": [str(w.delegations["AUT"].id)],
            "visibility": "sealed",
            "late_rule": "refuse",
        },
        args=lambda w: {"version_id": w.version.id},
    ),
    "consultations.close": Route((SEC,), form=lambda w: {"confirm": "y"}),
    "consultations.extend": Route(
        (SEC,),
        form=lambda w: {
            "delegation_id": str(w.delegations["AUT"].id),
            "closes_day": "2099-02-28",
            "closes_time": "18:00",
            "reason": MARKER,
        },
    ),
    "comments.new": Route((DEL,), form=lambda w: _comment_form(w, form_token=uuid.uuid4().hex)),
    "comments.record": Route(
        (SEC,),
        form=lambda w: _comment_form(
            w,
            form_token=uuid.uuid4().hex,
            source="email",
            received_day="2000-01-01",
            received_time="10:00",
            timezone="UTC",
        ),
    ),
    "word_file.upload": Route(
        (DEL,), form=lambda w: {"file": (io.BytesIO(b"not a Word file"), "marked-up.docx")}
    ),
    "word_file.confirm": Route((DEL,), form=lambda w: {"stop": "y"}),
    "comments.edit": Route((DEL,), form=lambda w: _comment_form(w, base_revision="1")),
    "comments.submit": Route((DEL,), form=lambda w: {"base_revision": "1"}),
    "comments.withdraw": Route((DEL,), form=lambda w: {"base_revision": "1", "confirm": "y"}),
    "comments.submit_drafts": Route((DEL,)),
    "comments.support": Route((DEL,), args=lambda w: {"comment_id": w.amendment.id}),
    "comments.unsupport": Route((DEL,), args=lambda w: {"comment_id": w.amendment.id}),
    "comments.state_stance": Route(
        (DEL,),
        form=lambda w: {"kind": "objection", "reason": MARKER},
        args=lambda w: {"comment_id": w.amendment.id},
    ),
    "comments.withdraw_stance": Route((DEL,), args=lambda w: {"comment_id": w.amendment.id}),
    "silence.start": Route(
        (SEC,),
        args=lambda w: {"version_id": w.version.id},
        form=lambda w: {"day": "2099-01-31", "at": "18:00", "timezone": "UTC", "confirm": "y"},
    ),
    "silence.break_silence": Route(
        (DEL,),
        args=lambda w: {"silence_id": w.silence.id},
        form=lambda w: {"statement": "We cannot accept paragraph 1."},
    ),
    "tokens.tokens": Route((SEC, DEL), form=lambda w: {"name": "Reporting script"}),
    "tokens.revoke": Route((DEL,), args=lambda w: {"token_id": w.api_token.id}),
    "statuses.mark": Route((SEC,), form=lambda w: {"status": "agreed", "note": MARKER}),
    "statuses.mark_several": Route(
        (SEC,), form=lambda w: {"status": "agreed", "uid": [w.uid], "note": MARKER}
    ),
    "translations.upload": Route(
        (SEC,),
        args=lambda w: {"version_id": w.version.id},
        form=lambda w: {"language": "ru", "file": (io.BytesIO(b"# T\n\n1. A."), "ru.md")},
    ),
    "translations.confirm": Route(
        (SEC,),
        args=lambda w: {"version_id": w.version.id},
        form=lambda w: {"language": "ru", "draft": MARKER},
    ),
    "translations.update_paragraph": Route(
        (SEC,),
        args=lambda w: {"version_id": w.version.id, "language": "ru"},
        form=lambda w: {"text": MARKER},
    ),
    "translations.publish": Route(
        (SEC,), args=lambda w: {"version_id": w.version.id, "language": "ru"}
    ),
    "compilation.decide": Route(
        (SEC,),
        form=lambda w: {"outcome": "accepted", "justification": MARKER, "is_shared": "y"},
        args=lambda w: {"comment_id": w.amendment.id},
    ),
}


def _cases() -> list:
    cases = []
    for endpoint, method, rule, arguments in ROUTES:
        roles = SWEEP[endpoint].roles if endpoint in SWEEP else ("?",)
        for role in roles:
            cases.append(
                pytest.param(endpoint, method, rule, arguments, role, id=f"{method} {rule} {role}")
            )
    return cases


def test_every_entry_of_the_sweep_is_still_a_route():
    stale = set(SWEEP) - {route[0] for route in ROUTES}
    assert not stale, f"SWEEP names endpoints the app no longer has: {sorted(stale)}"


@pytest.fixture
def logged_in(app, world, auth, client):
    """A client logged in with ``role``, and a foreign token: one from another person's
    session, as an attacker would copy from their own page."""

    def _login(role: str):
        if role == SEC:
            auth.login(world.people.secretariat)
        elif role == DEL:
            auth.login(world.people.aut)
        else:
            client.get("/login")
        attacker = app.test_client()
        attacker.post(
            "/login",
            data={"email": world.people.tur.email, "password": "correct horse battery staple"},
        )
        return client, attacker.csrf_token()

    return _login


def _send(client, method: str, url: str, form: dict, token: str | None):
    data = dict(form)
    if token is not None:
        data["csrf_token"] = token
    return client.open(url, method=method, data=data)


def _refused_for_csrf(response) -> bool:
    page = response.get_data(as_text=True)
    return response.status_code == 400 and any(text in page for text in CSRF_REFUSALS)


@pytest.mark.parametrize(("endpoint", "method", "rule", "arguments", "role"), _cases())
def test_a_missing_or_foreign_csrf_token_is_refused_and_changes_nothing(
    app, world, logged_in, endpoint, method, rule, arguments, role
):
    if endpoint not in SWEEP:
        pytest.fail(
            f"{method} {rule} ({endpoint}) changes state but is not in SWEEP: add it there, "
            "with who sends it, the objects its URL names and a plausible form"
        )
    route = SWEEP[endpoint]
    args = {**_defaults(world), **route.args(world)}
    missing = set(arguments) - set(args)
    assert not missing, f"{rule}: add a value for {sorted(missing)} to _defaults or its Route"
    url = app.url_map.bind("localhost").build(endpoint, {name: args[name] for name in arguments})
    client, foreign = logged_in(role)
    was_logged_in = client.get("/").status_code == 200

    before = snapshot()
    for token in (None, foreign):
        response = _send(client, method, url, route.form(world), token)
        assert _refused_for_csrf(response), (
            f"{method} {url} with {'no' if token is None else 'a foreign'} CSRF token answered "
            f"{response.status_code}, not a CSRF refusal"
        )
        if MARKER in str(route.form(world)):
            assert MARKER in response.get_data(as_text=True), f"{url} lost the text typed"
        assert snapshot() == before
    assert (client.get("/").status_code == 200) == was_logged_in

    # The control: the same form with the session's own token is not refused for its token,
    # so the refusals above were for the token and nothing else.
    response = _send(client, method, url, route.form(world), client.csrf_token())
    assert not _refused_for_csrf(response), f"{method} {url} refused its own session's token"
