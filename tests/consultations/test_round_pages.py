"""The pages of a round of comments: opening it, its deadline in every zone with a countdown,
extensions and closing early, and the rounds on the document page."""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
import time_machine
from sqlalchemy import event, select

from drafting.audit.models import AuditEvent
from drafting.consultations import commenting
from drafting.consultations import rounds as round_operations
from drafting.consultations.models import Consultation, Extension
from drafting.extensions import db
from tests.consultations.conftest import DRAFT, delegation, paragraph

# 22 December 2029, 18:00 in Vienna (CET, UTC+1) is 17:00 UTC and 21:00 in Tbilisi (UTC+4).
WINTER_DEADLINE = datetime(2029, 12, 22, 17, 0, tzinfo=UTC)
BEFORE_WINTER_DEADLINE = datetime(2029, 12, 20, 12, 0, tzinfo=UTC)


def round_form(**changes) -> dict:
    data = {
        "title": "Comments on the zero draft",
        "instructions": "Send **one** comment per paragraph.",
        "opens_day": "2029-12-01",
        "opens_time": "09:00",
        "closes_day": "2029-12-22",
        "closes_time": "18:00",
        "timezone": "Europe/Vienna",
        "invited": [delegation(c).id for c in ("AUT", "PAK", "TUR")],
        "visibility": "open",
        "late_rule": "accept",
    }
    data.update(changes)
    return data


def rounds() -> list[Consultation]:
    db.session.expire_all()
    return list(db.session.scalars(select(Consultation).order_by(Consultation.id)))


def actions(object_type: str) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.object_type == object_type)
            .order_by(AuditEvent.id)
        )
    )


def text_of(response) -> str:
    return response.get_data(as_text=True)


def is_checked(html: str, value) -> bool:
    """Whether the checkbox or radio button with this value is ticked in the form."""
    return bool(re.search(rf'<input checked [^>]*value="{value}"', html))


