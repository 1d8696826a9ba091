"""One rule for every time shown: in the round's zone and, when it differs, in the reader's
own; without a round, in the reader's own zone (never UTC by default)."""

from __future__ import annotations

from datetime import UTC, datetime

from drafting.consultations import commenting
from drafting.extensions import db
from tests.consultations.test_comment_pages import field_value
from tests.consultations.test_round_pages import frozen, plain, text_of
from tests.notifications.conftest import outbox

# 20 December 2029, 12:00 UTC: 13:00 in Vienna (the round's zone), 21:00 in Tokyo.
WRITTEN = datetime(2029, 12, 20, 12, 0, tzinfo=UTC)
IN_VIENNA = "20 December 2029, 13:00 CET (Europe/Vienna)"
IN_TOKYO = "20 December 2029, 21:00 JST (Asia/Tokyo)"
DEADLINE = datetime(2029, 12, 22, 17, 0, tzinfo=UTC)


def _in_tokyo(user) -> None:
    user.timezone = "Asia/Tokyo"
    db.session.commit()


def _submitted(people, open_round):
    with frozen(WRITTEN):
        consultation = open_round(closes_dt=DEADLINE)
        comment, _ = commenting.create_comment(
            people.aut, consultation, kind="general", body="We agree.", submit=True
        )
        db.session.commit()
    return comment


def test_the_comment_history_gives_times_in_the_rounds_zone_and_the_readers_own(
    client, auth, people, open_round
):
    _in_tokyo(people.aut)
    comment = _submitted(people, open_round)
    auth.login(people.aut)

    text = plain(text_of(client.get(f"/comments/{comment.id}/history")))
    assert f"{IN_VIENNA} · your time: {IN_TOKYO}" in text
    assert "UTC" not in text


def test_the_receipt_mail_gives_the_time_in_the_rounds_zone_and_the_readers_own(people, open_round):
    _in_tokyo(people.aut)
    _submitted(people, open_round)

    (receipt,) = outbox("comment.receipt")
    assert f"on {IN_VIENNA}; your time: {IN_TOKYO}." in receipt.body


def test_the_invitation_is_written_for_each_reader_in_their_own_zone(people, open_round):
    _in_tokyo(people.aut)
    open_round(closes_dt=DEADLINE)

    mails = {m.to_address: m.body for m in outbox("consultation.opened")}
    tokyo, utc = mails[people.aut.email], mails[people.pak.email]
    assert "Deadline: 22 December 2029, 18:00 CET (Europe/Vienna); your time: " in tokyo
    assert "23 December 2029, 02:00 JST (Asia/Tokyo)" in tokyo
    assert "your time: 22 December 2029, 17:00 UTC" in utc


def test_a_published_date_is_shown_in_the_readers_zone_not_always_in_utc(
    client, auth, people, published
):
    _in_tokyo(people.aut)
    auth.login(people.aut)

    html = text_of(client.get(f"/documents/{published.document_id}"))
    assert " JST (Asia/Tokyo)" in plain(html)
    assert " UTC" not in plain(html)


def test_the_flash_after_submitting_gives_the_readers_own_time_too(
    client, auth, people, open_round
):
    _in_tokyo(people.aut)
    with frozen(WRITTEN):
        consultation = open_round(closes_dt=DEADLINE)
        auth.login(people.aut)
        url = f"/consultations/{consultation.id}/comments/new"
        form = text_of(client.get(url, query_string={"kind": "general"}))
        fields = {name: field_value(form, name) for name in ("form_token", "delegation_id")}
        data = {"kind": "general", "body": "We agree.", "action": "submit", **fields}
        html = text_of(client.post(url, data=data, follow_redirects=True))
    assert f"Submitted on {IN_VIENNA}; your time: {IN_TOKYO}" in html


def test_the_feed_gives_times_in_the_rounds_zone_and_the_readers_own(
    client, auth, people, open_round
):
    _in_tokyo(people.aut)
    consultation = open_round(closes_dt=DEADLINE)
    auth.login(people.aut)

    feed = text_of(client.get(f"/documents/{consultation.version.document_id}/feed.atom"))
    assert "deadline 22 December 2029, 18:00 CET (Europe/Vienna); your time: 23 December" in feed
    assert "published on " in feed and " JST (Asia/Tokyo)." in feed
