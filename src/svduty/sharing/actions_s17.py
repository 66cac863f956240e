"""Section 17 requests (architecture D6): ask, answer, refuse, and read what was
supplied. Each writes one audit event in its transaction."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from svduty.accounts.models import Agency, AgencyType, User
from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.core.authorisation import Permission
from svduty.core.policies import has_permission
from svduty.partnership.models import Partnership

from .models import S17_KIND, DataSharingAgreement, ImportBatch, LegalGateway
from .readers import FileProblem
from .readers.s17 import S17_FIGURE_COLUMNS
from .s17_models import (
    InformationRequest,
    RefusalReason,
    RequestFunction,
    RequestStatus,
)

#: Who may be asked under s.17: specified, educational, prison and youth custody
#: authorities (the local policing body's own force is a specified authority).
ASKABLE_TYPES = frozenset(
    {
        AgencyType.POLICE,
        AgencyType.FIRE,
        AgencyType.ICB,
        AgencyType.LOCAL_AUTHORITY,
        AgencyType.YOUTH_JUSTICE,
        AgencyType.PROBATION,
        AgencyType.EDUCATION,
        AgencyType.PRISON,
        AgencyType.YOUTH_CUSTODY,
    }
)
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
USE_LIMITATION = (
    "Supplied under section 17 of the Police, Crime, Sentencing and Courts Act 2022 "
    "to {body} only. Only {body} may use it, and only to assist or monitor the "
    "specified authorities under the Serious Violence Duty."
)


def _in_scope(by: User, partnership: Partnership) -> None:
    if not has_permission(by, Permission.MANAGE_AGREEMENTS):
        raise PermissionDenied("Your roles do not allow this.")
    if not Partnership.objects.visible_to(by).filter(pk=partnership.pk).exists():
        raise PermissionDenied("This partnership is not one of yours.")


def requesting_bodies(by: User) -> list[Agency]:
    """The local policing bodies the user works for (they may ask under s.17)."""
    return list(
        Agency.objects.filter(
            pk__in=by.agency_ids(), agency_type=AgencyType.LOCAL_POLICING_BODY
        )
    )


@transaction.atomic
def request_information(
    *,
    by: User,
    partnership: Partnership,
    authority: Agency | None,
    purpose: str,
    function: str,
    data_requested: str,
    due_on: dt.date | None,
) -> InformationRequest:
    _in_scope(by, partnership)
    bodies = requesting_bodies(by)
    if not bodies:
        raise PermissionDenied(
            "Only someone from a local policing body can ask for information under "
            "section 17"
        )
    errors: dict[str, str] = {}
    if authority is None:
        errors["authority"] = "Select the authority you are asking"
    elif authority.agency_type not in ASKABLE_TYPES:
        errors["authority"] = (
            "Select a specified, educational, prison or youth custody authority"
        )
    elif not partnership.members.filter(agency=authority).exists():
        errors["authority"] = "Select an authority in this partnership"
    if not purpose.strip():
        errors["purpose"] = "Enter why you need the information"
    if function not in RequestFunction.values:
        errors["function"] = "Select the function it supports"
    if not data_requested.strip():
        errors["data_requested"] = "Enter the information you are asking for"
    if due_on is None:
        errors["due_on"] = "Enter the date you need it by"
    elif due_on <= timezone.localdate():
        errors["due_on"] = "The date you need it by must be in the future"
    if errors:
        raise ValidationError(errors)
    assert authority is not None and due_on is not None  # refused above
    request = InformationRequest.objects.create(
        partnership=partnership,
        requesting_body=bodies[0],
        authority=authority,
        purpose=purpose.strip(),
        function=function,
        data_requested=data_requested.strip(),
        due_on=due_on,
        created_by=by,
    )
    record(
        AuditAction.CREATE,
        actor=by,
        target=request,
        detail={
            "section": "17",
            "authority": authority.name,
            "due_on": due_on.isoformat(),
        },
    )
    return request


def _answering(by: User, request: InformationRequest) -> InformationRequest:
    _in_scope(by, request.partnership)
    if request.authority_id not in by.agency_ids():
        raise PermissionDenied(
            f"Only someone from {request.authority} can answer this request"
        )
    locked = InformationRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != RequestStatus.OPEN:
        raise ValidationError("This request has already been answered")
    return locked


@transaction.atomic
def answer_request(
    *,
    by: User,
    request: InformationRequest,
    answer: str,
    document_name: str = "",
    document: bytes | None = None,
) -> InformationRequest:
    """Supply the information, as text, a document, or both."""
    locked = _answering(by, request)
    if not answer.strip() and not document:
        raise ValidationError(
            {"answer": "Enter the information, or upload a document with it"}
        )
    if document and len(document) > MAX_DOCUMENT_BYTES:
        raise ValidationError({"document": "The file must be smaller than 10 MB"})
    locked.status = RequestStatus.ANSWERED
    locked.answer = answer.strip()
    locked.document_name = (document_name or "")[:255] if document else ""
    locked.document = document or None
    locked.answered_at = timezone.now()
    locked.answered_by = by
    locked.version += 1
    locked.save()
    record(
        AuditAction.DISCLOSURE,
        actor=by,
        target=locked,
        detail={
            "section": "17",
            "to": locked.requesting_body.name,
            "late": locked.is_late(),
            **({"document": locked.document_name} if document else {}),
        },
    )
    return locked


@transaction.atomic
def refuse_request(
    *, by: User, request: InformationRequest, reason: str, detail: str
) -> InformationRequest:
    locked = _answering(by, request)
    errors = {}
    if reason not in RefusalReason.values:
        errors["reason"] = "Select why the information cannot be supplied"
    if len(detail.strip()) < 20:
        errors["detail"] = "Explain the refusal, in at least 20 characters"
    if errors:
        raise ValidationError(errors)
    locked.status = RequestStatus.REFUSED
    locked.refusal_reason = reason
    locked.refusal_detail = detail.strip()
    locked.answered_at = timezone.now()
    locked.answered_by = by
    locked.version += 1
    locked.save()
    record(
        AuditAction.CHANGE,
        actor=by,
        target=locked,
        detail={"section": "17", "refused": reason, "late": locked.is_late()},
    )
    return locked


def can_use_supplied(user: User, request: InformationRequest) -> bool:
    """Use limitation: only the requesting local policing body's users."""
    return request.requesting_body_id in user.agency_ids()


