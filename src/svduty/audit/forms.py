from django import forms

from .models import AuditAction


class AuditSearchForm(forms.Form):
    user = forms.CharField(
        label="User", required=False, help_text="Sign-in name, or part of it"
    )
    agency = forms.CharField(label="Agency", required=False)
    record = forms.CharField(
        label="Record",
        required=False,
        help_text=(
            "Part of the record’s name, or its type and number, like cases.person:42"
        ),
    )
    action = forms.ChoiceField(
        label="Action",
        required=False,
        choices=[("", "Any action")] + [(a.value, a.label) for a in AuditAction],
    )
    date_from = forms.DateField(
        label="From (date)",
        required=False,
        help_text="For example, 27/3/2026",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={"invalid": "Enter a real date, like 27/3/2026"},
    )
    date_to = forms.DateField(
        label="To (date)",
        required=False,
        help_text="For example, 30/3/2026",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={"invalid": "Enter a real date, like 30/3/2026"},
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error(
                "date_to", "The ‘to’ date must be the same as or after the ‘from’ date"
            )
        return cleaned
