"""The audit page: who may read it, what it lists, how it narrows, pages and exports."""

from __future__ import annotations

import csv
import io
import json
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from sqlalchemy import event

from drafting.audit.models import AuditEvent
from drafting.auth.operations import set_timezone
from drafting.extensions import db
from tests.audit.conftest import record, shown


def _page(client, **args):
    response = client.get("/audit", query_string=args)
    return response, response.get_data(as_text=True)


def _csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))


# ---------------------------------------------------------------------------------------------
# Who may read it


@pytest.mark.parametrize("url", ["/audit", "/audit.csv", "/audit.json"])
@pytest.mark.parametrize("role", ["chair", "aut", "observer"])
def test_only_the_secretariat_reads_the_audit_trail(client, auth, people, url, role):
    auth.login(getattr(people, role))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", ["/audit", "/audit.csv", "/audit.json"])
def test_the_secretariat_reads_the_audit_trail(client, auth, people, url):
    auth.login(people.secretariat)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", ["/audit", "/audit.csv", "/audit.json"])
def test_a_visitor_is_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


# ---------------------------------------------------------------------------------------------
# What it lists


def test_events_are_listed_newest_first_with_their_person_and_object(client, auth, people, trail):
    auth.login(people.secretariat)
    response, html = _page(client)
    ids = shown(html)
    assert response.status_code == 200
    assert ids == sorted(trail.ids(), reverse=True)
    assert "Delegate of AUT" in html and "comment.submitted" in html
    assert f'href="/documents/{trail.routes.id}">document {trail.routes.id}</a>' in html
    assert f'href="/versions/{trail.routes.versions[0].id}"' in html
    assert f'href="/consultations/{trail.consultation.id}"' in html
    assert f'href="/comments/{trail.comment.id}/history"' in html
    assert f"{len(ids)}</strong> events" in html


def test_a_comment_still_a_delegation_draft_is_not_listed(client, auth, people, trail):
    from drafting.consultations import commenting

    draft, _ = commenting.create_comment(
        people.aut, trail.consultation, kind="general", body="Private."
    )
    db.session.commit()
    auth.login(people.secretariat)
    html = _page(client)[1]
    assert f"comment {draft.id}" not in html and f"/comments/{draft.id}/history" not in html


def test_times_are_shown_in_the_readers_zone(client, auth, people, trail):
    record(people.aut, "test.timed", at=datetime(2029, 12, 22, 17, 0, tzinfo=UTC))
    set_timezone(None, people.secretariat, "Europe/Vienna")
    db.session.commit()
    auth.login(people.secretariat)
    html = _page(client, action="test.timed")[1]
    assert '<time datetime="2029-12-22T17:00:00Z">22 December 2029, 18:00 CET' in html


def test_details_are_escaped_never_rendered_as_html(client, auth, people):
    record(people.aut, "test.hostile", title="<script>alert(1)</script>", note="<b>bold</b>")
    auth.login(people.secretariat)
    html = _page(client)[1]
    assert "<script>alert(1)" not in html and "<b>bold" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<dt>title</dt>" in html


# ---------------------------------------------------------------------------------------------
# Filters


def test_the_action_filter_narrows_the_list_and_stays_selected(client, auth, people, trail):
    auth.login(people.secretariat)
    html = _page(client, action="version.imported")[1]
    assert set(shown(html)) == trail.ids(action="version.imported") and len(shown(html)) == 2
    assert '<option value="version.imported" selected>' in html


def test_the_person_filter_narrows_the_list(client, auth, people, trail):
    auth.login(people.secretariat)
    html = _page(client, actor=people.aut.id)[1]
    assert set(shown(html)) == trail.ids(actor_id=people.aut.id)
    assert f'<option value="{people.aut.id}" selected>' in html
    system = _page(client, actor="system")[1]
    assert set(shown(system)) == trail.ids(actor_id=None) and shown(system)


def test_the_object_filter_narrows_the_list(client, auth, people, trail):
    auth.login(people.secretariat)
    html = _page(client, object_type="consultation")[1]
    assert set(shown(html)) == trail.ids(object_type="consultation") and shown(html)


