"""Forms of the children-at-risk settings pages (language rules, assessment types,
the screening tool); the pages are `svduty.cases.views.configuration`."""

from __future__ import annotations

from django import forms

from svduty.cases.actions import configuration as config
from svduty.cases.models import IndicatorGroup, RiskLevel, ScreeningTool
from svduty.core.forms import GovukForm
from svduty.core.widgets import (
    GovukNumberInput,
    GovukRadioSelect,
    GovukSelect,
    GovukTextarea,
    GovukTextInput,
)


def _number(label, low, high, *, required=True, help_text="", unit=""):
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=low,
        max_value=high,
        help_text=help_text,
        widget=GovukNumberInput(width=3),
        error_messages={
            "required": f"Enter {label[:1].lower() + label[1:]}",
            "invalid": f"{label} must be a whole number",
            "min_value": f"{label} must be between {low} and {high}{unit}",
            "max_value": f"{label} must be between {low} and {high}{unit}",
        },
    )


class LanguageRuleForm(GovukForm, forms.Form):
    phrase = forms.CharField(
        label="Phrase to look for",
        max_length=100,
        help_text="Found as whole words, in any case, for example “choosing to”.",
        widget=GovukTextInput(width="two-thirds"),
        error_messages={"required": "Enter the phrase to look for"},
    )
    alternative = forms.CharField(
        label="Suggested alternative",
        max_length=300,
        widget=GovukTextInput(),
        error_messages={"required": "Enter a suggested alternative"},
    )
    explanation = forms.CharField(
        label="Why the phrase is a problem",
        max_length=300,
        required=False,
        help_text="Shown to the practitioner with the suggestion.",
        widget=GovukTextarea(attrs={"rows": 3}),
    )


class AssessmentTypeForm(GovukForm, forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=200,
        widget=GovukTextInput(),
        error_messages={"required": "Enter the name of the assessment type"},
    )
    description = forms.CharField(
        label="Description",
        required=False,
        widget=GovukTextarea(attrs={"rows": 3}),
    )
    timescale_working_days = _number(
        "Timescale in working days",
        config.TIMESCALE_MIN,
        config.TIMESCALE_MAX,
        help_text="Working days from the start of the assessment to its due date. "
        "Working Together: 45 for a child and family assessment.",
    )


class ToolSettingsForm(GovukForm, forms.Form):
    medium_from = _number(
        "Score for medium risk",
        1,
        500,
        help_text="A total score at or above this suggests medium risk.",
    )
    high_from = _number(
        "Score for high risk",
        1,
        500,
        help_text="A total score at or above this suggests high risk. It must be "
        "higher than the score for medium risk.",
    )
    significant_means_high = forms.BooleanField(
        label="Any significant indicator answered Yes suggests high risk",
        required=False,
    )
    floor_under_age = _number(
        "Floor rule: children younger than",
        1,
        18,
        required=False,
        help_text="A child younger than this with any indicator present is not "
        "rated below the floor level. Leave blank for no age rule.",
    )
    floor_for_learning_disability = forms.BooleanField(
        label="The floor rule also applies to children with a learning disability",
        required=False,
    )
    floor_level = forms.ChoiceField(
        label="Floor level",
        choices=[(RiskLevel.MEDIUM, "Medium"), (RiskLevel.HIGH, "High")],
        widget=GovukRadioSelect,
        error_messages={"required": "Select the floor level"},
    )
    review_weeks = _number(
        "Next screening due after",
        1,
        104,
        help_text="In weeks.",
        unit=" weeks",
    )


class GroupForm(GovukForm, forms.Form):
    name = forms.CharField(
        label="Name of the group",
        max_length=200,
        widget=GovukTextInput(),
        error_messages={"required": "Enter the name of the group"},
    )


class IndicatorForm(GovukForm, forms.Form):
    group = forms.ModelChoiceField(
        label="Group",
        queryset=IndicatorGroup.objects.none(),
        empty_label=None,
        widget=GovukSelect,
        error_messages={"required": "Select the group"},
    )
    text = forms.CharField(
        label="Indicator",
        max_length=300,
        widget=GovukTextInput(),
        error_messages={"required": "Enter the indicator"},
    )
    hint = forms.CharField(
        label="Hint",
        max_length=300,
        required=False,
        help_text="Optional. Shown under the indicator on the screening form.",
        widget=GovukTextInput(),
    )
    weight = _number(
        "Weight",
        0,
        50,
        help_text="Added to the score when the answer is Yes.",
    )
    is_significant = forms.BooleanField(
        label="Significant indicator (a Yes on its own can suggest high risk)",
        required=False,
    )

    def __init__(self, *args, tool: ScreeningTool, **kwargs):
        super().__init__(*args, **kwargs)
        group = self.fields["group"]
        assert isinstance(group, forms.ModelChoiceField)
        group.queryset = tool.groups.all()
