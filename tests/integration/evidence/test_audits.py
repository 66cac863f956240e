"""Case audit: a sample reproducible from its seed, the audit, moderation by a
second auditor (action and database), findings rolled up."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from svduty.evidence import actions
from svduty.evidence.actions.audits import draw
from svduty.evidence.models import AUDIT_QUESTIONS, SampleCase
from tests.factories.cases import person_on_team
from tests.factories.evidence import evidence_world

pytestmark = pytest.mark.django_db


def test_the_draw_is_reproducible_from_its_seed():
    ids = list(range(1, 200))
    assert draw(ids, seed=42, size=6) == draw(list(reversed(ids)), seed=42, size=6)
    assert draw(ids, seed=42, size=6) != draw(ids, seed=43, size=6)
    assert sorted(draw([3, 1], seed=1, size=6)) == [1, 3]


def test_sample_audit_moderation_and_findings(db, client_for):
    world = evidence_world()
    for n in range(5):
        person_on_team(world.manager, partnership=world.partnership, first_name=f"K{n}")
    sample = actions.draw_sample(
        by=world.lead, partnership=world.partnership, title="MACE audit", seed=9, size=3
    )
    again = actions.draw_sample(
        by=world.lead, partnership=world.partnership, title="Again", seed=9, size=3
    )
    assert [c.person_id for c in sample.cases.all()] == [
        c.person_id for c in again.cases.all()
    ]
    case = sample.cases.first()
    client = client_for(world.lead)
    url = reverse("evidence:case_audit", args=[sample.pk, case.pk])
    data = {f"q_{k}": "yes" for k, _ in AUDIT_QUESTIONS}
    data.update(q_voice="no", grade="adequate", learning="Voice missing")
    assert client.post(url, data).status_code == 302
    case.refresh_from_db()
    assert case.auditor == world.lead and case.answers["voice"] == "no"

    with pytest.raises(ValidationError):
        actions.moderate_case_audit(by=world.lead, case=case, grade="weak")
    moderated = client_for(world.manager).post(
        reverse("evidence:moderate", args=[sample.pk, case.pk]),
        {"grade": "needs_improvement", "note": "Agreed less"},
    )
    assert moderated.status_code == 302
    case.refresh_from_db()
    assert case.moderator == world.manager
    with pytest.raises(ValidationError):
        actions.record_case_audit(
            by=world.lead, case=case, answers=case.answers, grade="strong"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        SampleCase.objects.filter(pk=case.pk).update(moderator=world.lead)

    page = client.get(reverse("evidence:audit_sample", args=[sample.pk]))
    html = page.content.decode()
    assert "Findings by question" in html
    assert "Needs improvement" in html
    assert "seed 9" in html


def test_configurable_versioned_audit_forms_with_agency_parts(db, client_for):
    from svduty.evidence.actions.audits import parse_questions

    assert parse_questions("Was it early?\n\npolice: A victim?\nfoo: bar") == [
        {"key": "q1", "text": "Was it early?", "part": ""},
        {"key": "q3", "text": "A victim?", "part": "police"},
        {"key": "q4", "text": "foo: bar", "part": ""},
    ]
    world = evidence_world()
    first = actions.save_audit_form(
        by=world.lead,
        partnership=world.partnership,
        name="Exploitation audit",
        questions="Was the risk seen early?\neducation: Did the school refer?",
    )
    sample = actions.draw_sample(
        by=world.lead,
        partnership=world.partnership,
        title="With a form",
        seed=3,
        size=1,
        form=first,
    )
    second = actions.save_audit_form(
        by=world.lead,
        partnership=world.partnership,
        name="Exploitation audit",
        questions="Only one question now?",
    )
    assert (first.version, second.version) == (1, 2)
    sample.refresh_from_db()
    assert sample.form == first and len(sample.questions()) == 2
    case = sample.cases.first()
    with pytest.raises(ValidationError):
        actions.record_case_audit(
            by=world.lead, case=case, answers={"q1": "yes"}, grade="adequate"
        )
    client = client_for(world.lead)
    url = reverse("evidence:case_audit", args=[sample.pk, case.pk])
    assert "Did the school refer?" in client.get(url).content.decode()
    response = client.post(url, {"q_q1": "yes", "q_q2": "no", "grade": "adequate"})
    assert response.status_code == 302
    page = client.get(reverse("evidence:audit_sample", args=[sample.pk]))
    text = page.content.decode()
    assert "Findings by agency" in text and "School or other educational" in text
    other = evidence_world("Elsewhere")
    foreign = actions.save_audit_form(
        by=other.lead, partnership=other.partnership, name="Theirs", questions="Q?"
    )
    with pytest.raises(ValidationError):
        actions.draw_sample(
            by=world.lead,
            partnership=world.partnership,
            title="Wrong form",
            seed=1,
            size=1,
            form=foreign,
        )
    forms_page = client.get(
        reverse("evidence:audit_forms", kwargs={"slug": world.partnership.slug})
    )
    assert "version 2" in forms_page.content.decode()


def test_stratified_sample_by_sex_with_a_minimum(db, client_for):
    """Proportional allocation with a minimum per group, reproducible from the
    seed, the groups kept, audited and shown on the sample's page."""
    from svduty.audit.models import AuditEvent
    from svduty.evidence.models import AuditSample

    world = evidence_world()  # Ash and Bo: sex not known
    for n in range(8):
        person_on_team(
            world.manager, partnership=world.partnership, first_name=f"M{n}", sex="male"
        )
    person_on_team(
        world.manager, partnership=world.partnership, first_name="F0", sex="female"
    )

    def sample(seed, minimum=1, size=4, stratify_by="sex"):
        return actions.draw_sample(
            by=world.lead,
            partnership=world.partnership,
            title="Stratified",
            seed=seed,
            size=size,
            stratify_by=stratify_by,
            minimum=minimum,
        )

    first = sample(5)
    assert first.strata == [
        {"stratum": "Female", "eligible": 1, "drawn": 1},
        {"stratum": "Male", "eligible": 8, "drawn": 2},
        {"stratum": "Not known", "eligible": 2, "drawn": 1},
    ]
    people = [c.person_id for c in first.cases.all()]
    assert people == [c.person_id for c in sample(5).cases.all()]
    assert people[0] == world.partnership.people.get(first_name="F0").pk
    event = AuditEvent.objects.filter(target_id=str(first.pk)).latest("pk")
    assert event.detail["stratify_by"] == "sex" and event.detail["minimum"] == 1
    assert event.detail["strata"] == first.strata and event.detail["people"] == people

    by_agency = sample(5, minimum=0, size=2, stratify_by="agency")
    assert by_agency.strata == [
        {"stratum": world.council.name, "eligible": 11, "drawn": 2}
    ]

    # Minimums that do not fit, or a minimum without strata, are refused.
    with pytest.raises(ValidationError, match="more than the sample"):
        sample(5, minimum=2, size=4)
    with pytest.raises(ValidationError):
        sample(5, stratify_by="", minimum=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditSample.objects.filter(pk=first.pk).update(stratify_by="")

    page = client_for(world.lead).get(reverse("evidence:audit_sample", args=[first.pk]))
    html = page.content.decode()
    assert "Groups of the stratified sample" in html and "Stratified by sex" in html

    # Drawn from the page: the form carries the stratification.
    response = client_for(world.lead).post(
        f"{reverse('evidence:audits')}?partnership={world.partnership.pk}",
        {
            "title": "From the page",
            "size": "3",
            "stratify_by": "sex",
            "minimum": "1",
            "seed": "77",
        },
    )
    assert response.status_code == 302
    drawn = AuditSample.objects.get(title="From the page")
    assert [s["drawn"] for s in drawn.strata] == [1, 1, 1]


def test_stratified_by_area_of_the_current_address(db):
    """Area is the postcode district of the child's current address (the latest
    without an end date); an ended address does not count; no address is a group."""
    import datetime as dt

    from svduty.cases.models import Address
    from svduty.evidence.actions.audits import postcode_district

    assert postcode_district("ts1 2ab") == "TS1"
    assert postcode_district("TS12AB") == "TS1"
    assert postcode_district("SW1A 1AA") == "SW1A"
    assert postcode_district("") == postcode_district("TS1") != "TS1"

    world = evidence_world()
    day = dt.date(2025, 1, 1)
    Address.objects.create(person=world.ash, line_1="1 Road", postcode="TS1 2AB")
    Address.objects.create(  # moved since: the old address has ended
        person=world.bo, line_1="2 Road", postcode="TS1 3CD", to_date=day
    )
    Address.objects.create(
        person=world.bo, line_1="3 Road", postcode="ts5 6ef", from_date=day
    )
    person_on_team(world.manager, partnership=world.partnership, first_name="Cy")
    drawn = actions.draw_sample(
        by=world.lead,
        partnership=world.partnership,
        title="By area",
        seed=1,
        size=3,
        stratify_by="area",
    )
    assert drawn.strata == [
        {"stratum": "No current address with a postcode", "eligible": 1, "drawn": 1},
        {"stratum": "TS1", "eligible": 1, "drawn": 1},
        {"stratum": "TS5", "eligible": 1, "drawn": 1},
    ]
