import pytest

from svduty.config.database import database_from_url
from svduty.config.env import ConfigurationError, env_bool, env_int
from svduty.core.authorisation import (
    PERSONAL_DATA_PERMISSIONS,
    ROLE_DESCRIPTIONS,
    ROLE_PERMISSIONS,
    Permission,
    Role,
    permissions_for_roles,
    roles_require_mfa,
)
from svduty.core.exports import safe_cell


def test_every_role_has_a_description_and_permissions():
    assert set(ROLE_DESCRIPTIONS) == set(Role) == set(ROLE_PERMISSIONS)


def test_unknown_roles_grant_nothing():
    assert permissions_for_roles(["retired_role"]) == frozenset()


def test_auditor_cannot_change_records():
    writes = {
        Permission.EDIT_CASES,
        Permission.MANAGE_STRATEGY,
        Permission.IMPORT_DATA,
        Permission.MANAGE_USERS,
    }
    assert not (ROLE_PERMISSIONS[Role.AUDITOR] & writes)


@pytest.mark.parametrize("role", list(Role))
def test_roles_that_see_personal_data_need_mfa(role):
    expected = bool(ROLE_PERMISSIONS[role] & PERSONAL_DATA_PERMISSIONS)
    assert roles_require_mfa([role.value]) is expected


def test_practitioner_and_auditor_need_mfa():
    assert roles_require_mfa(["practitioner"]) and roles_require_mfa(["auditor"])


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+44 1642", "'+44 1642"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("plain", "plain"),
        (None, ""),
        (7, "7"),
        (-3, "-3"),
        (True, "Yes"),
    ],
)
def test_spreadsheet_formulas_are_neutralised(value, expected):
    assert safe_cell(value) == expected


def test_env_helpers_fail_loudly(monkeypatch):
    monkeypatch.setenv("X_BOOL", "perhaps")
    with pytest.raises(ConfigurationError, match="X_BOOL"):
        env_bool("X_BOOL", False)
    monkeypatch.setenv("X_INT", "ten")
    with pytest.raises(ConfigurationError, match="X_INT must be a whole number"):
        env_int("X_INT", 1)


def test_database_url_is_parsed_and_only_postgres_accepted():
    db = database_from_url(
        "postgres://svduty:s%40cret@db.internal:6543/svduty_prod?sslmode=require"
    )
    assert (db["USER"], db["PASSWORD"], db["HOST"], db["PORT"], db["NAME"]) == (
        "svduty",
        "s@cret",
        "db.internal",
        "6543",
        "svduty_prod",
    )
    assert db["OPTIONS"] == {"sslmode": "require"}
    with pytest.raises(ConfigurationError, match="only runs on PostgreSQL"):
        database_from_url("sqlite:///db.sqlite3")


def test_audit_actions_read_as_plain_english():
    """Issue 16, point 4: no "Mfa activated" machine wording in the trail."""
    from svduty.audit.models import AuditAction

    assert AuditAction.MFA_ACTIVATED.label == "Two-factor authentication set up"
    assert AuditAction.VIEW.label == "Viewed"
    assert all(not a.label.startswith("Mfa") for a in AuditAction)
