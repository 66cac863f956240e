"""The retention job (issue 14, point 10): at the boundary of each rule, records are
kept the day before and erased the day after, with everything that belongs to them
and their history; the erasure log and the DPO's e-mail never repeat the content."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.utils import timezone

from svduty.audit.models import AuditAction, AuditEvent
from svduty.cases import actions
from svduty.cases.models import Address, Alias, Person, Referral, Relationship
from svduty.core.authorisation import Role
from svduty.privacy.actions import apply_retention
from svduty.privacy.models import ErasureRecord, RetentionRun
from svduty.privacy.retention import Period, get_rule
from tests.factories.accounts import AgencyFactory
from tests.factories.cases import partnership_with, person_on_team, practitioner

CANARY_FIRST = "Zebedee"
CANARY_LAST = "Quillfeather"


def _age(person: Person, when: dt.datetime) -> None:
    Person.objects.filter(pk=person.pk).update(
        created_at=when, updated_at=when, last_event_at=None
    )


@pytest.fixture
def world(db, settings):
    settings.DPO_EMAILS = ["dpo@example.org"]
    council = AgencyFactory(name="Retention Council")
    partnership = partnership_with(council, name="Retention Partnership")
    lead = practitioner(council, full_name="Lee Lead")
    child = person_on_team(
        lead, partnership=partnership, first_name=CANARY_FIRST, last_name=CANARY_LAST
    )
    actions.add_address(by=lead, person=child, line_1="1 Canary Street")
    actions.add_alias(by=lead, person=child, first_name="Zeb", last_name="Q")
    actions.make_referral(
        by=lead,
        person=child,
        reasons=["weapon_carrying"],
        urgency="standard",
        what_is_known="Seen with a knife near the canary shop",
    )
    carer = person_on_team(lead, partnership=partnership, first_name="Carer")
    actions.add_relationship(by=lead, person=child, related=carer, kind="carer")
    active = person_on_team(lead, partnership=partnership, first_name="Active")
    return partnership, lead, child, carer, active


def _history_rows(table: str, pk: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table} WHERE pgh_obj_id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_a_record_is_kept_for_six_years_and_erased_the_day_after(world):
    _, _lead, child, carer, active = world
    last_activity = dt.datetime(2019, 3, 10, 23, 30, tzinfo=dt.UTC)
    _age(child, last_activity)
    _age(carer, last_activity)
    local_day = timezone.localtime(last_activity).date()  # 10 March 2019, UK time
    assert get_rule("cases.person").period == Period(months=72)

    run = apply_retention(today=dt.date(2025, 3, 10))
    assert Person.objects.filter(pk=child.pk).exists(), "kept for the whole period"
    assert run.erased == 0 and mail.outbox == []

    run = apply_retention(today=local_day.replace(year=2025) + dt.timedelta(days=1))
    assert not Person.objects.filter(pk__in=[child.pk, carer.pk]).exists()
    assert Person.objects.filter(pk=active.pk).exists()
    assert not Referral.objects.filter(person_id=child.pk).exists()
    assert not Address.objects.filter(person_id=child.pk).exists()
    assert not Alias.objects.filter(person_id=child.pk).exists()
    assert not Relationship.objects.filter(person_id=child.pk).exists()
    # The history tables held every version: they are emptied too.
    assert _history_rows("cases_personevent", child.pk) == 0
    assert run.erased == 2 and run.failures == 0

    entries = ErasureRecord.objects.filter(run=run)
    assert {e.record_id for e in entries} == {str(child.pk), str(carer.pk)}
    child_entry = entries.get(record_id=str(child.pk))
    assert child_entry.dependants["cases.Referral"] == 1
    assert child_entry.dependants["cases.Address"] == 1
    erased_events = AuditEvent.objects.filter(
        action=AuditAction.DELETE, target_type="cases.person"
    )
    assert {e.target_id for e in erased_events} == {str(child.pk), str(carer.pk)}

    # Nothing in the erasure log, its audit events or the e-mail repeats content.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["dpo@example.org"]
    assert "cases.person): 2" in message.body
    texts = [message.body, message.subject]
    texts += [str(e.__dict__) for e in entries]
    texts += [str(e.__dict__) for e in erased_events]
    for text in texts:
        assert CANARY_FIRST not in text and CANARY_LAST not in text
        assert "knife" not in text and "Canary Street" not in text


def test_someone_related_to_an_active_record_is_kept_with_it(world):
    _, lead, child, carer, active = world
    _age(carer, dt.datetime(2010, 1, 1, tzinfo=dt.UTC))
    actions.add_relationship(by=lead, person=active, related=carer, kind="carer")
    apply_retention(today=dt.date(2026, 1, 1))
    assert Person.objects.filter(pk=carer.pk).exists()


def test_chronology_activity_restarts_the_clock(world):
    _, _lead, child, carer, _active = world
    old = dt.datetime(2010, 1, 1, tzinfo=dt.UTC)
    Person.objects.filter(pk__in=[child.pk, carer.pk]).update(
        created_at=old,
        updated_at=old,
        last_event_at=dt.datetime(2024, 6, 1, tzinfo=dt.UTC),
    )
    apply_retention(today=dt.date(2026, 1, 1))
    assert Person.objects.filter(pk=child.pk).exists()


def test_configured_period_overrides_the_default(world, settings):
    _, _lead, child, carer, _active = world
    _age(child, dt.datetime(2020, 6, 1, 12, tzinfo=dt.UTC))
    _age(carer, dt.datetime(2020, 6, 1, 12, tzinfo=dt.UTC))
    settings.RETENTION_PERIODS = "cases.person=7y"
    apply_retention(today=dt.date(2026, 6, 5))
    assert Person.objects.filter(pk=child.pk).exists()
    apply_retention(today=dt.date(2027, 6, 2))
    assert not Person.objects.filter(pk=child.pk).exists()


def _event(action: AuditAction, when: dt.datetime) -> AuditEvent:
    with connection.cursor() as cursor:
        # Written with its date in the past (the trail refuses UPDATE).
        cursor.execute(
            "INSERT INTO audit_auditevent (occurred_at, actor_id, actor_label,"
            " agency_label, action, target_type, target_id, target_label, request_id,"
            " detail) VALUES (%s, NULL, 'tester', '', %s, '', '', 'retention test',"
            " '', '{}') RETURNING id",
            [when, str(action)],
        )
        pk = cursor.fetchone()[0]
    return AuditEvent.objects.get(pk=pk)


def test_audit_trail_retention_and_its_database_floor(db):
    now = timezone.now()
    today = timezone.localdate()
    old_sign_in = _event(AuditAction.SIGN_IN, now - dt.timedelta(days=400))
    recent_sign_in = _event(AuditAction.SIGN_IN, now - dt.timedelta(days=300))
    old_view = _event(AuditAction.VIEW, now - dt.timedelta(days=6 * 366 + 3))
    five_year_view = _event(AuditAction.VIEW, now - dt.timedelta(days=400))

    # The database refuses to delete an event younger than its floor, whoever asks.
    for young in (recent_sign_in, five_year_view):
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEvent.objects.filter(pk=young.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=old_view.pk).update(target_label="changed")

    run = apply_retention(today=today)
    remaining = set(AuditEvent.objects.values_list("pk", flat=True))
    assert old_sign_in.pk not in remaining and old_view.pk not in remaining
    assert recent_sign_in.pk in remaining and five_year_view.pk in remaining
    assert run.summary["erased"]["audit.security_events"] == 1
    assert run.summary["erased"]["audit.personal_data_events"] == 1


def test_erasure_log_cannot_be_changed(world):
    _, _lead, child, carer, _active = world
    _age(child, dt.datetime(2010, 1, 1, tzinfo=dt.UTC))
    _age(carer, dt.datetime(2010, 1, 1, tzinfo=dt.UTC))
    apply_retention(today=dt.date(2026, 1, 1))
    entry = ErasureRecord.objects.first()
    with pytest.raises(DatabaseError), transaction.atomic():
        ErasureRecord.objects.filter(pk=entry.pk).delete()


def test_the_daily_command_and_task_run(world, settings):
    _, _lead, child, carer, _active = world
    _age(child, dt.datetime(2010, 1, 1, tzinfo=dt.UTC))
    _age(carer, dt.datetime(2010, 1, 1, tzinfo=dt.UTC))
    call_command("apply_retention", "--date", "2026-01-01")
    assert not Person.objects.filter(pk=child.pk).exists()
    assert RetentionRun.objects.get().started_by == "command"

    from svduty.privacy.tasks import apply_retention_task

    result = apply_retention_task.enqueue(reschedule=False)
    assert result.return_value == 0
    assert RetentionRun.objects.filter(started_by="task").count() == 1


def test_retention_pages(world, make_user, client_for):
    _, _lead, child, carer, _active = world
    _age(child, dt.datetime(2010, 1, 1, tzinfo=dt.UTC))
    _age(carer, dt.datetime(2010, 1, 1, tzinfo=dt.UTC))
    run = apply_retention(today=dt.date(2026, 1, 1))
    dpo = make_user(Role.AUDITOR)
    client = client_for(dpo)
    page = client.get("/data-protection/retention/")
    assert page.status_code == 200
    assert b"cases.person" in page.content and b"6 years" in page.content
    log = client.get(f"/data-protection/erasures/?run={run.pk}")
    assert log.status_code == 200
    assert str(child.pk).encode() in log.content
    assert CANARY_LAST.encode() not in log.content
    assert client.get("/data-protection/erasures/?run=%C2%B2&page=x").status_code == 200
    home = client.get("/data-protection/")
    assert b"erased 2 records" in home.content
