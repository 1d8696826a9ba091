from drafting.auth.models import Delegation, User
from drafting.extensions import db


def test_the_secretariat_adds_a_delegation_in_the_page(client, auth, create_user):
    auth.login(create_user("secretariat", "MDS"))
    response = client.post(
        "/people/delegations", data={"name": "Jordan", "code": "jor", "kind": "state"}
    )
    assert response.status_code == 302
    assert db.session.scalar(db.select(Delegation).where(Delegation.code == "JOR")).name == "Jordan"


def test_a_state_code_must_be_iso_alpha_3_and_the_form_keeps_what_was_typed(
    client, auth, create_user
):
    auth.login(create_user("secretariat", "MDS"))
    response = client.post(
        "/people/delegations", data={"name": "Jordan", "code": "JO", "kind": "state"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "ISO 3166 alpha-3" in page and 'value="Jordan"' in page


def test_the_secretariat_adds_a_person_who_can_then_log_in(
    client, auth, create_user, create_delegation
):
    auth.login(create_user("secretariat", "MDS"))
    delegation = create_delegation("GEO")
    response = client.post(
        "/people/users",
        data={
            "name": "Nino Beridze",
            "email": "Nino@Example.org",
            "role": "chair",
            "delegation_id": delegation.id,
            "password": "a long initial password",
        },
    )
    assert response.status_code == 302
    user = db.session.scalar(db.select(User).where(User.email == "nino@example.org"))
    assert user.role.value == "chair" and user.delegation.code == "GEO"
    auth.logout()
    assert (
        client.post(
            "/login", data={"email": "nino@example.org", "password": "a long initial password"}
        ).status_code
        == 302
    )


def test_a_duplicate_email_is_refused_with_a_reason(client, auth, create_user):
    secretariat = create_user("secretariat", "MDS")
    auth.login(secretariat)
    response = client.post(
        "/people/users",
        data={
            "name": "Twin",
            "email": secretariat.email,
            "role": "delegate",
            "delegation_id": secretariat.delegation_id,
            "password": "a long initial password",
        },
    )
    assert response.status_code == 422
    assert "already an account" in response.get_data(as_text=True)


def test_delegates_cannot_manage_people(client, auth, create_user):
    auth.login(create_user("delegate"))
    assert client.get("/people").status_code == 403
    assert (
        client.post(
            "/people/delegations", data={"name": "X", "code": "XXX", "kind": "state"}
        ).status_code
        == 403
    )


def test_the_people_list_can_be_filtered(client, auth, create_user):
    auth.login(create_user("secretariat", "MDS"))
    create_user("delegate", "AUT")
    create_user("observer", "IOM")
    page = client.get("/people?role=observer").get_data(as_text=True)
    assert "observer.iom@example.org" in page and "delegate.aut@example.org" not in page
    page = client.get("/people?q=aut").get_data(as_text=True)
    assert "delegate.aut@example.org" in page and "observer.iom@example.org" not in page


def test_users_add_on_the_command_line(runner, create_delegation):
    create_delegation("AUT")
    result = runner.invoke(
        args=[
            "users",
            "add",
            "--email",
            "a@example.org",
            "--name",
            "Anna",
            "--role",
            "delegate",
            "--delegation",
            "aut",
            "--password",
            "a long password here",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "Added Anna" in result.output


def test_users_add_refuses_an_unknown_delegation(runner):
    result = runner.invoke(
        args=[
            "users",
            "add",
            "--email",
            "a@example.org",
            "--name",
            "Anna",
            "--role",
            "delegate",
            "--delegation",
            "ZZZ",
            "--password",
            "a long password here",
        ]
    )
    assert result.exit_code != 0 and "no delegation with code ZZZ" in result.output


def test_names_longer_than_their_column_are_refused_with_a_message(app):
    import pytest

    from drafting.auth.operations import PeopleError, create_delegation, create_user

    with pytest.raises(PeopleError, match="at most 200"):
        create_delegation(None, name="x" * 201, code="LONG", kind="organisation")
    delegation = create_delegation(None, name="Short", code="SHORT", kind="organisation")
    with pytest.raises(PeopleError, match="at most 200"):
        create_user(
            None,
            email="a@example.org",
            name="y" * 201,
            role="delegate",
            delegation=delegation,
            password="x" * 20,
        )