# --- Figures supplied as a file (an import under a section 17 agreement) -------------


def s17_agreements(request: InformationRequest):
    """The agreements figures for `request` may be supplied under: the
    partnership's section 17 agreements with the authority as a provider and the
    requesting body as a party (whether each is in force is checked on upload)."""
    return (
        DataSharingAgreement.objects.filter(
            partnership=request.partnership,
            legal_gateway=LegalGateway.PCSC_S17,
            providers=request.authority,
        )
        .filter(parties=request.requesting_body)
        .order_by("title", "pk")
        .distinct()
    )


def supply_figures(
    *,
    by: User,
    request: InformationRequest,
    agreement: DataSharingAgreement | None,
    path: str | Path,
    file_name: str,
) -> ImportBatch:
    """Queue a file of figures answering `request` (the import runs it). The
    request is answered when, and only when, the whole file is imported: in the
    transaction that publishes its rows (`publish_figures`). A file with any
    problem leaves the request open, with the problems on the batch; the same file
    sent again for the same request is recorded as already imported."""
    from .imports import queue_import

    return queue_import(
        by=by,
        partnership=request.partnership,
        kind=S17_KIND,
        path=path,
        file_name=file_name,
        agreement=agreement,
        upload_path=str(path),
        information_request=request,
    )


def publish_figures(cursor: Any, batch: ImportBatch, stage: str) -> dict[int, int]:
    """Inside the import's publishing transaction: write the staged figures and mark
    the request answered by the person who supplied them. Refused (nothing is
    written) when the request was answered or refused meanwhile."""
    assert batch.information_request_id is not None  # the check constraint
    request = InformationRequest.objects.select_for_update().get(
        pk=batch.information_request_id
    )
    if request.status != RequestStatus.OPEN:
        raise FileProblem(
            "This request was answered or refused while the file was being checked. "
            "Nothing from this file was imported."
        )
    columns = ", ".join(S17_FIGURE_COLUMNS)
    # Constant column names; `stage` is the import pipeline's own staging table.
    sql = f"INSERT INTO sharing_s17figure (partnership_id, batch_id, {columns}) SELECT %s, %s, {columns} FROM {stage}"  # noqa: S608, E501  # nosec B608 - constants and the pipeline's own table name
    cursor.execute(sql, [batch.partnership_id, batch.pk])
    rows = cursor.rowcount
    request.status = RequestStatus.ANSWERED
    request.answer = (
        f"Supplied as a file of figures, {batch.file_name} ({rows:,} "
        f"{'figure' if rows == 1 else 'figures'}), under the data sharing agreement "
        f"‘{batch.agreement}’."
    )
    request.answered_at = timezone.now()
    request.answered_by = batch.imported_by
    request.version += 1
    request.save()
    record(
        AuditAction.DISCLOSURE,
        actor=batch.imported_by,
        target=request,
        detail={
            "section": "17",
            "to": request.requesting_body.name,
            "late": request.is_late(),
            "batch": batch.pk,
            "figures": rows,
            "agreement_id": batch.agreement_id,
        },
    )
    return {}
