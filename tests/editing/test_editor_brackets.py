"""The secretariat types brackets in the editor: saved as typed, shown with their holders and
counted as open points in the row, with the syntax explained on the page."""

from __future__ import annotations

from tests.editing.conftest import paragraph

HTMX = {"HX-Request": "true"}
TYPED = "1. States [shall]{EU}[should]{RUS, TUR} strengthen [cooperation]."


def test_the_editor_explains_the_bracket_syntax_with_an_example(client, auth, people, working):
    auth.login(people.secretariat)
    page = client.get(f"/versions/{working.id}/edit").get_data(as_text=True)
    assert "Brackets: text not yet agreed" in page
    assert "<code>States [shall]{EU}[should]{RUS, TUR} strengthen …</code>" in page


def test_a_saved_paragraph_keeps_its_brackets_and_shows_them_with_open_points(
    client, auth, people, working
):
    auth.login(people.secretariat)
    uid = paragraph(working, "1.").uid
    row = client.post(
        f"/versions/{working.id}/edit/{uid}", data={"source": TYPED, "revision": "1"}, headers=HTMX
    ).get_data(as_text=True)
    assert paragraph(working, "1.").text == TYPED[3:]
    assert '<span class="visually-hidden"> held by </span>RUS, TUR</sup>' in row
    assert "2 open points in brackets" in row


def test_the_edit_form_gives_back_the_brackets_as_typed(client, auth, people, working):
    auth.login(people.secretariat)
    uid = paragraph(working, "1.").uid
    client.post(f"/versions/{working.id}/edit/{uid}", data={"source": TYPED, "revision": "1"})
    form = client.get(f"/versions/{working.id}/edit/{uid}/form", headers=HTMX)
    assert "[shall]{EU}[should]{RUS, TUR} strengthen [cooperation]." in form.get_data(as_text=True)
