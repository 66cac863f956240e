"""Demo section 17 requests: a PCC analyst (`pcc`) has asked Middlesbrough Council
(overdue, no answer yet) and Cleveland Police (answered) for information.
Idempotent: nothing is added if the demo's requests exist."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from svduty.accounts.models import Agency, Membership, User
from svduty.core.authorisation import Role
from svduty.partnership.models import Partnership

from .models import DataSharingAgreement, DpiaOutcome, LawfulBasis, LegalGateway
from .s17_models import InformationRequest, RequestStatus

PCC = "Cleveland Police and Crime Commissioner"


def _pcc_user(agency: Agency) -> User:
    from svduty.accounts.demo import DEMO_PASSWORD

    user = User.objects.filter(username="pcc").first()
    if user is None:
        user = User(
            username="pcc",
            full_name="Robin Monitor (demo)",
            email="pcc@demo.svduty.invalid",
            roles=[Role.ANALYST.value],
            is_active=True,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        Membership.objects.create(user=user, agency=agency, is_primary=True)
    return user


@transaction.atomic
def load(context: dict) -> None:
    pcc = Agency.objects.filter(name=PCC).first()
    partnership = Partnership.objects.filter(slug="middlesbrough").first()
    council = Agency.objects.filter(name="Middlesbrough Council").first()
    police = Agency.objects.filter(name="Cleveland Police").first()
    answerer = User.objects.filter(username="svro").first()
    if not (pcc and partnership and council and police and answerer):
        return
    user = _pcc_user(pcc)
    _figures_agreement(partnership, pcc, council, user)
    if InformationRequest.objects.filter(created_by=user).exists():
        return
    today = timezone.localdate()
    InformationRequest.objects.create(
        partnership=partnership,
        requesting_body=pcc,
        authority=council,
        purpose="To monitor progress on the strategy's exclusions priority.",
        function="monitor",
        data_requested="Counts of permanent exclusions by term, 2023 to 2025 "
        "(no names).",
        due_on=today - dt.timedelta(days=10),
        created_by=user,
        created_at=timezone.now() - dt.timedelta(days=40),
    )
    InformationRequest.objects.create(
        partnership=partnership,
        requesting_body=pcc,
        authority=police,
        purpose="To assist the partnership with the night-time economy priority.",
        function="assist",
        data_requested="Violence with injury by hour of day in the town centre.",
        due_on=today - dt.timedelta(days=5),
        created_by=user,
        created_at=timezone.now() - dt.timedelta(days=30),
        status=RequestStatus.ANSWERED,
        answered_by=answerer,
        answered_at=timezone.now() - dt.timedelta(days=8),
        answer="Peak between 23:00 and 02:00 on Friday and Saturday nights; "
        "counts by hour attached to the partnership's SNA file (demo).",
    )


def _figures_agreement(
    partnership: Partnership, pcc: Agency, council: Agency, by: User
) -> DataSharingAgreement:
    """A section 17 agreement under which the council can answer the overdue
    request with a file of figures (from the request's page, as `lead`)."""
    today = timezone.localdate()
    agreement, created = DataSharingAgreement.objects.get_or_create(
        partnership=partnership,
        title="Figures for the police and crime commissioner (demo, section 17)",
        defaults={
            "purpose": "To let the police and crime commissioner monitor the "
            "specified authorities' work under the Serious Violence Duty (s.14), "
            "with figures the council already holds. Demo agreement.",
            "legal_gateway": LegalGateway.PCSC_S17,
            "lawful_basis": LawfulBasis.GDPR_PUBLIC_TASK,
            "data_items": "Counts by measure, period and area; no names or other "
            "details about people.",
            "datasets": ["s17_figures"],
            "personal_information": False,
            "dpia_reference": "DEMO-DPIA-17",
            "dpia_review_on": today + dt.timedelta(days=300),
            "dpia_outcome": DpiaOutcome.NOT_NEEDED,
            "retention_and_deletion": "Kept by the commissioner's office for two "
            "years, then deleted.",
            "security_measures": "Supplied through svduty only; seen only by the "
            "commissioner's office; every view and export audited.",
            "rights_route": "Requests go to the council's data protection officer.",
            "frequency": "On request",
            "signed_off_by": "Demo Data Protection Officer (synthetic)",
            "signed_off_at": today - dt.timedelta(days=60),
            "starts_on": today - dt.timedelta(days=60),
            "review_on": today + dt.timedelta(days=300),
            "created_by": by,
        },
    )
    if created:
        agreement.parties.set([pcc, council])
        agreement.providers.set([council])
    return agreement
