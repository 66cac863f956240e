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


def test_inspection_request_through_the_api(db, client_for):
    """The API produces the inspection lists through the page's action: recorded and
    audited as EXPORT before any row, pseudonymised unless identifiers were chosen
    with a reason (a 400 naming the field otherwise), another partnership's 404."""
    from svduty.audit.models import AuditEvent
    from svduty.evidence.inspection import pseudonym
    from svduty.evidence.models import InspectionExport

    world = evidence_world()
    day = world.today - dt.timedelta(days=3)
    referral(world, received=day)
    referral(world, person=world.bo, received=day)
    client = client_for(world.lead)
    pk = world.partnership.pk
    url = f"/api/evidence/{pk}/inspection/"
    period = {
        "kind": "referred",
        "period_start": str(world.today - dt.timedelta(days=30)),
        "period_end": str(world.today),
    }

    response = client.post(url, period, content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert body["columns"][0] == "Pseudonym" and "Last name" not in body["columns"]
    assert sorted(r[0] for r in body["rows"]) == sorted(
        [pseudonym(world.ash.pk), pseudonym(world.bo.pk)]
    )
    text = response.content.decode()
    for identifier in ("Ash", "Alpha", "Bravo", "2010-05-17"):
        assert identifier not in text
    first = InspectionExport.objects.get(pk=body["request"]["id"])
    assert (first.children, first.with_identifiers) == (2, False)
    assert (
        AuditEvent.objects.get(
            target_type="evidence.inspectionexport", target_id=str(first.pk)
        ).action
        == "export"
    )

    # Identifiers without a reason: refused with the field, nothing recorded.
    refused = client.post(
        url, period | {"with_identifiers": True}, content_type="application/json"
    )
    assert refused.status_code == 400
    assert "reason" in refused.content.decode()
    assert InspectionExport.objects.count() == 1

    named = client.post(
        url,
        period | {"with_identifiers": True, "reason": "Inspector asked"},
        content_type="application/json",
    )
    assert named.status_code == 201
    assert "Alpha" in named.content.decode() and "Last name" in named.json()["columns"]
    event = AuditEvent.objects.get(
        target_type="evidence.inspectionexport",
        target_id=str(named.json()["request"]["id"]),
    )
    assert event.action == "export" and event.detail["reason"] == "Inspector asked"

    # Malformed input is a 400 with the field, never a 500.
    for bad in (
        {**period, "kind": "everyone"},
        {**period, "period_start": "not a date"},
        {**period, "period_end": str(world.today - dt.timedelta(days=60))},
    ):
        answer = client.post(url, bad, content_type="application/json")
        assert answer.status_code == 400, bad
    assert InspectionExport.objects.count() == 2

    # The log of requests: no child named.
    log = client.get(f"/api/evidence/{pk}/inspection/requests/")
    assert log.json()["count"] == 2
    assert [r["with_identifiers"] for r in log.json()["results"]] == [True, False]
    assert log.json()["results"][0]["reason"] == "Inspector asked"
    assert "Alpha" not in log.content.decode()

    # GET cannot produce a list; analysts (no EXPORT_INSPECTION_DATA) are refused;
    # another partnership's is 404 and records nothing.
    assert client.get(url).status_code == 405
    analyst = client_for(practitioner(world.council, Role.ANALYST))
    assert analyst.post(url, period, content_type="application/json").status_code == 403
    other = evidence_world("Elsewhere")
    elsewhere = f"/api/evidence/{other.partnership.pk}/inspection/"
    assert (
        client.post(elsewhere, period, content_type="application/json").status_code
        == 404
    )
    assert client.get(elsewhere + "requests/").status_code == 404
    assert InspectionExport.objects.count() == 2


def test_inspection_request_log_is_paged_50_at_a_time(db, client_for):
    """The log of requests grows with every export: 50 a page, newest first, with
    `next` and `previous` links, as the other API lists; no page is larger."""
    world = evidence_world()
    start, end = world.today - dt.timedelta(days=30), world.today
    made = [
        actions.record_inspection_export(
            by=world.lead,
            partnership=world.partnership,
            kind="referred",
            period_start=start,
            period_end=end,
        ).pk
        for _ in range(52)
    ]
    client = client_for(world.lead)
    url = f"/api/evidence/{world.partnership.pk}/inspection/requests/"
    first = client.get(url).json()
    assert first["count"] == 52 and len(first["results"]) == 50
    assert [r["id"] for r in first["results"]] == made[::-1][:50]
    assert first["previous"] is None and "offset=50" in first["next"]
    second = client.get(first["next"]).json()
    assert [r["id"] for r in second["results"]] == made[::-1][50:]
    assert second["next"] is None
    # Asking for more than a page still gets 50.
    assert len(client.get(url, {"limit": 500}).json()["results"]) == 50
