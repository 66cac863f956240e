"""The inspection data request: pseudonymised unless identifiers were chosen with a
reason (refused otherwise, in the action and the database), every export recorded
and audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from svduty.audit.models import AuditEvent
from svduty.evidence import actions
from svduty.evidence.inspection import pseudonym
from svduty.evidence.models import InspectionExport
from tests.factories.evidence import evidence_world, referral

pytestmark = pytest.mark.django_db


def _post(client, world, **extra):
    start = world.today - dt.timedelta(days=30)
    data = {
        "kind": "referred",
        "period_start_day": start.day,
        "period_start_month": start.month,
        "period_start_year": start.year,
        "period_end_day": world.today.day,
        "period_end_month": world.today.month,
        "period_end_year": world.today.year,
    }
    data.update(extra)
    return client.post(reverse("evidence:inspection"), data)


def test_pseudonymised_by_default_identifiers_only_with_a_reason(db, client_for):
    world = evidence_world()
    day = world.today - dt.timedelta(days=3)
    referral(world, received=day)
    referral(world, person=world.bo, received=day)
    referral(world, person=world.bo, received=day - dt.timedelta(days=100))
    client = client_for(world.lead)

    response = _post(client, world)
    body = b"".join(response.streaming_content).decode()
    assert pseudonym(world.ash.pk) in body and pseudonym(world.bo.pk) in body
    for identifier in ("Ash", "Alpha", "Bo", "Bravo", "2010-05-17"):
        assert identifier not in body
    assert body.count("\n") == 3  # heading and two children, each once

    refused = _post(client, world, with_identifiers="on")
    assert refused.status_code == 200
    assert "Enter why the inspection needs names" in refused.content.decode()

    response = _post(client, world, with_identifiers="on", reason="Inspector asked")
    body = b"".join(response.streaming_content).decode()
    assert "Alpha" in body and "2010-05-17" in body

    exports = list(InspectionExport.objects.order_by("exported_at"))
    assert [(e.with_identifiers, e.children) for e in exports] == [
        (False, 2),
        (True, 2),
    ]
    event = AuditEvent.objects.get(
        target_type="evidence.inspectionexport", target_id=str(exports[1].pk)
    )
    assert event.action == "export"
    assert event.detail["identifiers"] is True
    assert event.detail["reason"] == "Inspector asked"
    log = client.get(reverse("evidence:inspection_log")).content.decode()
    assert "Inspector asked" in log and "No (pseudonymised)" in log


def test_rules_hold_in_the_action_and_the_database(db):
    world = evidence_world()
    with pytest.raises(ValidationError):
        actions.record_inspection_export(
            by=world.lead,
            partnership=world.partnership,
            kind="referred",
            period_start=world.today,
            period_end=world.today,
            with_identifiers=True,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        InspectionExport.objects.create(
            partnership=world.partnership,
            kind="referred",
            period_start=world.today,
            period_end=world.today,
            with_identifiers=True,
            children=0,
            exported_by=world.lead,
        )


def test_audited_children_list_carries_the_audit_findings(db, client_for):
    """The inspection asks for the partnership's case audits: the children audited
    in the period, under their pseudonym, with the audit's name, day and grades
    (not the free-text learning); a draw not yet audited is not in it."""
    world = evidence_world()
    sample = actions.draw_sample(
        by=world.manager,
        partnership=world.partnership,
        title="Front door audit",
        seed=3,
        size=2,
    )
    audited, not_audited = sample.cases.order_by("order")
    actions.record_case_audit(
        by=world.manager,
        case=audited,
        answers={key: "yes" for key, _ in sample.questions()},
        grade="adequate",
        learning="Ash Alpha's views were heard.",
    )
    actions.moderate_case_audit(by=world.lead, case=audited, grade="strong")
    client = client_for(world.lead)
    body = b"".join(_post(client, world, kind="audited").streaming_content).decode()
    import csv
    import io

    lines = list(csv.reader(io.StringIO(body)))
    assert lines[0][-4:] == ["Audit", "Audited on", "Grade", "Moderated grade"]
    assert len(lines) == 2
    assert lines[1][0] == pseudonym(audited.person_id)
    assert pseudonym(not_audited.person_id) not in body
    assert lines[1][-4:] == [
        "Front door audit",
        f"{world.today:%Y-%m-%d}",
        "Adequate: sound, with some gaps",
        "Strong: good evidence of impact for children",
    ]
    assert "views were heard" not in body and "Alpha" not in body
    assert InspectionExport.objects.get().kind == "audited"
