"""Changes to the relevant authorities register (architecture D6): add, change and
import from a CSV. Each checks its rule, writes and records one audit event in the
same transaction."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from svduty.accounts.models import Agency, User
from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.core.authorisation import Permission

from .actions import require
from .locking import bump, lock
from .models import LocalArea, Partnership
from .registers import Establishment, RelevantAuthority

#: The CSV's columns, in the order the template gives them.
CSV_COLUMNS = ("name", "type", "identifier", "area")
MAX_CSV_BYTES = 2 * 1024 * 1024
MAX_CSV_ROWS = 5000

#: Words people use in the "type" column, besides our own values and labels.
_TYPE_SYNONYMS = {
    "maintained school": Establishment.SCHOOL,
    "free school": Establishment.ACADEMY,
    "further education college": Establishment.COLLEGE,
    "sixth form college": Establishment.COLLEGE,
    "young offender institution": Establishment.YOUNG_OFFENDER_INSTITUTION,
    "secure training centre": Establishment.SECURE_TRAINING_CENTRE,
}


def establishment_from(text: str) -> str | None:
    """The establishment a CSV's "type" names (value, label or common synonym)."""
    wanted = " ".join(text.strip().lower().replace("_", " ").split())
    for choice in Establishment:
        label = str(choice.label).lower()
        if wanted in (choice.value.replace("_", " "), label, label.split(" (")[0]):
            return str(choice.value)
    found = _TYPE_SYNONYMS.get(wanted)
    return str(found) if found else None


def _area_of(partnership: Partnership, text: str) -> LocalArea | None:
    wanted = text.strip()
    return (
        partnership.areas.filter(Q(ons_code__iexact=wanted) | Q(name__iexact=wanted))
        .order_by("pk")
        .first()
    )


def _check(
    partnership: Partnership,
    area: LocalArea | None,
    establishment: str,
    name: str,
    identifier: str,
    exclude: int | None = None,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if area is None or not partnership.areas.filter(pk=area.pk).exists():
        errors["area"] = "Select an area this partnership covers"
    if establishment not in Establishment.values:
        errors["establishment"] = "Select what kind of establishment it is"
    if not name.strip():
        errors["name"] = "Enter the name of the authority"
    elif len(name.strip()) > 200:
        errors["name"] = "Name must be 200 characters or fewer"
    if len(identifier.strip()) > 20:
        errors["identifier"] = "Identifier must be 20 characters or fewer"
    if area is not None and not errors:
        same = RelevantAuthority.objects.filter(area=area)
        if exclude is not None:
            same = same.exclude(pk=exclude)
        if same.filter(name__iexact=name.strip()).exists():
            errors["name"] = f"{name.strip()} is already registered for {area.name}"
        elif (
            identifier.strip()
            and same.filter(identifier__iexact=identifier.strip()).exists()
        ):
            errors["identifier"] = (
                f"Identifier {identifier.strip()} is already registered for {area.name}"
            )
    return errors


@transaction.atomic
def add_relevant_authority(
    *,
    by: User,
    partnership: Partnership,
    area: LocalArea | None,
    establishment: str,
    name: str,
    identifier: str = "",
    agency: Agency | None = None,
) -> RelevantAuthority:
    require(by, Permission.MANAGE_PARTNERSHIP, partnership)
    errors = _check(partnership, area, establishment, name, identifier)
    if errors:
        raise ValidationError(errors)
    assert area is not None  # refused above when missing
    entry = RelevantAuthority.objects.create(
        area=area,
        establishment=establishment,
        name=name.strip(),
        identifier=identifier.strip(),
        agency=agency,
        created_by=by,
    )
    record(
        AuditAction.CREATE,
        actor=by,
        target=entry,
        detail={"area": entry.area.ons_code, "establishment": establishment},
    )
    return entry


@transaction.atomic
def change_relevant_authority(
    *,
    by: User,
    partnership: Partnership,
    entry: RelevantAuthority,
    establishment: str,
    name: str,
    identifier: str,
    agency: Agency | None,
    closed_on: dt.date | None,
    expected_version: int | None = None,
) -> RelevantAuthority:
    """Correct an entry, or record that the establishment closed (entries are kept:
    past consultation records point at them)."""
    require(by, Permission.MANAGE_PARTNERSHIP, partnership)
    if not partnership.areas.filter(pk=entry.area_id).exists():
        raise ValidationError("This authority is not in the partnership's areas")
    entry = lock(entry, expected_version)
    errors = _check(
        partnership, entry.area, establishment, name, identifier, exclude=entry.pk
    )
    if closed_on is not None and closed_on > dt.date.today():
        errors["closed_on"] = "Date closed must be today or in the past"
    if errors:
        raise ValidationError(errors)
    entry.establishment = establishment
    entry.name = name.strip()
    entry.identifier = identifier.strip()
    entry.agency = agency
    entry.closed_on = closed_on
    bump(entry)
    entry.save()
    record(
        AuditAction.CHANGE,
        actor=by,
        target=entry,
        detail={
            "establishment": establishment,
            **({"closed_on": closed_on.isoformat()} if closed_on else {}),
        },
    )
    return entry


@dataclass(frozen=True)
class ImportResult:
    added: int
    unchanged: int


def _rows(content: bytes) -> list[dict[str, str]]:
    if len(content) > MAX_CSV_BYTES:
        raise ValidationError({"file": "The selected file must be smaller than 2 MB"})
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            {"file": "The selected file must be a CSV saved as UTF-8"}
        ) from None
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip().lower() for h in next(reader, [])]
        missing = [c for c in CSV_COLUMNS if c not in header]
        if missing:
            raise ValidationError(
                {
                    "file": "The selected file must have the columns "
                    f"{', '.join(CSV_COLUMNS)} (missing: {', '.join(missing)})"
                }
            )
        rows = []
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            rows.append(
                {
                    h: (values[i] if i < len(values) else "")
                    for i, h in enumerate(header)
                }
            )
            if len(rows) > MAX_CSV_ROWS:
                raise ValidationError(
                    {
                        "file": "The selected file must have "
                        f"{MAX_CSV_ROWS} rows or fewer"
                    }
                )
    except csv.Error:
        raise ValidationError(
            {"file": "The selected file must be a CSV file"}
        ) from None
    if not rows:
        raise ValidationError({"file": "The selected file has no authorities in it"})
    return rows


