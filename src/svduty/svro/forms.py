"""Forms for the SVRO register (GOV.UK Design System through core.forms). They only
collect answers; the Act's rules are in the actions."""

from __future__ import annotations

from typing import cast

from django import forms

from svduty.accounts.models import Agency
from svduty.cases.models import Person
from svduty.core.forms import GovukDateField, GovukForm
from svduty.core.widgets import (
    GovukCheckboxSelectMultiple,
    GovukNumberInput,
    GovukRadioSelect,
    GovukSelect,
    GovukTextarea,
    GovukTextInput,
)
from svduty.partnership.models import LocalArea

from .models import (
    DECIDED,
    Applicant,
    Application,
    ApplicationStatus,
    Assessment,
    BreachKind,
    EthnicGroup,
    Ethnicity,
    ForceArea,
    Gowisely,
    IdentityMethod,
    Investigation,
    Lifecycle,
    Necessity,
    NotifiableEvent,
    OrderEventKind,
    OrderType,
    SearchOutcome,
    Sentence,
    Sex,
    WeaponCondition,
    WeaponType,
)


def optional(label: str) -> str:
    return f"{label} (optional)"


def textarea(rows: int = 3) -> GovukTextarea:
    return GovukTextarea(rows=rows)


def local_area_field(label: str, help_text: str) -> forms.ModelChoiceField:
    """A local authority area, optional (the scrutiny figures by area)."""
    return forms.ModelChoiceField(
        label=optional(label),
        queryset=LocalArea.objects.order_by("name"),
        required=False,
        empty_label="Not known",
        widget=GovukSelect,
        help_text=help_text,
    )


class HolderForm(GovukForm, forms.Form):
    managing_force = forms.ModelChoiceField(
        label="Force managing the order",
        queryset=Agency.objects.none(),
        widget=GovukSelect,
    )
    name = forms.CharField(label="Full name", max_length=200, widget=GovukTextInput())
    date_of_birth = GovukDateField(label="Date of birth", must_be_past=True)
    sex = forms.ChoiceField(label="Sex", choices=Sex.choices, widget=GovukRadioSelect)
    ethnicity = forms.ChoiceField(
        label="Self-defined ethnicity",
        choices=Ethnicity.choices,
        widget=GovukSelect,
        help_text="As the person describes it (2021 Census categories).",
    )
    reference = forms.CharField(
        label=optional("Force reference"),
        required=False,
        max_length=40,
        widget=GovukTextInput(width=10),
        help_text="For example the Police National Computer (PNC) ID.",
    )
    description = forms.CharField(
        label=optional("Physical description"),
        required=False,
        widget=textarea(),
        help_text="Helps officers confirm who they have stopped.",
    )
    local_area = local_area_field(
        "Local authority area where they live",
        "For the scrutiny figures by area. A notified new home address changes it.",
    )

    def __init__(self, *args, forces, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["managing_force"])
        field.queryset = forces
        if len(forces) == 1:
            field.initial = forces[0]


class ApplicationForm(GovukForm, forms.Form):
    order_type = forms.ModelChoiceField(
        label="Type of order",
        queryset=OrderType.objects.filter(active=True),
        widget=GovukSelect,
    )
    considered_on = GovukDateField(
        label="Date the person was considered",
        must_be_past=True,
        allow_today=True,
    )
    status = forms.ChoiceField(
        label="Was an application made?",
        choices=[
            (ApplicationStatus.PENDING, "Yes, the prosecution applied"),
            (ApplicationStatus.CONSIDERED, "No, the person was considered only"),
        ],
        widget=GovukRadioSelect,
    )
    offence = forms.CharField(
        label=optional("Offence convicted of"),
        required=False,
        max_length=300,
        widget=GovukTextInput(),
        help_text="The offence that is the basis of the application.",
    )
    offence_date = GovukDateField(
        label=optional("Date of the offence"), required=False, must_be_past=True
    )
    conviction_date = GovukDateField(
        label=optional("Date of conviction"),
        required=False,
        must_be_past=True,
        allow_today=True,
    )
    sentence = forms.CharField(
        label=optional("Sentence"),
        required=False,
        max_length=300,
        widget=GovukTextInput(),
    )
    absolute_discharge = forms.BooleanField(
        label="The sentence was an absolute discharge", required=False
    )
    court = forms.CharField(
        label=optional("Court"), required=False, max_length=200, widget=GovukTextInput()
    )
    hearing_date = GovukDateField(label=optional("Hearing date"), required=False)
    reason = forms.CharField(
        label=optional("Notes"),
        required=False,
        widget=textarea(),
        help_text="For a person considered only: why no application was made.",
    )


