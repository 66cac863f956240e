import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from svduty.audit.log import record
from svduty.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def _one_event():
    return record(
        AuditAction.VIEW,
        target_type="cases.person",
        target_id=1,
        target_label="A child",
    )


def test_audit_rows_cannot_be_updated_with_sql():
    event = _one_event()
    with (
        pytest.raises(DatabaseError, match="cannot be changed or deleted"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE audit_auditevent SET actor_label = 'someone else' WHERE id = %s",
            [event.pk],
        )
    event.refresh_from_db()
    assert event.actor_label == ""


def test_audit_rows_cannot_be_deleted_with_sql():
    event = _one_event()
    with (
        pytest.raises(DatabaseError, match="cannot be changed or deleted"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_audit_rows_cannot_be_deleted_through_the_orm():
    _one_event()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.count() == 1


def test_record_fills_target_from_model_instance(make_user):
    user = make_user("auditor")
    event = record(AuditAction.VIEW, actor=user, target=user)
    assert event.target_type == "accounts.user"
    assert event.target_id == str(user.pk)
    assert event.actor_label == user.username
    assert event.agency_label == user.agencies.first().name


def test_a_change_event_outside_a_transaction_is_refused():
    from svduty.audit.log import OutsideTransaction

    with pytest.raises(OutsideTransaction):
        record(AuditAction.CHANGE, target_type="cases.person", target_id=1)
    assert not AuditEvent.objects.exists()


def test_a_change_event_inside_the_transaction_of_the_change_is_written():
    with transaction.atomic():
        event = record(AuditAction.CHANGE, target_type="cases.person", target_id=1)
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_a_view_is_recorded_on_its_own():
    assert _one_event().action == AuditAction.VIEW
