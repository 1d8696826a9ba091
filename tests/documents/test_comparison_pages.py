from contextlib import contextmanager
from io import BytesIO

import pytest
from docx import Document as WordDocument
from sqlalchemy import event

from drafting.extensions import db
from tests.documents.test_docx_import_pages import confirm

ZERO = """# Declaration

## Part I

1. We affirm the principle of shared responsibility.

2. We will cooperate on safe and regular pathways.

3. We support the platform for exchange.
"""
ONE = """# Declaration

## Part I

1. We affirm the principle of shared responsibility.

2. We shall cooperate closely on safe, orderly and regular pathways.

3. We welcome the new regional data hub.

4. We support the platform for exchange.
"""


@pytest.fixture
def two_drafts(create_document, create_user):
    chair = create_user("chair", "GEO")
    return create_document(
        ("Zero draft", ZERO, True), ("Draft 1", ONE, True), participants=[chair.delegation]
    )


@pytest.fixture
def chair(auth, create_user, two_drafts):
    user = create_user("chair", "GEO", email="the.chair@example.org")
    auth.login(user)
    return user


def test_the_chair_sees_word_level_changes_between_the_latest_two_drafts(client, chair, two_drafts):
    page = client.get(f"/documents/{two_drafts.id}/compare").get_data(as_text=True)
    assert "Zero draft → Draft 1" in page
    assert "closely" in page.split('id="change-1"')[1]
    assert '<del class="redline-del">' in page and '<ins class="redline-ins">' in page


def test_a_renumbered_paragraph_is_not_shown_as_changed(client, chair, two_drafts):
    page = client.get(f"/documents/{two_drafts.id}/compare").get_data(as_text=True)
    assert "<strong>1</strong> added" in page and "<strong>1</strong> changed" in page
    assert "was 3." in page  # the old number is shown as information, not as a change


def test_a_heading_renumbered_by_an_inserted_article_says_what_it_was(
    client, chair, create_document
):
    zero = "# Declaration\n\n## Article 1\n\n1. We affirm shared responsibility.\n"
    one = (
        "# Declaration\n\n## Article 1\n\n1. We welcome the new regional data hub.\n\n"
        "## Article 2\n\n2. We affirm shared responsibility.\n"
    )
    document = create_document(
        ("Zero draft", zero, True), ("Draft 1", one, True), participants=[chair.delegation]
    )
    page = client.get(f"/documents/{document.id}/compare").get_data(as_text=True)
    assert "was Article 1" in page
    assert "<strong>0</strong> changed" in page and "<strong>0</strong> moved" in page


def test_the_concordance_maps_old_numbers_to_new(client, chair, two_drafts):
    page = client.get(f"/documents/{two_drafts.id}/compare").get_data(as_text=True)
    concordance = page[page.index('id="concordance"') :]
    assert "<td>3.</td><td>4.</td>" in concordance.replace("\n", "").replace("  ", "")


def test_changes_only_leaves_out_unchanged_paragraphs(client, chair, two_drafts):
    page = client.get(f"/documents/{two_drafts.id}/compare?changes=only").get_data(as_text=True)
    assert "We affirm the principle" not in page
    assert 'id="change-1"' in page


def test_side_by_side_shows_both_versions(client, chair, two_drafts):
    page = client.get(f"/documents/{two_drafts.id}/compare?view=side").get_data(as_text=True)
    assert 'class="side old"' in page and 'class="side new"' in page


def test_identical_versions_say_there_is_no_difference(client, chair, two_drafts):
    zero = two_drafts.versions[0]
    page = client.get(f"/documents/{two_drafts.id}/compare?old={zero.id}&new={zero.id}")
    assert page.status_code == 200 and "No differences" in page.get_data(as_text=True)


def test_versions_of_different_documents_are_refused_with_a_message(
    client, chair, two_drafts, create_document
):
    other = create_document(
        ("Zero draft", ZERO, True), title="Other", participants=[chair.delegation]
    )
    old, new = two_drafts.versions[0].id, other.versions[0].id
    response = client.get(f"/documents/{two_drafts.id}/compare?old={old}&new={new}")
    assert response.status_code == 400
    assert "different documents" in response.get_data(as_text=True)


def test_an_unknown_version_is_a_404(client, chair, two_drafts):
    assert client.get(f"/documents/{two_drafts.id}/compare?old=424242&new=1").status_code == 404


