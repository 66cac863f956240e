"""Changes to SNA versions (architecture D6): each checks its rule and writes its audit
event in the same transaction."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.core.authorisation import Permission
from svduty.core.policies import has_permission

from .models import HarmWeightTable, Snapshot, SnaStatus, SnaVersion

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
    from svduty.partnership.definitions import definition_in_force

    definition = definition_in_force(partnership, period_to)
    version = SnaVersion.objects.create(
        partnership=partnership,
        number=number,
        snapshot=snapshot,
        definition=definition,
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
        detail={
            "partnership": partnership.slug,
            "snapshot": snapshot.pk,
            "definition": definition.number if definition else None,
        },
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
    # A draft follows the definition in force at the end of its (new) period.
    from svduty.partnership.definitions import definition_in_force

    definition = definition_in_force(locked.partnership, locked.period_to)
    if definition != locked.definition:
        changed.append("definition")
    locked.definition = definition
    locked.updated_at = timezone.now()
    locked.version += 1
    locked.save(update_fields=[*changes, "definition", "updated_at", "version"])
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


# --- Harm weights

HARM_CSV_COLUMNS = ("crime_type", "weight")
MAX_HARM_CSV_BYTES = 64 * 1024


def _harm_rows(content: bytes) -> list[tuple[int, dict[str, str]]]:
    if len(content) > MAX_HARM_CSV_BYTES:
        raise ValidationError({"file": "The selected file must be smaller than 64 KB"})
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            {"file": "The selected file must be a CSV saved as UTF-8"}
        ) from None
    try:
        reader = csv.reader(io.StringIO(text))
        header = [h.strip().lower() for h in next(reader, [])]
        missing = [c for c in HARM_CSV_COLUMNS if c not in header]
        extra = [h for h in header if h and h not in HARM_CSV_COLUMNS]
        if missing or extra:
            raise ValidationError(
                {
                    "file": "The selected file must have exactly the columns "
                    "crime_type and weight"
                    + (f" (missing: {', '.join(missing)})" if missing else "")
                    + (f" (not expected: {', '.join(extra)})" if extra else "")
                }
            )
        rows = [
            (
                number,
                {
                    h: (values[i].strip() if i < len(values) else "")
                    for i, h in enumerate(header)
                },
            )
            for number, values in enumerate(reader, start=2)
            if any(v.strip() for v in values)
        ]
    except csv.Error:
        raise ValidationError(
            {"file": "The selected file must be a CSV file"}
        ) from None
    if not rows:
        raise ValidationError({"file": "The selected file has no weights in it"})
    return rows


@transaction.atomic
def import_harm_weights(
    *,
    by: User,
    partnership: Partnership,
    name: str,
    owner: str,
    source: str,
    effective_on: dt.date | None,
    content: bytes,
) -> HarmWeightTable:
    """A new version of the partnership's harm weights from a CSV (crime_type,
    weight), all or nothing: a file with any problem is refused with each problem's
    row and column. The new version is used from now on; earlier versions are kept."""
    from svduty.partnership.definitions import POLICE_UK_CRIME_TYPES

    _require(by, partnership)
    errors = {}
    for field, value, message in (
        ("name", name, "Enter a name for the weights"),
        ("owner", owner, "Enter whose weights these are"),
        ("source", source, "Enter where the weights come from"),
    ):
        if not (value or "").strip():
            errors[field] = message
    if effective_on is not None and effective_on > timezone.localdate():
        errors["effective_on"] = "Date of the weights must be today or in the past"
    if errors:
        raise ValidationError(errors)
    known = {t.casefold(): t for t in POLICE_UK_CRIME_TYPES}
    weights: dict[str, float] = {}
    problems: list[str] = []
    for number, row in _harm_rows(content):
        crime_type = known.get(row.get("crime_type", "").casefold())
        if crime_type is None:
            problems.append(
                f"Row {number}, column crime_type: ‘{row.get('crime_type', '')}’ is "
                "not one of the 14 data.police.uk crime types"
            )
        elif crime_type in weights:
            problems.append(
                f"Row {number}, column crime_type: {crime_type} is in the file twice"
            )
        try:
            weight = Decimal(row.get("weight", ""))
        except InvalidOperation:
            weight = Decimal("NaN")
        if not weight.is_finite() or weight < 0 or weight > 10**9:
            problems.append(
                f"Row {number}, column weight: enter a number from 0 to "
                f"1,000,000,000 (not ‘{row.get('weight', '')}’)"
            )
        elif crime_type is not None and crime_type not in weights:
            weights[crime_type] = float(weight)
    if problems:
        shown = problems[:20]
        more = len(problems) - len(shown)
        raise ValidationError(
            {"file": shown + ([f"And {more} more problems"] if more else [])}
        )
    list(HarmWeightTable.objects.select_for_update().filter(partnership=partnership))
    number = (
        HarmWeightTable.objects.filter(partnership=partnership).aggregate(
            n=Max("number")
        )["n"]
        or 0
    ) + 1
    table = HarmWeightTable.objects.create(
        partnership=partnership,
        number=number,
        name=name.strip(),
        version=str(number),
        owner=owner.strip(),
        source=source.strip(),
        effective_on=effective_on,
        weights=weights,
        illustrative=False,
        created_at=timezone.now(),
        created_by=by,
    )
    record(
        AuditAction.IMPORT,
        actor=by,
        target=table,
        detail={
            "partnership": partnership.slug,
            "version": number,
            "crime_types": len(weights),
        },
    )
    return table
