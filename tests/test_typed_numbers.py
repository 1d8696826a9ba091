"""A number a person types in an address is read by one rule (drafting.text.numbers): digits
that are not ASCII ("²", "①", "٣") and numbers of thousands of digits are no page, never a 500."""

import pytest

from drafting.text.numbers import whole_number


@pytest.mark.parametrize("raw", ["²", "①", "٣", "0", "-1", "1.0", "", None, "9" * 5000, "100"])
def test_only_ascii_digits_within_bounds_are_a_number(raw):
    assert whole_number(raw, 99) is None


def test_a_plain_number_is_read_with_its_spaces_trimmed():
    assert whole_number(" 42 ", 99) == 42


@pytest.mark.parametrize("raw", ["%C2%B2", "%E2%91%A0", "9" * 5000])
def test_pages_asked_with_unusable_numbers_answer_without_an_error(
    client, auth, create_user, create_document, sample_source, raw
):
    secretariat = create_user("secretariat", "MDS")
    version = create_document(("Zero draft", sample_source, True)).versions[0]
    auth.login(secretariat)
    for url in (
        f"/versions/{version.id}?part={raw}",
        f"/outbox?page={raw}",
        f"/audit?actor={raw}",
        f"/documents/{version.document_id}/compare?old={raw}",
    ):
        assert client.get(url).status_code < 500, url
