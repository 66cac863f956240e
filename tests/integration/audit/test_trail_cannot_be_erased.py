"""The audit trail survives whoever connects: the application's role (granted by
`svduty grant_app_role`, owning nothing) cannot UPDATE, DELETE, TRUNCATE or disable
or drop the trigger, and even the owner's UPDATE, DELETE and TRUNCATE are refused by
the triggers. `svduty check_audit_trail` makes the same attempts for operators."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from svduty.audit.log import record
from svduty.audit.management.commands.check_audit_trail import (
    ATTEMPTS,
    attempt_succeeds,
)
from svduty.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

APP_ROLE = "svduty_app_probe"
ROW_AND_TRUNCATE = [name for name in ATTEMPTS if "trigger" not in name]


@pytest.fixture
def app_role():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [APP_ROLE])
        if cursor.fetchone() is None:
            cursor.execute(f"CREATE ROLE {APP_ROLE} NOLOGIN")
    call_command("grant_app_role", APP_ROLE, stdout=io.StringIO())
    return APP_ROLE


def _one_event():
    with transaction.atomic():
        record(AuditAction.VIEW, target_type="test", target_label="a record")


def _as(role: str, sql: str) -> bool:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {role}")
        return attempt_succeeds(sql)


@pytest.mark.parametrize("attempt", sorted(ATTEMPTS))
def test_the_application_role_cannot_erase_the_trail(app_role, attempt):
    _one_event()
    assert not _as(app_role, ATTEMPTS[attempt]), attempt
    assert AuditEvent.objects.count() == 1


def test_the_application_role_can_add_to_the_trail(app_role):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {app_role}")
        record(AuditAction.VIEW, target_type="test", target_label="as the app role")
    assert AuditEvent.objects.filter(target_label="as the app role").exists()


@pytest.mark.parametrize("attempt", ROW_AND_TRUNCATE)
def test_even_the_owner_cannot_change_or_empty_the_trail(attempt):
    _one_event()
    assert not attempt_succeeds(ATTEMPTS[attempt]), attempt
    assert AuditEvent.objects.count() == 1


def test_the_check_fails_for_a_connection_that_owns_the_trail():
    # The suite connects as a superuser, who could disable the trigger: the check
    # must say so rather than pass.
    with pytest.raises(CommandError, match="disable its trigger"):
        call_command("check_audit_trail", stdout=io.StringIO())


def test_the_check_passes_for_the_application_role(app_role):
    out = io.StringIO()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {app_role}")
        call_command("check_audit_trail", stdout=out)
    assert "protected" in out.getvalue()


def test_grant_app_role_names_a_missing_role():
    with pytest.raises(CommandError, match="no database role called"):
        call_command("grant_app_role", "no_such_role_here")
