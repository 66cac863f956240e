"""Self-assessment per outcome, its evidence and the report with its exports."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from svduty.audit.models import AuditEvent
from svduty.evidence import actions
from svduty.evidence.models import SelfAssessment
from tests.factories.evidence import evidence_world, referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return evidence_world()


def _save(world, **extra):
    values = {
        "by": world.lead,
        "partnership": world.partnership,
        "outcome": 4,
        "grade": "adequate",
        "narrative": "Most assessments are on time.",
        "owner": world.lead,
        "review_on": world.today + dt.timedelta(days=90),
    }
    values.update(extra)
    return actions.save_self_assessment(**values)


def test_record_change_and_version_conflict(world):
    sa = _save(world)
    assert sa.version == 1
    sa = _save(world, grade="strong", version=1)
    assert sa.version == 2 and sa.grade == "strong"
    with pytest.raises(ValidationError):
        _save(world, grade="weak", version=1)
    assert (
        AuditEvent.objects.filter(
            target_type="evidence.selfassessment", target_id=str(sa.pk)
        ).count()
        == 2
    )


def test_rules_in_the_action_and_the_database(world):
    with pytest.raises(ValidationError):
        _save(world, outcome=22)
    with pytest.raises(ValidationError):
        _save(world, narrative="  ")
    with pytest.raises(PermissionDenied):
        _save(world, by=world.teacher)
    outsider = evidence_world("Elsewhere").lead
    with pytest.raises(PermissionDenied):
        _save(world, by=outsider)
    for outcome in (0, 22):
        with pytest.raises(IntegrityError), transaction.atomic():
            SelfAssessment.objects.create(
                partnership=world.partnership,
                outcome=outcome,
                grade="strong",
                narrative="x",
                owner=world.lead,
                review_on=world.today,
                updated_by=world.lead,
            )


def test_pages_form_evidence_and_report_exports(world, client_for):
    day = world.today - dt.timedelta(days=3)
    referral(world, received=day, decided=day)
    actions.refresh_figures(by=world.lead, partnership=world.partnership)
    client = client_for(world.lead)
    url = reverse("evidence:self_assessment", args=[1])
    response = client.post(url, {"grade": "strong"})
    assert response.status_code == 200
    assert "Error:" in response.content.decode()
    review = world.today + dt.timedelta(days=30)
    response = client.post(
        url,
        {
            "grade": "strong",
            "narrative": "Referrals are decided quickly.",
            "owner": world.lead.pk,
            "review_on_day": review.day,
            "review_on_month": review.month,
            "review_on_year": review.year,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    response = client.post(
        reverse("evidence:evidence_add", args=[1]),
        {"title": "Front door audit", "url": "https://example.org/audit"},
    )
    assert response.status_code == 302
    page = client.get(reverse("evidence:outcome", args=[1])).content.decode()
    assert "Referrals are decided quickly." in page
    assert "Front door audit" in page

    report = client.get(reverse("evidence:report")).content.decode()
    assert "Referrals are decided quickly." in report
    response = client.get(reverse("evidence:report"), {"format": "csv"})
    body = b"".join(response.streaming_content).decode()
    # One referral: a count of 1 and the share computed from it are suppressed.
    assert "fewer than 5" in body
    assert "100%" not in body
    assert AuditEvent.objects.filter(
        action="export", detail__format="csv", actor_id=world.lead.pk
    ).exists()
    pdf = client.get(reverse("evidence:report"), {"format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    analyst_export = client_for(world.manager).get(
        reverse("evidence:report"), {"format": "nope"}
    )
    assert analyst_export.status_code == 404


def test_one_page_summary_of_one_outcome(world, client_for):
    _save(world, outcome=4, narrative="Assessments are mostly on time.")
    _save(world, outcome=5, narrative="Plans are reviewed after a rise.")
    client = client_for(world.lead)
    url = reverse("evidence:report")
    page = client.get(url, {"outcome": 4}).content.decode()
    assert "One-page summary: outcome 4" in page
    assert "Assessments are mostly on time." in page
    assert "Plans are reviewed after a rise." not in page
    assert "Assessments completed in time" in page  # its indicator, beside it
    outcome_page = client.get(reverse("evidence:outcome", args=[4])).content.decode()
    assert "outcome=4" in outcome_page

    pdf = client.get(url, {"outcome": 4, "format": "pdf"})
    assert pdf.content.startswith(b"%PDF")
    assert "outcome-4" in pdf["Content-Disposition"]
    assert AuditEvent.objects.filter(
        action="export", detail__outcome=4, actor_id=world.lead.pk
    ).exists()
    for bad in ("0", "22", "x", "4.0", "-1", "999999999999"):
        assert client.get(url, {"outcome": bad}).status_code == 404, bad
