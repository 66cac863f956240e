"""Forms for the workforce, engagement and learning records (the rules are in
`actions.learning`)."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils import timezone

from svduty.accounts.models import Agency
from svduty.cases.forms import textarea
from svduty.core.forms import GovukDateField, GovukForm
from svduty.core.widgets import (
    GovukCheckboxSelectMultiple,
    GovukRadioSelect,
    GovukSelect,
)

from .disproportionality import GROUPS
from .models import (
    Dimension,
    EngagementKind,
    OversightForum,
    PracticeReview,
    PractitionerRole,
    ReviewKind,
    TrainingTopic,
)


def partnership_agencies(partnership):
    return Agency.objects.filter(
        partnership_memberships__partnership=partnership
    ).order_by("name")


class _AgencyField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class _AgenciesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def _count(label: str, help_text: str = "", minimum: int = 0) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, min_value=minimum, max_value=1_000_000, help_text=help_text
    )


class WithPartnershipAgencies(GovukForm, forms.Form):
    """A form whose agency choices are the partnership's agencies."""

    agency_fields: tuple[str, ...] = ()

    def __init__(self, *args, partnership=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.agency_fields:
            field = cast(forms.ModelChoiceField, self.fields[name])
            field.queryset = partnership_agencies(partnership)


class TrainingSessionForm(GovukForm, forms.Form):
    title = forms.CharField(label="Title of the session", max_length=200)
    topic = forms.ChoiceField(
        label="Topic", choices=TrainingTopic.choices, widget=GovukRadioSelect
    )
    held_on = GovukDateField(
        label="Date held",
        must_be_past=True,
        allow_today=True,
        help_text="For example, 14 10 2026",
    )
    provider = forms.CharField(
        label="Who delivered it (optional)", max_length=200, required=False
    )


class AttendanceForm(WithPartnershipAgencies):
    agency_fields = ("agency",)
    agency = _AgencyField(
        label="Agency", queryset=Agency.objects.none(), widget=GovukSelect
    )
    role = forms.ChoiceField(
        label="Their role", choices=PractitionerRole.choices, widget=GovukSelect
    )
    attended = _count(
        "How many attended",
        "Recording the same agency and role again replaces the number.",
        1,
    )


class SupervisionForm(WithPartnershipAgencies):
    agency_fields = ("agency",)
    agency = _AgencyField(
        label="Agency", queryset=Agency.objects.none(), widget=GovukSelect
    )
    month = GovukDateField(
        label="Month",
        must_be_past=True,
        allow_today=True,
        help_text="Any day in the month, for example 1 10 2026",
    )
    practitioners = _count(
        "Practitioners working with the partnership's children", minimum=1
    )
    supervised = _count("Of them, how many had supervision in the month")


class EngagementForm(GovukForm, forms.Form):
    kind = forms.ChoiceField(
        label="Kind of activity", choices=EngagementKind.choices, widget=GovukSelect
    )
    held_on = GovukDateField(
        label="Date held",
        must_be_past=True,
        allow_today=True,
        help_text="For example, 14 10 2026",
    )
    who = forms.CharField(
        label="Who took part",
        max_length=300,
        help_text="For example, parents from the estate, year 10 pupils",
    )
    where = forms.CharField(label="Where", max_length=200)
    participants = _count("How many took part", minimum=1)
    young_people = _count("Of them, how many children and young people")
    heard = forms.CharField(label="What was heard", widget=textarea(4))
    changed = forms.CharField(
        label="What changed as a result (optional)",
        required=False,
        widget=textarea(3),
        help_text="You can add this later.",
    )


class EngagementChangeForm(GovukForm, forms.Form):
    changed = forms.CharField(label="What changed as a result", widget=textarea(4))


class ReviewForm(GovukForm, forms.Form):
    kind = forms.ChoiceField(
        label="Kind of review", choices=ReviewKind.choices, widget=GovukRadioSelect
    )
    title = forms.CharField(label="Title", max_length=200)
    started_on = GovukDateField(
        label="Date started", must_be_past=True, allow_today=True
    )
    completed_on = GovukDateField(
        label="Date completed (optional)",
        required=False,
        must_be_past=True,
        allow_today=True,
    )
    summary = forms.CharField(
        label="Summary of the learning (optional)", required=False, widget=textarea(4)
    )


class RecommendationForm(WithPartnershipAgencies):
    agency_fields = ("agency",)
    text = forms.CharField(label="Recommendation", widget=textarea(3))
    agency = _AgencyField(
        label="Agency responsible (optional)",
        queryset=Agency.objects.none(),
        required=False,
        widget=GovukSelect,
        empty_label="The whole partnership",
    )
    due_on = GovukDateField(label="Due by", help_text="For example, 31 3 2027")


class CompleteRecommendationForm(GovukForm, forms.Form):
    completed_on = GovukDateField(
        label="Date completed", must_be_past=True, allow_today=True
    )
    note = forms.CharField(label="What was done", widget=textarea(3))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"completed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class LearningEventForm(WithPartnershipAgencies):
    agency_fields = ("agencies",)
    title = forms.CharField(label="Title of the event", max_length=200)
    held_on = GovukDateField(label="Date held", must_be_past=True, allow_today=True)
    attendees = _count("How many attended", minimum=1)
    agencies = _AgenciesField(
        label="Agencies that took part",
        queryset=Agency.objects.none(),
        widget=GovukCheckboxSelectMultiple,
        help_text="Choose two or more.",
    )
    review = forms.ModelChoiceField(
        label="The review it shares learning from (optional)",
        queryset=PracticeReview.objects.none(),
        required=False,
        widget=GovukSelect,
        empty_label="None",
    )

    def __init__(self, *args, partnership=None, **kwargs):
        super().__init__(*args, partnership=partnership, **kwargs)
        review = cast(forms.ModelChoiceField, self.fields["review"])
        review.queryset = PracticeReview.objects.filter(partnership=partnership)


class OversightForm(GovukForm, forms.Form):
    forum = forms.ChoiceField(
        label="Forum", choices=OversightForum.choices, widget=GovukSelect
    )
    decided_on = GovukDateField(
        label="Date decided", must_be_past=True, allow_today=True
    )
    subject = forms.CharField(label="What it is about", max_length=200)
    decision = forms.CharField(label="The decision", widget=textarea(4))
    follow_up_due_on = GovukDateField(
        label="Follow-up due by (optional)", required=False
    )


class FollowUpForm(GovukForm, forms.Form):
    followed_up_on = GovukDateField(
        label="Date followed up", must_be_past=True, allow_today=True
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"followed_up_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class PopulationForm(GovukForm, forms.Form):
    dimension = forms.ChoiceField(
        label="Groups of", choices=Dimension.choices, widget=GovukSelect
    )
    group = forms.ChoiceField(
        label="Group",
        choices=[
            (g, f"{Dimension(d).label}: {g}")
            for d, groups in GROUPS.items()
            for g in groups
        ],
        widget=GovukSelect,
    )
    population = _count("Children living in the area in this group", minimum=1)
    source = forms.CharField(
        label="Source",
        max_length=300,
        help_text="For example, ONS Census 2021, table RM032, children aged 10 to 17",
    )