def plain(html: str) -> str:
    """The page's text as a reader sees it: tags gone, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@contextmanager
def frozen(instant: datetime):
    with time_machine.travel(instant, tick=False):
        yield


# ---------------------------------------------------------------------------------------------
# Opening a round


@pytest.mark.parametrize(
    ("closes_day", "opens_day", "expected"),
    [
        ("2029-12-22", "2029-12-01", datetime(2029, 12, 22, 17, 0, tzinfo=UTC)),  # CET, UTC+1
        ("2029-07-10", "2029-07-01", datetime(2029, 7, 10, 16, 0, tzinfo=UTC)),  # CEST, UTC+2
    ],
    ids=["winter", "summer"],
)
def test_the_secretariat_opens_a_round_whose_deadline_is_the_exact_instant_in_utc(
    client, auth, people, published, closes_day, opens_day, expected
):
    auth.login(people.secretariat)
    response = client.post(
        f"/versions/{published.id}/consultations/new",
        data=round_form(closes_day=closes_day, opens_day=opens_day),
    )
    [consultation] = rounds()
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/consultations/{consultation.id}")
    assert consultation.closes_dt == expected
    assert consultation.opens_dt == expected.replace(day=1, hour=expected.hour - 9)
    assert consultation.timezone == "Europe/Vienna"
    assert consultation.visibility.value == "open" and consultation.late_rule.value == "accept"
    assert [d.code for d in consultation.invited] == ["AUT", "PAK", "TUR"]
    assert consultation.instructions == "Send **one** comment per paragraph."
    assert actions("consultation") == ["consultation.opened"]
    page = client.get(response.headers["Location"])
    assert "The round is open to 3 delegations" in text_of(page)


def test_the_new_round_form_proposes_a_title_vienna_time_and_every_participant(
    client, auth, people, published
):
    auth.login(people.secretariat)
    html = text_of(client.get(f"/versions/{published.id}/consultations/new"))
    assert 'value="Comments on Zero draft"' in html
    assert '<option selected value="Europe/Vienna">' in html
    for code in ("AUT", "PAK", "TUR", "GEO", "UNHCR"):
        assert is_checked(html, delegation(code).id), code
    assert "Sealed until the deadline" in html and "Accept and flag as late" in html
    assert "then every participant sees all of them" in html  # the rule explained in a line


def test_the_new_round_form_proposes_the_secretariats_own_zone(client, auth, people, published):
    people.secretariat.timezone = "America/New_York"
    db.session.commit()
    auth.login(people.secretariat)
    html = text_of(client.get(f"/versions/{published.id}/consultations/new"))
    assert re.search(r'<option selected value="America/New_York">', html)


@pytest.mark.parametrize(
    ("day", "at", "why"),
    [
        ("2030-03-31", "02:30", "does not exist: the clocks skip that hour"),
        ("2030-10-27", "02:30", "happens twice: the clocks go back that night"),
    ],
    ids=["skipped-hour", "repeated-hour"],
)
def test_a_deadline_the_clocks_skip_or_repeat_is_refused_and_the_form_keeps_every_value(
    client, auth, people, published, day, at, why
):
    auth.login(people.secretariat)
    data = round_form(
        title="Round on the principles",
        closes_day=day,
        closes_time=at,
        invited=[delegation("PAK").id],
        visibility="secretariat",
    )
    response = client.post(f"/versions/{published.id}/consultations/new", data=data)
    html = text_of(response)
    assert response.status_code == 422
    assert why in html.replace("&#39;", "'")
    assert 'value="Round on the principles"' in html
    assert "Send **one** comment per paragraph." in html
    assert f'value="{day}"' in html and f'value="{at}"' in html
    assert '<option selected value="Europe/Vienna">' in html
    assert is_checked(html, delegation("PAK").id)
    assert not is_checked(html, delegation("AUT").id)
    assert is_checked(html, "secretariat")
    assert rounds() == []


def test_an_unknown_time_zone_is_refused_at_the_field(client, auth, people, published):
    auth.login(people.secretariat)
    response = client.post(
        f"/versions/{published.id}/consultations/new", data=round_form(timezone="Mars/Olympus")
    )
    assert response.status_code == 422
    assert "is not a time zone this service knows" in text_of(response)
    assert rounds() == []


def test_a_deadline_before_the_opening_is_refused_with_the_reason(client, auth, people, published):
    auth.login(people.secretariat)
    response = client.post(
        f"/versions/{published.id}/consultations/new",
        data=round_form(opens_day="2029-12-23"),
    )
    assert response.status_code == 422
    assert "The deadline must come after the opening." in text_of(response)
    assert rounds() == []


def test_a_delegation_not_taking_part_cannot_be_slipped_into_the_invitations(
    client, auth, people, published, create_delegation
):
    outsider = create_delegation("IOM", kind="organisation")
    auth.login(people.secretariat)
    response = client.post(
        f"/versions/{published.id}/consultations/new",
        data=round_form(invited=[delegation("AUT").id, outsider.id]),
    )
    assert response.status_code == 422
    assert rounds() == []


@pytest.mark.parametrize("who", ["aut", "chair", "observer"])
def test_only_the_secretariat_can_open_a_round(client, auth, people, published, who):
    auth.login(getattr(people, who))
    assert client.get(f"/versions/{published.id}/consultations/new").status_code == 403
    response = client.post(f"/versions/{published.id}/consultations/new", data=round_form())
    assert response.status_code == 403
    assert rounds() == []


def test_a_round_on_a_working_version_is_refused_with_a_clear_message(
    client, auth, people, create_document
):
    document = create_document(
        ("Zero draft", DRAFT, True),
        ("Draft 1", DRAFT.replace("affirm", "reaffirm"), False),
        participants=[delegation("AUT")],
    )
    working = document.versions[1]
    auth.login(people.secretariat)
    response = client.get(f"/versions/{working.id}/consultations/new")
    assert response.status_code == 409
    assert "Publish this version first" in text_of(response)
    response = client.post(f"/versions/{working.id}/consultations/new", data=round_form())
    assert response.status_code == 409
    assert rounds() == []
    # The document page offers a round only on the published version.
    html = text_of(client.get(f"/documents/{document.id}"))
    assert html.count("Ask for comments on this version") == 1
    assert f"/versions/{document.versions[0].id}/consultations/new" in html


def test_opening_a_round_needs_the_csrf_token(client, auth, people, published):
    auth.login(people.secretariat)
    response = client.post(
        f"/versions/{published.id}/consultations/new", data=round_form(csrf_token=None)
    )
    assert response.status_code == 400
    assert rounds() == []


# ---------------------------------------------------------------------------------------------
# The round's page


def test_a_delegate_reads_the_deadline_in_the_rounds_zone_and_in_their_own(
    client, auth, people, open_round
):
    people.aut.timezone = "Asia/Tbilisi"
    db.session.commit()
    with frozen(BEFORE_WINTER_DEADLINE):
        consultation = open_round(closes_dt=WINTER_DEADLINE)
        auth.login(people.aut)
        html = text_of(client.get(f"/consultations/{consultation.id}"))
    text = plain(html)
    assert "Deadline 22 December 2029, 18:00 CET (Europe/Vienna)" in text
    assert "your time: 22 December 2029, 21:00 +04 (Asia/Tbilisi)" in text
    assert '<time datetime="2029-12-22T17:00:00Z">' in html


def test_a_reader_in_the_rounds_own_zone_sees_each_time_once(client, auth, people, open_round):
    people.pak.timezone = "Europe/Vienna"
    db.session.commit()
    with frozen(BEFORE_WINTER_DEADLINE):
        consultation = open_round(closes_dt=WINTER_DEADLINE)
        auth.login(people.pak)
        html = text_of(client.get(f"/consultations/{consultation.id}"))
    assert "your time" not in html.lower()
    assert "Choose your own time zone" not in html


def test_the_countdown_says_how_long_is_left_and_the_script_can_update_it(
    client, auth, people, open_round
):
    with frozen(BEFORE_WINTER_DEADLINE):
        consultation = open_round(closes_dt=WINTER_DEADLINE)
        auth.login(people.tur)
        html = text_of(client.get(f"/consultations/{consultation.id}"))
    countdown = re.search(
        r'<p class="countdown"[^>]*data-deadline="([^"]+)"[^>]*>(.*?)</p>', html, re.S
    )
    assert countdown, "no countdown on the page"
    assert countdown.group(1) == "2029-12-22T17:00:00Z"
    assert plain(countdown.group(2)) == "Time left: 2 days 5 hours"
    assert 'data-server-now="2029-12-20T12:00:00Z"' in html
    assert '<script src="/static/countdown.js" defer></script>' in html
    # The reader still has UTC: the page offers to choose a zone.
    assert "Choose your own time zone" in html


def test_an_upcoming_round_counts_down_to_its_opening(client, auth, people, open_round):
    with frozen(BEFORE_WINTER_DEADLINE):
        consultation = open_round(
            opens_dt=datetime(2029, 12, 20, 12, 45, tzinfo=UTC), closes_dt=WINTER_DEADLINE
        )
        auth.login(people.aut)
        text = plain(text_of(client.get(f"/consultations/{consultation.id}")))
    assert "upcoming" in text
    assert "Opens in: 45 minutes" in text


def test_after_the_deadline_the_page_says_the_round_is_closed(client, auth, people, open_round):
    with frozen(BEFORE_WINTER_DEADLINE):
        consultation = open_round(closes_dt=WINTER_DEADLINE)
    with frozen(datetime(2029, 12, 22, 17, 0, tzinfo=UTC)):
        auth.login(people.aut)
        html = text_of(client.get(f"/consultations/{consultation.id}"))
    assert "This round is closed." in html
    assert "data-deadline" not in html


def test_the_round_page_states_its_rules_instructions_and_invitations(
    client, auth, people, open_round
):
    consultation = open_round(visibility="sealed", late_rule="accept")
    consultation.instructions = "Quote the passage; use *agreed language* where you can."
    db.session.commit()
    auth.login(people.observer)
    response = client.get(f"/consultations/{consultation.id}")
    html = text_of(response)
    assert response.status_code == 200
    assert "<em>agreed language</em>" in html
    assert "Sealed until the deadline" in html and "Accept and flag as late" in html
    assert "marked late in the compilation" in html
    for code in ("AUT", "PAK", "TUR"):
        assert f'<abbr title="Delegation {code}">{code}</abbr>' in html
    assert "GEO</abbr>" not in html
    # An observer reads the round but does not comment.
    assert "Comment on the draft" not in html


def test_a_delegate_of_an_invited_delegation_sees_a_summary_of_its_own_comments(
    client, auth, people, open_round, published
):
    consultation = open_round()
    target = paragraph(published, "1.")
    for n in range(3):
        commenting.create_comment(
            people.aut, consultation, kind="paragraph", paragraph_uid=target.uid, body=f"Note {n}"
        )
    commenting.create_comment(people.aut2, consultation, kind="general", body="Ok.", submit=True)
    commenting.create_comment(people.pak, consultation, kind="general", body="Theirs.")
    db.session.commit()
    auth.login(people.aut)
    html = text_of(client.get(f"/consultations/{consultation.id}"))
    text = plain(html)
    assert "Your delegation's comments" in text
    assert "3 drafts not yet submitted · 1 submitted." in text
    assert f'href="/consultations/{consultation.id}/draft"' in html
    assert "Comment on the draft" in html


def test_the_round_page_needs_as_many_queries_for_many_comments_as_for_one(
    client, auth, people, open_round, published
):
    consultation = open_round()
    consultation_id = consultation.id
    auth.login(people.aut)

    def queries_for_page() -> int:
        statements = []

        def count(*_args):
            statements.append(1)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert client.get(f"/consultations/{consultation_id}").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(statements)

    commenting.create_comment(people.aut, consultation, kind="general", body="First.")
    round_operations.grant_extension(
        None, consultation, delegation("PAK"), consultation.closes_dt.replace(year=2031)
    )
    db.session.commit()
    with_one = queries_for_page()
    for n in range(12):
        commenting.create_comment(
            people.aut, consultation, kind="general", body=f"More {n}.", submit=n % 2 == 0
        )
    for code in ("TUR", "AUT"):
        round_operations.grant_extension(
            None, consultation, delegation(code), consultation.closes_dt.replace(year=2031)
        )
    db.session.commit()
    assert queries_for_page() == with_one


def test_the_round_links_to_the_compilation_and_to_what_changed_since(
    client, auth, people, open_round, published, create_document
):
    from drafting.documents.importing import import_version

    consultation = open_round()
    later = import_version(
        None, published.document, DRAFT.replace("affirm", "reaffirm"), label="Draft 1", publish=True
    )
    db.session.commit()
    auth.login(people.secretariat)
    html = text_of(client.get(f"/consultations/{consultation.id}"))
    assert f'href="/consultations/{consultation.id}/compilation"' in html
    compare = f"/documents/{published.document_id}/compare?old={published.id}&amp;new={later.id}"
    assert compare in html
    assert "What changed since this draft (Draft 1)" in html
    assert "Comment on the draft" not in html  # the secretariat does not write comments


def test_a_delegate_sees_no_compilation_link_while_a_sealed_round_is_open(
    client, auth, people, open_round
):
    consultation = open_round()
    auth.login(people.aut)
    html = text_of(client.get(f"/consultations/{consultation.id}"))
    assert "/compilation" not in html
    assert "What changed since" not in html  # no later draft yet


def test_a_delegation_not_taking_part_does_not_learn_the_round_exists(
    client, auth, open_round, create_user
):
    consultation = open_round()
    auth.login(create_user("delegate", "IOM"))
    assert client.get(f"/consultations/{consultation.id}").status_code == 404
    assert client.get("/consultations/999999").status_code == 404


# ---------------------------------------------------------------------------------------------
# Extensions and closing early


def test_the_secretariat_grants_one_delegation_an_extension_in_the_rounds_zone(
    client, auth, people, open_round
):
    with frozen(BEFORE_WINTER_DEADLINE):
        consultation = open_round(closes_dt=WINTER_DEADLINE)
        auth.login(people.secretariat)
        response = client.post(
            f"/consultations/{consultation.id}/extensions",
            data={
                "delegation_id": delegation("PAK").id,
                "day": "2029-12-23",
                "at": "12:00",
                "reason": "Capital's clearance delayed by the holiday.",
            },
        )
        assert response.status_code == 302
        db.session.expire_all()
        [extension] = db.session.scalars(select(Extension)).all()
        assert extension.delegation.code == "PAK"
        assert extension.closes_dt == datetime(2029, 12, 23, 11, 0, tzinfo=UTC)
        assert extension.reason == "Capital's clearance delayed by the holiday."
        assert "consultation.extension_granted" in actions("consultation")
        page = plain(text_of(client.get(f"/consultations/{consultation.id}")))
        assert "Delegation PAK may now submit comments until 23 December 2029, 12:00 CET" in page
        assert "PAK 23 December 2029, 12:00 CET (Europe/Vienna)" in page
        assert "Capital's clearance delayed by the holiday." in page.replace("&#39;", "'")
        # The delegation sees its own deadline; another does not see it.
        auth.logout()
        auth.login(people.pak)
        page = plain(text_of(client.get(f"/consultations/{consultation.id}")))
        assert "Your delegation's deadline 23 December 2029, 12:00 CET (Europe/Vienna)" in page
        assert "Time left: 2 days 23 hours" in page
        auth.logout()
        auth.login(people.tur)
        page = plain(text_of(client.get(f"/consultations/{consultation.id}")))
        assert "Your delegation's deadline" not in page and "Capital" not in page
        assert "Time left: 2 days 5 hours" in page


def test_an_extension_must_end_after_the_deadline_and_the_form_keeps_what_was_typed(
    client, auth, people, open_round
):
    with frozen(BEFORE_WINTER_DEADLINE):
        consultation = open_round(closes_dt=WINTER_DEADLINE)
        auth.login(people.secretariat)
        response = client.post(
            f"/consultations/{consultation.id}/extensions",
            data={
                "delegation_id": delegation("TUR").id,
                "day": "2029-12-22",
                "at": "17:30",
                "reason": "Asked for half an hour less.",
            },
        )
    html = text_of(response)
    assert response.status_code == 422
    assert "An extension must end after the round&#39;s deadline" in html
    assert 'value="2029-12-22"' in html and 'value="17:30"' in html
    assert "Asked for half an hour less." in html
    assert db.session.scalars(select(Extension)).all() == []


def test_an_extension_at_a_time_the_clocks_skip_is_refused(client, auth, people, open_round):
    consultation = open_round(closes_dt=datetime(2030, 3, 30, 17, 0, tzinfo=UTC))
    auth.login(people.secretariat)
    response = client.post(
        f"/consultations/{consultation.id}/extensions",
        data={"delegation_id": delegation("AUT").id, "day": "2030-03-31", "at": "02:30"},
    )
    assert response.status_code == 422
    assert "the clocks skip that hour" in text_of(response)
    assert db.session.scalars(select(Extension)).all() == []


def test_an_extension_only_goes_to_an_invited_delegation(client, auth, people, open_round):
    consultation = open_round()  # AUT, PAK and TUR are invited; GEO is not
    auth.login(people.secretariat)
    response = client.post(
        f"/consultations/{consultation.id}/extensions",
        data={"delegation_id": delegation("GEO").id, "day": "2031-01-10", "at": "12:00"},
    )
    assert response.status_code == 422
    assert "Choose one of the delegations invited to this round." in text_of(response)
    assert db.session.scalars(select(Extension)).all() == []


@pytest.mark.parametrize("who", ["aut", "chair", "observer"])
def test_only_the_secretariat_grants_extensions_and_closes_rounds(
    client, auth, people, open_round, who
):
    consultation = open_round()
    auth.login(getattr(people, who))
    html = text_of(client.get(f"/consultations/{consultation.id}"))
    assert "Grant an extension" not in html and "Close this round now" not in html
    response = client.post(
        f"/consultations/{consultation.id}/extensions",
        data={"delegation_id": delegation("AUT").id, "day": "2031-01-10", "at": "12:00"},
    )
    assert response.status_code == 403
    response = client.post(f"/consultations/{consultation.id}/close", data={"confirm": "y"})
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Consultation, consultation.id).closed_early_dt is None
    assert db.session.scalars(select(Extension)).all() == []
    assert actions("consultation") == ["consultation.opened"]


def test_closing_a_round_early_needs_a_confirmation(client, auth, people, open_round):
    consultation = open_round()
    auth.login(people.secretariat)
    response = client.post(f"/consultations/{consultation.id}/close", data={})
    assert response.status_code == 422
    assert "Tick the box to confirm" in text_of(response)
    db.session.expire_all()
    assert db.session.get(Consultation, consultation.id).closed_early_dt is None


def test_the_secretariat_closes_a_round_early_and_it_says_so(client, auth, people, open_round):
    with frozen(BEFORE_WINTER_DEADLINE):
        consultation = open_round(closes_dt=WINTER_DEADLINE)
        auth.login(people.secretariat)
        response = client.post(f"/consultations/{consultation.id}/close", data={"confirm": "y"})
        assert response.status_code == 302
        db.session.expire_all()
        closed = db.session.get(Consultation, consultation.id)
        assert closed.closed_early_dt == BEFORE_WINTER_DEADLINE
        assert actions("consultation") == ["consultation.opened", "consultation.closed_early"]
        text = plain(text_of(client.get(f"/consultations/{consultation.id}")))
        assert "is closed: no more comments are accepted" in text
        assert "Closed early 20 December 2029, 13:00 CET (Europe/Vienna)" in text
        assert "This round is closed." in text
        assert "Close this round now" not in text and "Grant an extension" not in text
        # Closing twice is refused with the reason.
        response = client.post(f"/consultations/{consultation.id}/close", data={"confirm": "y"})
        assert response.status_code == 409
        assert "This round has already closed." in text_of(response)


def test_the_secretariats_forms_need_the_csrf_token(client, auth, people, open_round):
    consultation = open_round()
    auth.login(people.secretariat)
    response = client.post(
        f"/consultations/{consultation.id}/close", data={"confirm": "y", "csrf_token": None}
    )
    assert response.status_code == 400
    response = client.post(
        f"/consultations/{consultation.id}/extensions",
        data={
            "delegation_id": delegation("AUT").id,
            "day": "2031-01-10",
            "at": "12:00",
            "csrf_token": None,
        },
    )
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Consultation, consultation.id).closed_early_dt is None
    assert db.session.scalars(select(Extension)).all() == []


# ---------------------------------------------------------------------------------------------
# The document page


def test_the_document_page_lists_its_rounds_with_the_deadline_in_the_rounds_zone_and_the_readers(
    client, auth, people, open_round, published
):
    people.aut.timezone = "Asia/Tbilisi"
    db.session.commit()
    with frozen(BEFORE_WINTER_DEADLINE):
        consultation = open_round(closes_dt=WINTER_DEADLINE)
        auth.login(people.aut)
        html = text_of(client.get(f"/documents/{published.document_id}"))
    text = plain(html)
    assert "Rounds of comments" in text
    assert f'href="/consultations/{consultation.id}"' in html
    assert (
        "Comments on the zero draft Zero draft open 22 December 2029, 18:00 CET (Europe/Vienna)"
        " · your time: 22 December 2029, 21:00 +04 (Asia/Tbilisi)"
    ) in text
    # Delegates do not open rounds.
    assert "Ask for comments on this version" not in html


def test_the_document_page_offers_the_secretariat_a_round_on_a_published_version(
    client, auth, people, published
):
    auth.login(people.secretariat)
    html = text_of(client.get(f"/documents/{published.document_id}"))
    assert "No round of comments yet." in html
    assert f'href="/versions/{published.id}/consultations/new"' in html
