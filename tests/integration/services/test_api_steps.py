"""The API for a referral's steps, NRM referrals (decisions, reconsideration,
section 45), reachable moments and return home interviews: the same actions and
policies as the pages (out of scope is 404, a refused step is 400, never a 500)."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from svduty.audit.models import AuditAction, AuditEvent
from svduty.cases import actions as cases_actions
from svduty.cases.models import MissingEpisode
from svduty.services import actions
from tests.factories.services import refer

JSON = "application/json"


def _post(client, url, data):
    return client.post(url, data, content_type=JSON)


def test_referral_steps_through_the_api(world, client_for):
    referral = refer(world.lead, world.child_a, world.service)
    client = client_for(world.lead)

    def step(name):
        return reverse("api-service-referral-step", args=[referral.pk, name])

    # The state machine refuses a skipped step as a 400.
    skipped = _post(client, step("start"), {"started_on": "2026-01-10"})
    assert skipped.status_code == 400, skipped.content
    bad = _post(client, step("decide"), {"accepted": "perhaps"})
    assert bad.status_code == 400 and "decided_on" in bad.json()["errors"]
    assert _post(client, step("teleport"), {}).status_code == 404
    early = _post(
        client, step("decide"), {"accepted": True, "decided_on": "2026-01-01"}
    )
    assert early.status_code == 400 and "decided_on" in early.json()["errors"]
    answer = _post(
        client, step("decide"), {"accepted": True, "decided_on": "2026-01-06"}
    )
    assert answer.status_code == 200 and answer.json()["status"] == "accepted"
    assert (
        _post(client, step("start"), {"started_on": "2026-01-10"}).json()[
            "days_to_start"
        ]
        == 5
    )
    too_many = _post(client, step("attendance"), {"offered": 3, "attended": 4})
    assert too_many.status_code == 400 and "attended" in too_many.json()["errors"]
    assert (
        _post(client, step("attendance"), {"offered": 4, "attended": 3}).status_code
        == 200
    )
    ended = _post(
        client,
        step("end"),
        {
            "ended_on": "2026-03-01",
            "end_reason": "completed",
            "outcome": "met",
            "risk_after": 2,
        },
    )
    assert ended.status_code == 200 and ended.json()["status"] == "ended"
    # Another agency's practitioner, or another partnership's, cannot find it.
    assert _post(client_for(world.other), step("withdraw"), {}).status_code == 404
    assert _post(client_for(world.outsider), step("withdraw"), {}).status_code == 404


def test_nrm_through_the_api(world, client_for):
    nrm = actions.record_nrm_referral(
        by=world.lead,
        person=world.child_a,
        referred_on=dt.date(2026, 1, 5),
        first_responder=world.council,
        referring_officer="PC Test",
        exploitation_types=["criminal"],
        decision_route="devolved",
    )
    client = client_for(world.lead)
    decision = reverse("api-nrm-decision", args=[nrm.pk, "reasonable"])
    refused = _post(
        client, decision, {"decision": "negative", "decided_on": "2026-01-04"}
    )
    assert refused.status_code == 400 and "decided_on" in refused.json()["errors"]
    assert (
        _post(
            client, decision, {"decision": "negative", "decided_on": "2026-01-09"}
        ).status_code
        == 200
    )
    ask = _post(
        client,
        reverse("api-nrm-reconsider", args=[nrm.pk, "reasonable"]),
        {
            "requested_on": "2026-01-12",
            "requested_by": "ICTG",
            "reason": "New evidence",
        },
    )
    assert ask.status_code == 200, ask.content
    reconsideration = ask.json()["reconsiderations"][0]
    assert reconsideration["original_decided_on"] == "2026-01-09"
    answered = _post(
        client,
        reverse("api-nrm-reconsideration-answer", args=[reconsideration["id"]]),
        {"outcome": "changed", "decided_on": "2026-01-20"},
    ).json()
    assert answered["rg_decision"] == "positive"
    assert answered["recovery_ends_on"] == "2026-02-19"
    s45 = _post(
        client,
        reverse("api-nrm-section-45", args=[nrm.pk]),
        {
            "prosecution_reference": "T20260001",
            "s45_defence": "raised",
            "recorded_on": "2026-02-01",
        },
    )
    assert s45.json()["s45_defence"] == "raised"
    listed = client.get(reverse("api-child-nrm-referrals", args=[world.child_a.pk]))
    assert listed.json()[0]["reconsiderations"][0]["outcome"] == "changed"
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW, detail__page="api nrm", actor_id=world.lead.pk
    ).exists()
    other = client_for(world.other)
    assert (
        other.get(
            reverse("api-child-nrm-referrals", args=[world.child_a.pk])
        ).status_code
        == 404
    )
    assert _post(other, decision, {}).status_code == 404
    assert (
        _post(
            other,
            reverse("api-nrm-reconsideration-answer", args=[reconsideration["id"]]),
            {},
        ).status_code
        == 404
    )


def test_moments_and_return_interviews_through_the_api(world, client_for):
    actions.record_reachable_moment(
        by=world.lead,
        person=world.child_a,
        setting="emergency_department",
        site="Test Hospital",
        occurred_at=timezone.make_aware(dt.datetime(2026, 1, 6, 22)),
        injury="stab",
        lawful_basis="Safeguarding of children",
        worker="Youth worker",
        offer="Mentoring",
    )
    returned = timezone.make_aware(dt.datetime(2026, 2, 2, 9))
    event = cases_actions.record_event(
        by=world.lead,
        person=world.child_a,
        category="missing_home",
        occurred_at=returned - dt.timedelta(days=1),
        summary="Missing overnight",
        returned_at=returned,
    )
    actions.offer_return_interview(
        by=world.lead,
        episode=MissingEpisode.objects.get(event=event),
        offered_at=returned + dt.timedelta(hours=30),
    )
    client = client_for(world.lead)
    moments = client.get(
        reverse("api-child-reachable-moments", args=[world.child_a.pk])
    ).json()
    assert moments[0]["site"] == "Test Hospital" and moments[0]["injury"] == "stab"
    interviews = client.get(
        reverse("api-child-return-interviews", args=[world.child_a.pk])
    ).json()
    assert interviews[0]["offered_in_time"] is True
    assert interviews[0]["interview_due_at"]
    for name in ("api-child-reachable-moments", "api-child-return-interviews"):
        url = reverse(name, args=[world.child_a.pk])
        assert client_for(world.other).get(url).status_code == 404
        assert client_for(world.outsider).get(url).status_code == 404
