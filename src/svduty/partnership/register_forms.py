"""Forms for the relevant authorities register. Rules live in the actions."""

from __future__ import annotations

from typing import cast

from django import forms

from svduty.accounts.models import Agency
from svduty.core.forms import GovukDateField, GovukForm
from svduty.core.widgets import (
    GovukFileInput,
    GovukRadioSelect,
    GovukSelect,
    GovukTextInput,
)

from .forms import VersionField
from .models import LocalArea, Partnership
from .registers import Establishment


class RelevantAuthorityForm(GovukForm, forms.Form):
    area: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Area",
        queryset=LocalArea.objects.none(),
        widget=GovukRadioSelect,
        error_messages={"required": "Select the area it is in"},
    )
    establishment = forms.ChoiceField(
        label="What is it?",
        choices=Establishment.choices,
        widget=GovukRadioSelect,
        error_messages={"required": "Select what kind of establishment it is"},
    )
    name = forms.CharField(
        label="Name",
        max_length=200,
        widget=GovukTextInput(width=20),
        error_messages={"required": "Enter the name of the authority"},
    )
    identifier = forms.CharField(
        label="Identifier (optional)",
        required=False,
        max_length=20,
        widget=GovukTextInput(width=10),
        help_text="The school's unique reference number (URN) from Get Information "
        "About Schools, or the prison's code.",
    )
    agency = forms.ModelChoiceField(
        label="Agency in svduty (optional)",
        queryset=Agency.objects.filter(is_active=True).order_by("name"),
        required=False,
        widget=GovukSelect,
        help_text="Only if people from this authority use svduty.",
    )

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        area = cast(forms.ModelChoiceField, self.fields["area"])
        area.queryset = partnership.areas.order_by("name")


class RelevantAuthorityChangeForm(RelevantAuthorityForm):
    closed_on = GovukDateField(
        label="Date it closed (optional)",
        required=False,
        must_be_past=True,
        allow_today=True,
        help_text="A closed establishment is no longer consulted. For example, "
        "31 8 2025",
    )
    version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The area is part of what the entry is: register a new one instead.
        del self.fields["area"]


class RelevantAuthorityImportForm(GovukForm, forms.Form):
    file = forms.FileField(
        label="Upload a CSV file",
        widget=GovukFileInput(enhanced=False),
        help_text="Columns: name, type, identifier, area. Type is school, academy, "
        "independent school, special school, college, prison, yoi, stc or secure "
        "school; area is the ONS code or name of one of the partnership's areas. "
        "Smaller than 2 MB.",
        error_messages={"required": "Select a CSV file"},
    )