def test_the_document_filter_takes_its_versions_rounds_and_comments(client, auth, people, trail):
    auth.login(people.secretariat)
    version = trail.routes.versions[0]
    expected = (
        trail.ids(object_type="document", object_id=trail.routes.id)
        | trail.ids(object_type="version", object_id=version.id)
        | trail.ids(object_type="consultation", object_id=trail.consultation.id)
        | trail.ids(object_type="comment", object_id=trail.comment.id)
    )
    html = _page(client, document=trail.routes.id)[1]
    assert set(shown(html)) == expected
    assert {"document", "version", "consultation", "comment"} <= {
        e.object_type for e in db.session.scalars(db.select(AuditEvent)) if e.id in expected
    }
    other = _page(client, document=trail.other.id)[1]
    assert set(shown(other)) == trail.ids(object_type="document", object_id=trail.other.id) | (
        trail.ids(object_type="version", object_id=trail.other.versions[0].id)
    )


def test_dates_are_whole_days_in_the_readers_zone(client, auth, people):
    set_timezone(None, people.secretariat, "Pacific/Auckland")  # UTC+13 in December
    late_on_the_21st_utc = record(None, "test.dated", at=datetime(2029, 12, 21, 12, 0, tzinfo=UTC))
    early_on_the_21st_utc = record(None, "test.dated", at=datetime(2029, 12, 21, 9, 0, tzinfo=UTC))
    record(None, "test.dated", at=datetime(2029, 12, 23, 12, 0, tzinfo=UTC))
    auth.login(people.secretariat)
    html = _page(client, action="test.dated", **{"from": "2029-12-22", "to": "2029-12-22"})[1]
    # 21 December 12:00 UTC is 22 December 01:00 in Auckland; 09:00 UTC is still the 21st there.
    assert shown(html) == [late_on_the_21st_utc.id]
    assert 'value="2029-12-22"' in html
    earlier = _page(client, action="test.dated", to="2029-12-21")[1]
    assert shown(earlier) == [early_on_the_21st_utc.id]


def test_the_search_looks_inside_details(client, auth, people):
    wanted = record(people.aut, "test.searched", delegation="Côte d'Ivoire", note="50% done")
    record(people.aut, "test.searched", delegation="Austria", note="5 done")
    auth.login(people.secretariat)
    assert shown(_page(client, q="Côte d'Ivoire")[1]) == [wanted.id]
    assert shown(_page(client, q="% done")[1]) == [wanted.id]  # % is a character, not a wildcard
    assert shown(_page(client, q="IVOIRE")[1]) == [wanted.id]
    assert 'value="% done"' in _page(client, q="% done")[1]


def test_filters_combine(client, auth, people, trail):
    record(people.aut, "comment.submitted", trail.comment, note="again")
    auth.login(people.secretariat)
    html = _page(
        client, action="comment.submitted", actor=people.aut.id, document=trail.routes.id, q="again"
    )[1]
    assert len(shown(html)) == 1
    none = _page(client, action="comment.submitted", document=trail.other.id)[1]
    assert shown(none) == [] and "No events match these filters" in none


# ---------------------------------------------------------------------------------------------
# Pages


def test_pages_of_a_hundred_keep_the_filters(client, auth, people):
    made = [record(people.aut, "test.many", n=n).id for n in range(105)]
    record(people.aut, "test.other")
    auth.login(people.secretariat)
    html = _page(client, action="test.many")[1]
    assert shown(html) == made[::-1][:100]
    assert '<strong class="audit-total">105</strong> events match the filters' in html
    assert 'href="/audit?page=2&amp;action=test.many"' in html
    second = _page(client, action="test.many", page=2)[1]
    assert shown(second) == made[::-1][100:]
    assert 'href="/audit?page=1&amp;action=test.many"' in second and "page=3" not in second


# ---------------------------------------------------------------------------------------------
# Exports


def test_csv_export_holds_exactly_the_filtered_events_of_every_page(client, auth, people, trail):
    made = {record(people.aut, "test.exported", n=n).id for n in range(103)}
    auth.login(people.secretariat)
    assert 'href="/audit.csv?action=test.exported"' in _page(client, action="test.exported")[1]
    response = client.get("/audit.csv", query_string={"action": "test.exported"})
    rows = _csv_rows(response)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert "audit-events-" in response.headers["Content-Disposition"]
    assert rows[0] == [
        "id",
        "time_utc",
        "actor_email",
        "actor_delegation",
        "action",
        "object_type",
        "object_id",
        "details",
    ]
    assert {int(row[0]) for row in rows[1:]} == made and len(rows) == 104
    first = rows[1]
    assert first[2:5] == [people.aut.email, "AUT", "test.exported"]
    assert first[1].endswith("Z") and json.loads(first[7]) == {"n": 102}


