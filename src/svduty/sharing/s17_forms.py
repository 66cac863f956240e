"""Forms for section 17 requests. Rules live in `actions_s17`."""

from __future__ import annotations

from typing import cast

from django import forms

from svduty.accounts.models import Agency
from svduty.core.forms import GovukDateField, GovukForm
from svduty.core.widgets import (
    GovukFileInput,
    GovukRadioSelect,
    GovukSelect,
    GovukTextarea,
)
from svduty.partnership.models import Partnership

from .actions_s17 import ASKABLE_TYPES
from .models import S17_KIND, DataSharingAgreement
from .s17_models import RefusalReason, RequestFunction
from .uploads import check_upload


class RequestForm(GovukForm, forms.Form):
    authority: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Which authority are you asking?",
        queryset=Agency.objects.none(),
        widget=GovukSelect,
        help_text="A specified, educational, prison or youth custody authority. You "
        "can ask only for information it already holds.",
        error_messages={"required": "Select the authority you are asking"},
    )
    function = forms.ChoiceField(
        label="Which of your functions does it support?",
        choices=RequestFunction.choices,
        widget=GovukRadioSelect,
        error_messages={"required": "Select the function it supports"},
    )
    purpose = forms.CharField(
        label="Why you need it",
        widget=GovukTextarea(rows=3),
        error_messages={"required": "Enter why you need the information"},
    )
    data_requested = forms.CharField(
        label="What information you are asking for",
        widget=GovukTextarea(rows=4),
        help_text="Ask only for what you need: counts rather than records where "
        "counts will do.",
        error_messages={"required": "Enter the information you are asking for"},
    )
    due_on = GovukDateField(
        label="Date you need it by",
        must_be_future=True,
        help_text="For example, 31 3 2026",
        error_messages={"required": "Enter the date you need it by"},
    )

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["authority"])
        field.queryset = Agency.objects.filter(
            partnership_memberships__partnership=partnership,
            agency_type__in=ASKABLE_TYPES,
        ).order_by("name")


class AnswerForm(GovukForm, forms.Form):
    outcome = forms.ChoiceField(
        label="Can you supply the information?",
        choices=[("answer", "Yes, supply it"), ("refuse", "No, refuse the request")],
        widget=GovukRadioSelect,
        error_messages={"required": "Select whether you can supply it"},
    )
    answer = forms.CharField(
        label="The information (if you supply it)",
        required=False,
        widget=GovukTextarea(rows=5),
    )
    document = forms.FileField(
        label="Or upload it as a document (optional)",
        required=False,
        widget=GovukFileInput(enhanced=False),
        help_text="A CSV, spreadsheet, PDF or Word file smaller than 10 MB.",
    )
    reason = forms.ChoiceField(
        label="Why it cannot be supplied (if you refuse)",
        choices=[("", "Select a reason"), *RefusalReason.choices],
        required=False,
        widget=GovukSelect,
    )
    detail = forms.CharField(
        label="Explain the refusal (if you refuse)",
        required=False,
        widget=GovukTextarea(rows=3),
    )


class FiguresForm(GovukForm, forms.Form):
    """Supply the figures asked for as a CSV file in the s.17 template."""

    agreement: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Data sharing agreement",
        queryset=DataSharingAgreement.objects.none(),
        widget=GovukSelect,
        help_text="A section 17 agreement of the partnership, with your organisation "
        "as a provider and the local policing body as a party.",
        error_messages={"required": "Select the section 17 data sharing agreement"},
    )
    file = forms.FileField(
        label="Upload the figures",
        widget=GovukFileInput(enhanced=False),
        help_text="A CSV file with the columns measure, period_start, period_end, "
        "area_code, value and notes. Nothing is imported unless the whole file is "
        "correct.",
        error_messages={
            "required": "Select a file",
            "empty": "The selected file is empty",
        },
    )

    def __init__(self, *args, agreements, upload_refusal: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["agreement"])
        field.queryset = agreements
        self.upload_refusal = upload_refusal

    def clean(self):
        data = super().clean()
        if self.upload_refusal:
            self.errors.pop("file", None)
            self.add_error("file", self.upload_refusal)
        elif data.get("file"):
            try:
                check_upload(data["file"], S17_KIND)
            except forms.ValidationError as error:
                self.add_error("file", error)
        return data
