"""The permission rules as pure functions: roles, organizations and account status."""

import pytest

from app.accounts import passwords, permissions
from app.catalog.fields import FIELD_NAMES


def user(role, organization="own", status="active"):
    return {"role": role, "organization_id": organization, "status": status}


OWN, OTHER = {"organization_id": "own"}, {"organization_id": "other"}


@pytest.mark.parametrize(
    "who, program, allowed",
    [
        (None, OWN, False),
        (user("member"), OWN, False),
        (user("editor"), OWN, True),
        (user("editor"), OTHER, False),
        (user("editor", status="pending"), OWN, False),
        (user("editor", status="disabled"), OWN, False),
        (user("convenor"), OWN, False),
        (user("admin", organization=None), OTHER, True),
        (user("admin", status="disabled"), OTHER, False),
    ],
)
def test_who_may_edit_a_listing(who, program, allowed):
    assert permissions.may_edit_program(who, program) is allowed


@pytest.mark.parametrize("role, allowed", [("member", False), ("editor", False), ("convenor", False), ("admin", True)])
def test_only_administrators_administer(role, allowed):
    assert permissions.may_administer(user(role)) is allowed
    assert permissions.may_administer(None) is False


def test_editors_cannot_change_ownership_or_verification():
    fields = permissions.editable_fields(user("editor"), FIELD_NAMES)
    assert not set(fields) & {"id", "organization", "organization_id", "verification", "last_verified"}
    assert "description" in fields and "next_intake_date" in fields
    assert "verification" in permissions.editable_fields(user("admin"), FIELD_NAMES)


@pytest.mark.parametrize(
    "password, ok",
    [("short", False), ("password", False), ("12345678", False), ("qwerty123", False),
     ("a long enough passphrase", True), ("x" * 200, True), ("x" * 201, False)],
)
def test_password_rules(password, ok):
    assert (passwords.problem(password) is None) is ok


def test_passwords_are_hashed_with_scrypt():
    hashed = passwords.hash_password("a long enough passphrase")
    assert hashed.startswith("scrypt:") and "passphrase" not in hashed
    assert passwords.verify(hashed, "a long enough passphrase")
    assert not passwords.verify(hashed, "a long enough passphrasE")
