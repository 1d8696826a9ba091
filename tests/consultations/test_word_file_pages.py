"""The round's Word-file pages: upload, review as redlines, confirm; what a person can get wrong
gives a clear message and stores nothing."""

import io
import re
from datetime import UTC, datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

from drafting.consultations import rounds
from drafting.consultations.models import Comment
from drafting.extensions import db
from tests.consultations.conftest import delegation
from tests.consultations.test_word_comments import marked_up


def upload(client, consultation, data: bytes, name: str = "aut.docx", **fields):
    form = {"file": (io.BytesIO(data), name), **fields}
    return client.post(f"/consultations/{consultation.id}/word-file", data=form)


def review_fields(html: str) -> dict:
    fields = dict(re.findall(r'name="([a-z_]+)" type="hidden" value="([^"]*)"', html))
    fields.update(re.findall(r'id="([a-z_]+)" name="\1" type="hidden" value="([^"]*)"', html))
    return {k: unescape(v) for k, v in fields.items()}


def test_delegate_reviews_the_redline_then_stores_drafts(
    client, auth, people, published, open_round
):
    consultation = open_round()
    auth.login(people.aut)
    review = upload(client, consultation, marked_up(published))
    html = review.get_data(as_text=True)
    assert review.status_code == 200 and '<ins class="redline-ins">' in html
    assert db.session.scalar(db.select(db.func.count(Comment.id))) == 0
    confirmed = client.post(
        f"/consultations/{consultation.id}/word-file/confirm",
        data={**review_fields(html), "accept": "y"},
    )
    assert confirmed.status_code == 302
    comments = db.session.scalars(db.select(Comment)).all()
    assert {(c.delegation.code, c.status.value) for c in comments} == {("AUT", "draft")}


def test_a_changed_review_stores_nothing_and_asks_for_the_file_again(
    client, auth, people, published, open_round
):
    consultation = open_round()
    auth.login(people.aut)
    fields = review_fields(
        upload(client, consultation, marked_up(published)).get_data(as_text=True)
    )
    fields["found"] = fields["found"].replace("We add this", "We add that")
    answer = client.post(f"/consultations/{consultation.id}/word-file/confirm", data=fields)
    assert answer.status_code == 422 and "Upload the file again" in answer.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Comment.id))) == 0


def test_secretariat_records_the_file_of_an_invited_delegation(
    client, auth, people, published, open_round
):
    consultation = open_round()
    auth.login(people.secretariat)
    review = upload(
        client,
        consultation,
        marked_up(published),
        delegation_id=str(delegation("TUR").id),
        source="Letter of 4 January",
    )
    fields = review_fields(review.get_data(as_text=True))
    client.post(
        f"/consultations/{consultation.id}/word-file/confirm", data={**fields, "accept": "y"}
    )
    comments = db.session.scalars(db.select(Comment)).all()
    assert {(c.delegation.code, c.status.value, c.recorded_source) for c in comments} == {
        ("TUR", "submitted", "Word file: Letter of 4 January")
    }


def test_a_file_that_is_not_word_is_refused_with_a_message(client, auth, people, open_round):
    consultation = open_round()
    auth.login(people.aut)
    answer = upload(client, consultation, b"\x00\x01 plain bytes", name="notes.docx")
    assert answer.status_code == 422 and "not a Word" in answer.get_data(as_text=True)


def test_a_delegate_cannot_import_once_the_round_is_closed(
    client, auth, people, published, open_round
):
    consultation = open_round()
    rounds.close_early(people.secretariat, consultation)
    db.session.commit()
    auth.login(people.aut)
    answer = upload(client, consultation, marked_up(published))
    assert answer.status_code == 422
    assert db.session.scalar(db.select(db.func.count(Comment.id))) == 0


def test_an_observer_may_not_import(client, auth, people, published, open_round):
    consultation = open_round()
    auth.login(people.observer)
    answer = upload(client, consultation, marked_up(published))
    assert answer.status_code in (403, 404)


def test_a_refused_confirmation_keeps_the_review(client, auth, people, published, open_round):
    consultation = open_round()
    auth.login(people.aut)
    fields = review_fields(
        upload(client, consultation, marked_up(published)).get_data(as_text=True)
    )
    rounds.close_early(people.secretariat, consultation)
    db.session.commit()
    answer = client.post(
        f"/consultations/{consultation.id}/word-file/confirm", data={**fields, "accept": "y"}
    )
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422 and 'id="found"' in html and "closed" in html
    assert db.session.scalar(db.select(db.func.count(Comment.id))) == 0


def test_a_review_confirmed_twice_stores_its_comments_once(
    client, auth, people, published, open_round
):
    consultation = open_round()
    auth.login(people.aut)
    html = upload(client, consultation, marked_up(published)).get_data(as_text=True)
    url = f"/consultations/{consultation.id}/word-file/confirm"
    client.post(url, data={**review_fields(html), "accept": "y"})
    client.post(url, data={**review_fields(html), "accept": "y"})  # a double click
    assert db.session.scalar(db.select(db.func.count(Comment.id))) == 2


def test_a_file_received_on_a_day_before_the_deadline_is_recorded_on_time(
    client, auth, people, published, open_round
):
    consultation = open_round()
    consultation.closes_dt = datetime.now(UTC) - timedelta(minutes=10)  # closed since
    db.session.commit()
    auth.login(people.secretariat)
    day = datetime.now(UTC).astimezone(ZoneInfo(consultation.timezone)).date()
    review = upload(
        client,
        consultation,
        marked_up(published),
        delegation_id=str(delegation("TUR").id),
        received_on=day.isoformat(),
    )
    assert review.status_code == 200, review.get_data(as_text=True)
    fields = review_fields(review.get_data(as_text=True))
    client.post(
        f"/consultations/{consultation.id}/word-file/confirm", data={**fields, "accept": "y"}
    )
    comments = db.session.scalars(db.select(Comment)).all()
    assert comments and all(c.is_submitted and not c.is_late for c in comments)
