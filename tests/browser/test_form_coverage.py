"""Every form a person can submit has a browser test that submits it (see form_coverage.py)."""

from __future__ import annotations

from pathlib import Path

from config import TestConfig
from drafting.app import create_app
from tests.browser.form_coverage import FORMS, page_forms

HERE = Path(__file__).parent


def test_every_page_form_has_a_browser_test_that_submits_it():
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI="sqlite://")
    missing = [form for form in page_forms(app) if not FORMS.get(form)]
    assert not missing, (
        f"No browser test submits {missing}: drive the form in Chromium (tests/browser/) and "
        "name the test in tests/browser/form_coverage.py"
    )


def test_every_entry_of_the_table_is_still_a_form():
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI="sqlite://")
    assert not set(FORMS) - set(page_forms(app))


def test_every_test_named_in_the_table_exists():
    for test in set(FORMS.values()):
        filename, _, name = test.partition("::")
        source = (HERE / filename).read_text() if (HERE / filename).exists() else ""
        assert f"def {name}(" in source, f"form_coverage.py names {test}, which does not exist"
