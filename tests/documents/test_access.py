import pytest

from drafting.auth.models import Delegation
from drafting.extensions import db


@pytest.fixture
def process(create_document, create_user, sample_source):
    """A document shared with AUT and GEO: a published zero draft and a working Draft 1."""
    aut = create_user("delegate", "AUT").delegation
    geo = create_user("chair", "GEO").delegation
    document = create_document(
        ("Zero draft", sample_source, True),
        ("Draft 1", sample_source.replace("affirm", "reaffirm"), False),
        participants=[aut, geo],
    )
    other = create_document(("Zero draft", sample_source, True), title="Another process")
    return document, other


@pytest.mark.parametrize(("role", "code"), [("delegate", "AUT"), ("chair", "GEO")])
def test_participants_read_published_drafts_of_their_documents(
    client, auth, process, role, code, create_user
):
    document, _ = process
    auth.login(create_user(role, code, email=f"reader-{code}@example.org"))
    zero, _ = document.versions
    assert client.get(f"/documents/{document.id}").status_code == 200
    assert client.get(f"/versions/{zero.id}").status_code == 200


@pytest.mark.parametrize(("role", "code"), [("delegate", "AUT"), ("chair", "GEO")])
def test_participants_cannot_see_working_drafts(client, auth, process, role, code, create_user):
    document, _ = process
    auth.login(create_user(role, code, email=f"reader-{code}@example.org"))
    _, working = document.versions
    assert client.get(f"/versions/{working.id}").status_code == 404
    assert client.get(f"/versions/{working.id}.md").status_code == 404
    assert "Draft 1" not in client.get(f"/documents/{document.id}").get_data(as_text=True)


def test_another_process_is_invisible_to_a_delegation_outside_it(
    client, auth, process, create_user
):
    _, other = process
    auth.login(create_user("delegate", "AUT", email="reader@example.org"))
    assert client.get(f"/documents/{other.id}").status_code == 404
    assert client.get(f"/versions/{other.versions[0].id}").status_code == 404
    assert "Another process" not in client.get("/").get_data(as_text=True)


def test_an_observer_of_an_organisation_not_taking_part_sees_nothing(
    client, auth, process, create_user
):
    document, _ = process
    auth.login(create_user("observer", "IOM"))
    assert client.get(f"/documents/{document.id}").status_code == 404


def test_an_observer_of_a_participating_organisation_reads_published_drafts(
    client, auth, process, create_user
):
    document, _ = process
    observer = create_user("observer", "IOM")
    document.participants.append(db.session.get(Delegation, observer.delegation_id))
    db.session.commit()
    auth.login(observer)
    assert client.get(f"/versions/{document.versions[0].id}").status_code == 200


def test_delegates_cannot_import_or_publish(client, auth, process, create_user):
    document, _ = process
    auth.login(create_user("delegate", "AUT", email="reader@example.org"))
    _, working = document.versions
    assert client.post(f"/versions/{working.id}/publish", data={"confirm": "y"}).status_code == 404
    assert client.post(f"/documents/{document.id}/import", data={"label": "X"}).status_code == 403
    assert client.get("/documents/new").status_code == 403


def test_an_unknown_version_is_a_clear_404(client, auth, create_user):
    auth.login(create_user("secretariat", "MDS"))
    response = client.get("/versions/999999")
    assert response.status_code == 404 and "not shared with you" in response.get_data(as_text=True)


def test_the_documents_list_can_be_filtered_by_title(client, auth, process, create_user):
    auth.login(create_user("secretariat", "MDS"))
    page = client.get("/?q=another").get_data(as_text=True)
    assert "Another process" in page and "Ministerial Declaration" not in page


def test_the_secretariat_adds_a_delegation_which_then_reads_the_document(
    client, auth, process, create_user
):
    document, _ = process
    observer = create_user("observer", "IOM")
    auth.login(create_user("secretariat", "MDS"))
    codes = [d.id for d in document.participants] + [observer.delegation_id]
    response = client.post(f"/documents/{document.id}/participants", data={"participants": codes})
    assert response.status_code == 302
    auth.logout()
    auth.login(observer)
    assert client.get(f"/versions/{document.versions[0].id}").status_code == 200


def test_changing_participants_leaves_an_audit_event(client, auth, process, create_user):
    from drafting.audit.models import AuditEvent

    document, _ = process
    auth.login(create_user("secretariat", "MDS"))
    client.post(f"/documents/{document.id}/participants", data={"participants": []})
    event = db.session.scalar(
        db.select(AuditEvent).where(AuditEvent.action == "document.participants_changed")
    )
    assert sorted(event.details["removed"]) == ["AUT", "GEO"]


def test_delegates_cannot_change_who_takes_part(client, auth, process, create_user):
    document, _ = process
    auth.login(create_user("delegate", "AUT", email="reader@example.org"))
    response = client.post(f"/documents/{document.id}/participants", data={"participants": []})
    assert response.status_code == 403


def test_a_forged_delegation_id_is_refused_and_changes_nothing(client, auth, process, create_user):
    document, _ = process
    auth.login(create_user("secretariat", "MDS"))
    response = client.post(
        f"/documents/{document.id}/participants", data={"participants": [999999]}
    )
    assert response.status_code == 422
    assert "choose the delegations from the list" in response.get_data(as_text=True)
    db.session.refresh(document)
    assert {d.code for d in document.participants} == {"AUT", "GEO"}
