"""In Chromium, at a laptop's size and a phone's: axe-core finds no serious or critical
accessibility violation on the pages people use most, and the phone layout holds (nothing
wider than the screen, targets big enough to tap, the comparison readable in one column)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from drafting.consultations.models import Comment, Consultation
from drafting.extensions import db
from tests.browser.conftest import DESKTOP, PHONE

# The fifteen pages people open most, each as the person who uses it. Left out: the people,
# API tokens, import and new-round forms (used now and then, by the secretariat).
MAIN_PAGES = {
    "login": (None, "/login"),
    "document index": ("delegate", "/"),
    "document page": ("secretariat", "/documents/{document}"),
    "published draft": ("delegate", "/versions/{draft1}"),
    "draft with comments": ("delegate", "/consultations/{round}/draft"),
    "comment form": (
        "delegate",
        "/consultations/{round}/comments/new?kind=replace&paragraph={uid}",
    ),
    "comment history": ("delegate", "/comments/{comment}/history"),
    "comparison inline": ("delegate", "/documents/{document}/compare?old={zero}&new={draft1}"),
    "comparison side by side": (
        "delegate",
        "/documents/{document}/compare?old={zero}&new={draft1}&view=side",
    ),
    "history of the drafts": ("delegate", "/documents/{document}/history"),
    "compilation": ("secretariat", "/consultations/{round}/compilation"),
    "round page": ("secretariat", "/consultations/{round}"),
    "editor": ("secretariat", "/versions/{draft2}/edit"),
    "settings": ("delegate", "/settings"),
    "audit trail": ("secretariat", "/audit"),
}


@pytest.fixture
def world(sample, create_user):
    """The sample declaration, a delegate of Austria and the secretariat, and the addresses of
    the sample's versions, round and comment."""
    versions = {v.label: v for v in sample.document.versions}
    consultation = db.session.scalar(select(Consultation))
    comment = db.session.scalar(
        select(Comment).where(Comment.paragraph_uid.is_not(None)).order_by(Comment.id)
    )
    return {
        "people": {
            "delegate": create_user("delegate", "AUT", email="a11y.delegate@example.org"),
            "secretariat": create_user("secretariat", "MDS", email="a11y.sec@example.org"),
        },
        "ids": {
            "document": sample.document.id,
            "zero": versions["Zero draft"].id,
            "draft1": versions["Draft 1"].id,
            "draft2": versions["Draft 2"].id,
            "round": consultation.id,
            "comment": comment.id,
            "uid": comment.paragraph_uid,
        },
    }


@pytest.mark.parametrize("name", list(MAIN_PAGES))
def test_a_main_page_has_no_serious_accessibility_violation_on_a_laptop_or_a_phone(
    name, world, page, log_in, serious_violations
):
    role, address = MAIN_PAGES[name]
    if role:
        log_in(world["people"][role])
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        page.goto(address.format(**world["ids"]))
        assert serious_violations(page) == [], f"{name} at {size['width']} px"
