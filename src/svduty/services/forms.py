"""Forms for services and interventions (GOV.UK Design System through core.forms).
They only collect answers; the rules are in the actions."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils import timezone

from svduty.accounts.models import Agency
from svduty.cases.models import ReferralReason
from svduty.core.forms import GovukDateField, GovukForm
from svduty.core.widgets import (
    GovukCheckboxSelectMultiple,
    GovukNumberInput,
    GovukRadioSelect,
    GovukSelect,
    GovukTextarea,
    GovukTextInput,
)

from .models import (
    Consent,
    DecisionRoute,
    DisruptionKind,
    EndReason,
    ExploitationType,
    GroundsDecision,
    Injury,
    MomentResponse,
    MomentSetting,
    OnwardReferral,
    Outcome,
    ReconsiderationOutcome,
    S45Defence,
    Service,
    ServiceType,
    YefImpact,
)

TIME_RE = re.compile(r"^(\d{1,2})[:.](\d{2})$")


def textarea(rows: int = 3) -> GovukTextarea:
    return GovukTextarea(rows=rows)


def day(label: str, **kwargs: Any) -> GovukDateField:
    return GovukDateField(label=label, must_be_past=True, allow_today=True, **kwargs)


def time_field(label: str = "Time (optional)") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=5,
        help_text="24-hour clock, for example 14:30.",
        widget=GovukTextInput(width=5),
    )


def moment_of(day_value: dt.date, time_value: str) -> dt.datetime:
    match = TIME_RE.match((time_value or "").strip())
    clock = dt.time(12)
    if match and int(match.group(1)) < 24 and int(match.group(2)) < 60:
        clock = dt.time(int(match.group(1)), int(match.group(2)))
    return timezone.make_aware(dt.datetime.combine(day_value, clock))


class TimeCheck:
    time_fields: tuple[str, ...] = ()

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean()  # type: ignore[misc]
        for name in self.time_fields:
            value = (data.get(name) or "").strip()
            match = TIME_RE.match(value)
            if value and (
                not match or int(match.group(1)) > 23 or int(match.group(2)) > 59
            ):
                self.add_error(  # type: ignore[attr-defined]
                    name, "Enter a real time, for example 14:30"
                )
        return data


class ServiceForm(GovukForm, forms.Form):
    name = forms.CharField(label="Name of the service", max_length=200)
    provider = forms.CharField(label="Provider", max_length=200)
    service_type = forms.ChoiceField(
        label="Type of service", choices=ServiceType.choices, widget=GovukSelect
    )
    description = forms.CharField(
        label="What the service does (optional)", required=False, widget=textarea(4)
    )
    min_age = forms.IntegerField(
        label="Youngest age", min_value=0, max_value=25, widget=GovukNumberInput
    )
    max_age = forms.IntegerField(
        label="Oldest age", min_value=0, max_value=25, widget=GovukNumberInput
    )
    needs = forms.MultipleChoiceField(
        label="Needs the service is for (optional)",
        required=False,
        help_text="Leave empty if the service takes any need.",
        choices=ReferralReason.choices,
        widget=GovukCheckboxSelectMultiple,
    )
    capacity = forms.IntegerField(
        label="Capacity",
        min_value=1,
        max_value=100000,
        help_text="How many children the service can work with at once.",
        widget=GovukNumberInput,
    )
    contact_name = forms.CharField(
        label="Contact name (optional)", required=False, max_length=200
    )
    contact_email = forms.EmailField(label="Contact email (optional)", required=False)
    contact_phone = forms.CharField(
        label="Contact phone (optional)", required=False, max_length=40
    )
    yef_strategy = forms.CharField(
        label="Youth Endowment Fund toolkit strategy (optional)",
        required=False,
        max_length=200,
        help_text="The toolkit strategy this service follows, for example 'Mentoring'.",
    )
    yef_impact = forms.ChoiceField(
        label="Estimated impact on violence (optional)",
        required=False,
        choices=[("", "Not rated"), *YefImpact.choices],
        widget=GovukSelect,
    )
    yef_evidence_security = forms.IntegerField(
        label="Evidence security (optional)",
        required=False,
        min_value=1,
        max_value=5,
        help_text="From 1 (low) to 5 (very high), as the toolkit gives it.",
        widget=GovukNumberInput,
    )
    evidence_source = forms.URLField(
        assume_scheme="https",
        label="Address of the toolkit page (optional)",
        required=False,
        help_text="Needed when you give a rating.",
    )
    is_active = forms.BooleanField(
        label="Taking referrals", required=False, initial=True
    )


class ReferralForm(GovukForm, forms.Form):
    service = forms.ModelChoiceField(
        label="Service", queryset=Service.objects.none(), widget=GovukSelect
    )
    referred_on = day("Date of referral")
    reason = forms.CharField(
        label="Why does the child need this service?", widget=textarea(4)
    )
    consent = forms.ChoiceField(
        label="Consent", choices=Consent.choices, widget=GovukRadioSelect
    )
    lawful_basis = forms.CharField(
        label="Lawful basis (only without consent)",
        required=False,
        widget=textarea(2),
        help_text="For example: to protect the child from significant harm.",
    )
    risk_before = forms.IntegerField(
        label="Screening score now (optional)",
        required=False,
        min_value=0,
        max_value=999,
        help_text="Leave empty to use the child's latest risk screening.",
        widget=GovukNumberInput,
    )

    def __init__(self, *args: Any, person: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["service"]
        field.queryset = Service.objects.filter(
            partnership_id=person.partnership_id, is_active=True
        ).order_by("name")


class DecideForm(GovukForm, forms.Form):
    accepted = forms.TypedChoiceField(
        label="Did the service accept the child?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda v: v == "yes",
        widget=GovukRadioSelect(inline=True),
    )
    decided_on = day("Date of the decision")
    decline_reason = forms.CharField(
        label="Why not (if not accepted)", required=False, widget=textarea(2)
    )


class StartForm(GovukForm, forms.Form):
    started_on = day("Date the child started")


class AttendanceForm(GovukForm, forms.Form):
    offered = forms.IntegerField(
        label="Sessions offered so far",
        min_value=0,
        max_value=1000,
        widget=GovukNumberInput,
    )
    attended = forms.IntegerField(
        label="Sessions attended so far",
        min_value=0,
        max_value=1000,
        widget=GovukNumberInput,
    )


class EndForm(GovukForm, forms.Form):
    ended_on = day("Date the service ended")
    end_reason = forms.ChoiceField(
        label="Why did it end?", choices=EndReason.choices, widget=GovukRadioSelect
    )
    outcome = forms.ChoiceField(
        label="Outcome", choices=Outcome.choices, widget=GovukRadioSelect
    )
    outcome_notes = forms.CharField(
        label="What changed for the child (optional)",
        required=False,
        widget=textarea(3),
    )
    risk_after = forms.IntegerField(
        label="Screening score now (optional)",
        required=False,
        min_value=0,
        max_value=999,
        help_text="Leave empty to use the child's latest risk screening.",
        widget=GovukNumberInput,
    )


class WithdrawForm(GovukForm, forms.Form):
    withdrawn_on = day("Date withdrawn")
    end_reason = forms.ChoiceField(
        label="Why?", choices=EndReason.choices, widget=GovukRadioSelect
    )


class MomentForm(TimeCheck, GovukForm, forms.Form):
    time_fields = ("time",)
    setting = forms.ChoiceField(
        label="Where was the young person seen?",
        choices=MomentSetting.choices,
        widget=GovukRadioSelect,
    )
    site = forms.CharField(
        label="Hospital or custody suite",
        max_length=200,
        help_text="For example James Cook University Hospital.",
    )
    occurred_on = day("Date")
    time = time_field()
    injury = forms.ChoiceField(
        label="Injury", choices=Injury.choices, widget=GovukRadioSelect
    )
    lawful_basis = forms.CharField(
        label="Lawful basis for sharing",
        widget=textarea(2),
        help_text="Health information is special category data: say under which "
        "condition it is shared, for example safeguarding of children.",
    )
    worker = forms.CharField(label="Youth worker or navigator", max_length=200)
    offer = forms.CharField(label="What was offered?", widget=textarea(3))

    def cleaned(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["occurred_at"] = moment_of(data.pop("occurred_on"), data.pop("time"))
        return data


class MomentResponseForm(GovukForm, forms.Form):
    response = forms.ChoiceField(
        label="Did the young person accept the offer?",
        choices=[
            (MomentResponse.ACCEPTED, MomentResponse.ACCEPTED.label),
            (MomentResponse.DECLINED, MomentResponse.DECLINED.label),
        ],
        widget=GovukRadioSelect,
    )
    responded_on = day("Date")
    service = forms.ModelChoiceField(
        label="Refer to a service (optional, accepted offers only)",
        required=False,
        queryset=Service.objects.none(),
        widget=GovukSelect,
    )
    onward_referrals = forms.MultipleChoiceField(
        label="Onward referrals (optional)",
        required=False,
        choices=OnwardReferral.choices,
        widget=GovukCheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, person: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["service"]
        field.queryset = Service.objects.filter(
            partnership_id=person.partnership_id, is_active=True
        ).order_by("name")


class FollowUpForm(GovukForm, forms.Form):
    follow_up_on = day("Date of the follow-up")
    follow_up = forms.CharField(label="What happened?", widget=textarea(3))


class NrmForm(GovukForm, forms.Form):
    referred_on = day("Date of the NRM referral")
    first_responder = forms.ModelChoiceField(
        label="First responder organisation",
        queryset=Agency.objects.none(),
        widget=GovukSelect,
    )
    referring_officer = forms.CharField(label="Referring officer", max_length=200)
    exploitation_types = forms.MultipleChoiceField(
        label="Type of exploitation",
        choices=ExploitationType.choices,
        widget=GovukCheckboxSelectMultiple,
    )
    decision_route = forms.ChoiceField(
        label="Who makes the decisions?",
        choices=DecisionRoute.choices,
        widget=GovukRadioSelect,
    )
    ictg_referred_on = day(
        "Date referred to an Independent Child Trafficking Guardian (optional)",
        required=False,
    )
    notes = forms.CharField(label="Notes (optional)", required=False, widget=textarea())

    def __init__(self, *args: Any, person: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["first_responder"]
        field.queryset = Agency.objects.filter(
            partnership_memberships__partnership_id=person.partnership_id
        ).order_by("name")


class GroundsForm(GovukForm, forms.Form):
    decision = forms.ChoiceField(
        label="Decision", choices=GroundsDecision.choices, widget=GovukRadioSelect
    )
    decided_on = day("Date of the decision")


class ReconsiderationForm(GovukForm, forms.Form):
    requested_on = day("Date reconsideration was asked for")
    requested_by = forms.CharField(
        label="Who asked",
        help_text="For example, the first responder, the child's Independent Child "
        "Trafficking Guardian or their solicitor",
        max_length=200,
    )
    reason = forms.CharField(
        label="Why the decision should be reconsidered", widget=textarea(4)
    )


class ReconsiderationAnswerForm(GovukForm, forms.Form):
    outcome = forms.ChoiceField(
        label="Answer",
        choices=ReconsiderationOutcome.choices,
        widget=GovukRadioSelect,
    )
    decided_on = day("Date of the answer")


class S45Form(GovukForm, forms.Form):
    prosecution_reference = forms.CharField(
        label="Court or case reference of the prosecution", max_length=200
    )
    s45_defence = forms.ChoiceField(
        label="Was the section 45 defence (Modern Slavery Act 2015) raised?",
        choices=S45Defence.choices,
        widget=GovukRadioSelect,
    )
    recorded_on = day("Date")


class OfferForm(TimeCheck, GovukForm, forms.Form):
    time_fields = ("offered_time",)
    offered_on = day("Date the interview was offered")
    offered_time = time_field()
    interviewer_name = forms.CharField(
        label="Independent interviewer (optional)",
        required=False,
        max_length=200,
        help_text="Someone not involved in caring for the child.",
    )
    interviewer_role = forms.CharField(
        label="Their role (optional)", required=False, max_length=200
    )

    def cleaned(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["offered_at"] = moment_of(data.pop("offered_on"), data.pop("offered_time"))
        return data


class OutcomeForm(TimeCheck, GovukForm, forms.Form):
    time_fields = ("completed_time",)
    response = forms.ChoiceField(
        label="What happened?",
        choices=[
            ("held", "The interview was held"),
            ("declined", "The child declined"),
        ],
        widget=GovukRadioSelect,
    )
    completed_on = day("Date of the interview (if held)", required=False)
    completed_time = time_field()
    interviewer_name = forms.CharField(
        label="Interviewer (if held)", required=False, max_length=200
    )
    location = forms.CharField(label="Where (optional)", required=False, max_length=200)
    reasons = forms.CharField(
        label="Why the child went missing (push and pull factors)",
        required=False,
        widget=textarea(),
    )
    harm = forms.CharField(
        label="Harm or threats while missing (optional)",
        required=False,
        widget=textarea(),
    )
    whereabouts = forms.CharField(
        label="Where they went, who with, how they travelled (optional)",
        required=False,
        widget=textarea(),
    )
    support_wanted = forms.CharField(
        label="Support the child wants (optional)", required=False, widget=textarea()
    )
    prevention = forms.CharField(
        label="What could stop it happening again (optional)",
        required=False,
        widget=textarea(),
    )
    carer_information = forms.CharField(
        label="What carers told us (if the child declined, optional)",
        required=False,
        widget=textarea(),
    )
    shared_with_police = forms.BooleanField(
        label="Intelligence shared with the police", required=False
    )
    shared_with_mace = forms.BooleanField(
        label="Intelligence shared with the MACE panel", required=False
    )

    def cleaned(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        completed_on = data.pop("completed_on")
        completed_time = data.pop("completed_time")
        data["completed_at"] = (
            moment_of(completed_on, completed_time) if completed_on else None
        )
        return data


class DisruptionForm(GovukForm, forms.Form):
    kind = forms.ChoiceField(
        label="Notice or order", choices=DisruptionKind.choices, widget=GovukSelect
    )
    subject = forms.CharField(
        label="Who it is served on or made against", max_length=200
    )
    issued_by = forms.ModelChoiceField(
        label="Issued by", queryset=Agency.objects.none(), widget=GovukSelect
    )
    issued_on = day("Date issued")
    expires_on = GovukDateField(label="Expiry date (optional)", required=False)
    reference = forms.CharField(
        label="Reference (optional)", required=False, max_length=100
    )
    notes = forms.CharField(label="Notes (optional)", required=False, widget=textarea())

    def __init__(self, *args: Any, person: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["issued_by"]
        field.queryset = Agency.objects.filter(
            partnership_memberships__partnership_id=person.partnership_id
        ).order_by("name")


class DisruptionEndForm(GovukForm, forms.Form):
    ended_on = day("Date it ended")
    end_reason = forms.CharField(label="Why did it end?", widget=textarea(2))
