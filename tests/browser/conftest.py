"""A real Chromium (Debian's /usr/bin/chromium) driven by Playwright, against a live server."""

from __future__ import annotations

import os
import threading
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask, request, request_finished
from werkzeug.serving import make_server

from drafting.consultations import rounds
from drafting.extensions import db
from tests.browser.form_coverage import FORMS, STATE_CHANGING, named_test

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# Without these, Chromium tries to reach Google's hosts, which this network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(
                f"{CHROMIUM} is missing and REQUIRE_BROWSER=1: CI must run the browser tests"
            )
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# What the browser really submitted, per test: {test's node id: {(endpoint, method)}}, recorded
# by every live server; the test named for a form in FORMS must have sent it (see below).
SUBMITTED: dict[str, set[tuple[str, str]]] = defaultdict(set)
_running = {"test": ""}


def _record_submission(sender, response, **extra) -> None:
    # A 400 is a form not understood (a CSRF refusal among others): not a form driven.
    if request.method in STATE_CHANGING and request.url_rule and response.status_code != 400:
        SUBMITTED[_running["test"]].add((request.url_rule.endpoint, request.method))


@contextmanager
def serve(app: Flask) -> Iterator[str]:
    """Serve ``app`` on a free port in a thread of this process (so time_machine moves its clock
    too), recording each form a browser submits to it."""
    request_finished.connect(_record_submission, app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
        request_finished.disconnect(_record_submission, app)


@pytest.fixture(autouse=True)
def form_coverage(request):
    """The forms that tests/browser/form_coverage.py says this test submits, it must submit."""
    _running["test"] = request.node.nodeid
    yield
    promised = {form for form, test in FORMS.items() if test and named_test(test, request.node)}
    missing = promised - SUBMITTED[request.node.nodeid]
    if missing:
        pytest.fail(f"form_coverage.py says {request.node.name} submits {sorted(missing)}")


@pytest.fixture
def live_server(app):
    with serve(app) as url:
        yield url


def open_page(browser, base_url: str, **options):
    """A page in a browser context of its own (its own cookies: one person), with its
    JavaScript errors collected in ``page.errors``."""
    context = browser.new_context(base_url=base_url, accept_downloads=True, **options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    return page


@pytest.fixture
def page(browser, live_server):
    page = open_page(browser, live_server)
    yield page
    page.context.close()
    assert not page.errors, f"JavaScript errors in the page: {page.errors}"


@pytest.fixture
def log_in(page):
    from tests.conftest import PASSWORD

    def _log_in(user, password: str = PASSWORD):
        page.goto("/login")
        page.get_by_label("E-mail").fill(user.email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url("**/")

    return _log_in


@pytest.fixture
def sample(app):
    """The sample declaration of `make run`, committed so the live server sees it."""
    from drafting.demo import load_sample
    from drafting.extensions import db

    loaded = load_sample()
    db.session.commit()
    return loaded


AXE = Path(__file__).with_name("node_modules") / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def sample_round(sample):
    """A round of comments on the sample's Draft 1, open since an hour, due in an hour, for
    every participating delegation but the secretariat."""
    version = next(v for v in sample.document.versions if v.label == "Draft 1")
    now = datetime.now(UTC)
    consultation = rounds.open_consultation(
        None,
        version,
        title="Written comments on Draft 1",
        opens_dt=now - timedelta(hours=1),
        closes_dt=now + timedelta(hours=1),
        timezone="Europe/Vienna",
        invited=[d for d in sample.document.participants if d.code != "MDS"],
    )
    db.session.commit()
    return consultation


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"{AXE} is missing: run `make install-test` (npm ci in tests/browser)")
        pytest.skip(f"{AXE} is missing (make install-test runs npm ci in tests/browser)")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def serious_violations(axe_source):
    """Run axe-core in a page and return its serious and critical violations.

    The script is evaluated through the DevTools protocol rather than added as a <script>
    element, which the app's Content-Security-Policy (script-src 'self') would refuse: the
    page is checked under the policy it really has."""

    def _check(page) -> list[str]:
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(axe_source)
        assert page.evaluate("() => typeof window.axe === 'object'"), "axe-core did not load"
        violations = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations'],"
            " rules: {'target-size': {enabled: true}}})).violations"
        )
        return [
            f"{v['impact']} {v['id']}: {v['help']} — "
            + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
            for v in violations
            if v["impact"] in ("serious", "critical")
        ]

    return _check
