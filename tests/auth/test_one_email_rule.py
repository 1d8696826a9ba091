"""One rule for e-mail addresses (drafting/text/names.py), asked by the people page's form and by
the operation that adds a person, which the command line calls: both refuse the same addresses.
The API takes no e-mail address (people are added on the page or the command line)."""

from __future__ import annotations

import pytest

from drafting.auth.models import User
from drafting.extensions import db
from drafting.text.names import email_problem

REFUSED = [
    "no-at-sign.example.org",
    "two@at@example.org",
    "a..b@example.org",
    ".dot-first@example.org",
    "name@localhost",
    "name@-example.org",
    "name@example.o",
    "name@example.org1",
    "with space@example.org",
    "name@exa_mple.org",
    "x" * 65 + "@example.org",
    "a@" + "b" * 250 + ".org",
]
ACCEPTED = ["Anna.Berger@Example.org", "o'brien+talks@mail.example.co.uk", "nino@münchen.de"]


def _added(email: str) -> bool:
    return db.session.scalar(db.select(User).where(User.email == email.strip().lower())) is not None


@pytest.fixture
def on_the_page(client, auth, create_user, create_delegation):
    auth.login(create_user("secretariat", "MDS"))
    delegation = create_delegation("GEO")

    def add(email: str):
        form = {
            "name": "New Person",
            "email": email,
            "role": "delegate",
            "delegation_id": delegation.id,
            "password": "a long initial password",
        }
        return client.post("/people/users", data=form)

    return add


@pytest.fixture
def on_the_command_line(runner, on_the_page):
    def add(email: str):
        return runner.invoke(
            args=["users", "add", "--email", email, "--name", "New Person", "--role", "delegate"]
            + ["--delegation", "GEO", "--password", "a long initial password"]
        )

    return add


@pytest.mark.parametrize("email", REFUSED)
def test_the_page_and_the_command_line_refuse_the_same_address(
    on_the_page, on_the_command_line, email
):
    message = email_problem(email)
    assert message
    page = on_the_page(email)
    assert page.status_code == 422 and message in page.get_data(as_text=True)
    command = on_the_command_line(email)
    assert command.exit_code != 0 and message in command.output
    assert not _added(email)


@pytest.mark.parametrize("email", ACCEPTED)
def test_the_page_and_the_command_line_accept_the_same_address(
    on_the_page, on_the_command_line, email
):
    assert email_problem(email) is None
    assert on_the_page(email).status_code == 302 and _added(email)
    command = on_the_command_line(email)  # now taken: refused for that reason alone
    assert "already an account" in command.output
