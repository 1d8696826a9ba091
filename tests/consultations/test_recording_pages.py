"""The secretariat records a delegation's comment through the round's page; the compilation
shows it with a badge and filters it; the Word and CSV exports say "recorded by the
secretariat"; the delegation sees it among its own."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import docx
import pytest

from drafting.consultations import recording
from drafting.consultations.models import Comment
from drafting.extensions import db
from tests.consultations.conftest import delegation, paragraph

SOURCE = "E-mail of the Permanent Mission, 3 December"


@pytest.fixture
def recorded(open_round, people, published):
    """A round, PAK's amendment recorded from an e-mail, and AUT's own comment."""
    from drafting.consultations import commenting

    consultation = open_round(visibility="open")
    comment, _ = recording.record_comment(
        people.secretariat,
        consultation,
        delegation("PAK"),
        kind="replace",
        paragraph_uid=paragraph(published, "1.").uid,
        proposed_text="Border management, not border control.",
        source="email",
        source_detail=SOURCE,
        received_dt=datetime.now(UTC) - timedelta(hours=1),
    )
    own, _ = commenting.create_comment(
        people.aut, consultation, kind="general", body="Our own words.", submit=True
    )
    db.session.commit()
    return consultation, comment, own


def _form(consultation, published, **fields):
    received = datetime.now(UTC) - timedelta(minutes=5)
    return {
        "delegation_id": str(delegation("TUR").id),
        "kind": "paragraph",
        "paragraph": paragraph(published, "1.").uid,
        "body": "Several delegations proposed to divide the document in two.",
        "source": "oral",
        "source_detail": "Second meeting, morning",
        "received_day": received.strftime("%Y-%m-%d"),
        "received_time": received.strftime("%H:%M"),
        "timezone": "UTC",
        **fields,
    }


def _url(consultation) -> str:
    return f"/consultations/{consultation.id}/comments/record"


def test_secretariat_records_an_oral_statement_through_the_page(
    client, auth, people, open_round, published
):
    consultation = open_round()
    auth.login(people.secretariat)
    assert "Record a delegation" in client.get(f"/consultations/{consultation.id}").text
    response = client.post(_url(consultation), data=_form(consultation, published))
    assert response.status_code == 303, response.text
    comment = db.session.scalar(db.select(Comment))
    assert comment.delegation.code == "TUR" and comment.is_submitted
    assert comment.recorded_source == "Oral statement in the meeting: Second meeting, morning"


def test_a_refused_recording_keeps_what_was_typed(client, auth, people, open_round, published):
    consultation = open_round()
    auth.login(people.secretariat)
    tomorrow = (datetime.now(UTC) + timedelta(days=2)).strftime("%Y-%m-%d")
    sent = _form(consultation, published, received_day=tomorrow, body="Keep *this* text.")
    response = client.post(_url(consultation), data=sent)
    assert response.status_code == 422
    assert "still to come" in response.text and "Keep *this* text." in response.text
    assert db.session.scalar(db.select(Comment)) is None


def test_adversarial_source_and_text_are_refused_not_500(
    client, auth, people, open_round, published
):
    consultation = open_round()
    auth.login(people.secretariat)
    sent = _form(consultation, published, source_detail="x\x01y", body="*" * 5000 + "_" * 5000)
    assert client.post(_url(consultation), data=sent).status_code == 422
    sent = _form(consultation, published, source="smoke signal", timezone="Mars/Olympus")
    assert client.post(_url(consultation), data=sent).status_code == 422


def test_a_delegate_may_not_record_for_another_delegation(client, auth, people, open_round):
    consultation = open_round()
    auth.login(people.aut)
    assert client.get(_url(consultation)).status_code == 403
    assert "Record a delegation" not in client.get(f"/consultations/{consultation.id}").text


def test_compilation_shows_recorded_comments_with_a_badge_and_filters_them(
    client, auth, people, recorded
):
    consultation, comment, own = recorded
    auth.login(people.secretariat)
    page = client.get(f"/consultations/{consultation.id}/compilation").text
    assert "recorded by the secretariat" in page and SOURCE in page and "&lt;time" not in page
    only = client.get(f"/consultations/{consultation.id}/compilation?recorded=secretariat").text
    assert f'id="c-{comment.id}"' in only and f'id="c-{own.id}"' not in only
    theirs = client.get(f"/consultations/{consultation.id}/compilation?recorded=delegation").text
    assert f'id="c-{comment.id}"' not in theirs and f'id="c-{own.id}"' in theirs


def test_word_and_csv_exports_say_recorded_by_the_secretariat(client, auth, people, recorded):
    consultation, comment, own = recorded
    auth.login(people.secretariat)
    data = client.get(f"/consultations/{consultation.id}/compilation.docx").data
    [table] = docx.Document(io.BytesIO(data)).tables
    rows = [" ".join(cell.text for cell in row.cells) for row in table.rows]
    [pak] = [row for row in rows if "PAK" in row]
    assert "Recorded by the secretariat" in pak and SOURCE in pak
    assert not any("Recorded by" in row for row in rows if "AUT" in row)
    data = client.get(f"/consultations/{consultation.id}/compilation.docx?layout=text").data
    compiled = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert "[PAK (recorded by the secretariat): Border management" in compiled
    text = client.get(f"/consultations/{consultation.id}/compilation.csv").data.decode("utf-8-sig")
    by_code = {row["Delegation code"]: row for row in csv.DictReader(io.StringIO(text))}
    assert by_code["PAK"]["Recorded by the secretariat"].startswith("yes, by")
    assert by_code["PAK"]["Source"] == f"E-mail: {SOURCE}" and by_code["AUT"]["Source"] == ""
    assert by_code["PAK"]["Received at (UTC)"].endswith("Z")


def test_delegation_sees_its_recorded_comment_marked_on_the_draft_page(
    client, auth, people, recorded
):
    consultation, comment, _own = recorded
    auth.login(people.pak)
    page = client.get(f"/consultations/{consultation.id}/draft").text
    assert f'id="comment-{comment.id}"' in page and "recorded by the secretariat" in page
    assert SOURCE in page


def test_secretariat_corrects_a_recorded_comment_on_its_form(client, auth, people, recorded):
    consultation, comment, own = recorded
    auth.login(people.secretariat)
    page = client.get(f"/comments/{comment.id}/edit")
    assert page.status_code == 200 and f"for {comment.delegation.name}" in page.text
    sent = {"kind": "replace", "paragraph": comment.paragraph_uid, "base_revision": "1"}
    sent |= {"delegation_id": str(people.secretariat.delegation_id), "action": "save"}
    response = client.post(
        f"/comments/{comment.id}/edit", data={**sent, "proposed_text": "Border management."}
    )
    assert response.status_code == 303, response.text
    db.session.refresh(comment)
    assert comment.proposed_text == "Border management." and comment.revision == 2
    assert client.get(f"/comments/{own.id}/edit").status_code == 403


def test_secretariat_records_from_beside_a_paragraph_of_the_draft_page(
    client, auth, people, open_round, published
):
    consultation = open_round()
    uid = paragraph(published, "1.").uid
    auth.login(people.secretariat)
    page = client.get(f"/consultations/{consultation.id}/draft").text
    link = f"/consultations/{consultation.id}/comments/record?kind=paragraph&amp;paragraph={uid}"
    assert link in page
    form = client.get(link.replace("&amp;", "&")).text
    assert f'<option selected value="{uid}">' in form
    auth.login(people.aut)
    assert "comments/record" not in client.get(f"/consultations/{consultation.id}/draft").text