class DecisionForm(GovukForm, forms.Form):
    status = forms.ChoiceField(
        label="What did the court decide?",
        choices=[(s.value, s.label) for s in DECIDED],
        widget=GovukRadioSelect,
    )
    decided_on = GovukDateField(
        label="Date of the decision", must_be_past=True, allow_today=True
    )
    reason = forms.CharField(
        label=optional("Reason given"),
        required=False,
        widget=textarea(),
        help_text="Needed when the application was refused or withdrawn.",
    )


class GrantedApplicationField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Application) -> str:
        return f"{obj.order_type.name}, granted {obj.decided_on:%-d %B %Y}"


class OrderForm(GovukForm, forms.Form):
    order_type = forms.ModelChoiceField(
        label="Type of order",
        queryset=OrderType.objects.filter(active=True),
        widget=GovukSelect,
    )
    application = GrantedApplicationField(
        label=optional("Granted application"),
        queryset=Application.objects.none(),
        required=False,
        widget=GovukSelect,
        help_text="An SVRO is made only on a granted application after a conviction.",
    )
    issuing_area = forms.ChoiceField(
        label="Force area of the issuing court",
        choices=ForceArea.choices,
        widget=GovukSelect,
    )
    issuing_court = forms.CharField(
        label="Court that made the order", max_length=200, widget=GovukTextInput()
    )
    made_on = GovukDateField(
        label="Date the order was made", must_be_past=True, allow_today=True
    )
    on_release = forms.BooleanField(
        label="The order takes effect on release from custody", required=False
    )
    takes_effect_on = GovukDateField(
        label=optional("Date the order takes effect"),
        required=False,
        help_text="Leave empty if it takes effect the day it was made, or on a "
        "release date not yet known.",
    )
    period_months = forms.IntegerField(
        label="Period in months",
        widget=GovukNumberInput(width=3),
        help_text="For an SVRO, from 6 to 24 months.",
    )
    weapon_condition = forms.ChoiceField(
        label=optional("Weapon condition the court found"),
        required=False,
        choices=WeaponCondition.choices,
        widget=GovukRadioSelect,
        help_text="Sentencing Act 2020 s.342A(3) and (4).",
    )
    necessity = forms.MultipleChoiceField(
        label=optional("Why the court found the order necessary"),
        required=False,
        choices=Necessity.choices,
        widget=GovukCheckboxSelectMultiple,
        help_text="Sentencing Act 2020 s.342A(5). Select all that apply.",
    )
    explanation_given = forms.BooleanField(
        label="The court explained the order and the search power in ordinary language",
        required=False,
    )
    explanation_notes = forms.CharField(
        label=optional("Notes on the explanation"), required=False, widget=textarea()
    )

    def __init__(self, *args, holder, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["application"])
        field.queryset = Application.objects.filter(
            holder=holder, status=ApplicationStatus.GRANTED, order__isnull=True
        ).select_related("order_type")


