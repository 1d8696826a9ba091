"""The one permission policy is asked by operations too, not only by the pages."""

import pytest

from drafting.auth import operations as people
from drafting.auth.policy import ROLE_REFUSAL, NotAllowed, can, rules, when, why_not
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


def test_a_refusal_carries_its_reason_and_can_is_its_absence(delegate, create_user):
    secretariat = create_user("secretariat", "MDS")
    assert why_not(delegate, "document.create") == ROLE_REFUSAL
    assert not can(delegate, "document.create")
    assert why_not(secretariat, "document.create") is None
    assert can(secretariat, "document.create")


def test_an_operation_refused_says_the_policys_reason(delegate):
    with pytest.raises(NotAllowed) as refused:
        operations.create_document(delegate, title="Declaration", participants=[])
    assert refused.value.reason == ROLE_REFUSAL == str(refused.value)
    assert refused.value.action == "document.create"


def test_a_rule_gives_its_own_words_or_a_function_of_user_and_target():
    plain = when(lambda _user, target: target > 0, "Only positive numbers.")
    worded = when(lambda _user, target: target > 0, lambda _user, target: f"{target} is not.")
    assert plain(None, 1) is None and plain(None, -1) == "Only positive numbers."
    assert worded(None, -2) == "-2 is not."
    assert when(lambda _user, _target: False)(None, None) == ROLE_REFUSAL


def test_an_unknown_action_is_refused_loudly(delegate):
    with pytest.raises(ValueError, match="unknown action"):
        can(delegate, "document.burn")


def test_an_action_is_judged_in_one_place_only():
    with pytest.raises(ValueError, match="already judged"):
        rules({"document.create": when(lambda _user, _target: True)})
