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


def test_record_writes_the_row_the_orm_writes(make_user):
    # record() INSERTs with a statement compiled once per process (issue 15): the
    # row must be the one AuditEvent.objects.create() writes with the same values.
    import datetime as dt

    from django.db.models.signals import post_save

    from svduty.audit.context import RequestContext, current

    user = make_user("practitioner")
    token = current.set(RequestContext(request_id="req-1", ip_address="192.0.2.7"))
    try:
        events = [
            record(
                AuditAction.VIEW,
                actor=user,
                target=user,
                detail={"page": "x", "people": [1, 2], "nested": {"a": None}},
            )
            for _ in range(2)
        ]
    finally:
        current.reset(token)
    written = AuditEvent.objects.get(pk=events[1].pk)
    columns = [f.attname for f in AuditEvent._meta.concrete_fields]
    like = AuditEvent.objects.create(
        **{c: getattr(written, c) for c in columns if c != "id"}
    )
    like.refresh_from_db()
    assert events[0].pk < events[1].pk and events[1]._state.adding is False
    for column in columns:
        if column != "id":
            assert getattr(written, column) == getattr(like, column), column
            assert getattr(events[1], column) == getattr(written, column), column
    assert written.ip_address == "192.0.2.7" and written.request_id == "req-1"
    assert isinstance(written.occurred_at, dt.datetime)
    # A receiver of the model's save signal still hears of each event.
    heard = []

    def receiver(sender, instance, created, **kwargs):
        heard.append((instance.pk, created))

    post_save.connect(receiver, sender=AuditEvent)
    try:
        event = record(AuditAction.VIEW, actor=user, target=user)
    finally:
        post_save.disconnect(receiver, sender=AuditEvent)
    assert heard == [(event.pk, True)]
