"""Sign-off of a strategy version by each specified authority, bound to the content.

A sign-off records the digest (see `digest.py`) of the exact content and the local
definition it approved. It is given in one of two ways, and the record says which:

- by someone from that authority, signed in, holding the sign-off permission;
- by the partnership lead uploading the authority's signed evidence (a letter, board
  minutes), naming who signed. One document may back several sign-offs, so that a
  board meeting's sign-offs are recorded from one page.

Any change to the content or to the definition in force voids the sign-offs given:
they stay in the history marked superseded, and their signatories are told. An
authority may withdraw its sign-off, with a reason, until the strategy is published.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from svduty.accounts.models import Agency, User
from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.core.authorisation import Permission
from svduty.core.policies import has_permission
from svduty.partnership.actions import require
from svduty.partnership.definitions import definition_in_force
from svduty.partnership.locking import lock
from svduty.partnership.models import (
    LocalDefinition,
    Partnership,
    PartnershipMember,
    StatutoryRole,
)

from ..digest import content_digest
from ..models import (
    SignOff,
    SignOffEvidence,
    SignOffMethod,
    StrategyVersion,
)
from ..states import StrategyState

#: Largest evidence document kept (a scanned, signed letter or minutes).
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
EVIDENCE_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
NO_DEFINITION = "Agree a local definition of serious violence before sign-off"
NOT_OPEN = "Sign-offs are recorded after consultation closes and before publication"


def required_signatories(version: StrategyVersion) -> list[PartnershipMember]:
    """Every specified authority (duty holder) in the partnership."""
    return list(
        version.partnership.members.filter(statutory_role=StatutoryRole.SPECIFIED)
        .select_related("agency")
        .order_by("agency__name")
    )


def current_binding(
    version: StrategyVersion, on: dt.date | None = None
) -> tuple[str, LocalDefinition | None]:
    """The digest a sign-off given now binds to, and the definition it covers."""
    definition = definition_in_force(version.partnership, on)
    return content_digest(version, definition.pk if definition else None), definition


def sign_off_status(
    version: StrategyVersion,
) -> list[tuple[PartnershipMember, SignOff | None]]:
    """Each specified authority with its live sign-off of the current content."""
    digest, _definition = current_binding(version)
    live = {
        s.member_id: s
        for s in version.sign_offs.live()
        .filter(content_digest=digest)
        .select_related("evidence", "definition", "signatory")
    }
    return [(m, live.get(m.pk)) for m in required_signatories(version)]


def _open_for_sign_off(version: StrategyVersion) -> None:
    if version.state != StrategyState.AWAITING_SIGN_OFF:
        raise ValidationError(NOT_OPEN)


def _check_signatory_member(
    version: StrategyVersion, member: PartnershipMember
) -> None:
    if member.partnership_id != version.partnership_id:
        raise ValidationError({"member": "Select a member of this partnership"})
    if member.statutory_role != StatutoryRole.SPECIFIED:
        raise ValidationError("Only specified authorities sign off the strategy")
    if version.sign_offs.live().filter(member=member).exists():
        raise ValidationError(f"{member.agency} has already signed off this version")


def _check_person(
    name: str,
    role: str,
    signed_on: dt.date | None,
    prefix: str = "",
    agency: Agency | None = None,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    whose = f" for {agency}" if agency else ""
    if not (name or "").strip():
        errors[f"{prefix}signed_by_name"] = (
            f"Enter the name of the person signing off{whose}"
        )
    if not (role or "").strip():
        errors[f"{prefix}signed_by_role"] = (
            f"Enter the role of the person signing off{whose}"
            if agency
            else "Enter their role"
        )
    if signed_on is None:
        errors["signed_on"] = "Enter the date signed off"
    elif signed_on > timezone.localdate():
        errors["signed_on"] = "Date signed off must be today or in the past"
    return errors


@transaction.atomic
def record_sign_off(
    *,
    by: User,
    strategy_version: StrategyVersion,
    member: PartnershipMember,
    signed_by_name: str,
    signed_by_role: str,
    signed_on: dt.date | None,
) -> SignOff:
    """A specified authority signs off the content as it is now, through someone
    from that authority who holds the sign-off permission."""
    require(by, Permission.SIGN_OFF_STRATEGY, strategy_version.partnership)
    version = lock(strategy_version)
    _open_for_sign_off(version)
    _check_signatory_member(version, member)
    if member.agency_id not in by.agency_ids():
        raise ValidationError(
            f"Only someone from {member.agency} can sign off for it. The partnership "
            "lead can upload their signed evidence instead."
        )
    errors = _check_person(signed_by_name, signed_by_role, signed_on)
    if errors:
        raise ValidationError(errors)
    assert signed_on is not None  # _check_person refuses a missing date
    digest, definition = current_binding(version)
    if definition is None:
        raise ValidationError(NO_DEFINITION)
    sign_off = SignOff.objects.create(
        strategy_version=version,
        member=member,
        method=SignOffMethod.SIGNATORY,
        signatory=by,
        signed_by_name=signed_by_name.strip(),
        signed_by_role=signed_by_role.strip(),
        signed_on=signed_on,
        content_digest=digest,
        definition=definition,
        recorded_by=by,
    )
    record(
        AuditAction.CREATE,
        actor=by,
        target=sign_off,
        detail={
            "strategy_version": version.number,
            "agency": member.agency.name,
            "method": str(SignOffMethod.SIGNATORY),
            "signed_by": sign_off.signed_by_name,
            "role": sign_off.signed_by_role,
            "signed_on": signed_on.isoformat() if signed_on else "",
            "content_digest": digest,
            "definition": definition.number,
        },
    )
    return sign_off


@dataclass(frozen=True)
class Signatory:
    """One authority's signatory named in an uploaded evidence document."""

    member: PartnershipMember
    name: str
    role: str