class NotificationForm(GovukForm, forms.Form):
    event = forms.ChoiceField(
        label="What is being notified?",
        choices=NotifiableEvent.choices,
        widget=GovukRadioSelect,
    )
    event_on = GovukDateField(
        label="Date of the event",
        must_be_past=True,
        allow_today=True,
        help_text="The day the name was first used, the move, or the decision to "
        "stay. The deadline counts from this day.",
    )
    notified_on = GovukDateField(
        label=optional("Date notified at the police station"),
        required=False,
        must_be_past=True,
        allow_today=True,
        help_text="Leave empty if the person has not attended yet.",
    )
    station = forms.CharField(
        label=optional("Police station"),
        required=False,
        max_length=200,
        widget=GovukTextInput(),
    )
    received_by = forms.CharField(
        label=optional("Officer or authorised person who received it"),
        required=False,
        max_length=200,
        widget=GovukTextInput(),
    )
    new_name = forms.CharField(
        label=optional("Name being used"),
        required=False,
        max_length=200,
        widget=GovukTextInput(),
    )
    address = forms.CharField(
        label=optional("Address or location"),
        required=False,
        widget=textarea(),
        help_text="For no fixed abode, where the person can regularly be found.",
    )
    local_area = local_area_field(
        "Local authority area of the new home address",
        "For an initial notification, a new home address or no fixed abode: where "
        "the person now lives, for the scrutiny figures by area.",
    )
    information = forms.CharField(
        label=optional("Other information given"), required=False, widget=textarea()
    )
    advice_given = forms.BooleanField(
        label="The requirements, effects and offences were explained in ordinary "
        "language",
        required=False,
    )
    description_update = forms.CharField(
        label=optional("Updated physical description"),
        required=False,
        widget=textarea(),
    )

    def __init__(self, *args, expected: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if expected:
            del self.fields["event"], self.fields["event_on"], self.fields["new_name"]
            self.fields["notified_on"] = GovukDateField(
                label="Date notified at the police station",
                must_be_past=True,
                allow_today=True,
            )
            self.order_fields(["notified_on"])


class CustodyForm(GovukForm, forms.Form):
    started_on = GovukDateField(
        label="Date taken into custody", must_be_past=True, allow_today=True
    )
    ended_on = GovukDateField(
        label=optional("Date released"),
        required=False,
        help_text="Leave empty while the person is in custody.",
    )


class ReleaseForm(GovukForm, forms.Form):
    ended_on = GovukDateField(
        label="Date released", must_be_past=True, allow_today=True
    )


class SearchForm(GovukForm, forms.Form):
    reference = forms.CharField(
        label="Search reference", max_length=40, widget=GovukTextInput(width=10)
    )
    force_area = forms.ChoiceField(
        label="Force area where the search happened",
        choices=ForceArea.choices,
        widget=GovukSelect,
        help_text="The power applies across England and Wales.",
    )
    officer_identifier = forms.CharField(
        label="Officer's number", max_length=40, widget=GovukTextInput(width=10)
    )
    searched_on = GovukDateField(
        label="Date of the search", must_be_past=True, allow_today=True
    )
    searched_time = forms.TimeField(
        label="Time of the search",
        widget=GovukTextInput(width=5),
        help_text="24-hour clock, for example 14:30.",
    )
    location = forms.CharField(
        label="Where",
        max_length=300,
        widget=GovukTextInput(),
        help_text="Street and town.",
    )
    local_area = local_area_field(
        "Local authority area where the search happened",
        "For the scrutiny figures by area.",
    )
    latitude = forms.FloatField(
        label=optional("Latitude"),
        required=False,
        widget=GovukNumberInput(decimal=True, width=10),
    )
    longitude = forms.FloatField(
        label=optional("Longitude"),
        required=False,
        widget=GovukNumberInput(decimal=True, width=10),
    )
    public_place = forms.TypedChoiceField(
        label="Was it a public place?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=GovukRadioSelect,
    )
    not_public_reason = forms.CharField(
        label=optional("If not, why did the search go ahead?"),
        required=False,
        widget=textarea(),
    )
    identity_method = forms.ChoiceField(
        label="How were the person's identity and order confirmed?",
        choices=IdentityMethod.choices,
        widget=GovukRadioSelect,
    )
    gowisely = forms.MultipleChoiceField(
        label=optional("What the person was told (GOWISELY)"),
        required=False,
        choices=Gowisely.choices,
        widget=GovukCheckboxSelectMultiple,
    )
    self_ethnicity = forms.ChoiceField(
        label="Self-defined ethnicity", choices=Ethnicity.choices, widget=GovukSelect
    )
    officer_ethnicity = forms.ChoiceField(
        label="Officer-perceived ethnicity",
        choices=EthnicGroup.choices,
        widget=GovukSelect,
    )
    age = forms.IntegerField(
        label=optional("Age"), required=False, widget=GovukNumberInput(width=3)
    )
    sex = forms.ChoiceField(label="Sex", choices=Sex.choices, widget=GovukRadioSelect)
    force_used = forms.BooleanField(label="Force was used", required=False)
    force_type = forms.CharField(
        label=optional("Force used"), required=False, widget=GovukTextInput()
    )
    items_found = forms.MultipleChoiceField(
        label=optional("Items found"),
        required=False,
        choices=WeaponType.choices,
        widget=GovukCheckboxSelectMultiple,
    )
    seized = forms.BooleanField(label="Items were seized", required=False)
    outcome = forms.ChoiceField(
        label="Outcome", choices=SearchOutcome.choices, widget=GovukRadioSelect
    )
    arrest_offence = forms.CharField(
        label=optional("Offence for the arrest"),
        required=False,
        widget=GovukTextInput(),
    )
    outcome_linked = forms.BooleanField(
        label="The outcome is linked to the object of the search", required=False
    )
    body_worn_video = forms.BooleanField(
        label="Body-worn video was recording", required=False
    )
    receipt_reference = forms.CharField(
        label=optional("Receipt reference"),
        required=False,
        widget=GovukTextInput(width=10),
    )


class OrderEventForm(GovukForm, forms.Form):
    event = forms.ChoiceField(
        label="What did the court decide?",
        choices=[
            (OrderEventKind.VARIED, "Varied the order"),
            (OrderEventKind.RENEWED, "Renewed the order"),
            (OrderEventKind.DISCHARGED, "Discharged the order"),
            (OrderEventKind.APPEALED, "Decided an appeal"),
        ],
        widget=GovukRadioSelect,
    )
    event_on = GovukDateField(
        label="Date of the decision", must_be_past=True, allow_today=True
    )
    applicant = forms.ChoiceField(
        label="Who applied or appealed?", choices=Applicant.choices, widget=GovukSelect
    )
    court = forms.CharField(label="Court", max_length=200, widget=GovukTextInput())
    period_months = forms.IntegerField(
        label=optional("New period in months"),
        required=False,
        widget=GovukNumberInput(width=3),
        help_text="For a variation, from the day the order took effect; for a "
        "renewal, a further period from the day after its last day.",
    )
    quashed = forms.BooleanField(label="The appeal quashed the order", required=False)
    outcome = forms.CharField(
        label=optional("What the court said"), required=False, widget=textarea()
    )


class BreachForm(GovukForm, forms.Form):
    kind = forms.ChoiceField(
        label="What happened?", choices=BreachKind.choices, widget=GovukRadioSelect
    )
    occurred_on = GovukDateField(
        label="Date it happened", must_be_past=True, allow_today=True
    )
    reported_by = forms.CharField(
        label="Reported by", max_length=200, widget=GovukTextInput()
    )
    investigation = forms.ChoiceField(
        label="Where is the investigation?",
        choices=Investigation.choices,
        widget=GovukRadioSelect,
    )
    charge = forms.CharField(
        label=optional("Charge"),
        required=False,
        max_length=300,
        widget=GovukTextInput(),
    )
    sentence = forms.ChoiceField(
        label=optional("Sentence"),
        required=False,
        choices=[("", "Not sentenced")] + Sentence.choices,
        widget=GovukSelect,
    )
    notes = forms.CharField(label=optional("Notes"), required=False, widget=textarea())


class ReoffenceForm(GovukForm, forms.Form):
    offence = forms.CharField(label="Offence", max_length=300, widget=GovukTextInput())
    offence_date = GovukDateField(label="Date of the offence", must_be_past=True)
    conviction_date = GovukDateField(
        label="Date of conviction", must_be_past=True, allow_today=True
    )
    weapon_related = forms.BooleanField(
        label="The offence involved a bladed article or offensive weapon",
        required=False,
    )


class SampleForm(GovukForm, forms.Form):
    panel = forms.CharField(
        label="Scrutiny panel",
        max_length=200,
        widget=GovukTextInput(),
        help_text="For example, Cleveland Stop and Search Scrutiny Panel",
    )
    force = forms.ModelChoiceField(
        label="Force", queryset=Agency.objects.none(), widget=GovukSelect
    )
    period_start = GovukDateField(label="Searches from", must_be_past=True)
    period_end = GovukDateField(
        label="Searches up to", must_be_past=True, allow_today=True
    )
    size = forms.IntegerField(
        label="How many searches to sample",
        min_value=1,
        max_value=200,
        initial=10,
        widget=GovukNumberInput(width=3),
    )
    seed = forms.IntegerField(
        label=optional("Seed"),
        required=False,
        min_value=0,
        max_value=2**31 - 1,
        widget=GovukNumberInput(width=10),
        help_text="Leave empty for a random one. Enter a kept sample's seed, period "
        "and size to draw it again and check it.",
    )

    def __init__(self, *args, forces=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["force"])
        field.queryset = forces if forces is not None else Agency.objects.none()
        if forces is not None and len(choices := list(forces[:2])) == 1:
            field.initial = choices[0].pk


class ReviewForm(GovukForm, forms.Form):
    video_watched = forms.TypedChoiceField(
        label="Did the panel watch the body-worn video?",
        choices=[("yes", "Yes"), ("no", "No, there was none or it was not shown")],
        coerce=lambda value: value == "yes",
        widget=GovukRadioSelect,
    )
    grounds = forms.ChoiceField(
        label="The grounds and the information given (GOWISELY)",
        choices=Assessment.choices,
        widget=GovukRadioSelect,
    )
    conduct = forms.ChoiceField(
        label="The officers' conduct",
        choices=Assessment.choices,
        widget=GovukRadioSelect,
    )
    feedback = forms.CharField(
        label=optional("Feedback to the force"), required=False, widget=textarea(5)
    )


class OrderTypeForm(GovukForm, forms.Form):
    lifecycle = forms.ChoiceField(
        label="Where is this order type in its life?",
        choices=Lifecycle.choices,
        widget=GovukRadioSelect,
    )
    issuing_areas = forms.MultipleChoiceField(
        label=optional("Force areas where orders may be made (pilot)"),
        required=False,
        choices=ForceArea.choices,
        widget=GovukCheckboxSelectMultiple,
    )
    issuing_from = GovukDateField(
        label=optional("Orders may be made from"), required=False
    )
    issuing_until = GovukDateField(
        label=optional("Orders may be made up to"), required=False
    )
    min_months = forms.IntegerField(
        label=optional("Shortest period (months)"),
        required=False,
        min_value=1,
        max_value=120,
        widget=GovukNumberInput(width=3),
    )
    max_months = forms.IntegerField(
        label=optional("Longest period (months)"),
        required=False,
        min_value=1,
        max_value=120,
        widget=GovukNumberInput(width=3),
    )
    minimum_age = forms.IntegerField(
        label="Minimum age on the conviction date",
        min_value=0,
        max_value=99,
        widget=GovukNumberInput(width=3),
    )
    first_appointed_day = GovukDateField(
        label=optional("Offences on or after (the first appointed day)"), required=False
    )
    notification_days = forms.IntegerField(
        label=optional("Days to notify, including the day of the event"),
        required=False,
        min_value=1,
        max_value=60,
        widget=GovukNumberInput(width=3),
        help_text="Leave empty if the order type has no notification duties.",
    )
    active = forms.BooleanField(
        label="New orders of this type can be recorded", required=False
    )


class PopulationForm(GovukForm, forms.Form):
    force_area = forms.ChoiceField(
        label="Force area", choices=ForceArea.choices, widget=GovukSelect
    )
    ethnic_group = forms.ChoiceField(
        label="Ethnic group", choices=EthnicGroup.choices, widget=GovukSelect
    )
    population = forms.IntegerField(
        label="Residents", min_value=0, widget=GovukNumberInput(width=10)
    )
    source = forms.CharField(
        label="Source",
        max_length=300,
        widget=GovukTextInput(),
        help_text="For example, Census 2021 (ONS), table TS021",
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        born = (
            f"born {obj.date_of_birth:%-d %B %Y}"
            if obj.date_of_birth
            else "date of birth not known"
        )
        return f"{obj.display_name}, {born} ({obj.partnership.name})"


class PersonLinkForm(GovukForm, forms.Form):
    """Choose, among the shared person records the user may read, the one that is
    this order holder. The choices come from the view (the `cases` policy)."""

    person = PersonChoiceField(
        label="Which record is this person?",
        queryset=Person.objects.none(),
        widget=GovukRadioSelect,
        empty_label=None,
        error_messages={
            "required": "Select the record that is this person",
            "invalid_choice": "Select one of the records shown",
        },
    )

    def __init__(self, *args, candidates, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["person"]).queryset = candidates


class WithdrawReportForm(GovukForm, forms.Form):
    reason = forms.CharField(
        label="Why is the report withdrawn?",
        help_text="Shown on the public page in place of the figures, for example "
        "'The figures for March counted some searches twice: see the corrected "
        "report published on 6 December 2026'.",
        max_length=2000,
        widget=textarea(4),
        error_messages={"required": "Enter why the report is withdrawn"},
    )
