"""Every form a person submits is driven at least once in Chromium, not only with the test client.

A browser sends a form differently from the test client (CRLF line breaks, what a hidden field
carries, which button was pressed), so that a form which passes every test-client test can still
fail in every browser, as the Word import's confirmation did. FORMS names, for each state-changing
page route, the browser test that submits it; tests/browser/conftest.py records what each browser
test really submits to its live server and fails the test named here if it did not, and
test_form_coverage.py fails when a route is missing from the table.
"""

from __future__ import annotations

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}

JOURNEY = "test_journeys.py::"
FORMS_TEST = "test_forms.py::"

# (endpoint, method): "file.py::test_name" of the browser test that submits it.
FORMS: dict[tuple[str, str], str] = {
    ("auth.login", "POST"): JOURNEY
    + "test_the_secretariat_sets_up_imports_publishes_and_opens_a_round",
}


def named_test(test: str, node) -> bool:
    """Whether ``test`` ("file.py::name") is the pytest item ``node`` (parameters ignored)."""
    filename, _, name = test.partition("::")
    return node.path.name == filename and node.originalname == name


def page_forms(app) -> list[tuple[str, str]]:
    """(endpoint, method) of every state-changing route outside the JSON API, from the URL map,
    as tests/security/test_csrf_sweep.py finds them."""
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            continue
        found.update((rule.endpoint, method) for method in rule.methods & STATE_CHANGING)
    return sorted(found)
