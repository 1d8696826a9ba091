"""The one permission policy is asked by operations too, not only by the pages."""

import pytest

from drafting.auth import operations as people
from drafting.auth.policy import NotAllowed
from drafting.documents import importing, operations, publishing


@pytest.fixture
def delegate(create_user):
    return create_user("delegate", "AUT")


def test_a_delegate_cannot_create_a_document_even_bypassing_the_page(delegate):
    with pytest.raises(NotAllowed):
        operations.create_document(delegate, title="Declaration", participants=[])


def test_a_delegate_cannot_import_or_publish_through_the_operations(
    delegate, create_document, sample_source
):
    document = create_document(
        ("Zero draft", sample_source, False), participants=[delegate.delegation]
    )
    with pytest.raises(NotAllowed):
        importing.import_version(delegate, document, sample_source, label="Draft 1")
    with pytest.raises(NotAllowed):
        publishing.publish_version(delegate, document.versions[0])


def test_a_chair_cannot_add_people_or_delegations(create_user):
    chair = create_user("chair", "GEO")
    with pytest.raises(NotAllowed):
        people.create_delegation(chair, name="Jordan", code="JOR", kind="state")
    with pytest.raises(NotAllowed):
        people.create_user(
            chair,
            email="x@example.org",
            name="X",
            role="delegate",
            delegation=chair.delegation,
            password="a long enough password",
        )


def test_the_secretariat_and_the_system_may(create_user, sample_source):
    secretariat = create_user("secretariat", "MDS")
    document = operations.create_document(secretariat, title="Declaration", participants=[])
    version = importing.import_version(None, document, sample_source, label="Zero draft")
    assert publishing.publish_version(secretariat, version).is_published
