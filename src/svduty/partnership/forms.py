"""Forms for partnership details, members, the local definition and board meetings.
Rules live in the actions; the forms collect and shape input."""

from __future__ import annotations

from django import forms

from svduty.accounts.models import Agency, User
from svduty.core.authorisation import Role
from svduty.core.forms import GovukDateField, GovukForm
from svduty.core.widgets import (
    GovukCheckboxSelectMultiple,
    GovukRadioSelect,
    GovukSelect,
    GovukTextarea,
    GovukTextInput,
)

from .models import (
    AuthorityType,
    LeadArrangement,
    Partnership,
    RuleSource,
    StatutoryRole,
    ViolenceKind,
)

ROLE_HINTS = {
    StatutoryRole.SPECIFIED: "A duty holder: police, fire and rescue, integrated care "
    "board, local authority, youth offending team or probation service.",
    StatutoryRole.RELEVANT: "Must be consulted on the strategy and may be given "
    "actions: schools and other educational authorities, prisons, youth custody.",
    StatutoryRole.LOCAL_POLICING_BODY: "The police and crime commissioner (or "
    "equivalent): may assist, monitor and report to the Home Secretary.",
    StatutoryRole.INVITED: "Invited to take part under section 8(6).",
    StatutoryRole.VOLUNTARY: "A charity or community organisation that works with "
    "the partnership.",
}


