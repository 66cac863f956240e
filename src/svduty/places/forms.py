"""Forms for places, peer groups and the before/after comparison (GOV.UK Design
System through core.forms). They only collect answers; the rules are in the actions."""

from __future__ import annotations

from typing import cast

from django import forms

from svduty.accounts.models import Agency
from svduty.cases.models import Person, PersonKind, RiskLevel
from svduty.core.forms import GovukDateField, GovukForm
from svduty.core.widgets import (
    GovukNumberInput,
    GovukRadioSelect,
    GovukSelect,
    GovukTextarea,
    GovukTextInput,
)
from svduty.partnership.models import LocalArea, Partnership

from .evaluation import DEFAULT_MONTHS, MONTH_CHOICES, RADIUS_CHOICES, CrimeSet
from .models import InterventionKind, MembershipRole, PlaceKind, PlaceLinkRole
from .models.choices import ReportKind


def textarea(rows: int = 4) -> GovukTextarea:
    return GovukTextarea(rows=rows)


def optional(label: str) -> str:
    return f"{label} (optional)"


def _model_choice(form: forms.Form, name: str) -> forms.ModelChoiceField:
    return cast(forms.ModelChoiceField, form.fields[name])


class AgencyChoiceField(forms.ModelChoiceField):
    def __init__(self, partnership: Partnership | None, **kwargs) -> None:
        queryset = Agency.objects.all()
        if partnership is not None:
            queryset = queryset.filter(partnership_memberships__partnership=partnership)
        kwargs.setdefault("required", False)
        super().__init__(
            queryset=queryset.order_by("name"), widget=GovukSelect, **kwargs
        )