def test_json_export_holds_exactly_the_filtered_events(client, auth, people, trail):
    auth.login(people.secretariat)
    response = client.get("/audit.json", query_string={"document": trail.routes.id})
    data = json.loads(response.get_data(as_text=True))
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    assert {e["id"] for e in data["events"]} == set(
        shown(_page(client, document=trail.routes.id)[1])
    )
    assert data["count"] == len(data["events"]) and data["filters"] == {
        "document": str(trail.routes.id)
    }
    submitted = next(e for e in data["events"] if e["action"] == "comment.submitted")
    assert submitted["actor_delegation"] == "AUT" and submitted["details"]["kind"] == "general"


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_csv_cells_never_start_a_formula(client, auth, people, start):
    record(people.aut, f'{start}HYPERLINK("http://x")', formula=f"{start}1+1")
    auth.login(people.secretariat)
    rows = _csv_rows(client.get("/audit.csv", query_string={"actor": people.aut.id}))
    hostile = next(row for row in rows if "HYPERLINK" in row[4])
    assert hostile[4] == f'\'{start}HYPERLINK("http://x")'
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


# ---------------------------------------------------------------------------------------------
# Bad filter values


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"actor": "nobody"}, "“Person” must be one of the people listed."),
        ({"document": "-3"}, "“Document” must be one of the documents listed."),
        ({"document": "99999999999999999999999"}, "“Document” must be one of the documents"),
        ({"from": "2029-13-40"}, "“From” must be a date such as 2029-12-22."),
        ({"to": "0001-01-01"}, "“To” must be a date such as 2029-12-22."),
        ({"from": "2029-12-23", "to": "2029-12-22"}, "“From” must be the same day as “To”"),
        ({"page": "0"}, "“Page” must be a whole number from 1."),
        ({"page": "two"}, "“Page” must be a whole number from 1."),
        ({"page": "9"}, "There is no page 9: the events found fill 1 page."),
        ({"q": "x" * 201}, "The search text may have at most 200 characters."),
    ],
)
def test_a_bad_filter_value_is_explained_and_kept(client, auth, people, trail, args, message):
    auth.login(people.secretariat)
    response, html = _page(client, **args)
    assert response.status_code == 400
    assert message in html and shown(html) == []
    for name in ("from", "to"):  # typed dates stay in their fields (choices are selects)
        if name in args:
            assert f'name="{name}" value="{args[name]}"' in html


def test_an_export_with_a_bad_filter_is_refused(client, auth, people):
    auth.login(people.secretariat)
    for url in ("/audit.csv", "/audit.json"):
        response = client.get(url, query_string={"from": "yesterday"})
        assert response.status_code == 400
        assert "“From” must be a date" in response.get_data(as_text=True)


# ---------------------------------------------------------------------------------------------
# Speed: the number of queries does not grow with the events


@contextmanager
def count_queries():
    statements: list[str] = []

    def before(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


def _queries(client, **args) -> int:
    with count_queries() as statements:
        assert client.get("/audit", query_string=args).status_code == 200
    return len(statements)


def test_the_page_needs_the_same_few_queries_for_few_or_many_events(client, auth, people, trail):
    auth.login(people.secretariat)
    # Each page below already shows a document, a version, a round and a comment, the kinds
    # of object it looks up (once per kind) to link them.
    few = _queries(client)
    filtered = _queries(client, document=trail.routes.id, to="9998-12-31")
    targets = (trail.routes, trail.routes.versions[0], trail.consultation, trail.comment)
    actors = (people.aut, people.chair, people.observer, None)
    for n in range(150):
        record(actors[n % 4], f"test.bulk{n % 7}", targets[n % 4], n=n, kind="general")
    assert _queries(client) == few
    assert _queries(client, document=trail.routes.id, to="9998-12-31") == filtered
    assert few <= 12
