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