def _check_document(file_name: str, content: bytes) -> dict[str, str]:
    suffix = "." + file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if not content:
        return {"document": "Select the signed document"}
    if suffix not in EVIDENCE_TYPES:
        return {"document": "The signed document must be a PDF, Word, ODT, PNG or JPG"}
    if len(content) > MAX_EVIDENCE_BYTES:
        return {"document": "The signed document must be smaller than 10 MB"}
    return {}


@transaction.atomic
def record_sign_offs_with_evidence(
    *,
    by: User,
    strategy_version: StrategyVersion,
    signatories: Sequence[Signatory],
    signed_on: dt.date | None,
    file_name: str,
    content: bytes,
) -> list[SignOff]:
    """The lead records one or more authorities' sign-offs from a signed document
    (kept with the record), naming who signed for each."""
    require(by, Permission.MANAGE_STRATEGY, strategy_version.partnership)
    require(by, Permission.SIGN_OFF_STRATEGY, strategy_version.partnership)
    version = lock(strategy_version)
    _open_for_sign_off(version)
    errors: dict[str, str] = {}
    if not signatories:
        errors["signatories"] = "Select at least one authority that signed off"
    for entry in signatories:
        _check_signatory_member(version, entry.member)
        errors.update(
            _check_person(
                entry.name,
                entry.role,
                signed_on,
                prefix=f"m{entry.member.pk}_",
                agency=entry.member.agency,
            )
        )
    errors.update(_check_document(file_name or "", content or b""))
    if errors:
        raise ValidationError(errors)
    assert signed_on is not None  # refused above for each of the signatories
    digest, definition = current_binding(version)
    if definition is None:
        raise ValidationError(NO_DEFINITION)
    suffix = "." + file_name.rsplit(".", 1)[-1].lower()
    evidence = SignOffEvidence.objects.create(
        strategy_version=version,
        file_name=file_name[-255:],
        content_type=EVIDENCE_TYPES[suffix],
        content=content,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=by,
    )
    created = [
        SignOff.objects.create(
            strategy_version=version,
            member=entry.member,
            method=SignOffMethod.EVIDENCE,
            evidence=evidence,
            signed_by_name=entry.name.strip(),
            signed_by_role=entry.role.strip(),
            signed_on=signed_on,
            content_digest=digest,
            definition=definition,
            recorded_by=by,
        )
        for entry in signatories
    ]
    record(
        AuditAction.CREATE,
        actor=by,
        target=evidence,
        detail={
            "strategy_version": version.number,
            "method": str(SignOffMethod.EVIDENCE),
            "sign_offs": [
                {"agency": s.member.agency.name, "signed_by": s.signed_by_name}
                for s in created
            ],
            "signed_on": signed_on.isoformat() if signed_on else "",
            "document_sha256": evidence.sha256,
            "content_digest": digest,
            "definition": definition.number,
        },
    )
    return created


