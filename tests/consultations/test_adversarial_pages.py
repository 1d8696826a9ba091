"""Texts written to break the renderer (runs of markup characters, nesting 1,500 deep) show on
every page that shows what people wrote: the version page, the editor, the draft page of a round
with its comments and the compilation. They rendered in quadratic time or recursed without end."""

from __future__ import annotations

import pytest

from drafting.consultations import commenting
from drafting.documents.editing import open_working_draft
from drafting.extensions import db
from tests.consultations.conftest import delegation

# Fuzz-sized texts through every page: a minute of one core. `make test` on a developer's
# machine leaves them out; CI (`make test ALL=1`) runs them, and tests/test_markup.py and
# bench/markup.py hold the renderer linear at smaller sizes.
pytestmark = pytest.mark.slow

UNITS = ["[", "*", "_", "`", "<", "](", "![", "[ a_"]
TEXTS = {
    **{
        f"Word{n}word": f"Word{n}word " + unit * (50_000 // len(unit))
        for n, unit in enumerate(UNITS)
    },
    "Listword": "- " * 1_500 + "Listword",
    "Quoteword": "> " * 1_500 + "Quoteword",
    "Mixedword": "> - 1. " * 500 + "Mixedword",
}


def _assert_every_text_shown(response) -> None:
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert [word for word in TEXTS if word not in page] == []


@pytest.fixture
def adversarial(app, create_document, people, open_round):
    """A published draft whose paragraphs are the adversarial texts, and an open round on it
    in which AUT sent each of them as a comment."""
    app.config["MAX_COMMENT_CHARS"] = 60_000
    source = "# Declaration\n\n" + "\n\n".join(
        f"{n}. {text}" for n, text in enumerate(TEXTS.values(), 1)
    )
    participants = [delegation(code) for code in ("AUT", "PAK")]
    version = create_document(("Zero draft", source, True), participants=participants).versions[0]
    consultation = open_round(version=version, visibility="open", invited=("AUT", "PAK"))
    for text in TEXTS.values():
        commenting.create_comment(people.aut, consultation, kind="general", body=text, submit=True)
    db.session.commit()
    return version, consultation


def test_the_version_page_shows_every_adversarial_paragraph(client, auth, people, adversarial):
    version, _ = adversarial
    auth.login(people.pak)
    _assert_every_text_shown(client.get(f"/versions/{version.id}"))


def test_the_editor_shows_every_adversarial_paragraph(client, auth, people, adversarial):
    version, _ = adversarial
    working = open_working_draft(people.secretariat, version, label="Draft 1")
    db.session.commit()
    auth.login(people.secretariat)
    _assert_every_text_shown(client.get(f"/versions/{working.id}/edit"))


def test_the_draft_page_of_a_round_shows_every_adversarial_comment(
    client, auth, people, adversarial
):
    _, consultation = adversarial
    auth.login(people.pak)
    _assert_every_text_shown(client.get(f"/consultations/{consultation.id}/draft"))


def test_the_compilation_shows_every_adversarial_comment(client, auth, people, adversarial):
    _, consultation = adversarial
    auth.login(people.secretariat)
    _assert_every_text_shown(client.get(f"/consultations/{consultation.id}/compilation"))


@pytest.mark.parametrize("suffix", ["docx", "pdf"])
def test_the_word_and_pdf_copies_of_an_adversarial_draft_download(
    client, auth, people, adversarial, suffix
):
    version, _ = adversarial
    auth.login(people.pak)
    assert client.get(f"/versions/{version.id}.{suffix}").status_code == 200


@pytest.mark.parametrize("layout", ["table", "text"])
def test_the_compilation_of_adversarial_comments_exports_to_word(
    client, auth, people, adversarial, layout
):
    _, consultation = adversarial
    auth.login(people.secretariat)
    url = f"/consultations/{consultation.id}/compilation.docx?layout={layout}"
    assert client.get(url).status_code == 200
