from __future__ import annotations

from django import forms


class FindSubjectForm(forms.Form):
    q = forms.CharField(
        label="Name or identifier of the person",
        help_text="For example their full name, or an NHS number or police reference.",
        max_length=200,
        error_messages={"required": "Enter a name or an identifier"},
    )
