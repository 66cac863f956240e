"""Forms for the review queue (GOV.UK Design System); rules are in the actions."""

from __future__ import annotations

from django import forms

from svduty.core.forms import GovukForm
from svduty.core.widgets import GovukRadioSelect, GovukTextarea, GovukTextInput
from svduty.linkage.models import Verdict


class DecisionForm(GovukForm, forms.Form):
    verdict = forms.ChoiceField(
        label="Are these records about the same person?",
        choices=Verdict.choices,
        widget=GovukRadioSelect(
            hints={
                Verdict.MATCH: "The records are joined into one person. You can "
                "undo this later.",
                Verdict.NOT_MATCH: "The records stay apart and the pair leaves the "
                "queue.",
                Verdict.NOT_SURE: "The pair stays in the queue, marked for someone "
                "else to look at.",
            }
        ),
        error_messages={"required": "Select whether these are the same person"},
    )
    reason = forms.CharField(
        label="Why? (needed for ‘not the same person’)",
        required=False,
        max_length=1000,
        widget=GovukTextarea(rows=3),
    )


class UnmergeForm(GovukForm, forms.Form):
    reason = forms.CharField(
        label="Why was the merge wrong?",
        max_length=1000,
        widget=GovukTextarea(rows=3),
        error_messages={"required": "Enter why the merge was wrong"},
    )


class ThresholdsForm(GovukForm, forms.Form):
    accept_above = forms.FloatField(
        label="Link automatically at or above this probability",
        help_text="Between 0 and 1, for example 0.95",
        min_value=0.01,
        max_value=0.9999,
        widget=GovukTextInput(),
    )
    review_above = forms.FloatField(
        label="Send to review at or above this probability",
        help_text="Pairs below it are treated as different people. For example 0.8",
        min_value=0.0001,
        max_value=0.9998,
        widget=GovukTextInput(),
    )


class StartRunForm(GovukForm, forms.Form):
    """The run button: nothing to fill in (the partnership is in the URL)."""
