"""The secretariat's editor in Russian: the working draft with its amendments, and the message
after a change, for a reader whose browser prefers Russian."""

from __future__ import annotations

import html

from tests.editing.conftest import paragraph

RUSSIAN = "ru-RU,ru;q=0.9"


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_the_editor_is_in_russian(client, auth, people, working, amendments):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = RUSSIAN
    auth.login(people.secretariat)
    page = text_of(client.get(f"/versions/{working.id}/edit"))
    assert "Редактирование: Draft 1" in page and "Сравнение с Zero draft" in page
    assert "Внести поправку делегации AUT" in page and "Вставить пункт в начало" in page
    for english in ("Editing Draft 1", "Apply AUT’s amendment", "Insert a paragraph at the start"):
        assert english not in page


def test_saving_a_paragraph_is_confirmed_in_russian(client, auth, people, working):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = RUSSIAN
    auth.login(people.secretariat)
    first = paragraph(working, "1.")
    saved = client.post(
        f"/versions/{working.id}/edit/{first.uid}",
        data={"source": "1. We affirm the principle.", "revision": str(first.revision)},
    )
    assert saved.status_code in (302, 303)
    page = text_of(client.get(saved.headers["Location"]))
    assert "Сохранено: пункт 1." in page and "Saved paragraph" not in page


def test_a_delegate_is_refused_the_next_draft_in_russian(client, auth, people, published):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = RUSSIAN
    auth.login(people.aut)
    refused = client.post(f"/versions/{published.id}/next-draft", data={"label": "Draft 1"})
    assert refused.status_code == 403
    assert "Ваша роль не позволяет выполнить это действие." in text_of(refused)
