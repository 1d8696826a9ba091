from io import BytesIO

import pytest

from drafting.documents.models import Document, Paragraph, Version
from drafting.extensions import db


@pytest.fixture
def empty_document(create_document):
    return create_document(title="Ministerial Declaration on Safe Routes")


def upload(client, document, data: bytes, label="Zero draft", publish=False, name="draft.md"):
    form = {"label": label, "file": (BytesIO(data), name)}
    if publish:
        form["publish"] = "y"
    return client.post(
        f"/documents/{document.id}/import", data=form, content_type="multipart/form-data"
    )


def test_the_secretariat_creates_a_document_with_its_delegations(
    client, secretariat, create_delegation
):
    aut, geo = create_delegation("AUT"), create_delegation("GEO")
    response = client.post(
        "/documents/new", data={"title": "Declaration", "participants": [aut.id, geo.id]}
    )
    assert response.status_code == 302
    document = db.session.scalar(db.select(Document))
    assert {d.code for d in document.participants} == {"AUT", "GEO"}


def test_a_document_needs_a_title(client, secretariat):
    response = client.post("/documents/new", data={"title": "  "})
    assert response.status_code == 422 and "This field is required" in response.get_data(
        as_text=True
    )


def test_the_secretariat_imports_a_draft_and_reads_it_numbered(
    client, secretariat, empty_document, sample_source
):
    response = upload(client, empty_document, sample_source.encode())
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert '<span class="num">2.</span>' in page
    assert "<strong>safe</strong>" in page
    assert "working draft" in page


def test_publishing_freezes_the_version_and_shows_its_hash(
    client, secretariat, empty_document, sample_source
):
    upload(client, empty_document, sample_source.encode())
    version = db.session.scalar(db.select(Version))
    response = client.post(f"/versions/{version.id}/publish", data={"confirm": "y"})
    assert response.status_code == 302
    db.session.refresh(version)
    assert version.is_published and len(version.text_hash) == 64
    assert version.text_hash in client.get(f"/versions/{version.id}").get_data(as_text=True)


def test_import_and_publish_in_one_step(client, secretariat, empty_document, sample_source):
    upload(client, empty_document, sample_source.encode(), publish=True)
    assert db.session.scalar(db.select(Version)).is_published


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("Déclaration ministérielle".encode("cp1252"), "not UTF-8"),
        (b"1. x\n\n" * (3_500_000), "at most 5 MB"),
    ],
    ids=["empty", "binary", "not-utf8", "20MB"],
)
def test_bad_files_are_refused_with_a_clear_message_and_nothing_is_stored(
    client, secretariat, empty_document, data, message
):
    response = upload(client, empty_document, data)
    assert response.status_code in (413, 422)
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Paragraph.id))) == 0


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ('1. We agree. <script>alert("x")</script>', "raw HTML"),
        ("1. We agree.\n\n2. <img src=x onerror=alert(1)>", "Block 2 contains raw HTML"),
        ("1. We agree. <!-- hidden -->", "raw HTML"),
        ("1. See [the annex](javascript:alert(1)).", "may only lead to web"),
        ("1. See [the annex](JaVaScRiPt:alert(1)).", "may only lead to web"),
        ("1. See [the annex](data:text/html;base64,PHNjcmlwdD4=).", "may only lead to web"),
        ("1. See [the annex][a].\n[a]: javascript:alert(1)", "may only lead to web"),
    ],
)
def test_a_draft_with_raw_html_or_script_links_is_refused_and_nothing_is_stored(
    client, secretariat, empty_document, source, message
):
    response = upload(client, empty_document, source.encode())
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Version.id))) == 0


def test_harmless_angle_brackets_and_web_links_are_accepted(client, secretariat, empty_document):
    source = "1. Less than 5% (<5%) move; see <https://example.org> and [the plan](https://example.org/p)."
    assert upload(client, empty_document, source.encode()).status_code == 302


def test_a_label_cannot_be_used_twice_and_the_form_keeps_it(
    client, secretariat, empty_document, sample_source
):
    upload(client, empty_document, sample_source.encode())
    response = upload(client, empty_document, sample_source.encode())
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "already has a version labelled" in page and 'value="Zero draft"' in page


