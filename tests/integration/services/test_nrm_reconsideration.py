"""NRM reconsideration requests and the section 45 defence (reference C.3): the
rules hold in the actions and in the database, at their boundaries."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from svduty.audit.models import AuditEvent
from svduty.cases.models import Event
from svduty.services import actions
from svduty.services.models import NrmReconsideration, NrmReferral

D = dt.date
JAN_9 = D(2026, 1, 9)


def _nrm(world, rg=None, rg_on=JAN_9):
    nrm = actions.record_nrm_referral(
        by=world.lead,
        person=world.child_a,
        referred_on=D(2026, 1, 5),
        first_responder=world.council,
        referring_officer="PC Test",
        exploitation_types=["criminal"],
        decision_route="devolved",
    )
    if rg:
        nrm = actions.record_rg_decision(
            by=world.lead, nrm=nrm, decision=rg, decided_on=rg_on
        )
    return nrm


def _ask(world, nrm, stage="reasonable", on=JAN_9, by=None):
    return actions.request_nrm_reconsideration(
        by=by or world.lead,
        nrm=nrm,
        stage=stage,
        requested_on=on,
        requested_by="Independent Child Trafficking Guardian",
        reason="New evidence of exploitation from the school",
    )


def test_only_a_negative_decision_can_be_reconsidered(world):
    undecided = _nrm(world)
    with pytest.raises(ValidationError):
        _ask(world, undecided)
    positive = _nrm(world, rg="positive")
    with pytest.raises(ValidationError):
        _ask(world, positive)
    # The database refuses it too.
    with pytest.raises(IntegrityError), transaction.atomic():
        NrmReconsideration.objects.create(
            nrm=positive,
            stage="reasonable",
            original_decided_on=D(2026, 1, 9),
            requested_on=D(2026, 1, 9),
            requested_by="x",
            reason="x",
            recorded_by=world.lead,
        )


def test_request_on_or_after_the_decision_day(world):
    nrm = _nrm(world, rg="negative", rg_on=D(2026, 1, 9))
    with pytest.raises(ValidationError) as refused:
        _ask(world, nrm, on=D(2026, 1, 8))
    assert "requested_on" in refused.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        NrmReconsideration.objects.create(
            nrm=nrm,
            stage="reasonable",
            original_decided_on=D(2026, 1, 9),
            requested_on=D(2026, 1, 8),
            requested_by="x",
            reason="x",
            recorded_by=world.lead,
        )
    request = _ask(world, nrm, on=D(2026, 1, 9))  # the same day is accepted
    assert request.original_decided_on == D(2026, 1, 9)
    assert AuditEvent.objects.filter(
        target_type="services.nrmreconsideration", target_id=str(request.pk)
    ).exists()
    # One open request per decision, in the action and the database.
    with pytest.raises(ValidationError):
        _ask(world, nrm, on=D(2026, 1, 10))
    with pytest.raises(IntegrityError), transaction.atomic():
        NrmReconsideration.objects.create(
            nrm=nrm,
            stage="reasonable",
            original_decided_on=D(2026, 1, 9),
            requested_on=D(2026, 1, 10),
            requested_by="x",
            reason="x",
            recorded_by=world.lead,
        )


def test_changed_decision_restarts_the_recovery_period(world):
    nrm = _nrm(world, rg="negative", rg_on=D(2026, 1, 9))
    request = _ask(world, nrm, on=D(2026, 1, 20))
    with pytest.raises(ValidationError):
        actions.answer_nrm_reconsideration(
            by=world.lead,
            reconsideration=request,
            outcome="changed",
            decided_on=D(2026, 1, 19),
        )
    actions.answer_nrm_reconsideration(
        by=world.lead,
        reconsideration=request,
        outcome="changed",
        decided_on=D(2026, 2, 2),
    )
    nrm.refresh_from_db()
    assert nrm.rg_decision == "positive" and nrm.rg_decided_on == D(2026, 2, 2)
    assert nrm.recovery_ends_on == D(2026, 3, 4)
    with pytest.raises(ValidationError):
        actions.record_cg_decision(
            by=world.lead, nrm=nrm, decision="positive", decided_on=D(2026, 3, 3)
        )
    actions.record_cg_decision(
        by=world.lead, nrm=nrm, decision="positive", decided_on=D(2026, 3, 4)
    )
    with pytest.raises(ValidationError):  # answered once
        actions.answer_nrm_reconsideration(
            by=world.lead,
            reconsideration=request,
            outcome="upheld",
            decided_on=D(2026, 3, 5),
        )
    summaries = list(
        Event.objects.filter(person=world.child_a).values_list("summary", flat=True)
    )
    assert any("reconsideration" in s and "changed" in s for s in summaries)
    with pytest.raises(IntegrityError), transaction.atomic():
        NrmReconsideration.objects.filter(pk=request.pk).update(
            decided_on=D(2026, 1, 19)
        )


def test_upheld_conclusive_decision_stays_negative(world):
    nrm = _nrm(world, rg="positive", rg_on=D(2026, 1, 9))
    actions.record_cg_decision(
        by=world.lead, nrm=nrm, decision="negative", decided_on=D(2026, 2, 10)
    )
    request = _ask(world, nrm, stage="conclusive", on=D(2026, 2, 10))
    actions.answer_nrm_reconsideration(
        by=world.lead,
        reconsideration=request,
        outcome="upheld",
        decided_on=D(2026, 3, 1),
    )
    nrm.refresh_from_db()
    assert nrm.cg_decision == "negative" and nrm.cg_decided_on == D(2026, 2, 10)


def test_another_agency_cannot_ask(world):
    nrm = _nrm(world, rg="negative")
    with pytest.raises(PermissionDenied):
        _ask(world, nrm, by=world.other)


def test_section_45_defence_with_its_prosecution(world):
    nrm = _nrm(world)
    with pytest.raises(ValidationError):
        actions.record_s45_defence(
            by=world.lead,
            nrm=nrm,
            prosecution_reference=" ",
            s45_defence="raised",
            recorded_on=D(2026, 2, 1),
        )
    with pytest.raises(ValidationError):
        actions.record_s45_defence(
            by=world.lead,
            nrm=nrm,
            prosecution_reference="T20260001",
            s45_defence="raised",
            recorded_on=D(2026, 1, 4),  # before the referral
        )
    actions.record_s45_defence(
        by=world.lead,
        nrm=nrm,
        prosecution_reference="T20260001",
        s45_defence="raised",
        recorded_on=D(2026, 1, 5),
    )
    nrm.refresh_from_db()
    assert nrm.s45_defence == "raised"
    with pytest.raises(IntegrityError), transaction.atomic():
        NrmReferral.objects.filter(pk=nrm.pk).update(prosecution_reference="")
    with pytest.raises(IntegrityError), transaction.atomic():
        NrmReferral.objects.filter(pk=nrm.pk).update(s45_defence="maybe")
    with pytest.raises(PermissionDenied):
        actions.record_s45_defence(
            by=world.other,
            nrm=nrm,
            prosecution_reference="T20260001",
            s45_defence="not_raised",
            recorded_on=D(2026, 2, 1),
        )


def test_pages_ask_answer_and_section_45(world, client_for):
    nrm = _nrm(world, rg="negative", rg_on=D(2026, 1, 9))
    client = client_for(world.lead)
    panel = client.get(reverse("services:person_panel", args=[world.child_a.pk]))
    ask_url = reverse("services:nrm_reconsideration", args=[nrm.pk, "reasonable"])
    assert ask_url in panel.text and "No linked prosecution recorded" in panel.text
    assert client.get(ask_url).status_code == 200
    refused = client.post(ask_url, {"requested_by": "", "reason": ""})
    assert refused.status_code == 200 and "Error:" in refused.text
    done = client.post(
        ask_url,
        {
            "requested_on_day": "12",
            "requested_on_month": "1",
            "requested_on_year": "2026",
            "requested_by": "ICTG",
            "reason": "New evidence",
        },
    )
    assert done.status_code == 302
    request = NrmReconsideration.objects.get(nrm=nrm)
    answer_url = reverse("services:nrm_reconsideration_answer", args=[request.pk])
    assert (
        answer_url
        in client.get(reverse("services:person_panel", args=[world.child_a.pk])).text
    )
    s45_url = reverse("services:nrm_s45", args=[nrm.pk])
    assert (
        client.post(
            s45_url,
            {
                "prosecution_reference": "T20260001",
                "s45_defence": "not_raised",
                "recorded_on_day": "1",
                "recorded_on_month": "2",
                "recorded_on_year": "2026",
            },
        ).status_code
        == 302
    )
    panel = client.get(reverse("services:person_panel", args=[world.child_a.pk]))
    assert "Not raised in T20260001" in panel.text
    # Out of scope is a 404; a stage that does not exist is a 404.
    outsider = client_for(world.outsider)
    assert outsider.get(ask_url).status_code == 404
    assert outsider.get(answer_url).status_code == 404
    assert outsider.get(s45_url).status_code == 404
    assert (
        client.get(
            reverse("services:nrm_reconsideration", args=[nrm.pk, "other"])
        ).status_code
        == 404
    )
