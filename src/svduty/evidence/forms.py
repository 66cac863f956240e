"""Forms for the evidence pages (GOV.UK patterns; the rules are in the actions)."""

from __future__ import annotations

from typing import Any

from django import forms

from svduty.accounts.models import User
from svduty.cases.forms import UserChoiceField, textarea, users_in_partnership
from svduty.cases.models import RiskLevel
from svduty.core.authorisation import Permission
from svduty.core.forms import GovukDateField, GovukForm
from svduty.core.widgets import GovukFileInput, GovukRadioSelect, GovukSelect

from .documents import check_document
from .models import (
    AUDIT_QUESTIONS,
    AuditAnswer,
    AuditForm,
    Grade,
    InspectionList,
    Stratification,
)


class SelfAssessmentForm(GovukForm, forms.Form):
    grade = forms.ChoiceField(
        label="Grade",
        choices=Grade.choices,
        widget=GovukRadioSelect,
        help_text="Your partnership's own judgement. Inspection letters are not "
        "graded.",
    )
    narrative = forms.CharField(
        label="What the evidence shows",
        widget=textarea(6),
        help_text="What is happening for children, and how you know.",
    )
    strengths = forms.CharField(label="Strengths", required=False, widget=textarea())
    improvements = forms.CharField(
        label="Areas for improvement", required=False, widget=textarea()
    )
    owner = UserChoiceField(
        label="Owner",
        queryset=User.objects.none(),
        widget=GovukSelect,
        help_text="The leader who keeps this self-assessment up to date.",
    )
    review_on = GovukDateField(label="Review date", help_text="For example, 31 3 2027")
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, partnership=None, **kwargs):
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = users_in_partnership(partnership, Permission.MANAGE_EVIDENCE)


class EvidenceLinkForm(GovukForm, forms.Form):
    title = forms.CharField(label="Title", max_length=200)
    url = forms.URLField(
        label="Link (optional)",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="The address of a document or page, starting https://",
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        widget=textarea(3),
        help_text="What it shows, or where to find it if it has no link.",
    )
    document = forms.FileField(
        label="Upload a document (optional)",
        required=False,
        # The plain input: the enhanced drop zone names its button differently from
        # its visible text (axe-core: label-content-name-mismatch).
        widget=GovukFileInput(enhanced=False),
        help_text="PDF, Word (.docx), Excel (.xlsx), CSV, PNG or JPEG, smaller "
        "than 20 MB.",
        error_messages={"empty": "The selected file is empty"},
    )

    def __init__(self, *args: Any, upload_refusal: str | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # Set when the upload was stopped while streaming in (too large).
        self.upload_refusal = upload_refusal

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.upload_refusal:
            self.errors.pop("document", None)
            self.add_error("document", self.upload_refusal)
        elif data.get("document"):
            try:
                check_document(data["document"])
            except forms.ValidationError as error:
                self.add_error("document", error)
        return data


class InspectionRequestForm(GovukForm, forms.Form):
    kind = forms.ChoiceField(
        label="List", choices=InspectionList.choices, widget=GovukRadioSelect
    )
    period_start = GovukDateField(label="From", help_text="For example, 1 4 2026")
    period_end = GovukDateField(label="To", help_text="For example, 30 9 2026")
    with_identifiers = forms.BooleanField(
        label="Include names and dates of birth",
        required=False,
        help_text="The list is pseudonymised unless you choose this. Only include "
        "them if the inspection needs them, and say why.",
    )
    reason = forms.CharField(
        label="Why the inspection needs names and dates of birth",
        required=False,
        widget=textarea(3),
        help_text="Required if you include names and dates of birth.",
    )


class DrawSampleForm(GovukForm, forms.Form):
    title = forms.CharField(
        label="Name of the audit", max_length=200, help_text="For example, MACE audit"
    )
    size = forms.IntegerField(
        label="How many children",
        min_value=1,
        max_value=50,
        initial=6,
        help_text="Inspectors choose 5 to 7 children.",
    )
    risk_level = forms.ChoiceField(
        label="Risk level (optional)",
        required=False,
        choices=[("", "Any risk level"), *RiskLevel.choices],
        widget=GovukSelect,
    )
    stratify_by = forms.ChoiceField(
        label="Stratify by (optional)",
        required=False,
        choices=[
            ("", "Do not stratify: draw from all the children"),
            *Stratification.choices,
        ],
        widget=GovukSelect,
        help_text="Each group gets a share of the sample in proportion to its size.",
    )
    minimum = forms.IntegerField(
        label="At least this many from each group (optional)",
        required=False,
        min_value=0,
        max_value=50,
        help_text="A group with fewer children gives all of them.",
    )
    form = forms.ModelChoiceField(
        label="Audit form",
        queryset=AuditForm.objects.none(),
        required=False,
        widget=GovukSelect,
        empty_label="The standard questions",
    )
    seed = forms.IntegerField(
        label="Seed",
        min_value=0,
        max_value=2_000_000_000,
        help_text="The same seed over the same children draws the same sample, so "
        "anyone can check the draw.",
    )

    def __init__(self, *args, partnership=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["form"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = AuditForm.objects.filter(partnership=partnership)


class CaseAuditForm(GovukForm, forms.Form):
    def __init__(self, *args, questions=AUDIT_QUESTIONS, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for key, text in questions:
            self.fields[f"q_{key}"] = forms.ChoiceField(
                label=text, choices=AuditAnswer.choices, widget=GovukRadioSelect
            )
        self.fields["grade"] = forms.ChoiceField(
            label="Overall grade", choices=Grade.choices, widget=GovukRadioSelect
        )
        self.fields["learning"] = forms.CharField(
            label="Learning", required=False, widget=textarea(4)
        )
        self.fields["actions"] = forms.CharField(
            label="Actions", required=False, widget=textarea(3)
        )

    def answers(self) -> dict[str, str]:
        return {key: self.cleaned_data[f"q_{key}"] for key, _ in self.questions}


class AuditFormForm(GovukForm, forms.Form):
    name = forms.CharField(
        label="Name of the form",
        max_length=200,
        help_text="Saving a form with the name of an existing one makes a new "
        "version of it; samples already drawn keep their version.",
    )
    questions = forms.CharField(
        label="Questions, one a line",
        widget=textarea(10),
        help_text="Each answered yes, partly or no. Start a line with an agency "
        "type and a colon to make it that agency's part, for example "
        "police: Was the child treated as a victim?",
    )


class ModerationForm(GovukForm, forms.Form):
    grade = forms.ChoiceField(
        label="Moderated grade", choices=Grade.choices, widget=GovukRadioSelect
    )
    note = forms.CharField(label="Moderation note", required=False, widget=textarea(3))