class PlaceForm(GovukForm, forms.Form):
    partnership = forms.ModelChoiceField(
        label="Partnership", queryset=Partnership.objects.none(), widget=GovukSelect
    )
    name = forms.CharField(
        label="Name of the place",
        max_length=200,
        help_text="For example 'Centre Square' or 'Bus station, Stockton'. "
        "Do not use a child's name.",
        widget=GovukTextInput(),
    )
    kind = forms.ChoiceField(
        label="What kind of place is it?",
        choices=PlaceKind.choices,
        widget=GovukRadioSelect,
    )
    description = forms.CharField(
        label=optional("Description"),
        required=False,
        widget=textarea(3),
        help_text="Where exactly, and when children gather there.",
    )
    area = forms.ModelChoiceField(
        label=optional("Local authority area"),
        queryset=LocalArea.objects.none(),
        required=False,
        widget=GovukSelect,
    )
    latitude = forms.FloatField(
        label=optional("Latitude"),
        required=False,
        widget=GovukNumberInput(decimal=True, width=10),
        help_text="In decimal degrees, for example 54.5762. Leave empty for an "
        "online platform.",
    )
    longitude = forms.FloatField(
        label=optional("Longitude"),
        required=False,
        widget=GovukNumberInput(decimal=True, width=10),
        help_text="In decimal degrees, for example -1.2348 (west of Greenwich is "
        "negative).",
    )
    radius_m = forms.IntegerField(
        label="Radius in metres",
        initial=300,
        widget=GovukNumberInput(width=5),
        help_text="How far around the point to count incidents, from 50 to 2,000 "
        "metres.",
    )
    lead_agency = forms.ModelChoiceField(
        label=optional("Lead agency"),
        queryset=Agency.objects.none(),
        required=False,
        widget=GovukSelect,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, partnerships, partnership=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if partnership is not None:
            del self.fields["partnership"]
        else:
            _model_choice(self, "partnership").queryset = partnerships
            if len(partnerships) == 1:
                self.fields["partnership"].initial = partnerships[0]
        scope = partnership or (partnerships[0] if len(partnerships) == 1 else None)
        areas = LocalArea.objects.all()
        if scope is not None:
            areas = areas.filter(partnerships=scope)
        _model_choice(self, "area").queryset = areas
        self.fields["lead_agency"] = AgencyChoiceField(
            scope, label=optional("Lead agency")
        )


class CloseForm(GovukForm, forms.Form):
    closed_on = GovukDateField(
        label="Date it stopped being a concern", must_be_past=True, allow_today=True
    )
    reason = forms.CharField(label="Why is it no longer a concern?", widget=textarea(3))


class _ChildForm(GovukForm, forms.Form):
    """A child of the partnership whose record the user may read, and a note."""

    person = forms.ModelChoiceField(
        label="Child",
        queryset=Person.objects.none(),
        widget=GovukSelect,
        help_text="Only children whose records you can read are listed.",
    )
    note = forms.CharField(
        label=optional("Note"), max_length=500, required=False, widget=textarea(2)
    )

    def __init__(self, *args, user, partnership, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _model_choice(self, "person").queryset = (
            Person.objects.visible_to(user)
            .filter(partnership=partnership, kind=PersonKind.CHILD)
            .order_by("last_name", "first_name", "id")
        )


class ChildLinkForm(_ChildForm):
    role = forms.ChoiceField(
        label="Why is the child linked to this place?",
        choices=PlaceLinkRole.choices,
        widget=GovukRadioSelect,
    )
    linked_on = GovukDateField(
        label="Date the link was known", must_be_past=True, allow_today=True
    )

    field_order = ["person", "role", "linked_on", "note"]


class EndForm(GovukForm, forms.Form):
    ended_on = GovukDateField(label="End date", must_be_past=True, allow_today=True)


class ReportForm(GovukForm, forms.Form):
    kind = forms.ChoiceField(
        label="Is this an incident or an intelligence summary?",
        choices=ReportKind.choices,
        widget=GovukRadioSelect,
    )
    occurred_on = GovukDateField(label="Date", must_be_past=True, allow_today=True)
    summary = forms.CharField(
        label="Summary",
        widget=textarea(5),
        help_text="What happened or what is known about the place. Do not name "
        "children here: link them to the place instead.",
    )
    source_agency = forms.ModelChoiceField(
        label=optional("Source agency"),
        queryset=Agency.objects.none(),
        required=False,
        widget=GovukSelect,
    )

    def __init__(self, *args, partnership, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source_agency"] = AgencyChoiceField(
            partnership, label=optional("Source agency")
        )


class AssessmentForm(GovukForm, forms.Form):
    """A context assessment (neighbourhood or peer-group triangle)."""

    assessed_on = GovukDateField(
        label="Date of the assessment", must_be_past=True, allow_today=True
    )
    risk_level = forms.ChoiceField(
        label="Level of risk", choices=RiskLevel.choices, widget=GovukRadioSelect
    )
    summary = forms.CharField(label="What is happening", widget=textarea(5))
    harm = forms.CharField(
        label=optional("Who is harmed and how"), required=False, widget=textarea(3)
    )
    protective_factors = forms.CharField(
        label=optional("What keeps children safe"),
        required=False,
        widget=textarea(3),
        help_text="For example trusted adults, youth provision, safe routes.",
    )
    voices = forms.CharField(
        label=optional("What children, families and the community told us"),
        required=False,
        widget=textarea(3),
    )
    recommendations = forms.CharField(
        label=optional("What should happen next"), required=False, widget=textarea(3)
    )

    def text_fields(self) -> dict[str, str]:
        names = ("harm", "protective_factors", "voices", "recommendations")
        return {name: self.cleaned_data[name] for name in names}


class InterventionForm(GovukForm, forms.Form):
    kind = forms.ChoiceField(
        label="What is being done?",
        choices=InterventionKind.choices,
        widget=GovukRadioSelect,
    )
    description = forms.CharField(
        label=optional("Details"),
        required=False,
        widget=textarea(3),
        help_text="For example: which lights, what hours, who patrols.",
    )
    started_on = GovukDateField(label="Start date")
    ended_on = GovukDateField(label=optional("End date"), required=False)
    lead_agency = forms.ModelChoiceField(
        label=optional("Lead agency"),
        queryset=Agency.objects.none(),
        required=False,
        widget=GovukSelect,
    )

    def __init__(self, *args, partnership, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_agency"] = AgencyChoiceField(
            partnership, label=optional("Lead agency")
        )


class EvaluationForm(GovukForm, forms.Form):
    """The before/after settings, read from the query string."""

    label_size = "s"

    radius = forms.TypedChoiceField(
        label="Radius around the place",
        coerce=int,
        choices=[(r, f"{r:,} metres") for r in RADIUS_CHOICES],
        widget=GovukSelect,
    )
    months = forms.TypedChoiceField(
        label="Length of each period",
        coerce=int,
        choices=[(m, f"{m} months") for m in MONTH_CHOICES],
        initial=DEFAULT_MONTHS,
        widget=GovukSelect,
    )
    crimes = forms.ChoiceField(
        label="Incidents counted",
        choices=[(c.value, c.label) for c in CrimeSet],
        initial=CrimeSet.ALL.value,
        widget=GovukSelect,
    )

    def __init__(self, data, *, place_radius: int) -> None:
        radius = min(RADIUS_CHOICES, key=lambda r: abs(r - place_radius))
        defaults = {
            "radius": str(radius),
            "months": str(DEFAULT_MONTHS),
            "crimes": CrimeSet.ALL.value,
        }
        self.default_radius = radius
        super().__init__(defaults | {k: v for k, v in data.items() if k in defaults})

    def settings(self) -> tuple[int, int, CrimeSet]:
        if self.is_valid():
            data = self.cleaned_data
            return data["radius"], data["months"], CrimeSet(data["crimes"])
        # A radius not offered (typed into the address) falls back to the place's
        # own: the form shows the error beside the choices.
        radius = None if "radius" in self.errors else self.cleaned_data.get("radius")
        return radius or self.default_radius, DEFAULT_MONTHS, CrimeSet.ALL


class PeerGroupForm(GovukForm, forms.Form):
    partnership = forms.ModelChoiceField(
        label="Partnership", queryset=Partnership.objects.none(), widget=GovukSelect
    )
    name = forms.CharField(
        label="Name of the group",
        max_length=200,
        help_text="A working name that does not identify any child, for example "
        "'Group 3 (Stockton town centre)'.",
        widget=GovukTextInput(),
    )
    description = forms.CharField(
        label=optional("Description"),
        required=False,
        widget=textarea(3),
        help_text="What brings the group together and where it meets.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, partnerships, partnership=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if partnership is not None:
            del self.fields["partnership"]
        else:
            _model_choice(self, "partnership").queryset = partnerships
            if len(partnerships) == 1:
                self.fields["partnership"].initial = partnerships[0]
        scope = partnership or (partnerships[0] if len(partnerships) == 1 else None)
        self.fields["lead_agency"] = AgencyChoiceField(
            scope, label=optional("Lead agency")
        )


class MemberForm(_ChildForm):
    role = forms.ChoiceField(
        label="Role in the group",
        choices=MembershipRole.choices,
        widget=GovukRadioSelect,
    )
    started_on = GovukDateField(
        label="Date they joined the group", must_be_past=True, allow_today=True
    )

    field_order = ["person", "role", "started_on", "note"]


class GroupPlanForm(GovukForm, forms.Form):
    objectives = forms.CharField(
        label="What the plan is for",
        widget=textarea(4),
        help_text="What will be different for the group and for each child in it.",
    )
    actions = forms.CharField(
        label="Who will do what, by when",
        widget=textarea(6),
        help_text="One action per line, with the agency and the date.",
    )
    agreed_on = GovukDateField(
        label="Date the plan was agreed", must_be_past=True, allow_today=True
    )
    review_on = GovukDateField(label="Review date")
