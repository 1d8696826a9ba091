"""Reading through the API: documents, versions with their paragraphs' identities, comparisons
and rounds, each for those who may see them; 404 for those who may not know they exist."""

from __future__ import annotations

import re

import pytest

from drafting.documents.importing import import_version
from drafting.extensions import db
from tests.api.conftest import DRAFT, paragraph
from tests.api.test_errors import assert_problem


@pytest.fixture
def outsider(create_user):
    """A delegate of a delegation that takes no part in the document."""
    return create_user("delegate", "NOR")


@pytest.fixture
def working(published):
    version = import_version(
        None, published.document, DRAFT.replace("shared", "common"), label="Draft 1"
    )
    db.session.commit()
    return version


def test_participant_lists_documents_with_published_versions_only(
    people, published, working, api_as
):
    data = api_as(people.aut).get("/documents").get_json()
    [document] = data["documents"]
    assert document["title"] == published.document.title
    assert "AUT" in document["participants"]
    assert [v["label"] for v in document["versions"]] == ["Zero draft"]


def test_secretariat_sees_working_drafts_too(people, published, working, api_as):
    [document] = api_as(people.secretariat).get("/documents").get_json()["documents"]
    assert [v["status"] for v in document["versions"]] == ["published", "working"]


def test_outsider_sees_no_document_and_gets_404(published, outsider, api_as):
    api = api_as(outsider)
    assert api.get("/documents").get_json() == {"documents": []}
    assert_problem(api.get(f"/documents/{published.document_id}"), 404)
    assert_problem(api.get(f"/versions/{published.id}"), 404)
    assert_problem(api.get(f"/documents/{published.document_id}/consultations"), 404)


def test_version_has_paragraphs_with_their_identity(people, published, api_as):
    data = api_as(people.observer).get(f"/versions/{published.id}").get_json()
    first = paragraph(published, "1.")
    assert data["text_hash"] == published.text_hash
    assert data["published_dt"].endswith("Z")
    shown = next(p for p in data["paragraphs"] if p["label"] == "1.")
    assert shown == {
        "uid": first.uid,
        "position": first.position,
        "kind": "paragraph",
        "level": first.level,
        "label": "1.",
        "text": first.text,
        "status": "pending",
        "status_note": "",
        "status_reset_from": None,
        "language": "en",
        "out_of_date": False,
    }


def test_working_draft_is_hidden_from_delegates(people, working, api_as):
    assert_problem(api_as(people.aut).get(f"/versions/{working.id}"), 404)
    assert api_as(people.secretariat).get(f"/versions/{working.id}").status_code == 200


def test_comparison_of_two_published_versions(people, published, api_as):
    newer = import_version(
        None,
        published.document,
        DRAFT.replace("next year", "in Geneva"),
        label="Draft 1",
        publish=True,
    )
    db.session.commit()
    api = api_as(people.chair)
    data = api.get(f"/documents/{published.document_id}/comparison").get_json()
    assert (data["old_version_id"], data["new_version_id"]) == (published.id, newer.id)
    changed = [e for e in data["entries"] if e["kind"] == "changed"]
    assert len(changed) == 1
    assert {op for op, _text in changed[0]["diff"]} == {-1, 0, 1}
    assert changed[0]["renumbered"] is False and 0 < changed[0]["similarity"] < 1
    assert len(data["blocks"]["new"]) == data["new_blocks"]
    explicit = api.get(
        f"/documents/{published.document_id}/comparison?old={published.id}&new={newer.id}"
    )
    assert explicit.get_json() == data


def test_comparison_refusals(people, published, working, api_as):
    api = api_as(people.aut)
    base = f"/documents/{published.document_id}/comparison"
    assert_problem(api.get(base), 404)  # only one version this delegate may read
    assert_problem(api.get(f"{base}?old={published.id}"), 400)
    assert_problem(api.get(f"{base}?old={published.id}&new=abc"), 400)
    assert_problem(api.get(f"{base}?old={published.id}&new={working.id}"), 404)
    ok = api_as(people.secretariat).get(f"{base}?old={published.id}&new={working.id}")
    assert ok.status_code == 200


def test_rounds_of_a_document_and_one_round(people, published, open_round, api_as):
    consultation = open_round()
    api = api_as(people.pak)
    [listed] = api.get(f"/documents/{published.document_id}/consultations").get_json()[
        "consultations"
    ]
    assert listed == api.get(f"/consultations/{consultation.id}").get_json()
    assert listed["state"] == "open"
    assert listed["visibility"] == "sealed"
    assert listed["invited"] == ["AUT", "PAK", "TUR"]


def test_round_is_404_for_an_outsider(published, open_round, outsider, api_as):
    consultation = open_round()
    assert_problem(api_as(outsider).get(f"/consultations/{consultation.id}"), 404)
    assert_problem(api_as(outsider).get(f"/consultations/{consultation.id}/comments"), 404)


def test_description_is_public_and_names_every_route(app, client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"].startswith("3.")
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    described = {
        (path, method.upper())
        for path, item in document["paths"].items()
        for method in item
        if method != "parameters"  # the path's own, shared by its methods
    }
    routed = {
        (re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule), method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert described == routed
