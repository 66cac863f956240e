"""Changes to partnerships, members, local definitions and board meetings
(architecture D6). Each checks its rule, writes, and records exactly one audit event in
the same transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from svduty.accounts.models import Agency, User
from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.core.authorisation import Permission
from svduty.core.policies import has_permission

from .codes import ED_ASSAULT_METHODS, ed_assault_method, normalise_ho_code
from .definitions import POLICE_UK_CRIME_TYPES, is_terrorism
from .locking import bump, lock
from .models import (
    BoardMeeting,
    DefinitionKind,
    DefinitionStatus,
    ExcludedOffence,
    ExclusionReason,
    LocalArea,
    LocalDefinition,
    MappingRule,
    Partnership,
    PartnershipMember,
    RuleSource,
    StatutoryRole,
    ViolenceKind,
    WeaponFlag,
    authority_type_for,
)
from .signals import definition_agreed

TERRORISM_MESSAGE = (
    "Terrorism is outside the Act's meaning of violence, so it cannot be part of the "
    "local definition"
)


def require(by: User, permission: Permission, partnership: Partnership) -> None:
    """The user holds the permission and the partnership is in their scope."""
    if not has_permission(by, permission):
        raise PermissionDenied("Your roles do not allow this.")
    if not Partnership.objects.visible_to(by).filter(pk=partnership.pk).exists():
        raise PermissionDenied("This partnership is not one of yours.")


# --- Partnership details and members


@transaction.atomic
def set_up_partnership(
    *, slug: str, name: str, areas: Iterable[tuple[str, str]], actor_label: str
) -> tuple[Partnership, bool]:
    """Create a partnership, or add areas to the one with this slug (`svduty
    create_partnership`, run by an operator, so no user). `areas` are (ONS code, name)
    pairs; an area not yet known is created with that name."""
    pairs = list(areas)
    codes = [code for code, _ in pairs]
    partnership, created = Partnership.objects.get_or_create(
        slug=slug, defaults={"name": name}
    )
    if not created and partnership.name != name:
        raise ValidationError(
            f"Partnership ‘{slug}’ already exists with the name ‘{partnership.name}’"
        )
    local = [
        LocalArea.objects.get_or_create(ons_code=code, defaults={"name": area_name})[0]
        for code, area_name in pairs
    ]
    partnership.areas.add(*local)
    record(
        AuditAction.CREATE if created else AuditAction.CHANGE,
        target=partnership,
        actor_label=actor_label,
        detail={"command": "create_partnership", "areas": codes},
    )
    return partnership, created


PARTNERSHIP_FIELDS = (
    "lead_arrangement",
    "lead_arrangement_name",
    "chair_name",
    "chair_agency",
    "governance_route",
    "lead_user",
    "formed_on",
)


@transaction.atomic
def update_partnership(
    *, by: User, partnership: Partnership, expected_version: int | None, **changes: Any
) -> Partnership:
    require(by, Permission.MANAGE_PARTNERSHIP, partnership)
    unknown = set(changes) - set(PARTNERSHIP_FIELDS)
    if unknown:
        raise TypeError(f"Cannot change {sorted(unknown)}")
    partnership = lock(partnership, expected_version)
    chair_agency = changes.get("chair_agency")
    if (
        chair_agency is not None
        and not partnership.members.filter(agency=chair_agency).exists()
    ):
        raise ValidationError(
            {"chair_agency": "Select an agency that is a member of the partnership"}
        )
    formed_on = changes.get("formed_on")
    if formed_on and formed_on > timezone.localdate():
        raise ValidationError({"formed_on": "Date formed must be today or in the past"})
    before = {f: _plain(getattr(partnership, f)) for f in changes}
    for field, value in changes.items():
        setattr(partnership, field, value)
    after = {f: _plain(getattr(partnership, f)) for f in changes}
    changed = {
        f: {"from": before[f], "to": after[f]} for f in changes if before[f] != after[f]
    }
    if not changed:
        return partnership
    bump(partnership)
    partnership.save(update_fields=[*changes, "version"])
    record(
        AuditAction.CHANGE, actor=by, target=partnership, detail={"changed": changed}
    )
    return partnership


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return str(value)
    return value


@transaction.atomic
def add_member(
    *,
    by: User,
    partnership: Partnership,
    agency: Agency,
    statutory_role: StatutoryRole | str,
    authority_type: str = "",
    areas: Iterable[LocalArea] = (),
) -> PartnershipMember:
    require(by, Permission.MANAGE_PARTNERSHIP, partnership)
    if partnership.members.filter(agency=agency).exists():
        raise ValidationError({"agency": f"{agency} is already a member"})
    areas = _check_areas(partnership, areas)
    member = PartnershipMember.objects.create(
        partnership=partnership,
        agency=agency,
        statutory_role=statutory_role,
        authority_type=authority_type or authority_type_for(agency),
    )
    member.areas.set(areas)
    record(
        AuditAction.CREATE,
        actor=by,
        target=member,
        detail={
            "partnership": partnership.name,
            "statutory_role": str(statutory_role),
            "authority_type": member.authority_type,
            "areas": [a.ons_code for a in areas],
        },
    )
    return member


def _check_areas(
    partnership: Partnership, areas: Iterable[LocalArea]
) -> list[LocalArea]:
    areas = list(areas)
    allowed = set(partnership.areas.values_list("pk", flat=True))
    if any(a.pk not in allowed for a in areas):
        raise ValidationError({"areas": "Select only areas the partnership covers"})
    return areas


@transaction.atomic
def update_member(
    *,
    by: User,
    member: PartnershipMember,
    statutory_role: str,
    authority_type: str,
    areas: Iterable[LocalArea] = (),
) -> PartnershipMember:
    require(by, Permission.MANAGE_PARTNERSHIP, member.partnership)
    member = PartnershipMember.objects.select_for_update().get(pk=member.pk)
    areas = _check_areas(member.partnership, areas)
    before = {
        "statutory_role": member.statutory_role,
        "authority_type": member.authority_type,
        "areas": sorted(member.areas.values_list("ons_code", flat=True)),
    }
    member.statutory_role = statutory_role
    member.authority_type = authority_type or authority_type_for(member.agency)
    member.save(update_fields=["statutory_role", "authority_type"])
    member.areas.set(areas)
    after = {
        "statutory_role": member.statutory_role,
        "authority_type": member.authority_type,
        "areas": sorted(a.ons_code for a in areas),
    }
    if before != after:
        record(
            AuditAction.CHANGE,
            actor=by,
            target=member,
            detail={"from": before, "to": after},
        )
    return member


@transaction.atomic
def remove_member(*, by: User, member: PartnershipMember) -> None:
    require(by, Permission.MANAGE_PARTNERSHIP, member.partnership)
    if member.consultations.exists() or member.sign_offs.exists():
        raise ValidationError(
            "This member has consultation or sign-off records on a strategy, which "
            "must be kept as evidence. It cannot be removed."
        )
    label, pk = str(member), member.pk
    member.delete()
    record(
        AuditAction.DELETE,
        actor=by,
        target_type="partnership.partnershipmember",
        target_id=pk,
        target_label=label,
    )


# --- Local definition


@transaction.atomic
def start_definition(
    *, by: User, partnership: Partnership, notes: str = ""
) -> LocalDefinition:
    """A new draft version, copying the kinds and rules of the latest version."""
    require(by, Permission.MANAGE_PARTNERSHIP, partnership)
    Partnership.objects.select_for_update().get(pk=partnership.pk)
    if partnership.definitions.filter(status=DefinitionStatus.DRAFT).exists():
        raise ValidationError(
            "There is already a draft definition. Change or agree it first."
        )
    previous = partnership.definitions.order_by("-number").first()
    number = (partnership.definitions.aggregate(n=Max("number"))["n"] or 0) + 1
    definition = LocalDefinition.objects.create(
        partnership=partnership,
        number=number,
        notes=notes,
        created_by=by,
        exclusions_source=previous.exclusions_source if previous else "",
    )
    if previous is not None:
        ExcludedOffence.objects.bulk_create(
            ExcludedOffence(definition=definition, code=e.code, reason=e.reason)
            for e in previous.exclusions.all()
        )
        for kind in previous.kinds.prefetch_related("rules"):
            rules = list(kind.rules.all())
            kind.pk = None
            kind.definition = definition
            kind.save()
            MappingRule.objects.bulk_create(
                MappingRule(kind=kind, source=r.source, value=r.value) for r in rules
            )
    record(
        AuditAction.CREATE,
        actor=by,
        target=definition,
        detail={"copied_from": previous.number if previous else None},
    )
    return definition


def _require_draft(definition: LocalDefinition) -> None:
    if definition.status != DefinitionStatus.DRAFT:
        raise ValidationError(
            "This definition has been agreed and cannot be changed. "
            "Start a new version instead."
        )


KIND_FIELDS = (
    "kind",
    "label",
    "description",
    "maximum_penalty",
    "impact_on_victims",
    "prevalence",
    "impact_on_community",
    "publishable",
)
FACTOR_MESSAGES = {
    "maximum_penalty": "Enter why the maximum penalty makes this kind serious",
    "impact_on_victims": "Enter the impact on victims",
    "prevalence": "Enter how prevalent it is in the area",
    "impact_on_community": "Enter the impact on the community",
}


def _check_kind(values: dict[str, Any]) -> None:
    errors = {}
    if not str(values.get("label", "")).strip():
        errors["label"] = "Enter a name for this kind of serious violence"
    for field, message in FACTOR_MESSAGES.items():
        if not str(values.get(field, "")).strip():
            errors[field] = message
    if values.get("kind") not in ViolenceKind.values:
        errors["kind"] = "Select a kind of serious violence"
    for field in ("label", "description"):
        if is_terrorism(values.get(field, "")):
            errors[field] = TERRORISM_MESSAGE
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_kind(
    *,
    by: User,
    definition: LocalDefinition,
    existing: DefinitionKind | None = None,
    **values: Any,
) -> DefinitionKind:
    """Add a kind to a draft definition (existing=None) or change `existing`."""
    require(by, Permission.MANAGE_PARTNERSHIP, definition.partnership)
    definition = lock(definition)
    _require_draft(definition)
    values = {k: v for k, v in values.items() if k in KIND_FIELDS}
    current = {f: getattr(existing, f) for f in KIND_FIELDS} if existing else {}
    _check_kind({**current, **values})
    label = str({**current, **values}.get("label", "")).strip()
    same_label = definition.kinds.filter(label__iexact=label)
    if existing is not None:
        same_label = same_label.exclude(pk=existing.pk)
    if same_label.exists():
        # The label names the kind in the SNA's filter and headings.
        raise ValidationError(
            {"label": f"This version already has a kind called ‘{label}’"}
        )
    kind = existing
    if kind is None:
        order = definition.kinds.count()
        kind = DefinitionKind.objects.create(
            definition=definition, order=order, **values
        )
        action = AuditAction.CREATE
    else:
        for field, value in values.items():
            setattr(kind, field, value)
        kind.save(update_fields=list(values))
        action = AuditAction.CHANGE
    bump(definition)
    definition.save(update_fields=["version"])
    record(
        action,
        actor=by,
        target=kind,
        detail={"definition": definition.number, "kind": kind.kind},
    )
    return kind


@transaction.atomic
def remove_kind(*, by: User, kind: DefinitionKind) -> None:
    definition = kind.definition
    require(by, Permission.MANAGE_PARTNERSHIP, definition.partnership)
    definition = lock(definition)
    _require_draft(definition)
    label, pk = str(kind), kind.pk
    kind.delete()
    bump(definition)
    definition.save(update_fields=["version"])
    record(
        AuditAction.DELETE,
        actor=by,
        target_type="partnership.definitionkind",
        target_id=pk,
        target_label=label,
        detail={"definition": definition.number},
    )


def _check_rule(source: str, value: str) -> str:
    value = (value or "").strip()
    if source not in RuleSource.values:
        raise ValidationError({"source": "Select where the data comes from"})
    if not value:
        raise ValidationError({"value": "Enter the value to match"})
    if is_terrorism(value):
        raise ValidationError({"value": TERRORISM_MESSAGE})
    if source == RuleSource.POLICE_UK:
        known = {t.casefold(): t for t in POLICE_UK_CRIME_TYPES}
        if value.casefold() not in known:
            raise ValidationError(
                {
                    "value": "Enter one of the 14 data.police.uk crime types, for "
                    "example ‘Violence and sexual offences’"
                }
            )
        value = known[value.casefold()]
    if source == RuleSource.WEAPON and value not in WeaponFlag.values:
        raise ValidationError({"value": "Select a weapon flag"})
    if source == RuleSource.HO_OFFENCE:
        code = normalise_ho_code(value)
        if code is None:
            raise ValidationError(
                {
                    "value": "Enter a Home Office offence code like 8/1, 105A or 4.1 "
                    "(the offence class, then any subdivision)"
                }
            )
        value = code
    if source == RuleSource.ED_ASSAULT:
        method = ed_assault_method(value)
        if method is None:
            raise ValidationError(
                {
                    "value": "Enter an emergency department assault method from the "
                    "ISTV template: " + ", ".join(ED_ASSAULT_METHODS)
                }
            )
        value = method
    return value


@transaction.atomic
def add_rule(*, by: User, kind: DefinitionKind, source: str, value: str) -> MappingRule:
    definition = kind.definition
    require(by, Permission.MANAGE_PARTNERSHIP, definition.partnership)
    definition = lock(definition)
    _require_draft(definition)
    value = _check_rule(source, value)
    if kind.rules.filter(source=source, value=value).exists():
        raise ValidationError({"value": "This rule is already there"})
    if (
        source == RuleSource.HO_OFFENCE
        and definition.exclusions.filter(code=value).exists()
    ):
        raise ValidationError(
            {"value": f"Offence code {value} is excluded from this definition"}
        )
    rule = MappingRule.objects.create(kind=kind, source=source, value=value)
    bump(definition)
    definition.save(update_fields=["version"])
    record(
        AuditAction.CREATE,
        actor=by,
        target=rule,
        detail={"definition": definition.number, "kind": kind.label},
    )
    return rule


@transaction.atomic
def remove_rule(*, by: User, rule: MappingRule) -> None:
    definition = rule.kind.definition
    require(by, Permission.MANAGE_PARTNERSHIP, definition.partnership)
    definition = lock(definition)
    _require_draft(definition)
    label, pk = str(rule), rule.pk
    rule.delete()
    bump(definition)
    definition.save(update_fields=["version"])
    record(
        AuditAction.DELETE,
        actor=by,
        target_type="partnership.mappingrule",
        target_id=pk,
        target_label=label,
        detail={"definition": definition.number},
    )


@transaction.atomic
def exclude_offence(
    *,
    by: User,
    definition: LocalDefinition,
    code: str,
    source: str,
    reason: str = ExclusionReason.TERRORISM,
) -> ExcludedOffence:
    """Keep records with this Home Office offence code out of every serious violence
    figure under a draft definition (terrorism, s.13(3): by code, not by a word).
    `source` says where the partnership's list of codes comes from (svduty has none)."""
    require(by, Permission.MANAGE_PARTNERSHIP, definition.partnership)
    definition = lock(definition)
    _require_draft(definition)
    normalised = normalise_ho_code(code)
    if normalised is None:
        raise ValidationError(
            {
                "code": "Enter a Home Office offence code like 8/1, 105A or 4.1 (the "
                "offence class, then any subdivision)"
            }
        )
    if reason not in ExclusionReason.values:
        raise ValidationError({"reason": "Select why the offence is excluded"})
    source = (source or "").strip()
    if not source:
        raise ValidationError(
            {"source": "Enter where the list of excluded offence codes comes from"}
        )
    if definition.exclusions.filter(code=normalised).exists():
        raise ValidationError(
            {"code": f"Offence code {normalised} is already excluded"}
        )
    mapped = MappingRule.objects.filter(
        kind__definition=definition, source=RuleSource.HO_OFFENCE, value=normalised
    ).select_related("kind")
    if mapped:
        raise ValidationError(
            {
                "code": f"Offence code {normalised} is a rule of "
                f"‘{mapped[0].kind.label}’: remove that rule first"
            }
        )
    exclusion = ExcludedOffence.objects.create(
        definition=definition, code=normalised, reason=reason
    )
    definition.exclusions_source = source
    bump(definition)
    definition.save(update_fields=["exclusions_source", "version"])
    record(
        AuditAction.CREATE,
        actor=by,
        target=exclusion,
        detail={
            "definition": definition.number,
            "code": normalised,
            "reason": reason,
            "source": source,
        },
    )
    return exclusion