@transaction.atomic
def withdraw_sign_off(*, by: User, sign_off: SignOff, reason: str) -> SignOff:
    """The authority takes back its sign-off before publication: someone from it
    with the sign-off permission, or the lead who recorded its evidence."""
    version = lock(sign_off.strategy_version)
    require(by, Permission.SIGN_OFF_STRATEGY, version.partnership)
    sign_off = SignOff.objects.select_for_update().get(pk=sign_off.pk)
    from_agency = sign_off.member.agency_id in by.agency_ids()
    lead_of_evidence = sign_off.method == SignOffMethod.EVIDENCE and has_permission(
        by, Permission.MANAGE_STRATEGY
    )
    if not (from_agency or lead_of_evidence):
        raise PermissionDenied(
            f"Only someone from {sign_off.member.agency} can withdraw its sign-off."
        )
    if version.state != StrategyState.AWAITING_SIGN_OFF:
        raise ValidationError(
            "A sign-off can be withdrawn only before the strategy is published"
        )
    if not sign_off.is_live:
        raise ValidationError("This sign-off no longer stands")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter why the sign-off is withdrawn"})
    sign_off.withdrawn_at = timezone.now()
    sign_off.withdrawn_by = by
    sign_off.withdrawal_reason = reason
    sign_off.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    record(
        AuditAction.CHANGE,
        actor=by,
        target=sign_off,
        detail={
            "strategy_version": version.number,
            "agency": sign_off.member.agency.name,
            "withdrawn": reason,
        },
    )
    return sign_off


def void_sign_offs(version: StrategyVersion, reason: str) -> list[str]:
    """Mark every live sign-off of `version` superseded (the caller holds the lock
    and writes the audit event), and tell each signatory once the change commits.
    Returns the agencies whose sign-offs were voided, for the caller's audit event."""
    live = list(version.sign_offs.live().select_related("member__agency"))
    if not live:
        return []
    now = timezone.now()
    for sign_off in live:
        sign_off.superseded_at = now
        sign_off.superseded_reason = reason[:300]
        sign_off.save(update_fields=["superseded_at", "superseded_reason"])
    recipients = sorted(
        {
            person.email
            for s in live
            for person in (s.signatory, s.recorded_by)
            if person is not None and person.email
        }
    )
    if recipients:
        subject = f"Sign-off needed again: {version.title} (version {version.number})"
        body = (
            f"{reason}.\n\nThe sign-offs given for {version.partnership} no longer "
            "stand: each specified authority must sign off the changed strategy "
            "before it can be published.\n"
        )
        transaction.on_commit(
            lambda: send_mail(
                subject,
                body,
                settings.DEFAULT_FROM_EMAIL,
                recipients,
                fail_silently=True,
            )
        )
    return [s.member.agency.name for s in live]


def void_for_definition_change(partnership: Partnership) -> None:
    """A newly agreed definition changes what a sign-off binds to: sign-offs of a
    strategy awaiting publication under an earlier definition no longer stand."""
    in_force = definition_in_force(partnership)
    if in_force is None:
        return
    for version in StrategyVersion.objects.select_for_update().filter(
        partnership=partnership, state=StrategyState.AWAITING_SIGN_OFF
    ):
        stale = version.sign_offs.live().exclude(definition_id=in_force.pk)
        if not stale.exists():
            continue
        voided = void_sign_offs(
            version, f"The local definition changed to version {in_force.number}"
        )
        record(
            AuditAction.CHANGE,
            actor=None,
            actor_label="svduty",
            target=version,
            detail={"voided_sign_offs": voided, "definition": in_force.number},
        )
