"""Self-assessment of the 21 outcomes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from svduty.accounts.models import User
from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.cases.policies import user_partnership_ids
from svduty.core.authorisation import Permission
from svduty.core.policies import has_permission
from svduty.evidence import documents, outcomes
from svduty.evidence.models import EvidenceLink, Grade, SelfAssessment
from svduty.partnership.models import Partnership


def require_manage(by: User, partnership_id: int) -> None:
    if not has_permission(by, Permission.MANAGE_EVIDENCE):
        raise PermissionDenied("You cannot record the partnership's evidence.")
    if partnership_id not in user_partnership_ids(by):
        raise PermissionDenied("You do not work in this partnership.")


@transaction.atomic
def save_self_assessment(
    *,
    by: User,
    partnership: Partnership,
    outcome: int,
    grade: str,
    narrative: str,
    owner: User,
    review_on: dt.date,
    strengths: str = "",
    improvements: str = "",
    version: int | None = None,
) -> SelfAssessment:
    """Create or update the outcome's self-assessment. `version` is the version the
    user opened (None for a new one): a change since then is refused."""
    require_manage(by, partnership.pk)
    if outcomes.get(outcome) is None:
        raise ValidationError({"outcome": "Choose one of the 21 outcomes"})
    if grade not in Grade.values:
        raise ValidationError({"grade": "Choose a grade"})
    if not narrative.strip():
        raise ValidationError({"narrative": "Enter what the evidence shows"})
    if owner.pk != by.pk and partnership.pk not in user_partnership_ids(owner):
        raise ValidationError({"owner": "Choose an owner who works in the partnership"})
    existing = (
        SelfAssessment.objects.select_for_update()
        .filter(partnership=partnership, outcome=outcome)
        .first()
    )
    fields = {
        "grade": grade,
        "narrative": narrative.strip(),
        "strengths": strengths.strip(),
        "improvements": improvements.strip(),
        "owner": owner,
        "review_on": review_on,
        "updated_by": by,
        "updated_at": timezone.now(),
    }
    if existing is None:
        assessment = SelfAssessment.objects.create(
            partnership=partnership, outcome=outcome, **fields
        )
        record(AuditAction.CREATE, actor=by, target=assessment, detail={"grade": grade})
        return assessment
    if version is not None and version != existing.version:
        raise ValidationError(
            "Someone changed this self-assessment since you opened it. "
            "Open it again to see their changes."
        )
    before = existing.grade
    for name, value in fields.items():
        setattr(existing, name, value)
    existing.version += 1
    existing.save()
    record(
        AuditAction.CHANGE,
        actor=by,
        target=existing,
        detail={"grade": [before, grade], "version": existing.version},
    )
    return existing


@transaction.atomic
def add_evidence_link(
    *,
    by: User,
    self_assessment: SelfAssessment,
    title: str,
    url: str = "",
    note: str = "",
    document: Any = None,
) -> EvidenceLink:
    """Add a piece of evidence: a link, a note of where it is, or an uploaded
    document (checked: type from its contents, size; evidence/documents.py)."""
    require_manage(by, self_assessment.partnership_id)
    if not title.strip():
        raise ValidationError({"title": "Enter a title for the evidence"})
    if not url and not note.strip() and document is None:
        raise ValidationError(
            {"url": "Enter a link, a note saying where it is, or upload a document"}
        )
    stored: dict[str, Any] = {}
    if document is not None:
        try:
            kind = documents.check_document(document)
        except ValidationError as error:
            raise ValidationError({"document": error.messages}) from error
        stored = {
            "document": documents.save_document(document),
            "document_name": Path(str(document.name)).name[:255],
            "document_type": kind,
            "document_size": int(document.size),
        }
    # A stored document is removed if this transaction rolls back, here or in a
    # caller (documents.save_document): no file outlives its row.
    link = EvidenceLink.objects.create(
        self_assessment=self_assessment,
        title=title.strip(),
        url=url,
        note=note.strip(),
        added_by=by,
        **stored,
    )
    record(
        AuditAction.CREATE,
        actor=by,
        target=link,
        detail={
            "url": url,
            "document": stored.get("document_name", ""),
            "document_type": str(stored.get("document_type", "")),
            "document_size": stored.get("document_size"),
        },
    )
    return link