@transaction.atomic
def remove_exclusion(*, by: User, exclusion: ExcludedOffence) -> None:
    definition = exclusion.definition
    require(by, Permission.MANAGE_PARTNERSHIP, definition.partnership)
    definition = lock(definition)
    _require_draft(definition)
    label, pk = str(exclusion), exclusion.pk
    exclusion.delete()
    bump(definition)
    definition.save(update_fields=["version"])
    record(
        AuditAction.DELETE,
        actor=by,
        target_type="partnership.excludedoffence",
        target_id=pk,
        target_label=label,
        detail={"definition": definition.number},
    )


@transaction.atomic
def agree_definition(
    *,
    by: User,
    definition: LocalDefinition,
    agreed_on: dt.date,
    agreed_by: str,
    expected_version: int | None = None,
) -> LocalDefinition:
    require(by, Permission.MANAGE_PARTNERSHIP, definition.partnership)
    definition = lock(definition, expected_version)
    _require_draft(definition)
    errors = {}
    if agreed_on is None:
        errors["agreed_on"] = "Enter the date the definition was agreed"
    elif agreed_on > timezone.localdate():
        errors["agreed_on"] = "Date agreed must be today or in the past"
    if not (agreed_by or "").strip():
        errors["agreed_by"] = "Enter who agreed the definition"
    if errors:
        raise ValidationError(errors)
    kinds = list(definition.kinds.prefetch_related("rules"))
    if not kinds:
        raise ValidationError("Add at least one kind of serious violence first")
    if definition.exclusions.exists() and not definition.exclusions_source.strip():
        raise ValidationError(
            "Say where the excluded offence codes come from before agreeing"
        )
    for kind in kinds:
        try:
            _check_kind({f: getattr(kind, f) for f in KIND_FIELDS})
        except ValidationError:
            raise ValidationError(
                f"Complete the four statutory factors for ‘{kind.label}’ first"
            ) from None
    latest = (
        definition.partnership.definitions.filter(status=DefinitionStatus.AGREED)
        .order_by("-agreed_on")
        .first()
    )
    if (
        latest is not None
        and latest.agreed_on is not None
        and agreed_on < latest.agreed_on
    ):
        raise ValidationError(
            {
                "agreed_on": "Date agreed must be the same as or after "
                f"{latest.agreed_on:%-d %B %Y}, when version {latest.number} was agreed"
            }
        )
    definition.status = DefinitionStatus.AGREED
    definition.agreed_on = agreed_on
    definition.agreed_by = agreed_by.strip()
    bump(definition)
    definition.save(update_fields=["status", "agreed_on", "agreed_by", "version"])
    record(
        AuditAction.CHANGE,
        actor=by,
        target=definition,
        detail={
            "agreed_on": agreed_on.isoformat(),
            "agreed_by": definition.agreed_by,
            "kinds": [k.label for k in kinds],
        },
    )
    definition_agreed.send(
        sender=LocalDefinition,
        partnership=definition.partnership,
        definition=definition,
    )
    return definition


