"""The interface's message catalogues: the template (messages.pot) holds exactly what the sources
ask to translate, every message has its Russian translation in every plural form, with the same
placeholders as the English, and the catalogue compiles."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "drafting" / "translations"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _read(path: Path):
    with path.open("rb") as f:
        return read_po(f)


def _ids(catalog) -> set:
    return {m.id for m in catalog if m.id}


@pytest.fixture(scope="module")
def russian():
    return _read(TRANSLATIONS / "ru" / "LC_MESSAGES" / "messages.po")


def test_the_template_holds_exactly_the_messages_of_the_sources(tmp_path, monkeypatch):
    """As `make messages` extracts them: a message added or changed since shows here."""
    fresh = tmp_path / "messages.pot"
    monkeypatch.chdir(ROOT)
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", "-F", "babel.cfg", "-k", "_l", "-k", "_say:2",
         "-k", "_say_n:2,3", "-o", str(fresh),
         "--no-location", "--sort-output", "."]
    )  # fmt: skip
    kept = _ids(_read(TRANSLATIONS / "messages.pot"))
    extracted = _ids(_read(fresh))
    assert "Language of the interface" in extracted  # the extraction did read the sources
    assert not extracted - kept, "run `make messages`: new messages are missing from the .pot"
    assert not kept - extracted, "run `make messages`: the .pot holds messages no source has"


def test_the_russian_catalogue_holds_every_message_of_the_template(russian):
    assert _ids(_read(TRANSLATIONS / "messages.pot")) <= _ids(russian)


def test_every_message_has_a_russian_translation_in_every_plural_form(russian):
    missing = []
    for message in russian:
        if not message.id:
            continue
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        complete = not isinstance(message.id, tuple) or len(forms) == russian.num_plurals
        if not complete or not all(form.strip() for form in forms):
            missing.append(message.id)
    assert not missing, f"{len(missing)} messages have no Russian: {missing[:5]}"


def test_each_translation_keeps_the_placeholders_of_the_english(russian):
    wrong = []
    for message in russian:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        wanted = set(PLACEHOLDER.findall(ids[-1])) | set(PLACEHOLDER.findall(ids[0]))
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        wrong += [(ids[0], form) for form in forms if set(PLACEHOLDER.findall(form)) != wanted]
    assert not wrong, f"placeholders differ from the English: {wrong[:5]}"


def test_no_russian_translation_is_fuzzy_or_obsolete(russian):
    assert not [m.id for m in russian if m.id and m.fuzzy]
    assert not russian.obsolete


def test_the_russian_catalogue_compiles(russian):
    compiled = io.BytesIO()
    write_mo(compiled, russian)
    assert len(compiled.getvalue()) > 1000
    assert not [(m.id, errors) for m, errors in russian.check()]
