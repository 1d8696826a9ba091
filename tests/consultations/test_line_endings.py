"""Browsers send a textarea's line breaks as CRLF: what a person typed is stored with LF only,
whatever the form, so that nothing compares, hashes or seals a CR that the page never showed."""

from __future__ import annotations

from tests.consultations.conftest import paragraph
from tests.consultations.test_comment_pages import first_comment, round_, write

__all__ = ["round_", "write"]  # fixtures


def test_a_comment_typed_over_several_lines_is_stored_without_carriage_returns(
    auth, people, published, write
):
    auth.login(people.aut)
    response = write(
        "paragraph",
        paragraph(published, "1."),
        body="Austria asks two things.\r\n\r\nFirst, a date.\rSecond, a place.",
    )
    assert response.status_code == 303
    assert first_comment().body == "Austria asks two things.\n\nFirst, a date.\nSecond, a place."
