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
from svduty.cases.models.access import DisclosurePurpose, LegalGateway
from svduty.cases.policies import access_basis, can_grant_access
from svduty.core.authorisation import Permission, Role
from svduty.core.policies import has_permission
from svduty.sharing.models import DataSharingAgreement
from svduty.sharing.models import LegalGateway as SharingGateway
from svduty.sharing.s16 import is_health_or_social_care, is_s16_party, s16_problems

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


#: An agreement's gateway as the case record names it (as on imports, the gateway
#: of a disclosure under an agreement is the agreement's). Section 17 is only the
#: local policing body's request power, never a case-level disclosure.
AGREEMENT_GATEWAYS: dict[str, str] = {
    SharingGateway.PCSC_S16: LegalGateway.PCSC_2022_S16,
    SharingGateway.CDA_S115: LegalGateway.CRIME_DISORDER_S115,
    SharingGateway.CONSENT: LegalGateway.CONSENT,
}


def _agreement_problems(
    by: User,
    person: Person,
    agreement: DataSharingAgreement,
    recipient_agency: Agency | None,
    legal_gateway: str,
    disclosed_on: dt.date | None,
) -> dict[str, str]:
    """The checks an import under an agreement gets (sharing.imports
    .check_agreement), for one disclosure about a child."""
    if agreement.partnership_id != person.partnership_id:
        return {"agreement": "Select a data sharing agreement of this partnership"}
    when = disclosed_on or timezone.localdate()
    if not agreement.is_active(when):
        return {
            "agreement": f"The data sharing agreement ‘{agreement.title}’ was not in "
            f"force on {when:%-d %B %Y}"
        }
    if not agreement.personal_information:
        return {
            "agreement": f"The data sharing agreement ‘{agreement.title}’ covers only "
            "anonymous or aggregate data, not information about a child"
        }
    mine = set(by.agency_ids())
    if not agreement.providers.filter(pk__in=mine).exists():
        return {
            "agreement": "Your organisation does not provide data under the "
            f"agreement ‘{agreement.title}’"
        }
    if (
        recipient_agency is not None
        and not agreement.parties.filter(pk=recipient_agency.pk).exists()
    ):
        return {
            "recipient_agency": f"{recipient_agency} is not a party to the agreement "
            f"‘{agreement.title}’"
        }
    expected = AGREEMENT_GATEWAYS.get(agreement.legal_gateway)
    if agreement.legal_gateway == SharingGateway.PCSC_S17:
        return {
            "agreement": "A section 17 agreement is for the local policing body's "
            "requests, not for disclosures about a child"
        }
    if expected is not None and legal_gateway != expected:
        return {
            "legal_gateway": "Select the agreement's legal gateway: "
            f"{LegalGateway(expected).label}"
        }
    if agreement.legal_gateway == SharingGateway.PCSC_S16:
        problems = s16_problems(
            parties=agreement.parties.all(),
            providers=agreement.providers.filter(pk__in=mine),
            personal_information=True,
            patient_information=agreement.discloses_patient_information,
        )
        if problems:
            return {"agreement": problems[0]}
    return {}


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
    purpose_basis: str = DisclosurePurpose.OTHER,
    recipient_agency: Agency | None = None,
    recipient_email: str = "",
    agreement: DataSharingAgreement | None = None,
) -> Disclosure:
    """Record information shared outside svduty: to whom, under which gateway (and
    agreement, if any) and for what purpose (DPA 2018 s.62). Under s.16 the purpose
    is the recipient's functions under the Serious Violence Duty and the recipient
    an s.16 party; the database checks both (cases 0004)."""
    require_edit(by, person)
    errors = {}
    if not recipient.strip():
        errors["recipient"] = "Enter who received the information"
    if not recipient_organisation.strip():
        errors["recipient_organisation"] = "Enter their organisation"
    if legal_gateway not in LegalGateway.values:
        errors["legal_gateway"] = "Select the legal gateway for sharing"
    if purpose_basis not in DisclosurePurpose.values:
        errors["purpose_basis"] = "Select what the information was shared for"
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
        if recipient_agency is None:
            errors["recipient_agency"] = (
                "Select the organisation that received it: section 16 lets only "
                "specified authorities, local policing bodies and educational, "
                "prison and youth custody authorities receive information"
            )
        elif not is_s16_party(recipient_agency):
            errors["recipient_agency"] = (
                f"{recipient_agency} cannot receive information under section 16. "
                "Select the legal gateway you rely on instead"
            )
        if purpose_basis != DisclosurePurpose.DUTY_FUNCTIONS:
            errors["purpose_basis"] = (
                "Under section 16 the purpose must be the recipient's functions "
                "under the Serious Violence Duty"
            )
    if agreement is not None and not errors:
        errors.update(
            _agreement_problems(
                by, person, agreement, recipient_agency, legal_gateway, disclosed_on
            )
        )
    if errors:
        raise ValidationError(errors)
    disclosure = Disclosure.objects.create(
        person=person,
        disclosed_on=disclosed_on,
        recipient=recipient.strip(),
        recipient_organisation=recipient_organisation.strip(),
        recipient_agency=recipient_agency,
        recipient_email=recipient_email.strip(),
        legal_gateway=legal_gateway,
        agreement=agreement,
        purpose_basis=purpose_basis,
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
            "purpose": purpose_basis,
            "agreement_id": agreement.pk if agreement else None,
        },
    )
    return disclosure


@transaction.atomic
def withdraw_disclosure(*, by: User, disclosure: Disclosure, reason: str) -> Disclosure:
    """The information should not have been shared, or is no longer accurate: the
    recipient is told to stop using it (and delete or return it), the record shows
    it withdrawn, and whoever recorded it is told too."""
    locked = Disclosure.objects.select_for_update().get(pk=disclosure.pk)
    require_edit(by, locked.person)
    if locked.withdrawn_at is not None:
        raise ValidationError("This disclosure has already been withdrawn")
    if len(reason.strip()) < 10:
        raise ValidationError(
            {"reason": "Enter why it is withdrawn, in at least 10 characters"}
        )
    locked.withdrawn_at = timezone.now()
    locked.withdrawn_by = by
    locked.withdrawal_reason = reason.strip()
    locked.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    told = sorted(
        {
            e
            for e in (locked.recipient_email, locked.recorded_by.email)
            if e and e != by.email
        }
    )
    if told:
        subject = "Information shared about a child has been withdrawn"
        body = (
            f"On {locked.disclosed_on:%-d %B %Y} {locked.recorded_by.get_full_name()} "
            f"shared information with {locked.recipient}, "
            f"{locked.recipient_organisation} ({locked.get_legal_gateway_display()}). "
            f"It has been withdrawn by {by.get_full_name() or by.username}: "
            f"{locked.withdrawal_reason}\n\nStop using the information, and delete "
            "or return it. Ask the sender if you need to know what to replace it "
            "with. (svduty reference: disclosure "
            f"{locked.pk}.)\n"
        )
        transaction.on_commit(
            lambda: send_mail(subject, body, None, told, fail_silently=True)
        )
    record(
        AuditAction.CHANGE,
        actor=by,
        target=locked.person,
        detail={
            "disclosure": locked.pk,
            "withdrawn": True,
            "told": len(told),
        },
    )
    locked.told = told  # type: ignore[attr-defined]
    return locked
