"""Forms for data sharing agreements and uploads. Rules live in the actions and
in :mod:`svduty.sharing.imports`; these forms collect and shape input. Hints follow
the ICO data sharing code of practice, so whoever fills the agreement in knows what
each field is for."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.dateformat import format as date_format

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
from svduty.partnership.models import Partnership

from .models import (
    AgreementStatus,
    DataSharingAgreement,
    DpiaOutcome,
    LawfulBasis,
    LegalGateway,
)
from .readers import KINDS
from .uploads import check_upload

GATEWAY_HINTS = {
    LegalGateway.PCSC_S16: "Lets specified authorities, local policing bodies and "
    "educational, prison and youth custody authorities disclose information they "
    "hold to one another, for the recipient's functions under the Serious Violence "
    "Duty. It does not cover patient information, or personal information "
    "disclosed by a health or social care authority.",
    # s.17 runs one way: the local policing body asks, the authority supplies.
    LegalGateway.PCSC_S17: "Lets the local policing body (the police and crime "
    "commissioner) ask a specified, educational, prison or youth custody authority "
    "for information it holds, to help the local policing body assist or monitor "
    "under the duty. Only that local policing body may use what it receives.",
    LegalGateway.CDA_S115: "Lets anyone disclose information to a relevant "
    "authority where it is necessary for the Crime and Disorder Act.",
    LegalGateway.CONSENT: "Only where people have a genuine choice. Rarely the right "
    "gateway for public authorities.",
}

YES_NO = [(True, "Yes"), (False, "No")]


def _yes_no(value) -> bool:
    return value in (True, "True", "true", "1", "yes")


class VersionField(forms.IntegerField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)


def _kinds_now(field: forms.Field, *, upload_page: bool = False) -> None:
    """Offer the kinds registered now (apps above sharing add theirs in ready());
    on the upload page, only those imported from it."""
    kinds = [k for k in KINDS.values() if k.upload_page or not upload_page]
    field.choices = [(k.key, k.label) for k in kinds]  # type: ignore[attr-defined]
    field.widget.hints = {k.key: k.description for k in kinds}  # type: ignore[attr-defined]


class AgreementForm(GovukForm, forms.Form):
    label_size = "m"

    title = forms.CharField(
        label="Title",
        max_length=200,
        widget=GovukTextInput,
        help_text="A name everyone will recognise, for example ‘Cleveland Police "
        "recorded crime to the violence reduction unit’.",
        error_messages={"required": "Enter a title for the agreement"},
    )
    parties = forms.ModelMultipleChoiceField(
        label="Parties",
        queryset=Agency.objects.none(),
        widget=GovukCheckboxSelectMultiple,
        help_text="Every organisation that discloses or receives the data.",
        error_messages={
            "required": "Select the organisations that are party to the agreement"
        },
    )
    providers = forms.ModelMultipleChoiceField(
        label="Which parties disclose the data?",
        queryset=Agency.objects.none(),
        widget=GovukCheckboxSelectMultiple,
        help_text="The organisations the data comes from. Whether section 16 can be "
        "used depends on who they are: section 16 does not cover personal "
        "information disclosed by a health or social care authority.",
        error_messages={"required": "Select the organisations that disclose the data"},
    )
    purpose = forms.CharField(
        label="Purpose",
        widget=GovukTextarea(rows=4),
        help_text="Why the data is shared and what it will be used for. Be specific: "
        "the data may only be used for this purpose.",
        error_messages={"required": "Enter the purpose of the sharing"},
    )
    for_duty_functions = forms.BooleanField(
        label="The data is shared to enable or assist the recipients to exercise their "
        "functions under the Serious Violence Duty",
        required=False,
        help_text="Needed for section 16 (section 16(1) and (2)).",
    )
    legal_gateway = forms.ChoiceField(
        label="Legal gateway",
        choices=LegalGateway.choices,
        widget=GovukRadioSelect(hints=GATEWAY_HINTS),
        help_text="The legal power that allows the organisations to share.",
        error_messages={"required": "Select the legal gateway"},
    )
    legal_gateway_other = forms.CharField(
        label="Other legal power (if you selected ‘another legal power’)",
        max_length=300,
        required=False,
        widget=GovukTextInput,
        help_text="Name the Act and section.",
    )
    lawful_basis = forms.ChoiceField(
        label="Lawful basis",
        choices=LawfulBasis.choices,
        widget=GovukRadioSelect,
        help_text="Under UK GDPR Article 6, or Part 3 of the Data Protection Act "
        "2018 where the receiver processes the data for law enforcement purposes.",
        error_messages={"required": "Select the lawful basis"},
    )
    special_category_condition = forms.CharField(
        label="Special category condition (optional)",
        required=False,
        widget=GovukTextarea(rows=3),
        help_text="Needed for health, ethnicity, religion, sex life and similar data: "
        "the UK GDPR Article 9 condition and any DPA 2018 Schedule 1 condition.",
    )
    criminal_offence_condition = forms.CharField(
        label="Criminal offence data condition (optional)",
        required=False,
        widget=GovukTextarea(rows=3),
        help_text="Needed for data about offences and offenders (UK GDPR Article 10): "
        "the DPA 2018 Schedule 1 condition relied on.",
    )
    data_items = forms.CharField(
        label="Data items",
        widget=GovukTextarea(rows=4),
        help_text="Exactly what is shared. Share only what the purpose needs "
        "(data minimisation).",
        error_messages={"required": "Enter the data items shared"},
    )
    datasets = forms.MultipleChoiceField(
        label="Datasets it covers",
        choices=[(k.key, k.label) for k in KINDS.values()],
        widget=GovukCheckboxSelectMultiple(
            hints={k.key: k.description for k in KINDS.values()}
        ),
        help_text="Imports of partner data must name an agreement that covers them.",
        error_messages={"required": "Select the datasets the agreement covers"},
    )
    personal_information = forms.TypedChoiceField(
        label="Does the sharing include personal information?",
        choices=YES_NO,
        coerce=_yes_no,
        widget=GovukRadioSelect(inline=True),
        help_text="Information about people who can be identified, directly or "
        "indirectly. Anonymous counts and aggregate tables are not personal "
        "information.",
        error_messages={"required": "Select yes if it includes personal information"},
    )
    discloses_patient_information = forms.TypedChoiceField(
        label="Does the sharing include patient information?",
        choices=YES_NO,
        coerce=_yes_no,
        widget=GovukRadioSelect(inline=True),
        help_text="Information about a person's health or care, or that identifies "
        "a patient, held by or for a health service body.",
        error_messages={"required": "Select yes if it includes patient information"},
    )
    dpia_reference = forms.CharField(
        label="Data protection impact assessment reference (optional)",
        max_length=100,
        required=False,
        widget=GovukTextInput(width=10),
    )
    dpia_review_on = GovukDateField(
        label="Date the impact assessment is next reviewed (optional)",
        required=False,
        help_text="For example, 1 4 2025",
    )
    dpia_outcome = forms.ChoiceField(
        label="Outcome of the data protection impact assessment",
        choices=DpiaOutcome.choices,
        widget=GovukRadioSelect,
        help_text="Sharing that is large-scale or involves children or criminal "
        "offence data usually needs an assessment.",
        error_messages={"required": "Select the outcome of the assessment"},
    )
    retention_and_deletion = forms.CharField(
        label="Retention and deletion",
        widget=GovukTextarea(rows=3),
        help_text="How long each party keeps the data and how it is deleted.",
        error_messages={"required": "Enter how long the data is kept"},
    )
    security_measures = forms.CharField(
        label="Security measures",
        widget=GovukTextarea(rows=3),
        help_text="How the data is transferred, stored and who can access it.",
        error_messages={"required": "Enter the security measures"},
    )
    rights_route = forms.CharField(
        label="How people can use their rights",
        widget=GovukTextarea(rows=3),
        help_text="Where people send subject access and other requests, and how "
        "the parties help each other to answer them.",
        error_messages={"required": "Enter how people can use their rights"},
    )
    frequency = forms.CharField(
        label="How often data is shared",
        max_length=200,
        widget=GovukTextInput(width=20),
        help_text="For example, monthly, or once a year for the needs assessment.",
        error_messages={"required": "Enter how often data is shared"},
    )
    signed_off_by = forms.CharField(
        label="Signed off by (optional until signed)",
        max_length=300,
        required=False,
        widget=GovukTextInput,
        help_text="Name and job title of the senior person who approved it. Data "
        "cannot be imported under the agreement until it is signed off.",
    )
    signed_off_at = GovukDateField(
        label="Date signed off (optional until signed)",
        required=False,
        help_text="For example, 27 3 2024",
    )
    starts_on = GovukDateField(
        label="Start date",
        help_text="For example, 1 4 2024",
        error_messages={"required": "Enter the start date"},
    )
    review_on = GovukDateField(
        label="Review date",
        help_text="The ICO recommends reviewing agreements regularly, for example "
        "every year.",
        error_messages={"required": "Enter the review date"},
    )
    ends_on = GovukDateField(
        label="End date (optional)",
        required=False,
        help_text="Leave blank if the agreement runs until it is ended.",
    )
    version = VersionField()

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        _kinds_now(self.fields["datasets"])
        self.fields["parties"].queryset = Agency.objects.filter(
            partnership_memberships__partnership=partnership
        ).order_by("name")
        self.fields["providers"].queryset = self.fields["parties"].queryset

    @classmethod
    def initial_from(cls, agreement: DataSharingAgreement) -> dict:
        from .actions import AGREEMENT_FIELDS

        initial = {name: getattr(agreement, name) for name in AGREEMENT_FIELDS}
        initial["parties"] = list(agreement.parties.all())
        initial["providers"] = list(agreement.providers.all())
        initial["version"] = agreement.version
        return initial

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("parties")
        data.pop("providers")
        data.pop("version", None)
        return data


class AgreementFilterForm(GovukForm, forms.Form):
    label_size = "s"

    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[
            ("", "All"),
            (AgreementStatus.ACTIVE, "Active"),
            (AgreementStatus.DUE_FOR_REVIEW, "Due for review"),
            (AgreementStatus.EXPIRED, "Expired"),
        ],
        widget=GovukRadioSelect(small=True),
    )


class UploadForm(GovukForm, forms.Form):
    label_size = "m"

    partnership = forms.ModelChoiceField(
        label="Partnership",
        queryset=Partnership.objects.none(),
        widget=GovukSelect,
        empty_label=None,
        error_messages={"required": "Select the partnership"},
    )
    kind = forms.ChoiceField(
        label="What kind of file is it?",
        choices=[(k.key, k.label) for k in KINDS.values() if k.upload_page],
        widget=GovukRadioSelect(
            hints={k.key: k.description for k in KINDS.values() if k.upload_page}
        ),
        error_messages={"required": "Select what kind of file it is"},
    )
    agreement = forms.ModelChoiceField(
        label="Data sharing agreement",
        queryset=DataSharingAgreement.objects.none(),
        required=False,
        widget=GovukSelect,
        empty_label="None (open data)",
        help_text="Police crime extracts and emergency department (ISTV) data must "
        "name an agreement that is in force and covers them. Open data from ONS, "
        "MHCLG and data.police.uk needs none.",
    )
    file = forms.FileField(
        label="Upload a file",
        # The plain input: the enhanced drop zone names its button differently from
        # its visible text, which axe-core reports (label-content-name-mismatch).
        widget=GovukFileInput(enhanced=False),
        help_text="CSV, Excel (.xlsx) or GeoJSON, as described for each kind. "
        "Nothing is imported unless the whole file is correct.",
        error_messages={
            "required": "Select a file",
            "empty": "The selected file is empty",
        },
    )

    def __init__(self, *args, user, upload_refusal: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        _kinds_now(self.fields["kind"], upload_page=True)
        # Set when the upload was stopped while streaming in (too large): the file
        # never arrived, so "Select a file" would be the wrong thing to say.
        self.upload_refusal = upload_refusal
        partnerships = Partnership.objects.visible_to(user).order_by("name")
        self.fields["partnership"].queryset = partnerships
        agreements = (
            DataSharingAgreement.objects.visible_to(user)
            .filter(partnership__in=partnerships)
            .select_related("partnership")
            .prefetch_related("providers")
            .order_by("partnership__name", "title", "-starts_on", "pk")
        )
        self.fields["agreement"].queryset = agreements
        # Grouped by partnership, each agreement named with who discloses under it,
        # its dates and anything that stops an import (issue 16: ten entries read
        # the same). The field still validates against the queryset.
        self.fields["agreement"].widget.choices = agreement_choices(agreements)

    def clean(self):
        data = super().clean()
        if self.upload_refusal:
            self.errors.pop("file", None)
            self.add_error("file", self.upload_refusal)
        elif data.get("file") and data.get("kind"):
            try:
                check_upload(data["file"], data["kind"])
            except forms.ValidationError as error:
                self.add_error("file", error)
        return data


def agreement_label(agreement: DataSharingAgreement, on: dt.date | None = None) -> str:
    """ "Police recorded crime: from Cleveland Police, 1 January 2022 to no end
    date", with the status when an import under it would be refused."""
    providers = sorted(a.name for a in agreement.providers.all())
    since = date_format(agreement.starts_on, "j F Y")
    until = date_format(agreement.ends_on, "j F Y") if agreement.ends_on else None
    label = agreement.title
    if providers:
        label += f": from {', '.join(providers)}"
    label += f", {since} to {until or 'no end date'}"
    status = agreement.status(on)
    if status in (
        AgreementStatus.EXPIRED,
        AgreementStatus.NOT_SIGNED_OFF,
        AgreementStatus.NOT_STARTED,
        AgreementStatus.WITHDRAWN,
    ):
        label += f" ({status.label.lower()})"
    return label


def agreement_choices(agreements) -> list:
    """The "None (open data)" choice, then one option group per partnership."""
    today = timezone.localdate()
    groups: dict[str, list[tuple[str, str]]] = {}
    for agreement in agreements:
        groups.setdefault(agreement.partnership.name, []).append(
            (str(agreement.pk), agreement_label(agreement, today))
        )
    return [("", "None (open data)"), *groups.items()]


class WithdrawAgreementForm(GovukForm, forms.Form):
    agency = forms.ModelChoiceField(
        label="Which party is withdrawing?",
        queryset=Agency.objects.none(),
        widget=GovukRadioSelect,
        error_messages={"required": "Select the party that is withdrawing"},
    )
    reason = forms.CharField(
        label="Why is it withdrawing?",
        widget=GovukTextarea(rows=3),
        help_text="The recipients are told this reason.",
        error_messages={"required": "Enter why the agreement is being withdrawn"},
    )
    version = VersionField()

    def __init__(self, *args, agreement: DataSharingAgreement, user, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        field.queryset = agreement.parties.filter(  # type: ignore[attr-defined]
            pk__in=user.agency_ids()
        ).order_by("name")