def test_an_empty_draft_cannot_be_published(client, secretariat, empty_document):
    upload(client, empty_document, b"# Title only\n\n## A heading")
    version = db.session.scalar(db.select(Version))
    response = client.post(f"/versions/{version.id}/publish", data={"confirm": "y"})
    assert response.status_code == 409 and "no paragraph" in response.get_data(as_text=True)


def test_a_new_version_keeps_the_identity_of_its_paragraphs(create_document, sample_source):
    edited = sample_source.replace("shared responsibility", "shared and fair responsibility")
    document = create_document(("Zero draft", sample_source, True), ("Draft 1", edited, False))
    zero, one = document.versions
    assert [p.uid for p in zero.paragraphs] == [p.uid for p in one.paragraphs]
    assert one.based_on == zero


def test_a_version_exports_back_to_the_same_markdown(
    client, secretariat, empty_document, sample_source
):
    upload(client, empty_document, sample_source.encode())
    version = db.session.scalar(db.select(Version))
    response = client.get(f"/versions/{version.id}.md")
    assert response.get_data(as_text=True) == sample_source
    assert "attachment" in response.headers["Content-Disposition"]


def test_the_database_refuses_two_labels_that_differ_only_in_capitals(
    create_document, sample_source
):
    from sqlalchemy.exc import IntegrityError

    document = create_document(("Zero draft", sample_source, True))
    db.session.add(Version(document=document, label="ZERO DRAFT"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_a_version_page_lists_its_sections(client, secretariat, empty_document, sample_source):
    response = upload(client, empty_document, sample_source.encode())
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    toc = page[page.index('class="toc') : page.index("</nav>", page.index('class="toc'))]
    assert "Part I: Principles" in toc and 'href="#p-' in toc


def test_publishing_needs_an_explicit_confirmation(
    client, secretariat, empty_document, sample_source
):
    upload(client, empty_document, sample_source.encode())
    version = db.session.scalar(db.select(Version))
    response = client.post(f"/versions/{version.id}/publish", data={})
    assert response.status_code == 422
    assert "a published draft is final" in response.get_data(as_text=True)
    db.session.refresh(version)
    assert not version.is_published


def test_an_import_records_where_split_and_merged_paragraphs_came_from(create_document):
    from drafting.documents.importing import import_version

    before = (
        "# T\n\n1. We affirm the principle of shared responsibility for refugees and migrants "
        "alike, in all regions and at all times.\n\n2. We will cooperate.\n\n3. We will meet.\n"
    )
    after = (
        "# T\n\n1. We affirm the principle of shared responsibility for refugees and migrants "
        "alike,\n\n2. in all regions and at all times.\n\n3. We will cooperate. We will meet.\n"
    )
    document = create_document(("Zero draft", before, True))
    old = {p.label: p.uid for p in document.versions[0].paragraphs}
    version = import_version(None, document, after, label="Draft 1")
    new = {p.label: p for p in version.paragraphs}
    assert new["1."].uid == old["1."] and new["1."].derived_from == [old["1."]]
    assert new["2."].derived_from == [old["1."]]
    assert new["3."].derived_from == [old["2."], old["3."]]
    assert version.paragraphs[0].derived_from is None  # the title continues unchanged


def test_a_draft_of_more_paragraphs_than_one_import_takes_is_refused_before_it_is_read(
    app, client, secretariat, empty_document
):
    app.config["MAX_DRAFT_PARAGRAPHS"] = 100
    source = "# Title\n\n" + "\n\n".join(f"{n}. Words." for n in range(1, 101))
    response = upload(client, empty_document, source.encode())
    assert response.status_code == 422
    assert "101 paragraphs and headings; at most 100" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(Version)) is None


def test_a_markdown_next_draft_of_too_many_paragraphs_is_refused_before_its_review(
    app, client, secretariat, empty_document
):
    from drafting.documents.importing import import_version

    import_version(None, empty_document, "# Title\n\n1. One.\n", label="Zero draft", publish=True)
    db.session.commit()
    app.config["MAX_DRAFT_PARAGRAPHS"] = 100
    source = "# Title\n\n" + "\n\n".join(f"{n}. Words." for n in range(1, 101))
    response = upload(client, empty_document, source.encode(), label="Draft 1")
    assert response.status_code == 422
    assert "at most 100" in response.get_data(as_text=True)