class VersionField(forms.IntegerField):
    """The version of the record the user opened (optimistic locking)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)


class PartnershipForm(GovukForm, forms.Form):
    lead_arrangement = forms.ChoiceField(
        label="Which arrangement leads on the duty?",
        choices=LeadArrangement.choices,
        widget=GovukRadioSelect,
        error_messages={"required": "Select the lead arrangement"},
    )
    lead_arrangement_name = forms.CharField(
        label="Name of the lead body",
        required=False,
        max_length=200,
        help_text="For example, Middlesbrough Community Safety Partnership board.",
    )
    chair_name = forms.CharField(
        label="Chair or convener", required=False, max_length=200
    )
    chair_agency = forms.ModelChoiceField(
        label="Chair's agency",
        queryset=Agency.objects.none(),
        required=False,
        widget=GovukSelect,
    )
    governance_route = forms.CharField(
        label="Governance route",
        required=False,
        widget=GovukTextarea(rows=4),
        help_text="Which boards the partnership reports to and how it makes decisions.",
    )
    lead_user = forms.ModelChoiceField(
        label="Partnership lead",
        queryset=User.objects.none(),
        required=False,
        widget=GovukSelect,
        help_text="Receives the daily reminder when the strategy review or actions "
        "are overdue.",
    )
    formed_on = GovukDateField(
        label="Date the partnership was formed",
        required=False,
        must_be_past=True,
        allow_today=True,
        help_text="For example, 31 1 2023",
    )
    version = VersionField()

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        agency_ids = partnership.members.values_list("agency_id", flat=True)
        self.fields["chair_agency"].queryset = Agency.objects.filter(pk__in=agency_ids)
        self.fields["lead_user"].queryset = User.objects.filter(
            memberships__agency__in=agency_ids,
            roles__contains=[Role.PARTNERSHIP_LEAD.value],
            is_active=True,
        ).distinct()


class MemberForm(GovukForm, forms.Form):
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.none(),
        widget=GovukSelect,
        error_messages={"required": "Select the agency"},
    )
    statutory_role = forms.ChoiceField(
        label="Role under the Serious Violence Duty",
        choices=StatutoryRole.choices,
        widget=GovukRadioSelect(hints=ROLE_HINTS),
        error_messages={"required": "Select the agency's role under the duty"},
    )
    authority_type = forms.ChoiceField(
        label="Type of authority",
        choices=[("", "Work it out from the agency")] + AuthorityType.choices,
        required=False,
        widget=GovukSelect,
    )
    areas = forms.ModelMultipleChoiceField(
        label="Areas it covers",
        queryset=None,
        required=False,
        widget=GovukCheckboxSelectMultiple,
        help_text="Leave all unticked if it covers every area of the partnership.",
    )

    def __init__(
        self, *args, partnership: Partnership, editing: bool = False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = partnership.areas.all()
        if editing:
            del self.fields["agency"]
        else:
            taken = partnership.members.values_list("agency_id", flat=True)
            self.fields["agency"].queryset = Agency.objects.filter(
                is_active=True
            ).exclude(pk__in=taken)


class DefinitionStartForm(GovukForm, forms.Form):
    notes = forms.CharField(
        label="What is changing, and why? (optional)",
        required=False,
        widget=GovukTextarea(rows=4),
    )


class KindForm(GovukForm, forms.Form):
    kind = forms.ChoiceField(
        label="Kind of serious violence",
        choices=[("", "Select a kind")] + ViolenceKind.choices,
        widget=GovukSelect,
        error_messages={"required": "Select a kind of serious violence"},
    )
    label = forms.CharField(
        label="Name the partnership uses",
        max_length=200,
        help_text="For example, Knife crime among under-25s.",
        error_messages={"required": "Enter a name for this kind of serious violence"},
    )
    description = forms.CharField(
        label="Description (optional)", required=False, widget=GovukTextarea(rows=3)
    )
    maximum_penalty = forms.CharField(
        label="Maximum penalty",
        widget=GovukTextarea(rows=3),
        help_text="The maximum penalty for the offences involved.",
        error_messages={"required": "Enter why the maximum penalty makes it serious"},
    )
    impact_on_victims = forms.CharField(
        label="Impact on victims",
        widget=GovukTextarea(rows=3),
        error_messages={"required": "Enter the impact on victims"},
    )
    prevalence = forms.CharField(
        label="Prevalence in the area",
        widget=GovukTextarea(rows=3),
        help_text="How common it is here, and how that is changing.",
        error_messages={"required": "Enter how prevalent it is in the area"},
    )
    impact_on_community = forms.CharField(
        label="Impact on the community",
        widget=GovukTextarea(rows=3),
        error_messages={"required": "Enter the impact on the community"},
    )
    publishable = forms.BooleanField(
        label="Show this kind on the public page", required=False, initial=True
    )


class RuleForm(GovukForm, forms.Form):
    source = forms.ChoiceField(
        label="Source of data",
        choices=RuleSource.choices,
        widget=GovukRadioSelect,
        error_messages={"required": "Select where the data comes from"},
    )
    value = forms.CharField(
        label="Value to match",
        max_length=200,
        widget=GovukTextInput(width="two-thirds"),
        help_text="A data.police.uk crime type (for example Robbery), a Home Office "
        "offence code (for example 8/1), a weapon flag (knife_or_sharp, firearm, "
        "corrosive or blunt) or an emergency department assault method.",
        error_messages={"required": "Enter the value to match"},
    )


class ExclusionForm(GovukForm, forms.Form):
    code = forms.CharField(
        label="Home Office offence code",
        max_length=20,
        widget=GovukTextInput(width="10"),
        help_text="The code your force records the offence under, for example 8/1 "
        "or 105A. Records with this code never count as serious violence under this "
        "version.",
        error_messages={"required": "Enter the Home Office offence code"},
    )
    source = forms.CharField(
        label="Where the list of excluded codes comes from",
        widget=GovukTextarea(rows=3),
        help_text="For example, the force crime registrar's list of the codes "
        "terrorism offences are recorded under, with its date.",
        error_messages={
            "required": "Enter where the list of excluded offence codes comes from"
        },
    )


class AgreeDefinitionForm(GovukForm, forms.Form):
    agreed_on = GovukDateField(
        label="Date agreed",
        must_be_past=True,
        allow_today=True,
        help_text="For example, 12 3 2024",
    )
    agreed_by = forms.CharField(
        label="Who agreed it",
        max_length=300,
        help_text="For example, the partnership board meeting of 12 March 2024.",
        error_messages={"required": "Enter who agreed the definition"},
    )
    version = VersionField()


class MeetingForm(GovukForm, forms.Form):
    held_on = GovukDateField(
        label="Date of meeting",
        must_be_past=True,
        allow_today=True,
        help_text="For example, 12 3 2024",
    )
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="For example, Serious violence partnership board.",
        error_messages={"required": "Enter a title for the meeting"},
    )
    attending_agencies = forms.ModelMultipleChoiceField(
        label="Agencies that attended",
        queryset=Agency.objects.none(),
        required=False,
        widget=GovukCheckboxSelectMultiple(small=True),
    )
    attendees = forms.CharField(
        label="Who attended (optional)",
        required=False,
        widget=GovukTextarea(rows=4),
        help_text="Names and roles, one a line.",
    )
    decisions = forms.CharField(
        label="Decisions made",
        widget=GovukTextarea(rows=6),
        error_messages={"required": "Enter the decisions made"},
    )

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attending_agencies"].queryset = Agency.objects.filter(
            pk__in=partnership.members.values_list("agency_id", flat=True)
        )
