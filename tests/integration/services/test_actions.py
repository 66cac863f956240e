"""Services actions: the rules hold in the action and, when the action is skipped,
in the database."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, InternalError, transaction
from django.utils import timezone

from svduty.audit.models import AuditEvent
from svduty.cases import actions as cases_actions
from svduty.cases.models import Event, MissingEpisode
from svduty.services import actions
from svduty.services.models import (
    NrmReferral,
    ReferralStatus,
    ReturnInterview,
    ServiceReferral,
)
from tests.factories.services import make_service, refer

D = dt.date


def test_referral_follows_its_states_to_an_outcome(world):
    referral = refer(world.lead, world.child_a, world.service, D(2026, 1, 5))
    assert referral.status == ReferralStatus.REFERRED
    referral = actions.decide_referral(
        by=world.lead, referral=referral, accepted=True, decided_on=D(2026, 1, 7)
    )
    with pytest.raises(ValidationError):
        actions.end_service(
            by=world.lead,
            referral=referral,
            ended_on=D(2026, 1, 8),
            end_reason="completed",
            outcome="met",
        )
    referral = actions.start_service(
        by=world.lead, referral=referral, started_on=D(2026, 1, 19)
    )
    assert referral.days_to_start == 14
    actions.record_attendance(by=world.lead, referral=referral, offered=6, attended=5)
    with pytest.raises(ValidationError):
        actions.record_attendance(
            by=world.lead, referral=referral, offered=2, attended=3
        )
    referral = actions.end_service(
        by=world.lead,
        referral=referral,
        ended_on=D(2026, 3, 2),
        end_reason="completed",
        outcome="met",
        risk_after=2,
    )
    assert referral.status == ReferralStatus.ENDED
    summaries = set(
        Event.objects.filter(person=world.child_a).values_list("summary", flat=True)
    )
    assert any(s.startswith("Referred to Test mentoring") for s in summaries)
    assert any(s.startswith("Ended Test mentoring") for s in summaries)
    assert AuditEvent.objects.filter(target_id=str(referral.pk)).count() >= 5


def test_only_the_childs_case_team_may_refer(world):
    with pytest.raises(PermissionDenied):
        refer(world.other, world.child_a, world.service)


def test_no_second_open_referral_to_the_same_service(world):
    refer(world.lead, world.child_a, world.service)
    with pytest.raises(ValidationError):
        refer(world.lead, world.child_a, world.service)


def test_referral_without_consent_needs_a_lawful_basis(world):
    with pytest.raises(ValidationError) as error:
        refer(world.lead, world.child_a, world.service, consent="lawful_basis")
    assert "lawful_basis" in error.value.message_dict


def test_database_refuses_a_skipped_state(world):
    referral = refer(world.lead, world.child_a, world.service, D(2026, 1, 5))
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        ServiceReferral.objects.filter(pk=referral.pk).update(
            status=ReferralStatus.STARTED,
            decided_on=D(2026, 1, 6),
            started_on=D(2026, 1, 6),
        )
    actions.decide_referral(
        by=world.lead,
        referral=referral,
        accepted=False,
        decided_on=D(2026, 1, 6),
        decline_reason="Full",
    )
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        ServiceReferral.objects.filter(pk=referral.pk).update(
            status=ReferralStatus.ACCEPTED, decline_reason=""
        )


def test_database_refuses_fields_that_do_not_match_the_state(world):
    referral = refer(world.lead, world.child_a, world.service, D(2026, 1, 5))
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceReferral.objects.filter(pk=referral.pk).update(started_on=D(2026, 1, 9))
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceReferral.objects.filter(pk=referral.pk).update(
            status=ReferralStatus.ACCEPTED, decided_on=D(2026, 1, 4)
        )


def test_catalogue_needs_manage_services(world):
    with pytest.raises(PermissionDenied):
        make_service(world.lead, world.partnership, name="Not mine")
    with pytest.raises(PermissionDenied):
        make_service(world.outsider, world.partnership, name="Not mine")
    service = make_service(
        world.partnership_lead,
        world.partnership,
        name="Therapy",
        service_type="therapeutic",
    )
    assert service.is_therapeutic
    with pytest.raises(ValidationError):
        make_service(
            world.manager, world.partnership, name="Rated", yef_impact="high"
        )  # a rating needs its source


def test_nrm_deadlines_in_the_action_and_the_database(world):
    nrm = actions.record_nrm_referral(
        by=world.lead,
        person=world.child_a,
        referred_on=D(2026, 1, 5),
        first_responder=world.council,
        referring_officer="PC Test",
        exploitation_types=["criminal"],
        decision_route="devolved",
    )
    assert nrm.rg_due_on == D(2026, 1, 12)
    with pytest.raises(ValidationError):
        actions.record_cg_decision(
            by=world.lead, nrm=nrm, decision="positive", decided_on=D(2026, 3, 1)
        )
    nrm = actions.record_rg_decision(
        by=world.lead, nrm=nrm, decision="positive", decided_on=D(2026, 1, 12)
    )
    assert nrm.rg_in_time and nrm.recovery_ends_on == D(2026, 2, 11)
    with pytest.raises(ValidationError):
        actions.record_cg_decision(
            by=world.lead, nrm=nrm, decision="positive", decided_on=D(2026, 2, 10)
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        NrmReferral.objects.filter(pk=nrm.pk).update(
            cg_decision="positive", cg_decided_on=D(2026, 2, 10)
        )
    nrm = actions.record_cg_decision(
        by=world.lead, nrm=nrm, decision="positive", decided_on=D(2026, 2, 11)
    )
    assert nrm.cg_decided_on == D(2026, 2, 11)


def _returned_episode(world, returned_at):
    event = cases_actions.record_event(
        by=world.lead,
        person=world.child_a,
        category="missing_home",
        occurred_at=returned_at - dt.timedelta(days=1),
        summary="Missing overnight",
        returned_at=returned_at,
    )
    return MissingEpisode.objects.get(event=event)


def test_return_interview_offer_in_time_is_the_databases_answer(world):
    returned = timezone.make_aware(dt.datetime(2026, 2, 2, 9))
    episode = _returned_episode(world, returned)
    offer = actions.offer_return_interview(
        by=world.lead, episode=episode, offered_at=returned + dt.timedelta(hours=80)
    )
    assert offer.offered_in_time is False
    ReturnInterview.objects.filter(pk=offer.pk).update(
        offered_at=returned + dt.timedelta(hours=10), offered_in_time=False
    )
    offer.refresh_from_db()
    assert offer.offered_in_time is True
    offer = actions.record_interview_outcome(
        by=world.lead,
        offer=offer,
        response="held",
        completed_at=returned + dt.timedelta(hours=40),
        interviewer_name="Independent Worker",
        reasons="Pulled by older peers",
        shared_with_police=True,
    )
    episode.refresh_from_db()
    assert episode.interview_completed_at <= episode.interview_due_at
    with pytest.raises(ValidationError):
        actions.record_interview_outcome(by=world.lead, offer=offer, response="held")


def test_declined_interview_is_recorded_on_the_episode(world):
    returned = timezone.make_aware(dt.datetime(2026, 2, 2, 9))
    episode = _returned_episode(world, returned)
    offer = actions.offer_return_interview(
        by=world.lead, episode=episode, offered_at=returned + dt.timedelta(hours=5)
    )
    actions.record_interview_outcome(
        by=world.lead, offer=offer, response="declined", carer_information="Tired"
    )
    episode.refresh_from_db()
    assert "declined" in episode.interview_not_held_reason


def test_reachable_moment_accepted_becomes_a_referral(world):
    navigator = make_service(
        world.manager,
        world.partnership,
        name="Hospital navigators",
        service_type="hospital_navigator",
    )
    moment = actions.record_reachable_moment(
        by=world.lead,
        person=world.child_a,
        setting="emergency_department",
        site="James Cook University Hospital",
        occurred_at=timezone.make_aware(dt.datetime(2026, 3, 1, 22)),
        injury="stab",
        lawful_basis="Vital interests",
        worker="Youth worker",
        offer="Meet tomorrow",
    )
    moment = actions.record_moment_response(
        by=world.lead,
        moment=moment,
        response="accepted",
        responded_on=D(2026, 3, 2),
        service=navigator,
        onward_referrals=["mace"],
    )
    assert moment.referral.service == navigator
    assert moment.referral.status == ReferralStatus.REFERRED
    with pytest.raises(PermissionDenied):
        actions.record_reachable_moment(
            by=world.other,
            person=world.child_a,
            setting="custody_suite",
            site="Middlesbrough custody",
            occurred_at=timezone.now(),
            injury="none",
            lawful_basis="x",
            worker="x",
            offer="x",
        )


def test_disruption_tool_dates(world):
    with pytest.raises(ValidationError):
        actions.record_disruption(
            by=world.lead,
            person=world.child_a,
            kind="cawn",
            subject="Adult A",
            issued_by=world.police,
            issued_on=D(2026, 2, 1),
            expires_on=D(2026, 1, 1),
        )
    tool = actions.record_disruption(
        by=world.lead,
        person=world.child_a,
        kind="cawn",
        subject="Adult A",
        issued_by=world.police,
        issued_on=D(2026, 2, 1),
        expires_on=D(2028, 2, 1),
    )
    assert tool.is_in_force(D(2026, 6, 1))
    actions.end_disruption(
        by=world.lead, tool=tool, ended_on=D(2026, 6, 2), end_reason="Revoked"
    )
    tool.refresh_from_db()
    assert not tool.is_in_force(D(2026, 6, 3))
