"""A reader whose browser prefers Russian reads the pages of a round in Russian: the draft with
its comments, the comment form, the compilation, the silence procedure; the messages after an
action and the policy's refusals too. The API answers programs in English whatever they ask."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from drafting.consultations.silence import operations
from drafting.extensions import db
from tests.consultations.conftest import paragraph

RUSSIAN = {"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"}


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def in_russian(client):
    """The test client as a browser set to Russian: every request says so."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = RUSSIAN["Accept-Language"]
    return client


@pytest.fixture
def round_(open_round):
    return open_round()


def write_general(client, round_, user, action="save"):
    return client.post(
        f"/consultations/{round_.id}/comments/new",
        data={
            "kind": "general",
            "body": "Our remark on the whole text.",
            "form_token": "russian-interface-token-1",
            "delegation_id": str(user.delegation_id),
            "action": action,
        },
    )


def test_a_delegate_reads_the_draft_with_comments_in_russian(in_russian, auth, people, round_):
    auth.login(people.aut)
    page = text_of(in_russian.get(f"/consultations/{round_.id}/draft"))
    for russian in ("Проект с замечаниями", "Ко всему тексту", "Предложить новую формулировку"):
        assert russian in page
    for english in ("Draft with comments", "On the whole text", "Propose new wording", "Deadline:"):
        assert english not in page


def test_the_comment_form_is_in_russian(in_russian, auth, people, round_, published):
    auth.login(people.aut)
    second = paragraph(published, "2.")
    query = {"kind": "replace", "paragraph": second.uid}
    page = text_of(in_russian.get(f"/consultations/{round_.id}/comments/new", query_string=query))
    assert "Новая формулировка пункта" in page and "Сохранить как черновик" in page
    assert "пункт 2." in page
    assert "New wording of the paragraph" not in page and "Save as draft" not in page


def test_a_delegate_saving_a_comment_is_told_so_in_russian(in_russian, auth, people, round_):
    auth.login(people.aut)
    saved = write_general(in_russian, round_, people.aut)
    assert saved.status_code == 303
    page = text_of(in_russian.get(saved.headers["Location"]))
    assert "Сохранено как черновик делегации" in page
    assert "Saved as" not in page


def test_an_observer_is_refused_in_russian(in_russian, auth, people, round_):
    auth.login(people.observer)
    refused = write_general(in_russian, round_, people.observer, action="submit")
    assert refused.status_code == 403
    page = text_of(refused)
    assert "Наблюдатели читают проект и доступные им замечания" in page
    assert "Observers read the draft" not in page


def test_a_write_after_the_deadline_is_refused_in_russian(in_russian, auth, people, round_):
    auth.login(people.aut)
    with time_machine.travel(round_.closes_dt + timedelta(hours=1)):
        refused = write_general(in_russian, round_, people.aut, action="submit")
    page = text_of(refused)
    assert "Срок истёк" in page and "замечания больше нельзя писать" in page
    assert "The deadline passed" not in page


def test_the_compilation_is_in_russian(in_russian, auth, people, round_):
    auth.login(people.aut)
    write_general(in_russian, round_, people.aut, action="submit")
    auth.login(people.secretariat)
    page = text_of(in_russian.get(f"/consultations/{round_.id}/compilation"))
    for russian in ("Сводная таблица замечаний", "Общие замечания", "Записать решение", "Итого"):
        assert russian in page
    for english in ("Compilation of comments", "General comments", "Record a decision", "Total"):
        assert english not in page


def test_the_silence_procedure_is_in_russian(in_russian, auth, people, published):
    deadline = datetime.now(UTC) + timedelta(days=3)
    silence = operations.start_silence(
        people.secretariat, published, deadline_dt=deadline, timezone="Europe/Vienna", note=""
    )
    db.session.commit()
    auth.login(people.pak)
    page = text_of(in_russian.get(f"/silences/{silence.id}"))
    assert "Процедура молчания" in page and "Нарушить молчание" in page
    assert "Под процедурой молчания" in page
    assert "Break silence" not in page and "Under silence" not in page


def test_a_reader_without_a_preference_still_reads_english(client, auth, people, round_):
    auth.login(people.aut)
    page = text_of(client.get(f"/consultations/{round_.id}/draft"))
    assert "Draft with comments" in page and "Проект" not in page


def test_the_api_answers_in_english_whatever_the_caller_prefers(people, open_round, api_as):
    consultation = open_round(invited=("AUT", "PAK"))
    body = {"kind": "general", "body": "Our remark.", "submit": True}
    refused = api_as(people.observer).post(
        f"/consultations/{consultation.id}/comments", json=body, headers=RUSSIAN
    )
    assert refused.status_code == 403
    assert refused.get_json()["detail"].startswith("Observers read the draft")


@pytest.fixture
def api_as(client, app):
    from tests.api.conftest import Api

    def _as(user):
        from drafting.api.operations import create_token

        _row, secret = create_token(user, "Russian reader")
        db.session.commit()
        return Api(client, secret)

    return _as


def test_a_comment_with_a_control_character_is_refused_in_russian_keeping_the_text(
    in_russian, auth, people, round_
):
    auth.login(people.aut)
    refused = in_russian.post(
        f"/consultations/{round_.id}/comments/new",
        data={
            "kind": "general",
            "body": "Our remark\x07" + "*" * 5000,
            "form_token": "russian-interface-token-2",
            "delegation_id": str(people.aut.delegation_id),
            "action": "save",
        },
    )
    page = text_of(refused)
    assert refused.status_code == 422
    assert "Замечание: содержит невидимый управляющий символ" in page
    assert "*" * 5000 in page and "invisible control character" not in page