def test_a_delegation_cannot_compare_a_working_draft(client, auth, create_user, create_document):
    delegate = create_user("delegate", "AUT")
    doc = create_document(
        ("Zero draft", ZERO, True), ("Draft 1", ONE, False), participants=[delegate.delegation]
    )
    auth.login(delegate)
    zero, working = doc.versions
    assert (
        client.get(f"/documents/{doc.id}/compare?old={zero.id}&new={working.id}").status_code == 404
    )


def test_the_word_redline_has_native_tracked_changes(client, chair, two_drafts):
    response = client.get(f"/documents/{two_drafts.id}/compare.docx")
    assert response.status_code == 200
    xml = WordDocument(BytesIO(response.data)).element.xml
    assert "<w:ins " in xml and "<w:del " in xml and "w:author=" in xml


@pytest.mark.parametrize("suffix", ["docx", "pdf"])
def test_a_clean_copy_downloads_in_word_and_pdf(client, chair, two_drafts, suffix):
    response = client.get(f"/versions/{two_drafts.versions[1].id}.{suffix}")
    assert response.status_code == 200 and response.data[:4] in (b"PK\x03\x04", b"%PDF")


@contextmanager
def count_queries():
    statements = []

    def before(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


def _draft(paragraphs: int, edit: bool) -> str:
    blocks = ["# Declaration"] + [
        f"{i}. Paragraph {i} {'amended ' if edit and i % 7 == 0 else ''}of the text."
        for i in range(1, paragraphs + 1)
    ]
    return "\n\n".join(blocks) + "\n"


def test_the_comparison_page_uses_a_constant_number_of_queries(
    client, auth, create_user, create_document
):
    chair = create_user("chair", "GEO")
    auth.login(chair)
    counts = []
    for size in (10, 300):
        doc = create_document(
            ("Zero draft", _draft(size, False), True),
            ("Draft 1", _draft(size, True), True),
            title=f"Doc {size}",
            participants=[chair.delegation],
        )
        with count_queries() as statements:
            assert client.get(f"/documents/{doc.id}/compare").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 15


def test_the_secretariat_sees_the_concordance_of_an_imported_draft_before_publishing(
    client, auth, create_user, create_document
):
    auth.login(create_user("secretariat", "MDS"))
    doc = create_document(("Zero draft", ZERO, True))
    review = client.post(
        f"/documents/{doc.id}/import",
        data={"label": "Draft 1", "file": (BytesIO(ONE.encode()), "draft-1.md")},
        content_type="multipart/form-data",
    )
    response = confirm(client, doc, review.get_data(as_text=True))
    version_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "concordance of paragraph numbers" in version_page
    zero, working = doc.versions
    page = client.get(f"/documents/{doc.id}/compare?old={zero.id}&new={working.id}")
    assert "<td>3.</td><td>4.</td>" in page.get_data(as_text=True).replace("\n", "").replace(
        "  ", ""
    )
    assert [p.uid for p in zero.paragraphs][-1] == [p.uid for p in working.paragraphs][-1]


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("old=99999999999999999999999&new=1", 400),
        ("old=abc&new=1", 400),
        ("old=1", 400),
        ("old=-1&new=1", 400),
    ],
)
def test_odd_query_strings_get_a_clear_answer_not_a_500(client, chair, two_drafts, query, status):
    assert client.get(f"/documents/{two_drafts.id}/compare?{query}").status_code == status


@pytest.mark.parametrize(
    "url",
    [
        "/versions/99999999999999999999999",
        "/versions/99999999999999999999999.pdf",
        "/documents/99999999999999999999999",
        "/documents/99999999999999999999999/compare",
    ],
)
def test_ids_too_large_for_the_database_are_not_found(client, chair, url):
    assert client.get(url).status_code == 404


def test_a_changed_paragraph_shows_its_words_not_its_markdown_markers(
    client, chair, create_document
):
    old = "# Declaration\n\n*Noting* that burden-sharing is **essential**,\n"
    new = "# Declaration\n\n*Noting* that responsibility-sharing is **essential**,\n"
    doc = create_document(
        ("Zero draft", old, True), ("Draft 1", new, True), participants=[chair.delegation]
    )
    page = client.get(f"/documents/{doc.id}/compare").get_data(as_text=True)
    change = page[page.index('id="change-1"') :]
    change = change[: change.index("</article>")]
    assert "*Noting*" not in change and "**" not in change
    assert "burden</del>" in change
    assert "responsibility</ins>" in change
