"""Creating and changing people, their identifiers, names, addresses, relationships
and case team."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.cases.identifiers import normalise_identifier
from svduty.cases.models import (
    Address,
    Alias,
    CaseTeamMember,
    Identifier,
    Person,
    Relationship,
    TeamRole,
)
from svduty.cases.policies import can_grant_access, user_partnership_ids
from svduty.core.authorisation import Permission
from svduty.core.policies import has_permission

from .common import lock_version, primary_agency, require_edit

if TYPE_CHECKING:
    from svduty.accounts.models import Agency, User
    from svduty.partnership.models import Partnership


PERSON_FIELDS = {
    "kind",
    "first_name",
    "last_name",
    "preferred_name",
    "date_of_birth",
    "date_of_birth_estimated",
    "sex",
    "gender",
    "ethnicity",
    "languages",
    "disability",
    "learning_disability",
    "sen_status",
    "legal_status",
    "education_setting",
}


def _check_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - PERSON_FIELDS
    if unknown:
        raise TypeError(f"Unknown person fields: {sorted(unknown)}")
    if not (fields.get("first_name") or "").strip():
        raise ValidationError({"first_name": "Enter a first name"})
    if not (fields.get("last_name") or "").strip():
        raise ValidationError({"last_name": "Enter a last name"})
    dob = fields.get("date_of_birth")
    if dob is not None and dob > timezone.localdate():
        raise ValidationError({"date_of_birth": "Date of birth must be in the past"})


@transaction.atomic
def create_person(
    *,
    by: User,
    partnership: Partnership,
    role: str = TeamRole.KEY_WORKER,
    **fields: Any,
) -> Person:
    """Create a record. The creator joins the case team: they know the child."""
    if not (
        has_permission(by, Permission.EDIT_CASES)
        or has_permission(by, Permission.MAKE_REFERRAL)
    ):
        raise PermissionDenied("You cannot add people.")
    if partnership.pk not in user_partnership_ids(by):
        raise ValidationError({"partnership": "Select one of your partnerships"})
    _check_fields(fields)
    now = timezone.now()
    person = Person.objects.create(
        partnership=partnership, created_by=by, created_at=now, updated_at=now, **fields
    )
    CaseTeamMember.objects.create(
        person=person, user=by, agency=primary_agency(by), role=role, added_by=by
    )
    record(
        AuditAction.CREATE,
        actor=by,
        target=person,
        detail={"partnership": partnership.slug},
    )
    return person


@transaction.atomic
def update_person(
    *, by: User, person: Person, expected_version: int, **fields: Any
) -> Person:
    require_edit(by, person)
    _check_fields({**{f: getattr(person, f) for f in PERSON_FIELDS}, **fields})
    locked = lock_version(Person, person.pk, expected_version)
    changed = [f for f, v in fields.items() if getattr(locked, f) != v]
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.updated_at = timezone.now()
    locked.save(update_fields=[*fields, "updated_at", "version"])
    record(AuditAction.CHANGE, actor=by, target=locked, detail={"changed": changed})
    return locked


@transaction.atomic
def set_restricted(
    *, by: User, person: Person, restricted: bool, reason: str = ""
) -> Person:
    if not (
        has_permission(by, Permission.VIEW_RESTRICTED) and can_grant_access(by, person)
    ):
        raise PermissionDenied("Only a manager can restrict a record.")
    if restricted and not reason.strip():
        raise ValidationError({"reason": "Enter why the record is restricted"})
    locked = Person.objects.select_for_update().get(pk=person.pk)
    locked.is_restricted = restricted
    locked.restricted_reason = reason.strip() if restricted else ""
    locked.version += 1
    locked.save(update_fields=["is_restricted", "restricted_reason", "version"])
    record(
        AuditAction.CHANGE,
        actor=by,
        target=locked,
        detail={"restricted": restricted, "reason": locked.restricted_reason},
    )
    return locked


@transaction.atomic
def add_identifier(
    *, by: User, person: Person, kind: str, value: str, agency: Agency | None = None
) -> Identifier:
    require_edit(by, person)
    value = normalise_identifier(kind, value)
    agency = (agency or primary_agency(by)) if kind == "local" else None
    existing = Identifier.objects.filter(kind=kind, value=value)
    if kind == "local":
        existing = existing.filter(agency=agency)
    if existing.exclude(person=person).exists():
        raise ValidationError(
            {
                "value": "This identifier is already recorded for another person. "
                "Search for them instead of adding a second record."
            }
        )
    if existing.filter(person=person).exists():
        raise ValidationError({"value": "This identifier is already recorded"})
    try:
        with transaction.atomic():
            identifier = Identifier.objects.create(
                person=person, kind=kind, value=value, agency=agency
            )
    except IntegrityError as exc:
        raise ValidationError(
            {"value": "This identifier is already recorded for another person"}
        ) from exc
    record(
        AuditAction.CHANGE,
        actor=by,
        target=person,
        detail={"identifier_added": kind},
    )
    return identifier


@transaction.atomic
def add_alias(
    *, by: User, person: Person, first_name: str, last_name: str, note: str = ""
) -> Alias:
    require_edit(by, person)
    if not first_name.strip() and not last_name.strip():
        raise ValidationError({"first_name": "Enter a first name or a last name"})
    alias = Alias.objects.create(
        person=person,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        note=note.strip(),
    )
    record(
        AuditAction.CHANGE, actor=by, target=person, detail={"alias_added": alias.pk}
    )
    return alias


@transaction.atomic
def add_address(
    *,
    by: User,
    person: Person,
    line_1: str,
    line_2: str = "",
    town: str = "",
    postcode: str = "",
    is_temporary: bool = False,
    from_date: dt.date | None = None,
) -> Address:
    """A new current address ends the previous one (the history stays)."""
    require_edit(by, person)
    if not line_1.strip():
        raise ValidationError({"line_1": "Enter address line 1"})
    from_date = from_date or timezone.localdate()
    Address.objects.filter(person=person, to_date__isnull=True).update(
        to_date=from_date
    )
    address = Address.objects.create(
        person=person,
        line_1=line_1.strip(),
        line_2=line_2.strip(),
        town=town.strip(),
        postcode=postcode.strip().upper(),
        is_temporary=is_temporary,
        from_date=from_date,
    )
    record(
        AuditAction.CHANGE,
        actor=by,
        target=person,
        detail={"address_added": address.pk},
    )
    return address


@transaction.atomic
def add_relationship(
    *, by: User, person: Person, related: Person, kind: str, note: str = ""
) -> Relationship:
    require_edit(by, person)
    if related.pk == person.pk:
        raise ValidationError({"related": "A person cannot be related to themselves"})
    if Relationship.objects.filter(person=person, related=related, kind=kind).exists():
        raise ValidationError({"related": "This relationship is already recorded"})
    relationship = Relationship.objects.create(
        person=person, related=related, kind=kind, note=note.strip(), created_by=by
    )
    record(
        AuditAction.CHANGE,
        actor=by,
        target=person,
        detail={"relationship_added": kind, "related_id": related.pk},
    )
    return relationship


@transaction.atomic
def add_team_member(
    *, by: User, person: Person, user: User, role: str
) -> CaseTeamMember:
    """The lead professional or a manager adds a practitioner to the case team."""
    if not can_grant_access(by, person):
        raise PermissionDenied("Only the lead professional or a manager can do this.")
    if not has_permission(user, Permission.VIEW_CASES):
        raise ValidationError({"user": "This person's roles do not include case work"})
    if person.partnership_id not in user_partnership_ids(user):
        raise ValidationError(
            {"user": "This person does not work in the child's partnership"}
        )
    Person.objects.select_for_update().get(pk=person.pk)
    if role == TeamRole.LEAD:
        return set_lead_professional(by=by, person=person, user=user)
    if CaseTeamMember.objects.filter(
        person=person, user=user, ended_at__isnull=True
    ).exists():
        raise ValidationError({"user": "This person is already on the case team"})
    member = CaseTeamMember.objects.create(
        person=person, user=user, agency=primary_agency(user), role=role, added_by=by
    )
    record(
        AuditAction.CHANGE,
        actor=by,
        target=person,
        detail={"team_member_added": user.username, "role": role},
    )
    return member


def _make_lead(*, by: User, person: Person, user: User) -> CaseTeamMember:
    now = timezone.now()
    CaseTeamMember.objects.filter(
        person=person, role=TeamRole.LEAD, ended_at__isnull=True
    ).exclude(user=user).update(role=TeamRole.KEY_WORKER)
    member = CaseTeamMember.objects.filter(
        person=person, user=user, ended_at__isnull=True
    ).first()
    if member is None:
        member = CaseTeamMember.objects.create(
            person=person,
            user=user,
            agency=primary_agency(user),
            role=TeamRole.LEAD,
            added_by=by,
            added_at=now,
        )
    elif member.role != TeamRole.LEAD:
        member.role = TeamRole.LEAD
        member.save(update_fields=["role"])
    Person.objects.filter(pk=person.pk).update(lead_professional=user)
    person.lead_professional = user
    return member


@transaction.atomic
def set_lead_professional(*, by: User, person: Person, user: User) -> CaseTeamMember:
    if not can_grant_access(by, person):
        raise PermissionDenied("Only the lead professional or a manager can do this.")
    member = _make_lead(by=by, person=person, user=user)
    record(
        AuditAction.CHANGE,
        actor=by,
        target=person,
        detail={"lead_professional": user.username},
    )
    return member


@transaction.atomic
def end_team_membership(*, by: User, member: CaseTeamMember) -> CaseTeamMember:
    if not (member.user_id == by.pk or can_grant_access(by, member.person)):
        raise PermissionDenied
    if member.role == TeamRole.LEAD:
        raise ValidationError(
            "Choose a new lead professional before the current one leaves the team"
        )
    member.ended_at = timezone.now()
    member.save(update_fields=["ended_at"])
    record(
        AuditAction.CHANGE,
        actor=by,
        target=member.person,
        detail={"team_member_left": member.user.username},
    )
    return member
