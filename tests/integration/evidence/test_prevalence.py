"""Disproportionality and risk trajectories on a small fixture, and their pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from svduty.cases.models import Screening, ScreeningTool
from svduty.core.authorisation import Role
from svduty.evidence import actions
from svduty.evidence import disproportionality as dp
from svduty.services import actions as services
from tests.factories.cases import practitioner
from tests.factories.evidence import evidence_world, referral
from tests.factories.services import make_service, refer

pytestmark = pytest.mark.django_db


def test_cohort_population_and_page(db, client_for):
    world = evidence_world()
    referral(world, received=world.today - dt.timedelta(days=10))
    referral(world, person=world.bo, received=world.today - dt.timedelta(days=400))
    assert [c["pk"] for c in dp.cohort(world.partnership.pk)] == [world.ash.pk]
    actions.set_population(
        by=world.lead,
        partnership=world.partnership,
        dimension="sex",
        group="Male",
        population=5000,
        source="ONS Census 2021 (test)",
    )
    url = reverse(
        "evidence:disproportionality", kwargs={"slug": world.partnership.slug}
    )
    page = client_for(world.lead).get(url).content.decode()
    assert "ONS Census 2021 (test)" in page
    assert "fewer than" in page  # one child: suppressed
    bad = client_for(world.lead).post(
        url, {"dimension": "sex", "group": "White", "population": "3", "source": "x"}
    )
    assert "Choose a group of that kind" in bad.content.decode()


def test_trajectories_count_before_and_after(db):
    world = evidence_world()
    tool = ScreeningTool.objects.create(name="Trajectory tool")
    service = make_service(world.manager, world.partnership)
    start = world.today - dt.timedelta(days=100)

    def screen(person, on, level):
        Screening.objects.create(
            person=person,
            tool=tool,
            screened_on=on,
            score=1,
            suggested_level=level,
            agreed_level=level,
            completed_by=world.manager,
        )

    screen(world.ash, start - dt.timedelta(days=5), "high")
    screen(world.ash, start + dt.timedelta(days=60), "medium")
    screen(world.bo, start - dt.timedelta(days=1), "high")
    for person in (world.ash, world.bo):
        ref = refer(world.manager, person, service, referred_on=start)
        services.decide_referral(
            by=world.manager, referral=ref, accepted=True, decided_on=start
        )
        services.start_service(by=world.manager, referral=ref, started_on=start)
    data = dp.trajectories(world.partnership.pk)
    assert data["high"]["Lower"] == 1
    assert data["high"]["Not screened again"] == 1


def test_report_workbook_is_audited_and_suppressed(db, client_for):
    import io

    from openpyxl import load_workbook

    from svduty.audit.models import AuditEvent

    world = evidence_world()
    referral(world, received=world.today - dt.timedelta(days=10))
    client = client_for(world.lead)
    response = client.get(
        reverse("evidence:report"),
        {"format": "xlsx", "partnership": world.partnership.pk},
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames == ["Outcomes", "Disproportionality", "Risk after a service"]
    cells = [
        c for row in book["Disproportionality"].iter_rows(values_only=True) for c in row
    ]
    assert "fewer than 5" in cells and 1 not in cells
    assert AuditEvent.objects.filter(
        action="export", detail__format="xlsx", actor_id=world.lead.pk
    ).exists()
    analyst = client_for(practitioner(world.council, Role.ANALYST))
    assert (
        analyst.get(reverse("evidence:report"), {"format": "xlsx"}).status_code == 403
    )