# --- Board meetings


@transaction.atomic
def record_meeting(
    *,
    by: User,
    partnership: Partnership,
    held_on: dt.date,
    title: str,
    decisions: str,
    attending_agencies: Iterable[Agency] = (),
    attendees: str = "",
) -> BoardMeeting:
    require(by, Permission.MANAGE_PARTNERSHIP, partnership)
    errors = {}
    if held_on is None:
        errors["held_on"] = "Enter the date of the meeting"
    elif held_on > timezone.localdate():
        errors["held_on"] = "Date of meeting must be today or in the past"
    if not (title or "").strip():
        errors["title"] = "Enter a title for the meeting"
    if not (decisions or "").strip():
        errors["decisions"] = "Enter the decisions made"
    agencies = list(attending_agencies)
    members = set(partnership.members.values_list("agency_id", flat=True))
    if any(a.pk not in members for a in agencies):
        errors["attending_agencies"] = "Select only agencies that are members"
    if errors:
        raise ValidationError(errors)
    meeting = BoardMeeting.objects.create(
        partnership=partnership,
        held_on=held_on,
        title=title.strip(),
        decisions=decisions.strip(),
        attendees=attendees.strip(),
        created_by=by,
    )
    meeting.attending_agencies.set(agencies)
    record(
        AuditAction.CREATE,
        actor=by,
        target=meeting,
        detail={"held_on": held_on.isoformat(), "agencies": [a.name for a in agencies]},
    )
    return meeting
