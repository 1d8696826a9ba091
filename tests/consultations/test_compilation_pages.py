"""The compilation comes in pages: the first part at once, the others by plain links (or htmx in
place), the filters and figures over the whole round, a decision returning to its comment's page."""

from __future__ import annotations

import re

import pytest

from drafting.consultations import commenting, compilation_pages
from drafting.extensions import db
from tests.consultations.conftest import paragraph
from tests.consultations.test_compilation import _every_page_ids, _page, _shown_ids, _url


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(compilation_pages, "PAGE_COMMENTS", 2)
    monkeypatch.setattr(compilation_pages, "PAGE_PARAGRAPHS", 3)


@pytest.fixture
def busy(open_round, people, published, small_pages):
    """Three general comments and one comment on each numbered paragraph, from AUT and PAK."""
    consultation = open_round(visibility="open")
    made = []
    for number in range(3):
        made.append(_submit(people.aut, consultation, "general", body=f"General {number}."))
    for index, p in enumerate(p for p in published.paragraphs if p.label):
        person = people.pak if index % 2 else people.aut
        made.append(_submit(person, consultation, "paragraph", p, body=f"On {p.label}"))
    db.session.commit()
    return consultation, made


def _submit(person, consultation, kind, on=None, **fields):
    comment, _ = commenting.create_comment(
        person,
        consultation,
        kind=kind,
        paragraph_uid=on.uid if on is not None else None,
        submit=True,
        **fields,
    )
    return comment


def test_the_first_page_shows_the_first_part_and_links_the_next(client, auth, people, busy):
    consultation, made = busy
    auth.login(people.secretariat)
    html = _page(client, consultation)
    assert _shown_ids(html) == {made[0].id, made[1].id}
    assert f'href="/consultations/{consultation.id}/compilation?page=2"' in html
    assert re.search(r'hx-get="[^"]*page=2"', html)


def test_every_comment_is_on_exactly_one_page(client, auth, people, busy):
    consultation, made = busy
    auth.login(people.secretariat)
    assert _every_page_ids(client, consultation) == {c.id for c in made}


def test_htmx_gets_only_the_next_part_to_put_in_place(client, auth, people, busy):
    consultation, made = busy
    auth.login(people.secretariat)
    response = client.get(_url(consultation, page=2), headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert 'id="page-2"' in html
    assert "<html" not in html and "Figures:" not in html
    assert made[2].id in _shown_ids(html)


def test_a_filter_applies_to_every_page_and_counts_everything(client, auth, people, busy):
    consultation, made = busy
    auth.login(people.secretariat)
    pak = {c.id for c in made if c.delegation.code == "PAK"}
    html = _page(client, consultation, delegation="PAK")
    assert f"{len(pak)} of {len(made)} comments shown (filtered)" in html
    assert _every_page_ids(client, consultation, delegation="PAK") == pak
    assert "delegation=PAK" in html.split('id="more-1"')[1]  # the next page keeps the filter


def test_the_figures_are_of_the_whole_round_on_every_page(client, auth, people, busy):
    consultation, made = busy
    auth.login(people.secretariat)
    html = _page(client, consultation, page=3)
    assert f"Figures: {len(made)} received" in html


def test_a_link_to_a_comment_opens_its_page(client, auth, people, busy, published):
    consultation, made = busy
    auth.login(people.secretariat)
    last = made[-1]
    html = _page(client, consultation, comment=last.id)
    assert last.id in _shown_ids(html)
    assert made[0].id not in _shown_ids(html)


def test_a_decision_returns_to_the_page_of_its_comment(client, auth, people, busy, published):
    consultation, made = busy
    auth.login(people.secretariat)
    on_last = next(c for c in made if c.paragraph_uid == paragraph(published, "4.").uid)
    response = client.post(
        f"/comments/{on_last.id}/decision",
        data={"outcome": "noted", "is_shared": "y", "reflected_version": str(published.id)},
    )
    assert response.status_code == 302
    assert re.search(rf"page=\d+#c-{on_last.id}$", response.headers["Location"])
    assert on_last.id in _shown_ids(client.get(response.headers["Location"]).get_data(True))
