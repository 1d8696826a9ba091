"""The compilation as files, read back: the Word table, the compiled text with bracketed
amendments, and the CSV file with formulas neutralised."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote

import docx
import pytest
import time_machine

from drafting.consultations import commenting, decisions
from drafting.exports.spreadsheet import CSV_COLUMNS, neutralise_formula
from drafting.extensions import db
from tests.consultations.conftest import open_round, paragraph, people, published  # noqa: F401
from tests.consultations.test_compilation import INSERTION, REPLACEMENT, compiled  # noqa: F401


@pytest.fixture
def decided(compiled):  # noqa: F811
    """The round of every kind of comment, with a shared and an internal decision."""
    s = compiled
    decisions.record_decision(
        s.people.secretariat,
        s.replace,
        outcome="accepted",
        justification="Taken over **as proposed**.",
        reflected_in="paragraph 9 of Draft 1",
    )
    decisions.record_decision(
        s.people.secretariat,
        s.delete,
        outcome="not_retained",
        justification="Kept for now.",
        is_shared=False,
    )
    db.session.commit()
    return s


def _get(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response


def _docx(client, consultation, query: str = "") -> docx.document.Document:
    response = _get(client, f"/consultations/{consultation.id}/compilation.docx{query}")
    assert response.mimetype.endswith("wordprocessingml.document")
    return docx.Document(io.BytesIO(response.data))


def _rows(document) -> list[list[str]]:
    [table] = document.tables
    return [[cell.text for cell in row.cells] for row in table.rows]


def _filename(response) -> str:
    return unquote(response.headers["Content-Disposition"])


def test_the_word_table_has_a_row_per_comment_with_its_decision(client, auth, decided):
    s = decided
    auth.login(s.people.secretariat)
    response = _get(client, f"/consultations/{s.consultation.id}/compilation.docx")
    assert "Ministerial Declaration - Zero draft - compilation.docx" in _filename(response)
    document = docx.Document(io.BytesIO(response.data))
    heading = [p.text for p in document.paragraphs[:2]]
    assert heading[0] == "Ministerial Declaration"
    assert "Zero draft" in heading[1] and "Comments on the zero draft" in heading[1]

    rows = _rows(document)
    assert rows[0] == ["Paragraph", "Delegation", "Comment or proposed text", "Decision"]
    assert len(rows) == 1 + 6  # no draft, nothing withdrawn
    by_id = dict(zip((r[2] for r in rows[1:]), rows[1:], strict=True))
    # In the compilation's order: the general comment first, then paragraph by paragraph.
    assert [r[0] for r in rows[1:]] == [
        "General",
        "1.",
        "2.",
        "New paragraph after 2.",
        "Section: Part II: Action",
        "4.",
    ]
    replace = next(r for text, r in by_id.items() if REPLACEMENT in text)
    assert replace[1] == "AUT Delegation AUT"
    assert "Justification:\nAgreed language of earlier rounds." in replace[2]
    assert replace[3] == ("Accepted\nTaken over as proposed.\nReflected in: paragraph 9 of Draft 1")
    insert = next(r for text, r in by_id.items() if INSERTION in text)
    assert "Supported by PAK" in insert[1]
    delete = rows[-1]
    assert delete[1].startswith("TUR") and "delete the paragraph" in delete[2]
    # Internal decisions are in the secretariat's file, marked as such.
    assert delete[3].startswith("Not retained (internal)")
    on_p1 = rows[2]
    assert "On: \u201cshared responsibility\u201d" in on_p1[2]
    assert on_p1[3] == "No decision yet"


def test_the_word_table_keeps_the_filters(client, auth, decided):
    s = decided
    auth.login(s.people.secretariat)
    rows = _rows(_docx(client, s.consultation, "?kind=amendment&delegation=AUT"))
    assert [r[0] for r in rows[1:]] == ["2.", "New paragraph after 2."]
    document = _docx(client, s.consultation, "?delegation=FRA")
    assert _rows(document) == [_rows(document)[0]]
    assert "No comment matches the filters." in [p.text for p in document.paragraphs]


def test_the_compiled_text_has_each_amendment_in_brackets_with_its_delegation(
    client, auth, decided
):
    s = decided
    auth.login(s.people.secretariat)
    response = _get(client, f"/consultations/{s.consultation.id}/compilation.docx?layout=text")
    assert "Zero draft - compiled text.docx" in _filename(response)
    document = docx.Document(io.BytesIO(response.data))
    texts = [p.text for p in document.paragraphs]
    styles = {p.text: p.style.name for p in document.paragraphs}
    # The text of the version, headings as Word headings, labels kept.
    assert styles["Ministerial Declaration on Safe Routes"] == "Title"
    assert styles["Part I: Principles"].startswith("Heading")
    assert styles["Part II: Action"].startswith("Heading")
    assert "1.\tWe affirm the principle of shared responsibility." in texts
    # A replacement after the paragraph's text, a new paragraph on its own, a deletion.
    p2 = texts.index(f"2.\tWe will cooperate on safe and regular pathways. [AUT: {REPLACEMENT}]")
    assert texts[p2 + 1] == f"[AUT, supported by PAK: {INSERTION}]"
    assert "4.\tWe will meet again next year. [TUR: delete]" in texts
    # Comments that are not amendments are not part of the compiled text.
    joined = "\n".join(texts)
    assert "Say who shares" not in joined and "structural" not in joined
    assert "chapeau" not in joined


def test_the_compiled_text_hangs_labels_and_bolds_the_delegations(client, auth, decided):
    s = decided
    auth.login(s.people.secretariat)
    response = _get(client, f"/consultations/{s.consultation.id}/compilation.docx?layout=text")
    paragraphs = docx.Document(io.BytesIO(response.data)).paragraphs
    p2 = next(p for p in paragraphs if p.text.startswith("2.\t"))
    layout = p2.paragraph_format
    assert layout.left_indent > 0 and layout.first_line_indent == -layout.left_indent
    assert [t.position for t in layout.tab_stops] == [layout.left_indent]
    assert "AUT" in [r.text for r in p2.runs if r.bold]


def test_the_csv_file_has_a_row_per_comment_and_opens_in_excel(client, auth, decided):
    s = decided
    auth.login(s.people.secretariat)
    response = _get(client, f"/consultations/{s.consultation.id}/compilation.csv")
    assert response.mimetype == "text/csv"
    assert "Ministerial Declaration - Zero draft - compilation.csv" in _filename(response)
    assert response.data.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel looks for
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert len(rows) == 6
    replace = next(r for r in rows if r["Proposed text"] == REPLACEMENT)
    assert replace["Paragraph"] == "2."
    assert replace["Paragraph uid"] == paragraph(s.version, "2.").uid
    assert (replace["Delegation code"], replace["Delegation"]) == ("AUT", "Delegation AUT")
    assert replace["Kind"] == "Amendment: new wording"
    assert (replace["Status"], replace["Late"]) == ("submitted", "no")
    assert replace["Submitted at (UTC)"].endswith("Z")
    assert replace["Decision"] == "Accepted"
    assert replace["Decision justification"] == "Taken over **as proposed**."
    assert (replace["Shared"], replace["Reflected in"]) == ("shared", "paragraph 9 of Draft 1")
    insert = next(r for r in rows if r["Proposed text"] == INSERTION)
    assert insert["Supported by"] == "PAK"
    on_p1 = next(r for r in rows if r["Delegation code"] == "PAK")
    assert on_p1["Quoted passage"] == "shared responsibility"
    delete = next(r for r in rows if r["Kind"] == "Amendment: delete the paragraph")
    assert delete["Shared"] == "internal"
    # Filters apply; withdrawn comments only when asked for.
    pak = _get(client, f"/consultations/{s.consultation.id}/compilation.csv?delegation=PAK")
    assert [r["Delegation code"] for r in csv.DictReader(io.StringIO(pak.text[1:]))] == ["PAK"]
    everything = _get(
        client, f"/consultations/{s.consultation.id}/compilation.csv?withdrawn=1&delegation=TUR"
    )
    statuses = [r["Status"] for r in csv.DictReader(io.StringIO(everything.text[1:]))]
    assert sorted(statuses) == ["submitted", "submitted", "withdrawn"]


FORMULAS = ['=HYPERLINK("https://example.org/x","Click")', "+1", "-2+3", "@SUM(A1)"]


def test_formulas_in_the_csv_file_are_neutralised(client, auth, open_round, people):  # noqa: F811
    consultation = open_round()
    for formula in FORMULAS:
        commenting.create_comment(
            people.aut, consultation, kind="general", body=formula, submit=True
        )
    db.session.commit()
    auth.login(people.secretariat)
    response = _get(client, f"/consultations/{consultation.id}/compilation.csv")
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    bodies = [row["Comment or justification"] for row in rows]
    assert bodies == ["'" + formula for formula in FORMULAS]
    # No cell at all starts as a formula would.
    for row in rows:
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row.values())


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("1 = 1", "1 = 1"),
        ("", ""),
        ("Delegation AUT", "Delegation AUT"),
    ],
)
def test_a_cell_that_would_start_a_formula_gets_an_apostrophe(value, shown):
    assert neutralise_formula(value) == shown


def test_an_unknown_layout_is_a_clear_400(client, auth, compiled):  # noqa: F811
    auth.login(compiled.people.secretariat)
    response = client.get(f"/consultations/{compiled.consultation.id}/compilation.docx?layout=pdf")
    assert response.status_code == 400
    assert "“layout” must be “table” or “text”." in response.get_data(as_text=True)


def test_the_chair_exports_with_internal_decisions_and_delegates_cannot(client, auth, decided):
    s = decided
    auth.login(s.people.tur)
    assert client.get(f"/consultations/{s.consultation.id}/compilation.docx").status_code == 403
    assert client.get(f"/consultations/{s.consultation.id}/compilation.csv").status_code == 403
    auth.logout()
    auth.login(s.people.chair)  # an "open" round: the chair may read it at once
    rows = _rows(_docx(client, s.consultation))
    assert rows[-1][3].startswith("Not retained (internal)")


def test_late_comments_are_flagged_in_both_files(client, auth, open_round, people):  # noqa: F811
    deadline = datetime(2030, 3, 1, 17, 0, tzinfo=UTC)
    with time_machine.travel(deadline - timedelta(days=1), tick=False):
        consultation = open_round(closes_dt=deadline, late_rule="accept")
        commenting.create_comment(
            people.aut, consultation, kind="general", body="In time.", submit=True
        )
        db.session.commit()
    with time_machine.travel(deadline, tick=False):
        commenting.create_comment(
            people.pak, consultation, kind="general", body="Just too late.", submit=True
        )
        db.session.commit()
    auth.login(people.secretariat)
    response = _get(client, f"/consultations/{consultation.id}/compilation.csv")
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert {r["Delegation code"]: r["Late"] for r in rows} == {"AUT": "no", "PAK": "yes"}
    assert {r["Delegation code"]: r["Submitted at (UTC)"] for r in rows}["PAK"] == (
        "2030-03-01T17:00:00Z"
    )
    table = _rows(_docx(client, consultation))
    assert [("Received late" in r[1]) for r in table[1:]] == [False, True]
