"""Forms for strategy versions, sections, consultation, sign-off, reviews and the
action plan. The rules are in the actions; these collect and shape input."""

from __future__ import annotations

from django import forms

from svduty.accounts.models import Agency
from svduty.core.forms import GovukDateField, GovukForm
from svduty.core.widgets import (
    GovukCheckboxSelectMultiple,
    GovukFileInput,
    GovukRadioSelect,
    GovukSelect,
    GovukTextarea,
    GovukTextInput,
)
from svduty.partnership.forms import VersionField
from svduty.partnership.models import Partnership, StatutoryRole

from .models import ActionStatus, ConsultationMethod, SectionKind

DATE_HINT = "For example, 27 3 2024"


class StrategyForm(GovukForm, forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="For example, Serious violence strategy 2024 to 2027.",
        error_messages={"required": "Enter a title for the strategy"},
    )
    period_start = GovukDateField(
        label="Start of the strategy period", help_text=DATE_HINT
    )
    period_end = GovukDateField(label="End of the strategy period", help_text=DATE_HINT)
    version = VersionField()


class SectionForm(GovukForm, forms.Form):
    kind = forms.ChoiceField(
        label="What is the section about?",
        choices=[("", "Select a subject")] + SectionKind.choices,
        widget=GovukSelect,
        error_messages={"required": "Select what the section is about"},
    )
    heading = forms.CharField(
        label="Heading",
        max_length=200,
        error_messages={"required": "Enter a heading"},
    )
    body = forms.CharField(
        label="Text",
        widget=GovukTextarea(rows=10),
        help_text="Leave a blank line between paragraphs.",
        error_messages={"required": "Enter the text of the section"},
    )
    publishable = forms.BooleanField(
        label="Include this section on the public page",
        required=False,
        initial=True,
        help_text="Leave unticked for operational detail or anything about "
        "individuals. Only ticked sections are published.",
    )
    version = VersionField()


class ConsultationForm(GovukForm, forms.Form):
    outcome = forms.ChoiceField(
        label="Was this authority consulted?",
        choices=[
            ("consulted", "Yes, they were consulted"),
            ("exception", "No, and there is a good reason"),
        ],
        # No conditional reveal: GOV.UK Frontend's script adds aria-expanded to
        # the radios, which axe-core reports as not allowed on a radio (WCAG 4.1.2).
        widget=GovukRadioSelect(
            hints={
                "consulted": "Then answer the questions about the consultation.",
                "exception": "Then explain why at the end of this page.",
            }
        ),
        error_messages={"required": "Select whether this authority was consulted"},
    )
    consulted_on = GovukDateField(
        label="Date consulted",
        required=False,
        help_text="If they were consulted. " + DATE_HINT,
    )
    method = forms.ChoiceField(
        label="How were they consulted?",
        choices=[("", "Select a method")] + ConsultationMethod.choices,
        required=False,
        widget=GovukSelect,
    )
    consulted_person = forms.CharField(
        label="Who was consulted",
        required=False,
        max_length=200,
        help_text="Name and role, for example Head teacher.",
    )
    response = forms.CharField(
        label="Their response", required=False, widget=GovukTextarea(rows=4)
    )
    how_considered = forms.CharField(
        label="How the response was considered",
        required=False,
        widget=GovukTextarea(rows=4),
        help_text="What the partnership did with it, including any change made.",
    )
    exception_reason = forms.CharField(
        label="Why were they not consulted?",
        required=False,
        widget=GovukTextarea(rows=4),
        help_text="Only if they were not consulted. A monitor will read this: say "
        "why it was justified.",
    )
    version = VersionField()

    def clean(self):
        data = super().clean()
        outcome = data.get("outcome")
        # Only the revealed questions count; empty the others.
        if outcome == "consulted":
            data["exception_reason"] = ""
        elif outcome == "exception":
            for name in ("method", "consulted_person", "response", "how_considered"):
                data[name] = ""
            data["consulted_on"] = None
        return data


class SignOffForm(GovukForm, forms.Form):
    signed_by_name = forms.CharField(
        label="Name of the person signing off",
        max_length=200,
        error_messages={"required": "Enter the name of the person signing off"},
    )
    signed_by_role = forms.CharField(
        label="Their role",
        max_length=200,
        help_text="For example, Chief Constable or Director of Public Health.",
        error_messages={"required": "Enter their role"},
    )
    signed_on = GovukDateField(
        label="Date signed off",
        must_be_past=True,
        allow_today=True,
        help_text=DATE_HINT,
    )


