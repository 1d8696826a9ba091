"""Fixtures for language versions: the sample declaration published, a fresh Russian translation
of it, and a next draft that changes paragraph 4. and adds paragraph 5."""

from __future__ import annotations

import pytest

from drafting.extensions import db
from tests.consultations import conftest as consultations
from tests.consultations.conftest import DRAFT, delegation

people = consultations.people
open_round = consultations.open_round

RUSSIAN = """# Декларация министров о безопасных маршрутах

*Напоминая* о наших прежних обязательствах,

## Часть I: Принципы

1. Мы подтверждаем принцип общей ответственности.

2. Мы будем сотрудничать в создании **безопасных** и законных путей.

## Часть II: Действия

3. Мы поддерживаем платформу для обмена опытом.

4. Мы встретимся снова в следующем году.
"""

NEXT_DRAFT = (
    DRAFT.replace(
        "4. We will meet again next year.", "4. We will meet again in Vienna next spring."
    )
    + "\n5. We thank the host country.\n"
)


@pytest.fixture
def published(create_document, people):
    participants = [delegation(c) for c in ("AUT", "PAK", "TUR", "GEO", "UNHCR")]
    document = create_document(("Zero draft", DRAFT, True), participants=participants)
    return document.versions[0]


@pytest.fixture
def translated(published):
    """The zero draft with its Russian translation stored (not yet published)."""
    from drafting.documents.translations import import_translation

    translation = import_translation(None, published, RUSSIAN, language="ru")
    db.session.commit()
    return translation


@pytest.fixture
def next_draft(translated, published):
    """Draft 1, published after the Russian translation of the zero draft."""
    from drafting.documents.importing import import_version

    version = import_version(None, published.document, NEXT_DRAFT, label="Draft 1", publish=True)
    db.session.commit()
    return version


def upload(client, version, text: str | bytes, language: str = "ru", name: str = "ru.md"):
    """Send a translation file to the import page, as the form does."""
    from io import BytesIO

    data = text.encode("utf-8") if isinstance(text, str) else text
    return client.post(
        f"/versions/{version.id}/translations/import",
        data={"language": language, "file": (BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def translation_count() -> int:
    from drafting.documents.translation_models import Translation

    return db.session.query(Translation).count()
