"""A long version and a long comparison are read in parts: the first part first, every other part
by a plain link that keeps the page's choices, and a link to a change or heading of another part
leads to that part."""

from __future__ import annotations

import re

import pytest

from tests.consultations.test_draft_in_parts import long_draft


def reworded(source: str, *numbers: int) -> str:
    for number in numbers:
        source = source.replace(f"thing number {number} of", f"thing number {number} in all of")
    return source


@pytest.fixture
def long_pair(create_document, secretariat):
    zero = long_draft()
    return create_document(("Zero draft", zero, True), ("Draft 1", reworded(zero, 3, 180), True))


def get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_a_long_version_shows_its_first_part_and_links_the_others(client, long_pair):
    version = long_pair.versions[1]
    html = get(client, f"/versions/{version.id}")
    assert "thing number 3 in all" in html and "thing number 180 " not in html
    assert f'href="/versions/{version.id}?part=8#' in html  # the contents: part 8's heading
    assert "thing number 180 in all" in get(client, f"/versions/{version.id}?part=8")


def test_a_long_comparison_links_each_change_to_the_part_holding_it(client, long_pair):
    base = f"/documents/{long_pair.id}/compare"
    first = get(client, base)
    assert 'id="change-1"' in first and 'id="change-2"' not in first
    next_change = re.search(r'<a href="([^"]+)" aria-label="Next change">', first).group(1)
    assert next_change.endswith("part=8#change-2")
    later = get(client, next_change.replace("&amp;", "&"))
    assert 'id="change-2"' in later and "180." in later.split('id="change-2"')[1][:2000]


def test_changes_only_runs_over_the_whole_comparison(client, long_pair):
    html = get(client, f"/documents/{long_pair.id}/compare?changes=only")
    assert 'id="change-1"' in html and 'id="change-2"' in html
    assert 'aria-label="Parts of the text' not in html  # two rows: one part


def test_a_part_that_is_not_there_is_not_found(client, long_pair):
    assert client.get(f"/versions/{long_pair.versions[1].id}?part=99").status_code == 404
    assert client.get(f"/documents/{long_pair.id}/compare?part=0").status_code == 404


def test_two_published_versions_are_aligned_once(client, long_pair, monkeypatch):
    from drafting.documents import comparison
    from drafting.keeping import Kept

    aligned = []
    align = comparison.align_paragraphs

    def counting(*args):
        aligned.append(1)
        return align(*args)

    monkeypatch.setattr(comparison, "align_paragraphs", counting)
    monkeypatch.setattr(comparison, "_ALIGNED", Kept(comparison._ALIGNED.most))
    get(client, f"/documents/{long_pair.id}/compare")
    get(client, f"/documents/{long_pair.id}/compare?part=8")
    assert len(aligned) == 1
