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
from svduty.sharing.s16 import is_health_or_social_care, s16_problems

#: Fields an agreement's create and change actions accept.
AGREEMENT_FIELDS = (
    "title",
    "purpose",
    "for_duty_functions",
    "legal_gateway",
    "legal_gateway_other",
    "lawful_basis",
    "special_category_condition",
    "criminal_offence_condition",
    "data_items",
    "datasets",
    "personal_information",
    "discloses_patient_information",
    "dpia_reference",
    "dpia_review_on",
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
    "Choose another gateway, such as the Crime and Disorder Act 1998, section 115, "
    "or share anonymous or aggregate data, and record the lawful basis and "
    "conditions that apply."
)


def _health_discloses(providers: list[Agency], values: dict[str, Any]) -> bool:
    return bool(values.get("personal_information", True)) and any(
        is_health_or_social_care(a) for a in providers
    )


def _require(by: User, partnership: Partnership) -> None:
    if not has_permission(by, Permission.MANAGE_AGREEMENTS):
        raise PermissionDenied("You cannot manage data sharing agreements.")
    if not Partnership.objects.visible_to(by).filter(pk=partnership.pk).exists():
        raise PermissionDenied("You cannot manage this partnership's agreements.")


def check_rules(
    values: dict[str, Any],
    parties: Iterable[Agency],
    providers: Iterable[Agency] | None = None,
) -> None:
    """The rules an agreement must meet, as GOV.UK error messages per field.
    Section 16 is judged from the parties' and providers' agency types (s16.py)."""
    errors: dict[str, list[str]] = {}
    parties = list(parties)
    providers = list(providers or [])
    gateway = values.get("legal_gateway")
    if gateway == LegalGateway.PCSC_S16:
        problems = s16_problems(
            parties=parties,
            providers=providers,
            personal_information=bool(values.get("personal_information", True)),
            patient_information=bool(values.get("discloses_patient_information")),
        )
        if problems:
            errors.setdefault("legal_gateway", []).extend([*problems, S16_REFUSED])
        if not values.get("for_duty_functions"):
            errors.setdefault("for_duty_functions", []).append(
                "Under section 16, the data may be shared only to enable or assist "
                "the recipients to exercise their functions under the Serious "
                "Violence Duty: confirm that this is the purpose, or choose another "
                "gateway"
            )
    party_ids = {p.pk for p in parties}
    if any(p.pk not in party_ids for p in providers):
        errors.setdefault("providers", []).append(
            "Select providers from the parties to the agreement"
        )
    if parties and not providers:
        errors.setdefault("providers", []).append(
            "Select the organisations that disclose the data"
        )
    review = values.get("dpia_review_on")
    if review and values.get("starts_on") and review < values["starts_on"]:
        errors.setdefault("dpia_review_on", []).append(
            "DPIA review date must be the same as or after the start date"
        )
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
    providers: Iterable[Agency] | None = None,
    **values: Any,
) -> DataSharingAgreement:
    _require(by, partnership)
    parties = list(parties)
    providers = list(providers) if providers is not None else parties
    unknown = set(values) - set(AGREEMENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown agreement fields: {', '.join(sorted(unknown))}")
    check_rules(values, parties, providers)
    agreement = DataSharingAgreement.objects.create(
        partnership=partnership,
        created_by=by,
        discloser_is_health_or_social_care=_health_discloses(providers, values),
        **values,
    )
    agreement.parties.set(parties)
    agreement.providers.set(providers)
    record(
        AuditAction.CREATE,
        actor=by,
        target=agreement,
        detail={
            "partnership": partnership.slug,
            "legal_gateway": agreement.legal_gateway,
            "datasets": agreement.datasets,
            "parties": sorted(p.name for p in parties),
            "providers": sorted(p.name for p in providers),
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
    providers: Iterable[Agency] | None = None,
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
    providers = list(providers) if providers is not None else parties
    check_rules(values, parties, providers)
    values = {
        **values,
        "discloser_is_health_or_social_care": _health_discloses(providers, values),
    }
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
    if set(locked.providers.values_list("pk", flat=True)) != {p.pk for p in providers}:
        changed.append("providers")
    locked.providers.set(providers)
    record(
        AuditAction.CHANGE,
        actor=by,
        target=locked,
        detail={"changed": changed, "version": locked.version},
    )
    return locked


@transaction.atomic
def withdraw_agreement(
    *,
    by: User,
    agreement: DataSharingAgreement,
    version: int,
    agency: Agency | None,
    reason: str,
) -> DataSharingAgreement:
    """A party withdraws: the agreement ends today, nothing more can be imported
    under it, the files shared under it are withdrawn (the analysis stops using them
    and the snapshot is rebuilt without them) and the recipients are told."""
    from svduty.sharing.corrections import tell_recipients_of_withdrawal
    from svduty.sharing.imports import announce_import_succeeded
    from svduty.sharing.models import ImportBatch

    locked = DataSharingAgreement.objects.select_for_update().get(pk=agreement.pk)
    _require(by, locked.partnership)
    if locked.version != version:
        raise ValidationError(
            "Someone else changed this agreement after you opened it. Open it again "
            "to see their changes."
        )
    if locked.withdrawn_at is not None:
        raise ValidationError("This agreement has already been withdrawn")
    errors = {}
    parties = list(locked.parties.all())
    if agency is None or agency not in parties:
        errors["agency"] = "Select the party that is withdrawing"
    elif agency.pk not in by.agency_ids():
        errors["agency"] = (
            f"Only someone from {agency} can withdraw it from this agreement"
        )
    if len(reason.strip()) < 10:
        errors["reason"] = (
            "Enter why the agreement is being withdrawn, in at least 10 characters"
        )
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    today = timezone.localdate()
    locked.withdrawn_at = now
    locked.withdrawn_by = by
    locked.withdrawn_for = agency
    locked.withdrawal_reason = reason.strip()
    locked.ends_on = max(locked.starts_on, min(locked.ends_on or today, today))
    locked.version += 1
    locked.updated_at = now
    locked.save()
    withdrawn = ImportBatch.objects.filter(
        agreement=locked, withdrawn_at__isnull=True
    ).update(withdrawn_at=now)
    told = tell_recipients_of_withdrawal(locked, withdrawn)
    record(
        AuditAction.CHANGE,
        actor=by,
        target=locked,
        detail={
            "withdrawn": True,
            "for": agency.name if agency else "",
            "batches_withdrawn": withdrawn,
            "told": told,
            "version": locked.version,
        },
    )
    if withdrawn:
        announce_import_succeeded(locked.partnership)
    locked.told = told  # type: ignore[attr-defined]
    return locked
