"""A draft that inserts paragraphs with "bis" labels keeps doing so, through the pages: a
paragraph inserted (or split off) between "1." and "2." is "1bis."; publication keeps each "bis"
label under the paragraph it follows, in order (a "2bis." moved below "3." is published
"3bis."), refuses one left before any paragraph of its series, and the comparison shows "1."
split into "1." and "1bis." as a split. Each published draft is checked paragraph by paragraph.
"""

from __future__ import annotations

import pytest

from drafting.extensions import db
from tests.consultations.conftest import delegation
from tests.editing.resolution import by_label, labels_of

DECLARATION = """# Declaration on Migration Data

## Commitments

1. We will cooperate on migration data and share statistics every year through the secretariat.

2. We will meet annually.

2bis. We will report to the plenary after each meeting.

3. We will review this declaration in five years.
"""
FIRST = (
    "We will cooperate on migration data and share statistics every year through the secretariat."
)


@pytest.fixture
def bis_draft(create_document, people):
    """The next draft of a published declaration that already prints a "bis" label."""
    from drafting.documents.editing import open_working_draft

    participants = [delegation(code) for code in ("AUT", "PAK")]
    document = create_document(("Zero draft", DECLARATION, True), participants=participants)
    draft = open_working_draft(people.secretariat, document.versions[0], label="Draft 1")
    db.session.commit()
    return draft


def published_paragraphs(client, draft) -> list[tuple[str | None, str]]:
    """The published draft as the page and the database hold it, paragraph by paragraph."""
    db.session.expire_all()
    assert draft.is_published
    page = client.get(f"/versions/{draft.id}").get_data(as_text=True)
    rows = [(p.label, p.text) for p in draft.paragraphs if p.kind == "paragraph"]
    for label, text in rows:
        assert f">{label}<" in page and text.split()[0] in page
    return rows


def publish(client, draft, **data):
    return client.post(
        f"/versions/{draft.id}/publish", data={"confirm": "y", "label": "Draft 1", **data}
    )


def test_inserting_between_1_and_2_gives_1bis_and_publishes_it_so(client, auth, people, bis_draft):
    auth.login(people.secretariat)
    one = by_label(bis_draft, "1.")
    form = client.get(f"/versions/{bis_draft.id}/edit/insert?after={one.uid}")
    assert "Label it takes if you type none: “1bis.”" in form.get_data(as_text=True)
    last = by_label(bis_draft, "3.")
    form = client.get(f"/versions/{bis_draft.id}/edit/insert?after={last.uid}")
    assert "if you type none: “4.”" in form.get_data(as_text=True)  # renumbers nothing
    response = client.post(
        f"/versions/{bis_draft.id}/edit/insert",
        data={"after": one.uid, "source": "We will train statisticians."},
    )
    assert response.status_code == 302
    assert labels_of(bis_draft) == [None, None, "1.", "1bis.", "2.", "2bis.", "3."]
    editor = client.get(f"/versions/{bis_draft.id}/edit").get_data(as_text=True)
    assert '<div class="edit-num" title="Number once published">1bis.</div>' in editor
    check = client.get(f"/versions/{bis_draft.id}").get_data(as_text=True)
    assert "No label is printed twice" in check and "will be renumbered" not in check

    assert publish(client, bis_draft).status_code == 302
    assert published_paragraphs(client, bis_draft) == [
        ("1.", FIRST),
        ("1bis.", "We will train statisticians."),
        ("2.", "We will meet annually."),
        ("2bis.", "We will report to the plenary after each meeting."),
        ("3.", "We will review this declaration in five years."),
    ]


def test_a_split_of_1_gives_1bis_and_the_comparison_shows_a_split(client, auth, people, bis_draft):
    auth.login(people.secretariat)
    one = by_label(bis_draft, "1.")
    source = (
        "1. We will cooperate on migration data.\n\n"
        "Statistics are shared every year through the secretariat in a common format."
    )
    response = client.post(
        f"/versions/{bis_draft.id}/edit/{one.uid}/split", data={"source": source, "revision": "1"}
    )
    assert response.status_code == 302
    assert labels_of(bis_draft) == [None, None, "1.", "1bis.", "2.", "2bis.", "3."]
    assert publish(client, bis_draft).status_code == 302
    assert published_paragraphs(client, bis_draft)[:2] == [
        ("1.", "We will cooperate on migration data."),
        ("1bis.", "Statistics are shared every year through the secretariat in a common format."),
    ]

    zero = bis_draft.document.versions[0]
    compared = client.get(
        f"/documents/{bis_draft.document.id}/compare?old={zero.id}&new={bis_draft.id}"
    ).get_data(as_text=True)
    assert '<span class="badge badge-split">split</span>' in compared
    assert "badge-added" not in compared and "badge-deleted" not in compared


def test_a_bis_paragraph_moved_below_3_is_published_as_3bis(client, auth, people, bis_draft):
    auth.login(people.secretariat)
    two_bis = by_label(bis_draft, "2bis.")
    response = client.post(
        f"/versions/{bis_draft.id}/edit/{two_bis.uid}/move", data={"direction": "down"}
    )
    assert response.status_code == 302
    check = client.get(f"/versions/{bis_draft.id}").get_data(as_text=True)
    assert "<tr><td>2bis.</td><td>3bis.</td>" in check

    assert publish(client, bis_draft).status_code == 302
    assert [label for label, _ in published_paragraphs(client, bis_draft)] == [
        "1.",
        "2.",
        "3.",
        "3bis.",
    ]
    assert published_paragraphs(client, bis_draft)[3] == (
        "3bis.",
        "We will report to the plenary after each meeting.",
    )


def test_a_bis_paragraph_left_before_its_series_is_refused_at_publication(
    client, auth, people, bis_draft
):
    auth.login(people.secretariat)
    two_bis = by_label(bis_draft, "2bis.")
    for _ in range(2):
        client.post(f"/versions/{bis_draft.id}/edit/{two_bis.uid}/move", data={"direction": "up"})
    assert labels_of(bis_draft) == [None, None, "2bis.", "1.", "2.", "3."]

    response = publish(client, bis_draft, note="Kept note.")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Nothing was published" in page
    assert "“2bis.” comes before any paragraph it could follow" in page
    assert "Kept note.</textarea>" in page
    db.session.expire_all()
    assert not bis_draft.is_published
