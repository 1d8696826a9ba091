"""The names and explanations a page takes from the service's closed lists (who sees the
comments, what happens after the deadline, a paragraph's agreement status) read in Russian for a
reader who prefers it, and stay English for one who does not."""

from __future__ import annotations

import html

from drafting.documents.models import AgreementStatus
from drafting.documents.statuses import set_paragraph_status
from drafting.extensions import db
from tests.consultations.conftest import paragraph

RUSSIAN = "ru-RU,ru;q=0.9,en;q=0.5"


def test_the_round_page_explains_its_rules_in_russian(client, auth, people, open_round):
    round_ = open_round(visibility="open", late_rule="accept")
    auth.login(people.aut)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = RUSSIAN
    page = html.unescape(client.get(f"/consultations/{round_.id}").get_data(as_text=True))
    assert "Каждый участник видит замечание сразу" in page
    assert "Принимать с пометкой «с опозданием»" in page
    for english in ("Every participant sees each comment", "Accept and flag as late"):
        assert english not in page


def test_the_new_round_form_offers_its_rules_in_russian(client, auth, people, published):
    auth.login(people.secretariat)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = RUSSIAN
    page = html.unescape(
        client.get(f"/versions/{published.id}/consultations/new").get_data(as_text=True)
    )
    assert "Не принимать замечания после срока" in page
    assert "До истечения срока каждая делегация видит только свои замечания" in page
    assert "Each delegation sees only its own comments" not in page


def test_a_paragraphs_status_reads_in_russian_and_in_english(client, auth, people, published):
    set_paragraph_status(
        people.chair, published, paragraph(published, "1."), AgreementStatus.AGREED
    )
    db.session.commit()
    auth.login(people.aut)
    english = html.unescape(client.get(f"/versions/{published.id}").get_data(as_text=True))
    assert '<span class="status-name">agreed</span>' in english
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = RUSSIAN
    russian = html.unescape(client.get(f"/versions/{published.id}").get_data(as_text=True))
    assert '<span class="status-name">согласовано</span>' in russian
