"""The API's lists come in pages: a default size that keeps old clients working, ``page`` and
``per_page``, and the other pages named in the Link and X-Pagination headers."""

from __future__ import annotations

import json
import uuid

import pytest

from drafting.api import paging
from drafting.consultations.commenting import create_comment
from drafting.extensions import db
from tests.api.test_errors import assert_problem


@pytest.fixture
def five_comments(people, open_round):
    consultation = open_round()
    for number in range(5):
        create_comment(
            people.aut,
            consultation,
            kind="general",
            body=f"Remark {number}.",
            form_token=uuid.uuid4().hex,
            submit=True,
        )
    db.session.commit()
    return consultation


def comments(api, consultation, query: str = ""):
    return api.get(f"/consultations/{consultation.id}/comments{query}")


def test_without_arguments_the_first_page_comes_in_the_old_envelope(people, five_comments, api_as):
    response = comments(api_as(people.aut), five_comments)
    assert len(response.get_json()["comments"]) == 5
    described = json.loads(response.headers["X-Pagination"])
    assert described["total"] == 5
    assert described["per_page"] == paging.DEFAULT_PER_PAGE
    assert "next_page" not in described


def test_pages_split_the_list_in_order_and_link_the_next(people, five_comments, api_as):
    api = api_as(people.aut)
    first = comments(api, five_comments, "?per_page=2")
    second = comments(api, five_comments, "?per_page=2&page=2")
    third = comments(api, five_comments, "?per_page=2&page=3")
    ids = [c["id"] for r in (first, second, third) for c in r.get_json()["comments"]]
    assert len(ids) == 5
    assert ids == sorted(ids)
    assert json.loads(first.headers["X-Pagination"])["next_page"] == 2
    assert 'comments?per_page=2&page=2>; rel="next"' in first.headers["Link"]
    assert 'rel="prev"' in third.headers["Link"]
    assert 'rel="next"' not in third.headers["Link"]


def test_a_page_past_the_end_is_empty(people, five_comments, api_as):
    response = comments(api_as(people.aut), five_comments, "?page=9")
    assert response.status_code == 200
    assert response.get_json()["comments"] == []


@pytest.mark.parametrize(
    "query",
    [
        "?page=0",
        "?page=x",
        f"?per_page={paging.MAX_PER_PAGE + 1}",
        "?page=%C2%B2",  # "²": a digit to str.isdigit, not to int
        "?page=" + "9" * 5000,  # past the 4,300 digits int() reads
    ],
)
def test_an_unusable_page_is_refused_with_400(people, five_comments, api_as, query):
    problem = assert_problem(comments(api_as(people.aut), five_comments, query), 400)
    assert "must be a whole number" in problem["detail"]


def test_documents_and_rounds_are_paged_too(people, five_comments, api_as):
    api = api_as(people.aut)
    documents = api.get("/documents?per_page=1")
    document_id = documents.get_json()["documents"][0]["id"]
    rounds = api.get(f"/documents/{document_id}/consultations?per_page=1")
    assert json.loads(documents.headers["X-Pagination"])["total"] == 1
    assert json.loads(rounds.headers["X-Pagination"])["total"] == 1
    assert len(rounds.get_json()["consultations"]) == 1


def test_the_description_offers_the_page_arguments(api_as):
    spec = api_as(None).get("/openapi.json").get_json()
    operation = spec["paths"]["/api/v1/consultations/{consultation_id}/comments"]["get"]
    assert {"page", "per_page"} <= {p["name"] for p in operation["parameters"]}
    assert "X-Pagination" in operation["responses"]["200"]["headers"]
