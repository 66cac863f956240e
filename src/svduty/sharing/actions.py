"""Changes to data sharing agreements (architecture D6).

Each action checks the rules, writes, and records its audit event in the same
transaction. Imports are actions too: see :mod:`svduty.sharing.imports`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from svduty.accounts.models import Agency, User
from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.core.authorisation import Permission
from svduty.core.policies import has_permission
from svduty.partnership.models import Partnership
from svduty.sharing.models import DataSharingAgreement, LegalGateway
from svduty.sharing.readers import KINDS

#: Fields an agreement's create and change actions accept.
AGREEMENT_FIELDS = (
    "title",
    "purpose",
    "legal_gateway",
    "legal_gateway_other",
    "lawful_basis",
    "special_category_condition",
    "criminal_offence_condition",
    "data_items",
    "datasets",
    "discloses_patient_information",
    "discloser_is_health_or_social_care",
    "dpia_reference",
    "dpia_outcome",
    "retention_and_deletion",
    "security_measures",
    "rights_route",
    "frequency",
    "signed_off_by",
    "signed_off_at",
    "starts_on",
    "review_on",
    "ends_on",
)

S16_REFUSED = (
    "Section 16 of the Police, Crime, Sentencing and Courts Act 2022 cannot be the "
    "legal gateway for patient information, or for personal information disclosed "
    "by a health or social care authority (section 16(4)). Choose another gateway, "
    "such as section 17 or the Crime and Disorder Act 1998, section 115, and record "
    "the lawful basis and conditions that apply."
)


def _require(by: User, partnership: Partnership) -> None:
    if not has_permission(by, Permission.MANAGE_AGREEMENTS):
        raise PermissionDenied("You cannot manage data sharing agreements.")
    if not Partnership.objects.visible_to(by).filter(pk=partnership.pk).exists():
        raise PermissionDenied("You cannot manage this partnership's agreements.")


def check_rules(values: dict[str, Any], parties: Iterable[Agency]) -> None:
    """The rules an agreement must meet, as GOV.UK error messages per field."""
    errors: dict[str, list[str]] = {}
    gateway = values.get("legal_gateway")
    if gateway == LegalGateway.PCSC_S16 and (
        values.get("discloses_patient_information")
        or values.get("discloser_is_health_or_social_care")
    ):
        errors.setdefault("legal_gateway", []).append(S16_REFUSED)
    if gateway == LegalGateway.OTHER and not values.get("legal_gateway_other"):
        errors.setdefault("legal_gateway_other", []).append(
            "Enter the legal power that allows the sharing"
        )
    unknown = [k for k in values.get("datasets") or [] if k not in KINDS]
    if unknown:
        errors.setdefault("datasets", []).append("Select datasets from the list")
    if not values.get("datasets"):
        errors.setdefault("datasets", []).append(
            "Select the datasets the agreement covers"
        )
    if bool(values.get("signed_off_by")) != bool(values.get("signed_off_at")):
        if values.get("signed_off_by"):
            errors.setdefault("signed_off_at", []).append(
                "Enter the date the agreement was signed off"
            )
        else:
            errors.setdefault("signed_off_by", []).append(
                "Enter who signed off the agreement"
            )
    starts, review, ends = (
        values.get("starts_on"),
        values.get("review_on"),
        values.get("ends_on"),
    )
    if starts and review and review < starts:
        errors.setdefault("review_on", []).append(
            "Review date must be the same as or after the start date"
        )
    if starts and ends and ends < starts:
        errors.setdefault("ends_on", []).append(
            "End date must be the same as or after the start date"
        )
    if not list(parties):
        errors.setdefault("parties", []).append(
            "Select the organisations that are party to the agreement"
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_agreement(
    *,
    by: User,
    partnership: Partnership,
    parties: Iterable[Agency],
    **values: Any,
) -> DataSharingAgreement:
    _require(by, partnership)
    parties = list(parties)
    unknown = set(values) - set(AGREEMENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown agreement fields: {', '.join(sorted(unknown))}")
    check_rules(values, parties)
    agreement = DataSharingAgreement.objects.create(
        partnership=partnership, created_by=by, **values
    )
    agreement.parties.set(parties)
    record(
        AuditAction.CREATE,
        actor=by,
        target=agreement,
        detail={
            "partnership": partnership.slug,
            "legal_gateway": agreement.legal_gateway,
            "datasets": agreement.datasets,
            "parties": sorted(p.name for p in parties),
        },
    )
    return agreement


@transaction.atomic
def change_agreement(
    *,
    by: User,
    agreement: DataSharingAgreement,
    version: int,
    parties: Iterable[Agency],
    **values: Any,
) -> DataSharingAgreement:
    """Save changes, refusing them if someone else saved the agreement first."""
    locked = DataSharingAgreement.objects.select_for_update().get(pk=agreement.pk)
    _require(by, locked.partnership)
    if locked.version != version:
        raise ValidationError(
            "Someone else changed this agreement after you opened it. Your changes "
            "have not been saved. Open the agreement again to see their changes."
        )
    parties = list(parties)
    check_rules(values, parties)
    changed = sorted(
        name for name, value in values.items() if getattr(locked, name) != value
    )
    old_parties = set(locked.parties.values_list("pk", flat=True))
    if old_parties != {p.pk for p in parties}:
        changed.append("parties")
    for name, value in values.items():
        setattr(locked, name, value)
    locked.version += 1
    locked.updated_at = timezone.now()
    locked.save()
    locked.parties.set(parties)
    record(
        AuditAction.CHANGE,
        actor=by,
        target=locked,
        detail={"changed": changed, "version": locked.version},
    )
    return locked
