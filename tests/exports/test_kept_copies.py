"""A published version's Word and PDF copies are made once per process; a working draft's each
time it is downloaded, since it changes."""

from __future__ import annotations

import pytest

from drafting.exports import copies, markup_copy
from drafting.keeping import Kept
from tests.conftest import SAMPLE_DRAFT


@pytest.fixture
def secretariat(auth, create_user):
    user = create_user("secretariat", "MDS")
    auth.login(user)
    return user


@pytest.fixture
def builds(monkeypatch):
    """How many times the Word copy was laid out."""
    made = []
    build = markup_copy.build_version_docx

    def counting(*args, **kwargs):
        made.append(1)
        return build(*args, **kwargs)

    counting.__name__ = build.__name__
    monkeypatch.setattr(markup_copy, "build_version_docx", counting)
    monkeypatch.setattr(copies, "_kept", Kept(copies.KEPT_MOST))
    return made


def test_a_published_copy_is_laid_out_once(client, create_document, secretariat, builds):
    version = create_document(("Zero draft", SAMPLE_DRAFT, True)).versions[0]
    first = client.get(f"/versions/{version.id}.docx")
    second = client.get(f"/versions/{version.id}.docx")
    assert first.status_code == second.status_code == 200
    assert first.data == second.data and len(builds) == 1


def test_a_working_draft_is_laid_out_each_time(client, create_document, secretariat, builds):
    version = create_document(("Zero draft", SAMPLE_DRAFT, False)).versions[0]
    for _ in range(2):
        assert client.get(f"/versions/{version.id}.docx").status_code == 200
    assert len(builds) == 2
