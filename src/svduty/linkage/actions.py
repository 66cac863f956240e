"""Changes to linkage (architecture D6): reviewers' decisions, merge and unmerge,
thresholds. Each checks its rule and writes its audit event in the transaction.

A merge moves records between linked people; it never changes who is on a
child's case team, and two children's records are never merged here (that is a
decision about the children's case records, not about partner data). So a merge
cannot widen what anyone may see of a child's record: what the child's case team
sees grows by the partner records linked to the child, and an unmerge takes them
away again.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from svduty.accounts.models import User
from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.core.authorisation import Permission
from svduty.core.policies import has_permission
from svduty.linkage.models import (
    CandidatePair,
    Decision,
    LinkageRun,
    LinkageSettings,
    LinkedPerson,
    MergeEvent,
    PairStatus,
    PersonRecord,
    RunStatus,
    Verdict,
)
from svduty.partnership.models import Partnership


def _require_reviewer(by: User, partnership: Partnership) -> None:
    if not has_permission(by, Permission.REVIEW_LINKAGE):
        raise PermissionDenied("You cannot review record linkage.")
    if not Partnership.objects.visible_to(by).filter(pk=partnership.pk).exists():
        raise PermissionDenied("You cannot review linkage for this partnership.")


def _refresh_decision(person_ids: set[int]) -> None:
    """Each open record's decision after a change to its people."""
    for person_id in person_ids:
        records = PersonRecord.objects.filter(
            linked_person_id=person_id, closed_at__isnull=True
        )
        if records.count() > 1:
            records.update(decision=Decision.LINKED)
            continue
        for one in records:
            queued = CandidatePair.objects.filter(
                status__in=[PairStatus.QUEUED, PairStatus.NOT_SURE]
            ).filter(left=one) | CandidatePair.objects.filter(
                status__in=[PairStatus.QUEUED, PairStatus.NOT_SURE], right=one
            )
            one.decision = Decision.REVIEW if queued.exists() else Decision.NEW
            one.save(update_fields=["decision"])


def merge_people(
    *,
    by: User,
    kept: LinkedPerson,
    merged: LinkedPerson,
    pair: CandidatePair | None = None,
) -> MergeEvent:
    """Move every record of ``merged`` to ``kept`` (call inside a transaction)."""
    if kept.pk == merged.pk:
        raise ValidationError("These records already belong to the same person.")
    if kept.case_person_id and merged.case_person_id:
        raise ValidationError(
            "Both records are children's records in svduty. Two children's records "
            "cannot be merged here: ask the case teams to check them."
        )
    if merged.case_person_id and not kept.case_person_id:
        kept, merged = merged, kept
    moved = list(
        PersonRecord.objects.filter(linked_person=merged).values_list("pk", flat=True)
    )
    PersonRecord.objects.filter(pk__in=moved).update(linked_person=kept)
    merged.merged_into = kept
    merged.save(update_fields=["merged_into"])
    event = MergeEvent.objects.create(
        partnership=kept.partnership,
        kept=kept,
        merged=merged,
        records=moved,
        pair=pair,
        by=by,
    )
    _refresh_decision({kept.pk})
    record(
        AuditAction.COMBINE,
        actor=by,
        target=event,
        detail={
            "s62": "combination",
            "kept": kept.pk,
            "merged": merged.pk,
            "records": moved,
            "pair": pair.pk if pair else None,
            "child": kept.case_person_id,
        },
    )
    return event


@transaction.atomic
def merge_people_now(
    *, by: User, kept: LinkedPerson, merged: LinkedPerson
) -> MergeEvent:
    """A reviewer merges two people directly (from the person's page)."""
    _require_reviewer(by, kept.partnership)
    return merge_people(by=by, kept=kept, merged=merged)


