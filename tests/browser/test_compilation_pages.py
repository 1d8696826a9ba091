"""In Chromium: the compilation shows its first part, loads the next in place on a click (htmx),
and its filter narrows every page."""

from __future__ import annotations

from playwright.sync_api import expect

from drafting.consultations import commenting, compilation_pages
from drafting.extensions import db
from tests.consultations import conftest as consultations

people = consultations.people
published = consultations.published
open_round = consultations.open_round


def test_the_compilation_shows_its_first_part_loads_the_rest_and_filters_everything(
    page, log_in, people, published, open_round, monkeypatch
):
    monkeypatch.setattr(compilation_pages, "PAGE_COMMENTS", 2)
    monkeypatch.setattr(compilation_pages, "PAGE_PARAGRAPHS", 4)
    consultation = open_round(visibility="open")
    numbered = [p for p in published.paragraphs if p.label]
    for index, p in enumerate(numbered):
        person = people.pak if index % 2 else people.aut
        commenting.create_comment(
            person,
            consultation,
            kind="paragraph",
            paragraph_uid=p.uid,
            body=f"On {p.label}",
            submit=True,
        )
    db.session.commit()
    log_in(people.secretariat)
    page.goto(f"/consultations/{consultation.id}/compilation")

    cards = page.locator("article.comment-card")
    first = cards.count()
    assert 0 < first < len(numbered)
    expect(page.locator("#page-2")).to_have_count(0)
    address = page.url
    page.get_by_role("link", name="Next page (2 of").click()
    expect(page.locator("#page-2")).to_have_count(1)
    expect(page.locator("#page-1")).to_have_count(1)  # put in place, not a new page
    assert page.url == address
    load_every_page(page)
    expect(cards).to_have_count(len(numbered))

    page.get_by_label("Delegation", exact=False).and_(page.locator("select")).select_option("PAK")
    page.get_by_role("button", name="Filter").click()
    pak = sum(1 for index in range(len(numbered)) if index % 2)
    expect(page.get_by_role("status").filter(has_text="comments shown")).to_contain_text(
        f"{pak} of {len(numbered)} comments shown (filtered)"
    )
    load_every_page(page)
    codes = page.locator("article.comment-card .delegation-code").all_inner_texts()
    assert codes == ["PAK"] * pak


def load_every_page(page) -> None:
    """Click "Next page" until the whole compilation is in the page."""
    following = page.get_by_role("link", name="Next page (")
    while following.count():
        shown = page.locator(".compilation-page").count()
        following.click()
        expect(page.locator(".compilation-page")).to_have_count(shown + 1)