@transaction.atomic
def import_relevant_authorities(
    *, by: User, partnership: Partnership, content: bytes, file_name: str
) -> ImportResult:
    """Add every row of a CSV (name, type, identifier, area), or nothing: a file with
    any problem is refused with each problem's row number. A row already on the
    register (same area and identifier, or same name) is left as it is."""
    require(by, Permission.MANAGE_PARTNERSHIP, partnership)
    rows = _rows(content)
    problems: list[str] = []
    to_add: list[RelevantAuthority] = []
    seen: set[tuple[int, str]] = set()
    unchanged = 0
    for number, row in enumerate(rows, start=2):
        area = _area_of(partnership, row.get("area", ""))
        establishment = establishment_from(row.get("type", "")) or ""
        name = row.get("name", "").strip()
        identifier = row.get("identifier", "").strip()
        if area is not None and name:
            existing = RelevantAuthority.objects.filter(area=area).filter(
                Q(name__iexact=name)
                | (Q(identifier__iexact=identifier) if identifier else Q(pk=None))
            )
            if existing.exists():
                unchanged += 1
                continue
            key = (area.pk, name.lower())
            if key in seen:
                problems.append(f"Row {number}: {name} is in the file twice")
                continue
            seen.add(key)
        errors = _check(partnership, area, establishment, name, identifier)
        if errors:
            messages = {
                "area": f"area ‘{row.get('area', '').strip()}’ is not one of the "
                "partnership's areas (use its ONS code or name)",
                "establishment": f"type ‘{row.get('type', '').strip()}’ is not "
                "recognised (use school, academy, college, prison, yoi, stc…)",
            }
            problems.extend(
                f"Row {number}: {messages.get(field, message)}"
                for field, message in errors.items()
            )
            continue
        to_add.append(
            RelevantAuthority(
                area=area,
                establishment=establishment,
                name=name,
                identifier=identifier,
                created_by=by,
            )
        )
    if problems:
        shown = problems[:20]
        more = len(problems) - len(shown)
        raise ValidationError(
            {"file": shown + ([f"And {more} more problems"] if more else [])}
        )
    for entry in to_add:
        entry.save()
    record(
        AuditAction.IMPORT,
        actor=by,
        target=partnership,
        detail={
            "register": "relevant_authorities",
            "file_name": file_name[:200],
            "added": len(to_add),
            "unchanged": unchanged,
        },
    )
    return ImportResult(added=len(to_add), unchanged=unchanged)
