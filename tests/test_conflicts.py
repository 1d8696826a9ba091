"""Refusals that only the database sees (a race, a trigger) reach the user as a clear 409."""

import pytest
from sqlalchemy import text

from drafting.auth.models import Delegation, DelegationKind
from drafting.documents import operations, publishing
from drafting.extensions import db


def test_a_conflict_found_at_commit_is_a_409_and_nothing_is_saved(
    client, auth, create_user, monkeypatch
):
    secretariat = create_user("secretariat", "MDS")
    auth.login(secretariat)

    def racing_create_document(actor, *, title, participants, **more):
        # What a second request could have committed a moment earlier: the same code.
        db.session.add(Delegation(name="Twin", code="MDS", kind=DelegationKind.ORGANISATION))
        return real_create_document(actor, title=title, participants=participants, **more)

    real_create_document = operations.create_document
    monkeypatch.setattr(operations, "create_document", racing_create_document)
    response = client.post("/documents/new", data={"title": "Declaration"})
    assert response.status_code == 409
    assert "nothing was saved" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Delegation)) == 1


def test_a_trigger_refusal_is_a_409_not_a_500(
    client, auth, create_user, create_document, sample_source, monkeypatch
):
    auth.login(create_user("secretariat", "MDS"))
    document = create_document(
        ("Zero draft", sample_source, True), ("Draft 1", sample_source, False)
    )
    published_id, working_id = (v.id for v in document.versions)

    def sneaky_publish(actor, version):
        db.session.execute(
            text("UPDATE paragraphs SET text = 'x' WHERE version_id = :id"), {"id": published_id}
        )

    monkeypatch.setattr(publishing, "publish_version", sneaky_publish)
    response = client.post(f"/versions/{working_id}/publish", data={"confirm": "y"})
    assert response.status_code == 409
    assert "Published drafts cannot change" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "path", ["/?q=a%00b", "/documents/1/compare?old=1%00&new=2", "/login?next=%00"]
)
def test_a_nul_character_anywhere_in_a_request_is_refused_plainly(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "NUL character" in response.get_data(as_text=True)


def test_a_nul_character_in_a_form_is_refused_plainly(client):
    response = client.post("/login", data={"email": "a\x00@example.org", "password": "x"})
    assert response.status_code == 400


@pytest.mark.parametrize(
    "path", ["/versions/2147483648", "/documents/2147483648", "/consultations/2147483648"]
)
def test_an_id_beyond_what_the_database_holds_is_simply_not_found(client, auth, create_user, path):
    # On PostgreSQL an INTEGER column refuses 2**31 with an error; the page must say 404.
    auth.login(create_user("secretariat", "MDS"))
    assert client.get(path).status_code == 404
    assert client.get("/versions/2147483647").status_code == 404