@transaction.atomic
def decide_pair(
    *, by: User, pair: CandidatePair, verdict: Verdict, reason: str
) -> CandidatePair:
    """A reviewer's decision; "the same person" merges the two people."""
    _require_reviewer(by, pair.partnership)
    pair = CandidatePair.objects.select_for_update().get(pk=pair.pk)
    if pair.status not in (PairStatus.QUEUED, PairStatus.NOT_SURE):
        raise ValidationError("This pair has already been decided.")
    if verdict == Verdict.NOT_MATCH and not reason.strip():
        raise ValidationError({"reason": "Enter why these are not the same person"})
    left = PersonRecord.objects.select_related("linked_person").get(pk=pair.left_id)
    right = PersonRecord.objects.select_related("linked_person").get(pk=pair.right_id)
    pair.status = PairStatus(verdict.value)
    pair.decided_by = by
    pair.decided_at = timezone.now()
    pair.reason = reason.strip()
    pair.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    record(
        AuditAction.CHANGE,
        actor=by,
        target=pair,
        detail={
            "decision": verdict.value,
            "reason": pair.reason,
            "probability": round(pair.probability, 4),
            "left": f"{left.agency_code} {left.local_id}",
            "right": f"{right.agency_code} {right.local_id}",
        },
    )
    if (
        verdict == Verdict.MATCH
        and left.linked_person is not None
        and right.linked_person is not None
        and left.linked_person_id != right.linked_person_id
    ):
        merge_people(
            by=by, kept=left.linked_person, merged=right.linked_person, pair=pair
        )
    ids = {i for i in (left.linked_person_id, right.linked_person_id) if i}
    _refresh_decision(ids)
    return pair


@transaction.atomic
def unmerge(*, by: User, merge: MergeEvent, reason: str) -> MergeEvent:
    """Put every record the merge moved back with the person it came from."""
    _require_reviewer(by, merge.partnership)
    merge = MergeEvent.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        raise ValidationError("This merge has already been undone.")
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the merge was wrong"})
    later = MergeEvent.objects.filter(
        merged=merge.kept, undone_at__isnull=True, at__gt=merge.at
    )
    if later.exists():
        raise ValidationError(
            "The person was merged again after this. Undo the later merge first."
        )
    PersonRecord.objects.filter(pk__in=merge.records).update(linked_person=merge.merged)
    LinkedPerson.objects.filter(pk=merge.merged_id).update(merged_into=None)
    merge.undone_at = timezone.now()
    merge.undone_by = by
    merge.save(update_fields=["undone_at", "undone_by"])
    if merge.pair_id:
        CandidatePair.objects.filter(pk=merge.pair_id).update(
            status=PairStatus.QUEUED, decided_by=None, decided_at=None, reason=""
        )
    _refresh_decision({merge.kept_id, merge.merged_id})
    record(
        AuditAction.CHANGE,
        actor=by,
        target=merge,
        detail={
            "unmerge": True,
            "reason": reason.strip(),
            "kept": merge.kept_id,
            "merged": merge.merged_id,
            "records": merge.records,
        },
    )
    return merge


@transaction.atomic
def set_thresholds(
    *, by: User, partnership: Partnership, accept_above: float, review_above: float
) -> LinkageSettings:
    _require_reviewer(by, partnership)
    if not 0 < review_above < accept_above < 1:
        raise ValidationError(
            {
                "review_above": "The review threshold must be above 0 and below the "
                "threshold for linking automatically, which must be below 1"
            }
        )
    settings, _ = LinkageSettings.objects.get_or_create(partnership=partnership)
    before = (settings.accept_above, settings.review_above)
    settings.accept_above = accept_above
    settings.review_above = review_above
    settings.updated_at = timezone.now()
    settings.save()
    record(
        AuditAction.CHANGE,
        actor=by,
        target=settings,
        detail={"before": list(before), "after": [accept_above, review_above]},
    )
    return settings


@transaction.atomic
def start_run(*, by: User, partnership: Partnership) -> LinkageRun:
    """Queue a linkage run for the background worker (the run button).

    One run at a time for a partnership: a second one while a run waits or runs
    is refused, because both would decide the same records."""
    from svduty.linkage.tasks import run_linkage_task

    _require_reviewer(by, partnership)
    # Lock the partnership's settings row so two clicks cannot both start a run.
    settings, _ = LinkageSettings.objects.get_or_create(partnership=partnership)
    LinkageSettings.objects.select_for_update().filter(pk=settings.pk).first()
    busy = LinkageRun.objects.filter(
        partnership=partnership, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]
    ).first()
    if busy is not None:
        raise ValidationError(
            f"A linkage run for {partnership.name} is already "
            f"{'running' if busy.status == RunStatus.RUNNING else 'waiting to start'}"
            ". Wait for it to finish before starting another."
        )
    run = LinkageRun.objects.create(
        partnership=partnership,
        started_by=by,
        status=RunStatus.QUEUED,
        accept_above=settings.accept_above,
        review_above=settings.review_above,
    )
    record(
        AuditAction.CREATE,
        actor=by,
        target=run,
        detail={"partnership": partnership.slug, "started_from": "web page"},
    )
    # Enqueued in this transaction: the worker sees the run only once it exists.
    run_linkage_task.enqueue(run.pk)
    return run