class EvidenceSignOffForm(GovukForm, forms.Form):
    """Several authorities' sign-offs from one signed document (for example the
    minutes of the board meeting where they signed): a name and role per authority
    that signed; rows left blank are not recorded."""

    signed_on = GovukDateField(
        label="Date they signed off",
        must_be_past=True,
        allow_today=True,
        help_text=DATE_HINT,
    )
    document = forms.FileField(
        label="Upload the signed document",
        widget=GovukFileInput(enhanced=False),
        help_text="A PDF, Word, ODT, PNG or JPG file smaller than 10 MB, signed by "
        "each authority you record below. It is kept with the sign-off.",
        error_messages={"required": "Select the signed document"},
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(members)
        for member in self.members:
            self.fields[f"m{member.pk}_signed_by_name"] = forms.CharField(
                label="Name of the person who signed",
                max_length=200,
                required=False,
            )
            self.fields[f"m{member.pk}_signed_by_role"] = forms.CharField(
                label="Their role",
                max_length=200,
                required=False,
            )

    @property
    def rows(self):
        return [
            (m, self[f"m{m.pk}_signed_by_name"], self[f"m{m.pk}_signed_by_role"])
            for m in self.members
        ]

    def entries(self) -> list[tuple]:
        """(member, name, role) for every row with anything filled in."""
        data = self.cleaned_data
        entries = []
        for member in self.members:
            name = data.get(f"m{member.pk}_signed_by_name", "")
            role = data.get(f"m{member.pk}_signed_by_role", "")
            if name or role:
                entries.append((member, name, role))
        return entries


class WithdrawSignOffForm(GovukForm, forms.Form):
    reason = forms.CharField(
        label="Why is the sign-off withdrawn?",
        widget=GovukTextarea(rows=4),
        help_text="The partnership lead and the other authorities will read this.",
        error_messages={"required": "Enter why the sign-off is withdrawn"},
    )


class ConfirmForm(GovukForm, forms.Form):
    version = VersionField()


class ReviewForm(GovukForm, forms.Form):
    outcome = forms.ChoiceField(
        label="What did the review decide?",
        choices=[
            ("reconfirm", "Keep the strategy as it is (re-confirm it)"),
            ("revise", "Revise it: prepare a new version"),
        ],
        widget=GovukRadioSelect(
            hints={
                "reconfirm": "The published strategy stays; the next review is due "
                "12 months after the review date.",
                "revise": "The current version stays published until a new version "
                "goes through consultation, sign-off and publication.",
            },
        ),
        error_messages={"required": "Select what the review decided"},
    )
    on = GovukDateField(
        label="Date of the review",
        must_be_past=True,
        allow_today=True,
        help_text="The date the partnership board completed the review. " + DATE_HINT,
    )
    decisions = forms.CharField(
        label="Decisions made",
        widget=GovukTextarea(rows=5),
        error_messages={"required": "Enter the decisions the review made"},
    )
    changes = forms.CharField(
        label="What will change in the new version",
        required=False,
        help_text="Only if you are revising the strategy.",
        widget=GovukTextarea(rows=4),
    )
    version = VersionField()


class ActionForm(GovukForm, forms.Form):
    title = forms.CharField(
        label="Action",
        max_length=200,
        error_messages={"required": "Enter a title for the action"},
    )
    description = forms.CharField(
        label="Description (optional)", required=False, widget=GovukTextarea(rows=4)
    )
    owner_agency = forms.ModelChoiceField(
        label="Agency that owns it",
        queryset=Agency.objects.none(),
        widget=GovukSelect,
        help_text="Actions may be given to schools, prisons and youth custody "
        "authorities as well as to the specified authorities.",
        error_messages={"required": "Select the agency that owns the action"},
    )
    lead_name = forms.CharField(
        label="Named lead",
        max_length=200,
        help_text="The person responsible for delivering it.",
        error_messages={"required": "Enter the name of the lead"},
    )
    due_on = GovukDateField(label="Due date", help_text=DATE_HINT)
    status = forms.ChoiceField(
        label="Status",
        choices=ActionStatus.choices,
        initial=ActionStatus.NOT_STARTED,
        widget=GovukRadioSelect(small=True),
        error_messages={"required": "Select the status"},
    )
    version = VersionField()

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_agency"].queryset = Agency.objects.filter(
            pk__in=partnership.members.values_list("agency_id", flat=True)
        )


class ProgressForm(GovukForm, forms.Form):
    note = forms.CharField(
        label="Progress update",
        widget=GovukTextarea(rows=4),
        error_messages={"required": "Enter the progress update"},
    )
    status = forms.ChoiceField(
        label="Status now",
        choices=ActionStatus.choices,
        widget=GovukRadioSelect(small=True),
        error_messages={"required": "Select the status"},
    )
    version = VersionField()


class ActionFilterForm(GovukForm, forms.Form):
    """The MoJ filter: status, owner and overdue only. GET, so it is bookmarkable."""

    label_size = "s"

    q = forms.CharField(
        label="Search actions",
        required=False,
        widget=GovukTextInput(width="full"),
    )
    status = forms.MultipleChoiceField(
        label="Status",
        choices=ActionStatus.choices,
        required=False,
        widget=GovukCheckboxSelectMultiple(small=True),
    )
    owner = forms.ModelMultipleChoiceField(
        label="Owner",
        queryset=Agency.objects.none(),
        required=False,
        widget=GovukCheckboxSelectMultiple(small=True),
    )
    owner_role = forms.ChoiceField(
        label="Kind of owner",
        choices=[
            ("", "Any"),
            (StatutoryRole.SPECIFIED, "Specified authorities"),
            (
                StatutoryRole.RELEVANT,
                "Educational, prison and youth custody authorities",
            ),
        ],
        required=False,
        widget=GovukRadioSelect(small=True),
    )
    overdue = forms.BooleanField(label="Overdue only", required=False)

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Agency.objects.filter(
            strategy_actions__partnership=partnership
        ).distinct()
