"""The compilation's files read the round's comments as plain rows (compilation_rows): what a
reader finds in them is what the ORM objects gave, and the queries do not grow with the round."""

from __future__ import annotations

import csv
import io

import docx

from drafting.consultations import cosponsoring, decisions
from drafting.extensions import db
from tests.consultations.conftest import (  # noqa: F401
    delegation,
    open_round,
    paragraph,
    people,
    published,
)
from tests.consultations.test_compilation import (  # noqa: F401
    _fill,
    _source,
    compiled,
    count_queries,
)


def _csv_rows(client, consultation, query: str = "") -> list[dict[str, str]]:
    response = client.get(f"/consultations/{consultation.id}/compilation.csv{query}")
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))


def test_a_decision_linked_to_a_paragraph_is_named_by_its_number(client, auth, compiled):  # noqa: F811
    s = compiled
    p3 = paragraph(s.version, "3.")
    decisions.record_decision(
        s.people.secretariat,
        s.on_p1,
        outcome="partly_accepted",
        reflected_paragraph_uid=p3.uid,
        reflected_version_id=s.version.id,
        reflected_in="see the chapeau",
    )
    db.session.commit()
    auth.login(s.people.secretariat)
    [row] = [r for r in _csv_rows(client, s.consultation) if r["Paragraph"] == "1."]
    assert row["Reflected in"] == f"{s.version.label}, paragraph 3. — see the chapeau"


def test_co_sponsors_and_withdrawn_comments_reach_the_word_table_and_the_csv(
    client,
    auth,
    compiled,  # noqa: F811
):
    s = compiled
    cosponsoring.support_comment(s.people.tur, s.insert)
    db.session.commit()
    auth.login(s.people.secretariat)
    rows = _csv_rows(client, s.consultation, "?withdrawn=1")
    [insert] = [r for r in rows if r["Kind"] == "Amendment: new paragraph after"]
    assert insert["Supported by"] == "PAK, TUR"
    [withdrawn] = [r for r in rows if r["Status"] == "withdrawn"]
    assert withdrawn["Comment or justification"] == "Second thoughts on this."
    docx = client.get(f"/consultations/{s.consultation.id}/compilation.docx?withdrawn=1")
    assert docx.status_code == 200


def test_the_exports_use_as_many_queries_for_a_large_round_as_for_a_small_one(
    client,
    auth,
    people,  # noqa: F811
    create_document,
    open_round,  # noqa: F811
):
    participants = [delegation(c) for c in ("AUT", "PAK", "TUR")]
    auth.login(people.secretariat)
    counts: dict[str, list[int]] = {"csv": [], "docx?layout=table": [], "docx?layout=text": []}
    for paragraphs, comments_each in ((4, 2), (60, 40)):
        document = create_document(
            ("Zero draft", _source(paragraphs), True),
            title=f"Declaration of {paragraphs} paragraphs",
            participants=participants,
        )
        consultation = open_round(version=document.versions[0], visibility="open")
        _fill(consultation, document.versions[0], people, comments_each)
        for export, found in counts.items():
            with count_queries() as statements:
                response = client.get(f"/consultations/{consultation.id}/compilation.{export}")
            assert response.status_code == 200
            found.append(len(statements))
    assert all(small == large for small, large in counts.values()), counts


def test_a_round_without_comments_exports_its_table_and_its_text(
    client,
    auth,
    people,  # noqa: F811
    open_round,  # noqa: F811
):
    consultation = open_round(visibility="open")
    db.session.commit()
    auth.login(people.secretariat)
    for layout, expected in (("table", "No comment matches the filters."), ("text", "2.")):
        url = f"/consultations/{consultation.id}/compilation.docx?layout={layout}"
        response = client.get(url)
        assert response.status_code == 200
        document = docx.Document(io.BytesIO(response.data))
        assert any(expected in p.text for p in document.paragraphs), layout
