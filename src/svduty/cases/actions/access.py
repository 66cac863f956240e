"""Requests for access, break-glass and disclosures outside the platform."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from svduty.accounts.models import Agency, User
from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.cases.models import (
    AccessRequest,
    AccessStatus,
    BreakGlass,
    Disclosure,
    Person,
)
from svduty.cases.models.access import LegalGateway
from svduty.cases.policies import access_basis, can_grant_access
from svduty.core.authorisation import Permission, Role
from svduty.core.policies import has_permission
from svduty.sharing.s16 import is_health_or_social_care, is_s16_party

from .common import require_edit, setting

ACCESS_DAYS_CHOICES = (7, 30, 90)


def _searchable(by: User, person: Person) -> bool:
    return Person.objects.searchable_by(by).filter(pk=person.pk).exists()


@transaction.atomic
def request_access(*, by: User, person: Person, reason: str) -> AccessRequest:
    if not has_permission(by, Permission.VIEW_CASES) or not _searchable(by, person):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": "Enter why you need to see this record"})
    if access_basis(by, person) is not None:
        raise ValidationError("You can already see this record")
    if AccessRequest.objects.filter(
        person=person, requested_by=by, status=AccessStatus.REQUESTED
    ).exists():
        raise ValidationError("You have already asked for access to this record")
    request = AccessRequest.objects.create(
        person=person, requested_by=by, reason=reason.strip()
    )
    record(
        AuditAction.ACCESS_REQUESTED,
        actor=by,
        target=person,
        detail={"access_request": request.pk},
    )
    lead = person.lead_professional
    if lead is not None and lead.email:
        link = settings.SITE_URL.rstrip("/") + reverse(
            "cases:access_request_decide", args=[request.pk]
        )
        transaction.on_commit(
            lambda: send_mail(
                subject="Someone has asked to see a child's record",
                message=(
                    f"{by.get_full_name()} ({by.agency_names()}) has asked to see the "
                    f"record of a child you are lead professional for.\n\n"
                    f"Decide the request here:\n{link}\n"
                ),
                from_email=None,
                recipient_list=[lead.email],
            )
        )
    return request


@transaction.atomic
def decide_access_request(
    *, by: User, request: AccessRequest, grant: bool, days: int = 30, note: str = ""
) -> AccessRequest:
    request = AccessRequest.objects.select_for_update().get(pk=request.pk)
    if not can_grant_access(by, request.person):
        raise PermissionDenied("Only the lead professional or a manager can decide.")
    if request.status != AccessStatus.REQUESTED:
        raise ValidationError("This request has already been decided")
    if request.requested_by_id == by.pk:
        raise ValidationError("You cannot decide your own request")
    if grant and days not in ACCESS_DAYS_CHOICES:
        raise ValidationError({"days": "Select how long access lasts"})
    if not grant and not note.strip():
        raise ValidationError({"note": "Enter why you are refusing access"})
    now = timezone.now()
    request.status = AccessStatus.GRANTED if grant else AccessStatus.REFUSED
    request.decided_by = by
    request.decided_at = now
    request.decision_note = note.strip()
    request.expires_at = now + dt.timedelta(days=days) if grant else None
    request.save(
        update_fields=[
            "status",
            "decided_by",
            "decided_at",
            "decision_note",
            "expires_at",
        ]
    )
    record(
        AuditAction.ACCESS_GRANTED if grant else AuditAction.ACCESS_REFUSED,
        actor=by,
        target=request.person,
        detail={
            "access_request": request.pk,
            "for": request.requested_by.username,
            "expires_at": request.expires_at.isoformat()
            if request.expires_at
            else None,
        },
    )
    return request


def _dpo_addresses(person: Person) -> list[str]:
    auditors = User.objects.filter(
        is_active=True, roles__contains=[Role.AUDITOR.value]
    ).exclude(email="")
    local = auditors.filter(
        memberships__agency__partnership_memberships__partnership=person.partnership
    ).distinct()
    emails = sorted({u.email for u in local}) or sorted({u.email for u in auditors})
    return emails


@transaction.atomic
def break_glass(*, by: User, person: Person, reason: str) -> BreakGlass:
    """Emergency access. The reason is mandatory; the data protection officer is
    e-mailed and an audit event names the user, the child and the reason."""
    if not has_permission(by, Permission.BREAK_GLASS) or not _searchable(by, person):
        raise PermissionDenied
    if len(reason.strip()) < 10:
        raise ValidationError(
            {"reason": "Enter the emergency that means you need this record now"}
        )
    now = timezone.now()
    hours = setting("CASES_BREAK_GLASS_HOURS", 4)
    access = BreakGlass.objects.create(
        person=person,
        user=by,
        reason=reason.strip(),
        started_at=now,
        expires_at=now + dt.timedelta(hours=hours),
    )
    record(
        AuditAction.BREAK_GLASS,
        actor=by,
        target=person,
        detail={"reason": access.reason, "expires_at": access.expires_at.isoformat()},
    )
    recipients = _dpo_addresses(person)
    if recipients:
        link = settings.SITE_URL.rstrip("/") + reverse(
            "cases:access_log", args=[person.pk]
        )
        message = (
            f"{by.get_full_name()} ({by.get_username()}, {by.agency_names()}) used "
            f"break-glass access to a child's record at "
            f"{timezone.localtime(now):%H:%M on %d %B %Y} for {hours} hours.\n\n"
            f"Reason given:\n{access.reason}\n\n"
            f"Review who has seen the record:\n{link}\n"
        )
        transaction.on_commit(
            lambda: send_mail(
                subject="Break-glass access to a child's record",
                message=message,
                from_email=None,
                recipient_list=recipients,
            )
        )
    return access


def _s16_disclosure_problem(by: User) -> str | None:
    """A disclosure about a child is personal information, so s.16 may be used only
    by someone whose agency is an s.16 party and not a health or social care
    authority (s.16(1)-(2), (4)(b)); judged from agency types (sharing/s16.py)."""
    agencies = list(Agency.objects.filter(pk__in=by.agency_ids()))
    if any(is_s16_party(a) and not is_health_or_social_care(a) for a in agencies):
        return None
    if any(is_health_or_social_care(a) for a in agencies):
        return (
            "Section 16 does not cover personal information disclosed by a health "
            "or social care authority (section 16(4)(b)). Select the legal gateway "
            "you rely on instead"
        )
    return (
        "Section 16 can be used only by specified authorities, local policing "
        "bodies and educational, prison and youth custody authorities. Select the "
        "legal gateway you rely on instead"
    )


@transaction.atomic
def record_disclosure(
    *,
    by: User,
    person: Person,
    disclosed_on: dt.date,
    recipient: str,
    recipient_organisation: str,
    legal_gateway: str,
    purpose: str,
    information_shared: str,
) -> Disclosure:
    require_edit(by, person)
    errors = {}
    if not recipient.strip():
        errors["recipient"] = "Enter who received the information"
    if not recipient_organisation.strip():
        errors["recipient_organisation"] = "Enter their organisation"
    if legal_gateway not in LegalGateway.values:
        errors["legal_gateway"] = "Select the legal gateway for sharing"
    if not purpose.strip():
        errors["purpose"] = "Enter why the information was shared"
    if not information_shared.strip():
        errors["information_shared"] = "Enter what was shared"
    if disclosed_on and disclosed_on > timezone.localdate():
        errors["disclosed_on"] = "The date must be today or in the past"
    if legal_gateway == LegalGateway.PCSC_2022_S16:
        problem = _s16_disclosure_problem(by)
        if problem:
            errors["legal_gateway"] = problem
    if errors:
        raise ValidationError(errors)
    disclosure = Disclosure.objects.create(
        person=person,
        disclosed_on=disclosed_on,
        recipient=recipient.strip(),
        recipient_organisation=recipient_organisation.strip(),
        legal_gateway=legal_gateway,
        purpose=purpose.strip(),
        information_shared=information_shared.strip(),
        recorded_by=by,
    )
    record(
        AuditAction.DISCLOSURE,
        actor=by,
        target=person,
        detail={
            "disclosure": disclosure.pk,
            "to": disclosure.recipient_organisation,
            "legal_gateway": legal_gateway,
        },
    )
    return disclosure
