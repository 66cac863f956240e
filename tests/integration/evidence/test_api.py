"""The evidence API: the same policies as the pages, read-only, counts only."""

from __future__ import annotations

import datetime as dt

import pytest

from svduty.core.authorisation import Role
from svduty.evidence import actions
from tests.factories.cases import practitioner
from tests.factories.evidence import evidence_world, learning_records, referral

pytestmark = pytest.mark.django_db


def test_outcomes_indicator_records_and_scope(db, client_for):
    world = evidence_world()
    referral(world, received=world.today - dt.timedelta(days=5))
    learning_records(world.partnership, world.lead, [world.council, world.school])
    actions.refresh_figures(by=None, partnership=world.partnership)
    client = client_for(world.lead)
    pk = world.partnership.pk

    outcomes = client.get(f"/api/evidence/{pk}/outcomes/").json()
    assert len(outcomes["outcomes"]) == 21 and outcomes["computed_at"]
    keys = {i["key"] for o in outcomes["outcomes"] for i in o["indicators"]}
    assert {"children-referred", "practitioners-supervised"} <= keys
    eight = outcomes["outcomes"][7]
    assert eight["record_types"] and eight["indicators"]

    detail = client.get(f"/api/evidence/{pk}/indicators/children-referred/").json()
    assert detail["last_12_months"]["denominator"] == 1
    assert len(detail["months"]) == 13
    assert client.get(f"/api/evidence/{pk}/indicators/nope/").status_code == 404

    groups = client.get(f"/api/evidence/{pk}/disproportionality/").json()
    assert {"fewer than 5"} & {g["children"] for g in groups}

    records = client.get(f"/api/evidence/{pk}/records/").json()
    assert records["reviews"][0]["recommendations"][0]["text"]
    assert records["supervision"][0]["practitioners"] == 20

    # Read-only; out of scope is 404; a practitioner has no VIEW_EVIDENCE.
    assert client.post(f"/api/evidence/{pk}/outcomes/", {}).status_code == 403
    other = evidence_world("Elsewhere")
    assert (
        client.get(f"/api/evidence/{other.partnership.pk}/outcomes/").status_code == 404
    )
    outsider = client_for(practitioner(world.council, Role.PRACTITIONER))
    assert outsider.get(f"/api/evidence/{pk}/outcomes/").status_code == 403


def test_self_assessments_and_audit_samples(db, client_for):
    world = evidence_world()
    sa = actions.save_self_assessment(
        by=world.lead,
        partnership=world.partnership,
        outcome=6,
        grade="needs_improvement",
        narrative="Schools attend fewer panels.",
        owner=world.lead,
        review_on=world.today + dt.timedelta(days=30),
    )
    actions.add_evidence_link(
        by=world.lead, self_assessment=sa, title="Attendance", note="Shared drive"
    )
    sample = actions.draw_sample(
        by=world.manager, partnership=world.partnership, title="Audit", seed=5, size=2
    )
    case = sample.cases.order_by("order").first()
    keys = [key for key, _ in sample.questions()]
    actions.record_case_audit(
        by=world.manager,
        case=case,
        answers={key: "no" if key == keys[0] else "yes" for key in keys},
        grade="weak",
        learning="Ash Alpha was not seen alone.",
    )
    actions.moderate_case_audit(by=world.lead, case=case, grade="adequate")
    client = client_for(world.lead)
    pk = world.partnership.pk

    [six] = client.get(f"/api/evidence/{pk}/self-assessments/").json()
    assert (six["outcome"], six["grade"]) == (6, "needs_improvement")
    assert six["evidence"][0]["title"] == "Attendance"

    response = client.get(f"/api/evidence/{pk}/audits/")
    [drawn] = response.json()
    assert (drawn["seed"], drawn["size"], drawn["audited"]) == (5, 2, 1)
    assert drawn["by_question"][0] == {
        "key": keys[0],
        "question": sample.questions()[0][1],
        "part": "Every agency",
        "yes": 0,
        "partly": 0,
        "no": 1,
    }
    assert drawn["by_grade"]["adequate"] == 1 and drawn["by_grade"]["weak"] == 0
    first = drawn["cases"][0]
    assert (first["grade"], first["moderated_grade"]) == ("weak", "adequate")
    assert first["pseudonym"].startswith("C-")
    body = response.content.decode()
    assert "Alpha" not in body and "not seen alone" not in body

    # Audits only for those who audit cases; another partnership's is 404.
    analyst = client_for(practitioner(world.council, Role.ANALYST))
    assert analyst.get(f"/api/evidence/{pk}/audits/").status_code == 403
    assert analyst.get(f"/api/evidence/{pk}/self-assessments/").status_code == 200
    other = evidence_world("Elsewhere")
    for path in ("audits", "self-assessments"):
        url = f"/api/evidence/{other.partnership.pk}/{path}/"
        assert client.get(url).status_code == 404
