"""The rules the actions enforce: timescales, screening overrides, plan versions,
optimistic locking, contributions and sign-off, access requests and break-glass."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from svduty.audit.models import AuditEvent
from svduty.cases import actions
from svduty.cases.actions import STALE_MESSAGE, StaleRecordError
from svduty.cases.models import (
    AssessmentType,
    Event,
    Person,
    Referral,
    Screening,
    ScreeningTool,
)
from svduty.cases.policies import Basis, access_basis
from svduty.cases.search import likely_duplicates

LONDON = dt.timezone(dt.timedelta(0))


def _answers(tool, yes=()):
    return {
        i.pk: {"answer": "yes" if i.text in yes else "no", "when": "current"}
        for g in tool.groups.all()
        for i in g.indicators.all()
    }


class TestReferralTimescale:
    @time_machine.travel(dt.datetime(2026, 12, 24, 10, 0, tzinfo=LONDON), tick=False)
    def test_decision_due_in_one_working_day_over_christmas(self, world):
        referral = actions.make_referral(
            by=world.other_agency,
            person=world.child,
            reasons=["weapon_carrying"],
            urgency="standard",
            what_is_known="Knife found in bag.",
        )
        assert referral.decision_due_on == dt.date(2026, 12, 29)
        # The referrer joins the case team and sees the outcome.
        assert access_basis(world.other_agency, world.child) == Basis.TEAM

    @pytest.mark.parametrize(
        ("when", "urgency", "due"),
        [
            # Thursday: urgent the same day, standard the next working day.
            (dt.datetime(2026, 11, 19, 10, 0), "urgent", dt.date(2026, 11, 19)),
            (dt.datetime(2026, 11, 19, 10, 0), "immediate", dt.date(2026, 11, 19)),
            (dt.datetime(2026, 11, 19, 10, 0), "standard", dt.date(2026, 11, 20)),
            # Saturday: both on Monday, the first working day after receipt.
            (dt.datetime(2026, 11, 21, 10, 0), "urgent", dt.date(2026, 11, 23)),
            (dt.datetime(2026, 11, 21, 10, 0), "standard", dt.date(2026, 11, 23)),
        ],
    )
    def test_urgent_referrals_are_due_the_same_working_day(
        self, world, when, urgency, due
    ):
        with time_machine.travel(when.replace(tzinfo=LONDON), tick=False):
            referral = actions.make_referral(
                by=world.other_agency,
                person=world.child,
                reasons=["weapon_carrying"],
                urgency=urgency,
                what_is_known="Knife found in bag.",
            )
        assert referral.decision_due_on == due

    def test_referral_timescales_are_configurable(self, world, settings):
        settings.CASES_REFERRAL_DECISION_WORKING_DAYS = {"standard": 3}
        with time_machine.travel(
            dt.datetime(2026, 11, 19, 10, 0, tzinfo=LONDON), tick=False
        ):
            referral = actions.make_referral(
                by=world.other_agency,
                person=world.child,
                reasons=["weapon_carrying"],
                urgency="standard",
                what_is_known="Knife found in bag.",
            )
        assert referral.decision_due_on == dt.date(2026, 11, 24)

    def test_late_decision_needs_a_reason_and_is_flagged(self, world):
        with time_machine.travel(
            dt.datetime(2026, 11, 23, 9, 0, tzinfo=LONDON), tick=False
        ):
            referral = actions.make_referral(
                by=world.same_agency,
                person=world.child,
                reasons=["missing"],
                urgency="standard",
                what_is_known="Missing.",
            )
        with time_machine.travel(
            dt.datetime(2026, 11, 25, 9, 0, tzinfo=LONDON), tick=False
        ):
            assert referral.is_overdue()
            with pytest.raises(ValidationError) as error:
                actions.decide_referral(
                    by=world.manager, referral=referral, outcome="nfa", reason="Known"
                )
            assert "late_reason" in error.value.error_dict
            actions.decide_referral(
                by=world.manager,
                referral=referral,
                outcome="assessment",
                lead_professional=world.lead,
                late_reason="Staff sickness",
            )
        referral.refresh_from_db()
        assert referral.decided_late() and referral.timescale_breached

    def test_decision_once_only_and_only_by_decision_makers(self, world):
        referral = actions.make_referral(
            by=world.same_agency,
            person=world.child,
            reasons=["missing"],
            urgency="urgent",
            what_is_known="Missing.",
        )
        with pytest.raises(PermissionDenied):
            actions.decide_referral(
                by=world.lead, referral=referral, outcome="signpost"
            )
        actions.decide_referral(by=world.manager, referral=referral, outcome="signpost")
        with pytest.raises(ValidationError, match="already been decided"):
            actions.decide_referral(
                by=world.manager, referral=referral, outcome="signpost"
            )

    def test_no_further_action_needs_a_reason_in_the_database_too(self, world):
        referral = Referral.objects.filter(
            person=world.child
        ).first() or actions.make_referral(
            by=world.lead,
            person=world.child,
            reasons=["other"],
            urgency="standard",
            what_is_known="x",
        )
        with pytest.raises(IntegrityError), transaction.atomic():
            Referral.objects.filter(pk=referral.pk).update(
                outcome="nfa", decided_by=world.manager, decided_at=timezone.now()
            )


class TestScreening:
    def test_suggestion_and_override(self, world):
        tool = ScreeningTool.objects.get(version=1)
        answers = _answers(tool, yes={"Known to carry a weapon"})
        with pytest.raises(ValidationError) as error:
            actions.record_screening(
                by=world.lead,
                person=world.child,
                tool=tool,
                answers=answers,
                agreed_level="medium",
            )
        assert "override_reason" in error.value.error_dict
        screening = actions.record_screening(
            by=world.lead,
            person=world.child,
            tool=tool,
            answers=answers,
            agreed_level="medium",
            override_reason="The knife was a craft knife for a school project",
        )
        assert screening.suggested_level == "high" and screening.is_override
        world.child.refresh_from_db()
        assert world.child.risk_level == "medium"
        assert Event.objects.filter(person=world.child, category="screening").exists()

    def test_every_indicator_must_be_answered(self, world):
        tool = ScreeningTool.objects.get(version=1)
        answers = _answers(tool)
        answers.popitem()
        with pytest.raises(ValidationError, match="Answer every indicator"):
            actions.record_screening(
                by=world.lead,
                person=world.child,
                tool=tool,
                answers=answers,
                agreed_level="low",
            )

    def test_database_refuses_a_silent_override(self, world):
        tool = ScreeningTool.objects.get(version=1)
        with pytest.raises(IntegrityError), transaction.atomic():
            Screening.objects.create(
                person=world.child,
                tool=tool,
                screened_on=timezone.localdate(),
                score=9,
                suggested_level="high",
                agreed_level="low",
                completed_by=world.lead,
            )


class TestPlans:
    def _plan(self, world):
        return actions.create_plan(
            by=world.lead,
            person=world.child,
            review_on=timezone.localdate() + dt.timedelta(days=28),
            goals=["Safe at home", "Back in school"],
        )

    def test_every_change_is_a_new_version_with_a_snapshot(self, world):
        plan = self._plan(world)
        action = actions.add_plan_action(
            by=world.lead,
            plan=plan,
            expected_version=1,
            text="Weekly mentoring",
            owner=world.lead,
            due_on=timezone.localdate() + dt.timedelta(days=7),
        )
        actions.update_plan_action(
            by=world.lead, action=action, expected_version=2, status="done"
        )
        actions.revise_plan(
            by=world.lead,
            plan=plan,
            expected_version=3,
            review_on=timezone.localdate() + dt.timedelta(days=14),
            reason="Risk rose to high after a missing episode",
        )
        versions = list(plan.versions.order_by("number"))
        assert [v.number for v in versions] == [1, 2, 3, 4]
        assert versions[0].snapshot["actions"] == []
        assert versions[1].snapshot["actions"][0]["status"] == "not_started"
        assert versions[2].snapshot["actions"][0]["status"] == "done"
        assert versions[3].reason == "Risk rose to high after a missing episode"
        changes = actions.plans.diff(versions[1].snapshot, versions[2].snapshot)
        assert changes == [
            "Action 'Weekly mentoring': status changed from not started to done"
        ]
        world.child.refresh_from_db()
        assert world.child.has_current_plan

    def test_stale_version_is_refused(self, world):
        plan = self._plan(world)
        actions.add_goal(
            by=world.lead, plan=plan, expected_version=1, text="Feels safe"
        )
        with pytest.raises(StaleRecordError) as error:
            actions.add_goal(
                by=world.manager, plan=plan, expected_version=1, text="Other"
            )
        assert error.value.messages == [STALE_MESSAGE]
        assert plan.goals.count() == 3

    def test_one_current_plan(self, world):
        self._plan(world)
        with pytest.raises(ValidationError, match="already has a current plan"):
            self._plan(world)


class TestOptimisticLocking:
    def test_two_practitioners_editing_the_same_person(self, world):
        opened = Person.objects.get(pk=world.child.pk)
        actions.update_person(
            by=world.lead,
            person=opened,
            expected_version=opened.version,
            languages="English",
        )
        with pytest.raises(StaleRecordError):
            actions.update_person(
                by=world.manager,
                person=opened,
                expected_version=opened.version,
                languages="English, Polish",
            )
        assert Person.objects.get(pk=world.child.pk).languages == "English"

    def test_two_agencies_editing_the_same_assessment(self, world):
        assessment = actions.start_assessment(
            by=world.lead,
            person=world.child,
            assessment_type=AssessmentType.objects.get(
                name="Child and family assessment"
            ),
        )
        actions.update_assessment(
            by=world.lead,
            assessment=assessment,
            expected_version=1,
            online_risk="Snapchat",
        )
        with pytest.raises(StaleRecordError):
            actions.update_assessment(
                by=world.manager,
                assessment=assessment,
                expected_version=1,
                online_risk="None",
            )
        assessment.refresh_from_db()
        assert assessment.online_risk == "Snapchat" and assessment.version == 2


class TestAssessments:
    def test_due_date_uses_the_type_timescale(self, world):
        kind = AssessmentType.objects.get(name="Child and family assessment")
        kind.timescale_working_days = 10
        kind.save()
        assessment = actions.start_assessment(
            by=world.lead,
            person=world.child,
            assessment_type=kind,
            started_on=dt.date(2026, 12, 21),
        )
        assert assessment.due_on == dt.date(2027, 1, 7)

    def test_contributions_and_sign_off(self, world):
        assessment = actions.start_assessment(
            by=world.lead,
            person=world.child,
            assessment_type=AssessmentType.objects.get(
                name="Child and family assessment"
            ),
        )
        police = actions.request_contribution(
            by=world.lead,
            assessment=assessment,
            agency=world.police_agency,
            question="Contacts?",
        )
        school = actions.request_contribution(
            by=world.lead,
            assessment=assessment,
            agency=world.school,
            question="Attendance?",
        )
        with pytest.raises(PermissionDenied):
            actions.respond_to_contribution(
                by=world.lead, contribution=police, response="x"
            )
        actions.respond_to_contribution(
            by=world.other_agency, contribution=police, response="Two stop and searches"
        )
        actions.respond_to_contribution(
            by=world.expired, contribution=school, declined_reason="Not on roll"
        )
        gaps = actions.sign_off_gaps(assessment)
        assert gaps["child_views_missing"]
        assert [c.agency for c in gaps["declined_contributions"]] == [world.school]
        with pytest.raises(ValidationError) as error:
            actions.submit_assessment(
                by=world.lead, assessment=assessment, expected_version=1
            )
        assert {"child_views", "analysis"} <= set(error.value.error_dict)
        assessment = actions.update_assessment(
            by=world.lead,
            assessment=assessment,
            expected_version=1,
            child_views="I want to stay at my nan's",
            analysis="Needs a plan",
        )
        assessment = actions.submit_assessment(
            by=world.lead, assessment=assessment, expected_version=assessment.version
        )
        assessment = actions.sign_off_assessment(
            by=world.manager, assessment=assessment, approve=True
        )
        assert (
            assessment.status == "signed_off"
            and assessment.signed_off_by == world.manager
        )
        with pytest.raises(ValidationError):
            actions.sign_off_assessment(
                by=world.manager, assessment=assessment, approve=True
            )


class TestAccess:
    def test_request_grant_and_expiry(self, world):
        request = actions.request_access(
            by=world.same_agency, person=world.child, reason="Supporting the sibling"
        )
        with pytest.raises(PermissionDenied):
            actions.decide_access_request(
                by=world.other_agency, request=request, grant=True
            )
        actions.decide_access_request(
            by=world.lead, request=request, grant=True, days=7
        )
        assert access_basis(world.same_agency, world.child) == Basis.GRANTED
        with time_machine.travel(timezone.now() + dt.timedelta(days=8)):
            assert access_basis(world.same_agency, world.child) is None
        assert AuditEvent.objects.filter(action="access_granted").exists()

    def test_refusal_needs_a_reason(self, world):
        request = actions.request_access(
            by=world.same_agency, person=world.child, reason="x"
        )
        with pytest.raises(ValidationError):
            actions.decide_access_request(
                by=world.manager, request=request, grant=False
            )
        actions.decide_access_request(
            by=world.manager, request=request, grant=False, note="Not needed"
        )
        assert AuditEvent.objects.filter(action="access_refused").count() == 1

    def test_break_glass_alerts_the_dpo(
        self, world, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            access = actions.break_glass(
                by=world.same_agency,
                person=world.child,
                reason="Child in A&E, carers unknown",
            )
        assert access_basis(world.same_agency, world.child) == Basis.BREAK_GLASS
        assert [m.to for m in mail.outbox] == [["dpo@example.org"]]
        assert "Child in A&E" in mail.outbox[0].body
        event = AuditEvent.objects.get(
            action="break_glass", actor_id=world.same_agency.pk
        )
        assert event.detail["reason"] == "Child in A&E, carers unknown"
        assert access.expires_at > timezone.now()

    def test_break_glass_needs_a_real_reason(self, world):
        with pytest.raises(ValidationError):
            actions.break_glass(by=world.same_agency, person=world.child, reason="   ")

    def test_break_glass_is_read_only(self, world):
        with pytest.raises(PermissionDenied):
            actions.update_person(
                by=world.glass, person=world.child, expected_version=1, languages="x"
            )

    def test_disclosure_is_audited(self, world):
        actions.record_disclosure(
            by=world.lead,
            person=world.child,
            disclosed_on=timezone.localdate(),
            recipient="Dr Who, GP",
            recipient_organisation="Surgery",
            legal_gateway="ca2004_s11",
            purpose="Health follow-up",
            information_shared="Injury and attendance",
        )
        assert AuditEvent.objects.filter(
            action="disclosure", target_id=str(world.child.pk)
        ).exists()

    def test_s16_disclosure_is_judged_from_the_disclosers_agency(self, world):
        """A disclosure about a child is personal information: under s.16 a
        council (social care) may not make it, the police may, a charity may not."""

        def disclose():
            return actions.record_disclosure(
                by=world.lead,
                person=world.child,
                disclosed_on=timezone.localdate(),
                recipient="DS Smith",
                recipient_organisation="Police",
                recipient_agency=world.police,
                legal_gateway="pcsc2022_s16",
                purpose_basis="duty_functions",
                purpose="Serious violence prevention",
                information_shared="School attendance",
            )

        world.police.agency_type = "police"
        world.police.save()

        agency = world.lead.memberships.get().agency
        assert agency.agency_type == "local_authority"
        with pytest.raises(ValidationError, match=r"section 16\(4\)\(b\)"):
            disclose()
        agency.agency_type = "voluntary"
        agency.save()
        with pytest.raises(ValidationError, match="can be used only by"):
            disclose()
        agency.agency_type = "police"
        agency.save()
        assert disclose().legal_gateway == "pcsc2022_s16"


class TestIdentifiersAndDuplicates:
    def test_national_identifier_belongs_to_one_person(self, world):
        actions.add_identifier(
            by=world.lead, person=world.child, kind="nhs", value="943 476 5919"
        )
        other = actions.create_person(
            by=world.lead,
            partnership=world.partnership,
            first_name="Other",
            last_name="Kid",
        )
        with pytest.raises(
            ValidationError, match="already recorded for another person"
        ):
            actions.add_identifier(
                by=world.lead, person=other, kind="nhs", value="9434765919"
            )

    def test_duplicate_search_finds_variants_and_swapped_dates(self, world):
        bill = actions.create_person(
            by=world.lead,
            partnership=world.partnership,
            first_name="William",
            last_name="Smith",
            date_of_birth=dt.date(2011, 3, 4),
        )
        matches = likely_duplicates(
            Person.objects.searchable_by(world.other_agency),
            first_name="Bill",
            last_name="Smyth",
            date_of_birth=dt.date(2011, 4, 3),
        )
        assert [m.person for m in matches] == [bill]
        assert "Date of birth with day and month swapped" in matches[0].reasons

    def test_outsiders_find_nothing(self, world):
        assert (
            likely_duplicates(
                Person.objects.searchable_by(world.outsider),
                first_name="Casey",
                last_name="Childs",
                date_of_birth=None,
            )
            == []
        )


def test_missing_episode_return_interview_due_in_72_hours(world):
    returned = timezone.now() - dt.timedelta(hours=80)
    event = actions.record_event(
        by=world.lead,
        person=world.child,
        category="missing_home",
        occurred_at=returned - dt.timedelta(hours=10),
        summary="Missing from home",
        returned_at=returned,
    )
    episode = event.missing_episode
    assert episode.interview_due_at == returned + dt.timedelta(hours=72)
    assert episode.interview_overdue()
    world.child.refresh_from_db()
    assert world.child.next_due_on == timezone.localdate(episode.interview_due_at)
    actions.record_return_interview(
        by=world.lead, episode=episode, summary="Went to a party"
    )
    episode.refresh_from_db()
    assert not episode.interview_overdue()
