"""Changes to SNA versions (architecture D6): each checks its rule and writes its audit
event in the same transaction."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.core.authorisation import Permission
from svduty.core.policies import has_permission

from .models import Snapshot, SnaStatus, SnaVersion

if TYPE_CHECKING:
    from svduty.accounts.models import User
    from svduty.partnership.models import Partnership


def _require(by: User, partnership: Partnership) -> None:
    if not has_permission(by, Permission.MANAGE_SNA):
        raise PermissionDenied("Only an analyst can change a needs assessment.")
    from svduty.partnership.models import Partnership

    if not Partnership.objects.visible_to(by).filter(pk=partnership.pk).exists():
        raise PermissionDenied("You are not a member of this partnership.")


def _check_period(period_from: dt.date, period_to: dt.date) -> None:
    if period_to < period_from:
        raise ValidationError(
            {
                "period_to": "The end of the period must be the same as or after the start"  # noqa: E501
            }
        )


@transaction.atomic
def create_sna_version(
    *,
    by: User,
    partnership: Partnership,
    snapshot: Snapshot,
    title: str,
    period_from: dt.date,
    period_to: dt.date,
    **narrative: str,
) -> SnaVersion:
    _require(by, partnership)
    if snapshot.partnership_id != partnership.pk:
        raise ValidationError("The snapshot belongs to another partnership")
    _check_period(period_from, period_to)
    unknown = set(narrative) - set(SnaVersion.NARRATIVE_FIELDS)
    if unknown:
        raise TypeError(f"unknown narrative fields: {sorted(unknown)}")
    # Lock the partnership's versions so two analysts cannot take the same number.
    list(SnaVersion.objects.select_for_update().filter(partnership=partnership))
    number = (
        SnaVersion.objects.filter(partnership=partnership).aggregate(n=Max("number"))[
            "n"
        ]
        or 0
    ) + 1
    now = timezone.now()
    version = SnaVersion.objects.create(
        partnership=partnership,
        number=number,
        snapshot=snapshot,
        title=title.strip(),
        period_from=period_from,
        period_to=period_to,
        created_by=by,
        created_at=now,
        updated_at=now,
        **narrative,
    )
    record(
        AuditAction.CREATE,
        actor=by,
        target=version,
        detail={"partnership": partnership.slug, "snapshot": snapshot.pk},
    )
    return version


@transaction.atomic
def update_sna_version(
    *, by: User, version: SnaVersion, expected_version: int, **changes: Any
) -> SnaVersion:
    _require(by, version.partnership)
    locked = SnaVersion.objects.select_for_update().get(pk=version.pk)
    if locked.is_signed_off:
        raise ValidationError(
            "This needs assessment has been signed off and cannot be changed. "
            "Start a new version instead."
        )
    if locked.version != expected_version:
        raise ValidationError(
            "Someone else changed this needs assessment since you opened it. "
            "Your changes have not been saved: open it again to see theirs."
        )
    allowed = {"title", "period_from", "period_to", *SnaVersion.NARRATIVE_FIELDS}
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"cannot change {sorted(unknown)}")
    _check_period(
        changes.get("period_from", locked.period_from),
        changes.get("period_to", locked.period_to),
    )
    changed = sorted(k for k, v in changes.items() if getattr(locked, k) != v)
    for key, value in changes.items():
        setattr(locked, key, value)
    locked.updated_at = timezone.now()
    locked.version += 1
    locked.save(update_fields=[*changes, "updated_at", "version"])
    record(AuditAction.CHANGE, actor=by, target=locked, detail={"fields": changed})
    return locked


@transaction.atomic
def sign_off_sna_version(*, by: User, version: SnaVersion) -> SnaVersion:
    _require(by, version.partnership)
    locked = SnaVersion.objects.select_for_update().get(pk=version.pk)
    if locked.is_signed_off:
        raise ValidationError("This needs assessment has already been signed off")
    if not locked.findings.strip():
        raise ValidationError({"findings": "Enter the key findings before signing off"})
    locked.status = SnaStatus.SIGNED_OFF
    locked.signed_off_by = by
    locked.signed_off_at = timezone.now()
    locked.updated_at = locked.signed_off_at
    locked.version += 1
    # The model refuses saves of signed-off rows, so write the transition directly.
    SnaVersion.objects.filter(pk=locked.pk).update(
        status=locked.status,
        signed_off_by=by,
        signed_off_at=locked.signed_off_at,
        updated_at=locked.updated_at,
        version=locked.version,
    )
    record(
        AuditAction.CHANGE,
        actor=by,
        target=locked,
        detail={"signed_off": True, "snapshot": locked.snapshot_id},
    )
    return locked
