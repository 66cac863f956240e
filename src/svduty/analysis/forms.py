"""Forms for the SNA pages: the dashboard filters and the narrative of a version."""

from __future__ import annotations

import datetime as dt

from django import forms

from svduty.analysis.sna import month_label
from svduty.core.forms import GovukDateField, GovukForm
from svduty.core.widgets import (
    GovukFileInput,
    GovukSelect,
    GovukTextarea,
    GovukTextInput,
)


def month_choices(months: list[dt.date]) -> list[tuple[str, str]]:
    return [(month_label(m), m.strftime("%B %Y")) for m in months]


class FilterForm(GovukForm, forms.Form):
    """The dashboard's GET filters. Every choice comes from the snapshot."""

    period_from = forms.ChoiceField(label="From", widget=GovukSelect)
    period_to = forms.ChoiceField(label="To", widget=GovukSelect)
    kind = forms.ChoiceField(
        label="Kind of serious violence",
        required=False,
        widget=GovukSelect,
    )
    area = forms.ChoiceField(
        label="Local authority",
        required=False,
        widget=GovukSelect,
    )
    label_size = "s"

    def __init__(self, *args, months, kinds, areas, **kwargs):
        super().__init__(*args, **kwargs)
        choices = month_choices(months)
        self.fields["period_from"].choices = choices
        self.fields["period_to"].choices = choices
        self.fields["kind"].choices = [("", "All kinds")] + [(k, k) for k in kinds]
        self.fields["area"].choices = [("", "The whole partnership")] + [
            (a["code"], a["name"]) for a in areas
        ]

    def clean(self):
        data = super().clean()
        start, end = data.get("period_from"), data.get("period_to")
        if start and end and end < start:
            self.add_error(
                "period_to",
                "The end month must be the same as or after the start month",
            )
        return data


class SnaVersionForm(GovukForm, forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        widget=GovukTextInput,
        help_text="For example, Strategic needs assessment 2023 to 2024.",
    )
    period_from = forms.ChoiceField(label="Start of period", widget=GovukSelect)
    period_to = forms.ChoiceField(label="End of period", widget=GovukSelect)
    findings = forms.CharField(
        label="Key findings",
        required=False,
        widget=GovukTextarea(attrs={"rows": 6}),
        help_text="What the data shows about the kinds of serious violence, where and "
        "when it happens and who is affected.",
    )
    causes_and_drivers = forms.CharField(
        label="Causes and drivers",
        required=False,
        widget=GovukTextarea(attrs={"rows": 5}),
    )
    risk_and_protective_factors = forms.CharField(
        label="Risk and protective factors",
        required=False,
        widget=GovukTextarea(attrs={"rows": 5}),
        help_text="Factors that make involvement in serious violence more or less "
        "likely, for people, families, places and communities.",
    )
    gaps = forms.CharField(
        label="Gaps in data and knowledge",
        required=False,
        widget=GovukTextarea(attrs={"rows": 4}),
    )
    recommendations = forms.CharField(
        label="Recommendations",
        required=False,
        widget=GovukTextarea(attrs={"rows": 5}),
    )
    label_size = "m"

    def __init__(self, *args, months, **kwargs):
        super().__init__(*args, **kwargs)
        choices = month_choices(months)
        self.fields["period_from"].choices = choices
        self.fields["period_to"].choices = choices

    def clean(self):
        data = super().clean()
        start, end = data.get("period_from"), data.get("period_to")
        if start and end and end < start:
            self.add_error(
                "period_to",
                "The end of the period must be the same as or after the start",
            )
        return data


class HarmWeightsImportForm(GovukForm, forms.Form):
    name = forms.CharField(
        label="Name of the weights",
        max_length=200,
        widget=GovukTextInput,
        help_text="For example, Crime Severity Score weights mapped to police.uk "
        "crime types.",
        error_messages={"required": "Enter a name for the weights"},
    )
    owner = forms.CharField(
        label="Whose weights these are",
        max_length=200,
        widget=GovukTextInput,
        help_text="The organisation or team that supplied them.",
        error_messages={"required": "Enter whose weights these are"},
    )
    source = forms.CharField(
        label="Where the weights come from",
        widget=GovukTextarea(attrs={"rows": 3}),
        help_text="The publication or method, with a reference someone else can check.",
        error_messages={"required": "Enter where the weights come from"},
    )
    effective_on = GovukDateField(
        label="Date of the weights",
        required=False,
        must_be_past=True,
        allow_today=True,
        help_text="When they were published or agreed, for example 1 4 2024.",
    )
    file = forms.FileField(
        label="Upload a CSV file",
        widget=GovukFileInput(enhanced=False),
        help_text="Columns: crime_type, weight. One row per data.police.uk crime "
        "type; weights are numbers of zero or more. Smaller than 64 KB.",
        error_messages={"required": "Select a CSV file"},
    )
