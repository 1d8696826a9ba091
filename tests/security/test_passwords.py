"""Passwords are hashed with argon2id at or above OWASP's minimums (m=19 MiB, t=2, p=1), and a
hash made with weaker parameters is replaced at the next successful login."""

from __future__ import annotations

from argon2 import PasswordHasher, Type, extract_parameters

from config import Config
from drafting.auth.models import User
from drafting.extensions import db
from tests.conftest import PASSWORD

OWASP_MEMORY_KIB, OWASP_TIME_COST, OWASP_PARALLELISM = 19456, 2, 1


def assert_at_owasp_minimum(hashed: str) -> None:
    params = extract_parameters(hashed)
    assert params.type is Type.ID
    assert params.memory_cost >= OWASP_MEMORY_KIB
    assert params.time_cost >= OWASP_TIME_COST
    assert params.parallelism >= OWASP_PARALLELISM


def stored_hash(user: User) -> str:
    db.session.commit()
    return db.session.scalar(db.select(User.password_hash).where(User.id == user.id))


def test_production_settings_hash_at_or_above_the_owasp_minimum(make_app):
    from drafting.auth.operations import hash_password

    production = {
        name: getattr(Config, name)
        for name in ("ARGON2_MEMORY_KIB", "ARGON2_TIME_COST", "ARGON2_PARALLELISM")
    }
    with make_app(**production).app_context():
        assert_at_owasp_minimum(hash_password("a long enough password"))


def test_a_person_added_in_the_page_gets_an_argon2id_hash(client, auth, create_user):
    auth.login(create_user("secretariat", "MDS", kind="organisation"))
    delegation_id = create_user("delegate", "AUT").delegation_id
    client.post(
        "/people/users",
        data={
            "name": "Ana Example",
            "email": "ana@example.org",
            "role": "delegate",
            "delegation_id": str(delegation_id),
            "password": "a long enough password",
        },
    )
    hashed = db.session.scalar(db.select(User.password_hash).filter_by(email="ana@example.org"))
    assert_at_owasp_minimum(hashed)
    assert "a long enough password" not in hashed


def test_a_weak_hash_is_replaced_at_the_next_login(client, auth, create_user):
    user = create_user("delegate")
    user.password_hash = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    db.session.commit()
    assert auth.login(user).status_code == 302
    renewed = stored_hash(user)
    assert_at_owasp_minimum(renewed)
    assert PasswordHasher().verify(renewed, PASSWORD)


def test_a_hash_at_the_configured_parameters_is_kept(auth, create_user, password_hash):
    user = create_user("delegate")
    auth.login(user)
    assert stored_hash(user) == password_hash


def test_raising_the_parameters_rehashes_at_the_next_login(create_user, make_app):
    user = create_user("delegate")
    stronger = make_app(ARGON2_TIME_COST=3).test_client()
    response = stronger.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert extract_parameters(stored_hash(user)).time_cost == 3


def test_a_failed_login_does_not_touch_the_hash(client, create_user, password_hash):
    user = create_user("delegate")
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    user.password_hash = weak
    db.session.commit()
    client.post("/login", data={"email": user.email, "password": "not the password at all"})
    assert stored_hash(user) == weak
