"""Forms for the children-at-risk pages (GOV.UK Design System through core.forms)."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils import timezone

from svduty.accounts.models import Agency, User
from svduty.core.authorisation import Permission
from svduty.core.forms import GovukDateField, GovukForm, _govuk_error_messages
from svduty.core.widgets import (
    GovukCheckboxSelectMultiple,
    GovukRadioSelect,
    GovukSelect,
    GovukTextarea,
    GovukTextInput,
)
from svduty.sharing.models import DataSharingAgreement

from .models import (
    ContributionStatus,
    Ethnicity,
    EventCategory,
    IdentifierKind,
    LegalStatus,
    PersonKind,
    PlanActionStatus,
    ReferralOutcome,
    ReferralReason,
    RelationshipKind,
    RiskLevel,
    SenStatus,
    Sex,
    Significance,
    TeamRole,
    Urgency,
)
from .models.access import DisclosurePurpose, LegalGateway
from .models.screening import Answer, When

YES_NO_UNKNOWN = [("yes", "Yes"), ("no", "No"), ("unknown", "Not known")]


def textarea(rows: int = 5) -> GovukTextarea:
    return GovukTextarea(rows=rows)


def users_in_partnership(partnership, permission: Permission):
    """Active users whose agencies belong to the partnership and whose roles include
    `permission` (roles are code, so the role filter is built from them)."""
    from svduty.core.authorisation import ROLE_PERMISSIONS

    roles = [r.value for r, perms in ROLE_PERMISSIONS.items() if permission in perms]
    return (
        User.objects.filter(
            is_active=True,
            roles__overlap=roles,
            memberships__agency__partnership_memberships__partnership=partnership,
        )
        .distinct()
        .order_by("full_name")
    )


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_full_name()} ({obj.agency_names()})"


class SearchForm(GovukForm, forms.Form):
    q = forms.CharField(
        label="Name",
        max_length=100,
        required=False,
        help_text="First name, last name or both. Names that sound alike are found.",
    )
    date_of_birth = GovukDateField(label="Date of birth", required=False)

    def clean(self):
        data = super().clean()
        if not (data.get("q") or "").strip() and not data.get("date_of_birth"):
            raise forms.ValidationError("Enter a name or a date of birth to search")
        return data


class PersonForm(GovukForm, forms.Form):
    partnership = forms.ModelChoiceField(
        label="Partnership area",
        queryset=None,
        help_text="Where the child lives.",
        widget=GovukSelect,
    )
    kind = forms.ChoiceField(
        label="Who is this?",
        choices=PersonKind.choices,
        widget=GovukRadioSelect,
        initial=PersonKind.CHILD,
    )
    first_name = forms.CharField(label="First name", max_length=100)
    last_name = forms.CharField(label="Last name", max_length=100)
    preferred_name = forms.CharField(
        label="Preferred name (optional)", max_length=100, required=False
    )
    date_of_birth = GovukDateField(
        label="Date of birth",
        required=False,
        must_be_past=True,
        allow_today=True,
        help_text="For example, 27 3 2011. Leave blank if not known.",
    )
    date_of_birth_estimated = forms.BooleanField(
        label="The date of birth is an estimate", required=False
    )
    sex = forms.ChoiceField(
        label="Sex", choices=Sex.choices, widget=GovukRadioSelect, initial=Sex.NOT_KNOWN
    )
    gender = forms.CharField(
        label="Gender (optional)",
        max_length=100,
        required=False,
        help_text="How they describe their gender, in their words.",
    )
    ethnicity = forms.ChoiceField(
        label="Ethnic group",
        choices=Ethnicity.choices,
        widget=GovukSelect,
        initial=Ethnicity.NOT_STATED,
        help_text="As the person describes it (ONS 2021 categories).",
    )
    languages = forms.CharField(label="Languages (optional)", required=False)
    disability = forms.CharField(
        label="Disability (optional)",
        required=False,
        max_length=500,
        help_text="Diagnosed or not.",
    )
    learning_disability = forms.BooleanField(
        label="Has a learning disability", required=False
    )
    sen_status = forms.ChoiceField(
        label="Special educational needs (SEN)",
        choices=SenStatus.choices,
        widget=GovukSelect,
        initial=SenStatus.NOT_KNOWN,
        help_text="SEN support is help given by the school; an EHC plan is a legal "
        "plan from the council.",
    )
    legal_status = forms.ChoiceField(
        label="Children's social care status",
        choices=LegalStatus.choices,
        widget=GovukSelect,
        initial=LegalStatus.NONE,
    )
    education_setting = forms.CharField(
        label="School or education setting (optional)", required=False, max_length=200
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, partnerships=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["partnership"]
        else:
            self.fields["partnership"].queryset = partnerships
            del self.fields["version"]

    def person_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("partnership", None)
        data.pop("version", None)
        for key in (
            "first_name",
            "last_name",
            "preferred_name",
            "gender",
            "languages",
            "disability",
            "education_setting",
        ):
            data[key] = (data.get(key) or "").strip()
        return data


class IdentifierForm(GovukForm, forms.Form):
    kind = forms.ChoiceField(
        label="Type of identifier",
        choices=IdentifierKind.choices,
        widget=GovukRadioSelect(
            hints={
                "nhs": "10 digits, like 485 777 3457.",
                "upn": "13 characters starting with a letter, like A801200001001.",
                "pnc": "Year, slash, number and a letter, like 98/1234567X.",
                "local": "Recorded against your agency.",
            }
        ),
    )
    value = forms.CharField(label="Identifier", max_length=50)


class AliasForm(GovukForm, forms.Form):
    first_name = forms.CharField(label="First name", max_length=100, required=False)
    last_name = forms.CharField(label="Last name", max_length=100, required=False)
    note = forms.CharField(
        label="Note (optional)",
        max_length=200,
        required=False,
        help_text="For example: previous name, or a name used on social media.",
    )


class AddressForm(GovukForm, forms.Form):
    line_1 = forms.CharField(label="Address line 1", max_length=200)
    line_2 = forms.CharField(
        label="Address line 2 (optional)", max_length=200, required=False
    )
    town = forms.CharField(label="Town or city", max_length=100, required=False)
    postcode = forms.CharField(
        label="Postcode", max_length=10, required=False, widget=GovukTextInput
    )
    is_temporary = forms.BooleanField(
        label="Temporary address, sofa-surfing or homeless", required=False
    )
    from_date = GovukDateField(
        label="Living here since", required=False, must_be_past=True, allow_today=True
    )


class RelationshipForm(GovukForm, forms.Form):
    related = forms.ChoiceField(label="Who is it?", widget=GovukRadioSelect)
    kind = forms.ChoiceField(
        label="How are they related?",
        choices=RelationshipKind.choices,
        widget=GovukRadioSelect,
    )
    note = forms.CharField(label="Note (optional)", max_length=500, required=False)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["related"].choices = [
            (
                str(p.pk),
                f"{p} (born {p.date_of_birth:%d %B %Y})" if p.date_of_birth else str(p),
            )
            for p in candidates
        ]


class TeamMemberForm(GovukForm, forms.Form):
    user = UserChoiceField(label="Practitioner", queryset=None, widget=GovukSelect)
    role = forms.ChoiceField(
        label="Role on the case team",
        choices=[c for c in TeamRole.choices if c[0] != TeamRole.REFERRER],
        widget=GovukRadioSelect,
    )

    def __init__(self, *args, partnership=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users_in_partnership(
            partnership, Permission.VIEW_CASES
        )


class RestrictForm(GovukForm, forms.Form):
    restricted = forms.ChoiceField(
        label="Restrict this record?",
        choices=[("yes", "Yes, hide it from searches"), ("no", "No")],
        widget=GovukRadioSelect,
    )
    reason = forms.CharField(
        label="Why is it restricted?",
        required=False,
        max_length=500,
        help_text="For example: the child is a relative of a member of staff.",
    )

    def clean(self):
        data = super().clean()
        if data.get("restricted") == "yes" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Enter why the record is restricted")
        return data


class AccessRequestForm(GovukForm, forms.Form):
    reason = forms.CharField(
        label="Why do you need to see this record?",
        widget=textarea(4),
        help_text="The lead professional or a manager reads this before deciding.",
    )


class AccessDecisionForm(GovukForm, forms.Form):
    decision = forms.ChoiceField(
        label="Do you want to give access?",
        choices=[("grant", "Yes, give access"), ("refuse", "No, refuse access")],
        widget=GovukRadioSelect,
    )
    days = forms.TypedChoiceField(
        label="If you give access, for how long?",
        coerce=int,
        choices=[("7", "7 days"), ("30", "30 days"), ("90", "90 days")],
        initial="30",
        required=False,
        widget=GovukRadioSelect,
    )
    note = forms.CharField(
        label="Note (required if you refuse)", required=False, widget=textarea(3)
    )


class BreakGlassForm(GovukForm, forms.Form):
    reason = forms.CharField(
        label="What is the emergency?",
        widget=textarea(4),
        help_text="The data protection officer is told straight away and will read "
        "this.",
    )
    confirm = forms.BooleanField(
        label="I understand that this access is recorded and reviewed",
        error_messages={"required": "Confirm that you understand access is reviewed"},
    )


class DisclosureForm(GovukForm, forms.Form):
    disclosed_on = GovukDateField(
        label="Date shared", must_be_past=True, allow_today=True
    )
    recipient = forms.CharField(
        label="Who received it", max_length=200, help_text="Their name and role."
    )
    recipient_organisation = forms.CharField(label="Their organisation", max_length=200)
    legal_gateway = forms.ChoiceField(
        label="Legal gateway",
        choices=LegalGateway.choices,
        widget=GovukRadioSelect,
        help_text="The law that allows the information to be shared.",
    )
    recipient_agency = forms.ModelChoiceField(
        label="Their organisation on svduty (if it is one)",
        queryset=Agency.objects.none(),
        required=False,
        widget=GovukSelect,
        empty_label="Not on svduty",
        help_text="Needed for section 16: only specified authorities, local policing "
        "bodies and educational, prison and youth custody authorities receive "
        "information under it.",
    )
    recipient_email = forms.EmailField(
        label="Their email address (optional)",
        required=False,
        widget=GovukTextInput,
        help_text="So they can be told if the information is withdrawn.",
    )
    agreement = forms.ModelChoiceField(
        label="Data sharing agreement (if it was shared under one)",
        queryset=DataSharingAgreement.objects.none(),
        required=False,
        widget=GovukSelect,
        empty_label="None",
    )
    purpose_basis = forms.ChoiceField(
        label="What was it shared for?",
        choices=DisclosurePurpose.choices,
        widget=GovukRadioSelect,
        help_text="Under section 16, only the recipient's functions under the "
        "Serious Violence Duty.",
        error_messages={"required": "Select what the information was shared for"},
    )
    purpose = forms.CharField(label="Why it was shared", widget=textarea(3))
    information_shared = forms.CharField(label="What was shared", widget=textarea(4))

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient_agency"].queryset = Agency.objects.filter(  # type: ignore[attr-defined]
            partnership_memberships__partnership=partnership
        ).order_by("name")
        self.fields["agreement"].queryset = DataSharingAgreement.objects.filter(  # type: ignore[attr-defined]
            partnership=partnership
        ).order_by("title")


class WithdrawDisclosureForm(GovukForm, forms.Form):
    reason = forms.CharField(
        label="Why is it withdrawn?",
        widget=textarea(3),
        help_text="For example, it was shared with the wrong person, or it was "
        "wrong. The recipient is told this if their email address was recorded.",
        error_messages={"required": "Enter why it is withdrawn"},
    )


class ReferralForm(GovukForm, forms.Form):
    reasons = forms.MultipleChoiceField(
        label="Why are you referring the child?",
        choices=ReferralReason.choices,
        widget=GovukCheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages={"required": "Select at least one reason for the referral"},
    )
    urgency = forms.ChoiceField(
        label="How urgent is it?",
        choices=Urgency.choices,
        widget=GovukRadioSelect(
            hints={
                "immediate": "If a child is in immediate danger, also call 999.",
            }
        ),
    )
    what_is_known = forms.CharField(
        label="What do you know about the child's situation?",
        widget=textarea(6),
        help_text="Describe what has happened and who is involved. Say what the child "
        "has told you, in their words if you can.",
    )
    action_taken = forms.CharField(
        label="What have you already done? (optional)",
        required=False,
        widget=textarea(3),
    )
    child_aware = forms.ChoiceField(
        label="Does the child know you are referring them?",
        choices=YES_NO_UNKNOWN,
        widget=GovukRadioSelect(inline=True),
    )
    referrer_phone = forms.CharField(
        label="Phone number to contact you", max_length=40, required=False
    )

    language_fields = ("what_is_known", "action_taken")


class TriageForm(GovukForm, forms.Form):
    outcome = forms.ChoiceField(
        label="What happens next?",
        choices=ReferralOutcome.choices,
        widget=GovukRadioSelect(
            hints={
                "screening": "A practitioner completes the exploitation and violence "
                "risk screening.",
                "assessment": "For example a child and family assessment.",
            },
        ),
    )
    lead_professional = UserChoiceField(
        label="Lead professional",
        queryset=None,
        required=False,
        widget=GovukSelect,
        help_text="Needed for a screening or an assessment: the practitioner who will "
        "lead the work with the child.",
    )
    reason = forms.CharField(
        label="Reasons for the decision",
        required=False,
        widget=textarea(4),
        help_text="Required for no further action.",
    )
    late_reason = forms.CharField(
        label="Why is the decision later than 1 working day?",
        required=False,
        widget=textarea(3),
    )

    def __init__(self, *args, partnership=None, late=False, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = users_in_partnership(partnership, Permission.EDIT_CASES)
        self.fields["lead_professional"].queryset = queryset
        if not late:
            del self.fields["late_reason"]

    def lead(self):
        data = self.cleaned_data
        if data.get("outcome") in (
            ReferralOutcome.ASSESSMENT,
            ReferralOutcome.SCREENING,
        ):
            return data.get("lead_professional")
        return None


class ScreeningForm(GovukForm, forms.Form):
    agreed_level = forms.ChoiceField(
        label="What risk level do you agree?",
        choices=RiskLevel.choices,
        widget=GovukRadioSelect,
        help_text="Use your professional judgement. If it differs from the suggested "
        "level, say why.",
    )
    override_reason = forms.CharField(
        label="Why does your judgement differ from the suggested level?",
        required=False,
        widget=textarea(3),
    )
    danger_statement = forms.CharField(
        label="Danger statement (optional)",
        required=False,
        widget=textarea(3),
        help_text="What we are worried will happen to the child if nothing changes.",
    )
    safety_goal = forms.CharField(
        label="Safety goal (optional)",
        required=False,
        widget=textarea(3),
        help_text="What needs to be true for everyone to be less worried.",
    )

    language_fields = ("override_reason", "danger_statement", "safety_goal")

    def __init__(self, *args, tool=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = []
        indicator_fields = {}
        for group in tool.groups.prefetch_related("indicators"):
            names = []
            for indicator in group.indicators.all():
                key = f"i{indicator.pk}"
                indicator_fields[key] = forms.ChoiceField(
                    label=indicator.text
                    + (" (significant)" if indicator.is_significant else ""),
                    choices=Answer.choices,
                    widget=GovukRadioSelect(inline=True, small=True),
                    help_text=indicator.hint,
                    error_messages={"required": f"Answer '{indicator.text}'"},
                )
                indicator_fields[f"{key}_when"] = forms.ChoiceField(
                    label="When?",
                    choices=When.choices,
                    required=False,
                    widget=GovukRadioSelect(small=True),
                )
                indicator_fields[f"{key}_evidence"] = forms.CharField(
                    label="Evidence and source (optional)",
                    required=False,
                    widget=textarea(2),
                )
                names.append((indicator, key))
            self.groups.append((group, names))
        self.fields = {**indicator_fields, **self.fields}
        for form_field in indicator_fields.values():
            _govuk_error_messages(form_field, form_field.label)

    def answers(self) -> dict[int, dict]:
        data = self.cleaned_data
        result = {}
        for _group, names in self.groups:
            for indicator, key in names:
                if data.get(key):
                    result[indicator.pk] = {
                        "answer": data[key],
                        "when": data.get(f"{key}_when") or "",
                        "evidence": data.get(f"{key}_evidence") or "",
                    }
        return result


class StartAssessmentForm(GovukForm, forms.Form):
    assessment_type = forms.ModelChoiceField(
        label="Type of assessment", queryset=None, widget=GovukRadioSelect
    )
    started_on = GovukDateField(
        label="Start date",
        required=False,
        must_be_past=True,
        allow_today=True,
        help_text="Leave blank to start today. The due date is counted in working "
        "days from this date.",
    )

    def __init__(self, *args, **kwargs):
        from .models import AssessmentType

        super().__init__(*args, **kwargs)
        self.fields["assessment_type"].queryset = AssessmentType.objects.filter(
            is_active=True
        )
        self.fields["assessment_type"].label_from_instance = lambda t: (
            f"{t.name} ({t.timescale_working_days} working days)"
        )


class AssessmentForm(GovukForm, forms.Form):
    extra_familial_harm = forms.CharField(
        label="Harm outside the family",
        required=False,
        widget=textarea(5),
        help_text="Risks from peers, school, the neighbourhood and places the child "
        "goes (extra-familial harm).",
    )
    online_risk = forms.CharField(
        label="Online risk", required=False, widget=textarea(4)
    )
    family_strengths = forms.CharField(
        label="Family strengths", required=False, widget=textarea(4)
    )
    family_risks = forms.CharField(
        label="Risks within the family", required=False, widget=textarea(4)
    )
    siblings_and_peers = forms.CharField(
        label="Siblings and peers considered",
        required=False,
        widget=textarea(4),
        help_text="Who else may be affected or involved. Link their records on the "
        "network page.",
    )
    child_views = forms.CharField(
        label="The child's views, in their own words",
        required=False,
        widget=textarea(6),
        help_text="Write what the child said, as they said it.",
    )
    child_views_not_obtained_reason = forms.CharField(
        label="If you could not get the child's views, why not?",
        required=False,
        widget=textarea(2),
    )
    parent_views = forms.CharField(
        label="Parents' or carers' views", required=False, widget=textarea(4)
    )
    analysis = forms.CharField(
        label="Analysis and recommendation",
        required=False,
        widget=textarea(6),
        help_text="What the information means for the child, and what should happen.",
    )
    late_reason = forms.CharField(
        label="If the assessment is late, why?", required=False, widget=textarea(2)
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    language_fields = (
        "extra_familial_harm",
        "online_risk",
        "family_risks",
        "siblings_and_peers",
        "analysis",
    )


class ContributionRequestForm(GovukForm, forms.Form):
    agency = forms.ModelChoiceField(
        label="Which agency?", queryset=None, widget=GovukSelect
    )
    question = forms.CharField(
        label="What would you like them to tell you?",
        widget=textarea(4),
        help_text="For example: police contacts in the last 12 months, and any "
        "intelligence about who the child is spending time with.",
    )
    due_on = GovukDateField(
        label="Reply by (optional)",
        required=False,
        must_be_future=True,
        help_text="Leave blank for 10 working days, or the assessment's due date if "
        "sooner.",
    )

    def __init__(self, *args, partnership=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(
            partnership_memberships__partnership=partnership, is_active=True
        ).order_by("name")


class ContributionResponseForm(GovukForm, forms.Form):
    answer = forms.ChoiceField(
        label="Can your agency contribute?",
        choices=[
            (ContributionStatus.RECEIVED, "Yes"),
            (ContributionStatus.DECLINED, "No, we are declining"),
        ],
        widget=GovukRadioSelect,
    )
    response = forms.CharField(
        label="Your contribution", required=False, widget=textarea(8)
    )
    declined_reason = forms.CharField(
        label="Why are you declining?", required=False, widget=textarea(3)
    )

    language_fields = ("response",)

    def clean(self):
        data = super().clean()
        if (
            data.get("answer") == ContributionStatus.RECEIVED
            and not (data.get("response") or "").strip()
        ):
            self.add_error("response", "Enter your contribution")
        if (
            data.get("answer") == ContributionStatus.DECLINED
            and not (data.get("declined_reason") or "").strip()
        ):
            self.add_error("declined_reason", "Enter why your agency is declining")
        return data


class SignOffForm(GovukForm, forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[
            ("approve", "Sign off the assessment"),
            ("return", "Return it to the practitioner"),
        ],
        widget=GovukRadioSelect,
    )
    note = forms.CharField(
        label="Comments",
        required=False,
        widget=textarea(4),
        help_text="Required if you return the assessment: say what needs to change.",
    )


class PlanForm(GovukForm, forms.Form):
    title = forms.CharField(
        label="Name of the plan", max_length=200, initial="Safety plan"
    )
    goals = forms.CharField(
        label="Goals",
        widget=textarea(5),
        help_text="One goal per line: what will be different for the child.",
    )
    review_on = GovukDateField(label="Review date", must_be_future=True)
    reason = forms.CharField(
        label="Why is the plan being made? (optional)",
        required=False,
        widget=textarea(3),
    )

    def goal_list(self) -> list[str]:
        return [g.strip() for g in self.cleaned_data["goals"].splitlines() if g.strip()]


class PlanActionForm(GovukForm, forms.Form):
    text = forms.CharField(label="What will be done?", widget=textarea(3))
    goal = forms.ChoiceField(
        label="Which goal does it support?", required=False, widget=GovukSelect
    )
    owner = UserChoiceField(
        label="Named lead",
        queryset=None,
        widget=GovukSelect,
        help_text="The person responsible.",
    )
    due_on = GovukDateField(label="Due date", must_be_future=True, allow_today=True)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = users_in_partnership(
            plan.person.partnership, Permission.VIEW_CASES
        )
        self.fields["goal"].choices = [("", "Not linked to a goal")] + [
            (str(g.pk), g.text[:80]) for g in plan.goals.all()
        ]


class PlanActionStatusForm(GovukForm, forms.Form):
    status = forms.ChoiceField(
        label="Status", choices=PlanActionStatus.choices, widget=GovukRadioSelect
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class PlanReviewForm(GovukForm, forms.Form):
    review_on = GovukDateField(label="Next review date", must_be_future=True)
    reason = forms.CharField(
        label="What has changed, and why is the plan being reviewed?",
        widget=textarea(4),
        help_text="For example: the risk level went up after a missing episode.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class PlanEndForm(GovukForm, forms.Form):
    reason = forms.CharField(label="Why is the plan ending?", widget=textarea(3))
    version = forms.IntegerField(widget=forms.HiddenInput)


TIME_RE = re.compile(r"^(\d{1,2})[:.](\d{2})$")


def parse_time(value: str) -> dt.time | None:
    match = TIME_RE.match((value or "").strip())
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)


def combine(day: dt.date, time: dt.time | None) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time or dt.time(12, 0)))


MANUAL_CATEGORIES = [
    c
    for c in EventCategory.choices
    if c[0] not in {"referral", "screening", "assessment", "plan"}
]


class EventForm(GovukForm, forms.Form):
    category = forms.ChoiceField(
        label="What happened?", choices=MANUAL_CATEGORIES, widget=GovukSelect
    )
    occurred_on = GovukDateField(label="Date", must_be_past=True, allow_today=True)
    occurred_time = forms.CharField(
        label="Time (optional)",
        required=False,
        max_length=5,
        help_text="24-hour clock, for example 14:30.",
    )
    summary = forms.CharField(
        label="Summary", max_length=300, help_text="One line, shown in the chronology."
    )
    detail = forms.CharField(
        label="Details (optional)", required=False, widget=textarea(4)
    )
    significance = forms.ChoiceField(
        label="Significance",
        choices=Significance.choices,
        initial=Significance.MEDIUM,
        widget=GovukRadioSelect(inline=True),
    )
    source_reference = forms.CharField(
        label="Your agency's reference (optional)",
        required=False,
        max_length=100,
        help_text="For example a police incident number.",
    )
    missing_from = forms.CharField(
        label="Missing from (missing episodes only)",
        required=False,
        max_length=200,
        help_text="Home, placement or school.",
    )
    returned_on = GovukDateField(
        label="Date the child returned (missing episodes only)",
        required=False,
        must_be_past=True,
        allow_today=True,
    )
    returned_time = forms.CharField(
        label="Time the child returned (optional)", required=False, max_length=5
    )
    decision = forms.CharField(
        label="Decision (optional)",
        required=False,
        max_length=200,
        help_text="For a National Referral Mechanism referral: for example "
        "'Positive reasonable grounds'.",
    )
    decision_on = GovukDateField(label="Date of the decision", required=False)

    language_fields = ("summary", "detail")

    def clean(self):
        data = super().clean()
        for field in ("occurred_time", "returned_time"):
            if data.get(field) and parse_time(data[field]) is None:
                self.add_error(field, "Enter a time like 14:30")
        return data

    def occurred_at(self):
        d = self.cleaned_data
        return combine(d["occurred_on"], parse_time(d.get("occurred_time") or ""))

    def returned_at(self):
        d = self.cleaned_data
        if not d.get("returned_on"):
            return None
        return combine(d["returned_on"], parse_time(d.get("returned_time") or ""))


class ReturnForm(GovukForm, forms.Form):
    returned_on = GovukDateField(
        label="Date the child returned", must_be_past=True, allow_today=True
    )
    returned_time = forms.CharField(
        label="Time (optional)",
        required=False,
        max_length=5,
        help_text="24-hour clock, for example 06:15.",
    )
    found_at_location = forms.CharField(
        label="Where were they found? (optional)", required=False, max_length=200
    )

    def clean(self):
        data = super().clean()
        if data.get("returned_time") and parse_time(data["returned_time"]) is None:
            self.add_error("returned_time", "Enter a time like 06:15")
        return data

    def returned_at(self):
        d = self.cleaned_data
        return combine(d["returned_on"], parse_time(d.get("returned_time") or ""))


class ReturnInterviewForm(GovukForm, forms.Form):
    held = forms.ChoiceField(
        label="Was the return home interview held?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=GovukRadioSelect(
            conditional={"yes": "summary", "no": "not_held_reason"}
        ),
    )
    summary = forms.CharField(
        label="What did the child say?",
        required=False,
        widget=textarea(6),
        help_text="Why they went missing, where and with whom, any harm, and what "
        "would help.",
    )
    not_held_reason = forms.CharField(
        label="Why was it not held?", required=False, widget=textarea(3)
    )

    language_fields = ("summary",)

    def clean(self):
        data = super().clean()
        if data.get("held") == "yes" and not (data.get("summary") or "").strip():
            self.add_error("summary", "Enter what the child said")
        if data.get("held") == "no" and not (data.get("not_held_reason") or "").strip():
            self.add_error("not_held_reason", "Enter why the interview was not held")
        return data
