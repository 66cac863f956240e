"""Running the linkage for one partnership (``svduty link``, the run button).

1. Children's records in svduty are copied into :class:`PersonRecord` (agency
   ``SVDUTY``), each tied to a :class:`LinkedPerson` holding the child, so that
   partner records link to the child.
2. Every open record is scored by the model (:mod:`svduty.linkage.engine`),
   which is estimated afresh from this data and stored with the run.
3. Pairs at or above the partnership's accept threshold join their people, in
   order of probability, unless they look like twins or would join two children's
   records (those go to review). Pairs between the thresholds are queued for
   review; a pair a reviewer already decided keeps its decision.
4. Each record gets its decision (linked, review, new), and the run is audited.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import pandas as pd
from django.db import transaction
from django.utils import timezone

from svduty.accounts.models import User
from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.cases.models import Person
from svduty.cases.models.choices import IdentifierKind, PersonKind, Sex
from svduty.core.guard import writes_allowed
from svduty.linkage import engine
from svduty.linkage.models import (
    SVDUTY_AGENCY,
    CandidatePair,
    Decision,
    LinkageRun,
    LinkageSettings,
    LinkedPerson,
    MergeEvent,
    PairStatus,
    PersonRecord,
    RunStatus,
)
from svduty.partnership.models import Partnership

SEX_CODES: dict[str, str] = {Sex.FEMALE: "F", Sex.MALE: "M"}


#: The run is linkage's action for a run (the module notes): it writes the index, the
#: pairs, the merges and the run itself, and audits the run once (`_apply`).
RUN = "a linkage run writes its index, pairs, merges and outcome"


def settings_for(partnership: Partnership) -> LinkageSettings:
    with writes_allowed("a partnership's linkage settings start at the defaults"):
        found, _ = LinkageSettings.objects.get_or_create(partnership=partnership)
    return found


def sync_case_records(partnership: Partnership) -> int:
    """Copy the partnership's children into the linkage index (step 1)."""
    people = (
        Person.objects.filter(partnership=partnership, kind=PersonKind.CHILD)
        .prefetch_related("identifiers", "addresses")
        .order_by("pk")
    )
    existing = {
        r.case_person_id: r
        for r in PersonRecord.objects.filter(
            partnership=partnership, case_person__isnull=False
        )
    }
    count = 0
    for person in people:
        identifiers = {i.kind: i.value for i in person.identifiers.all()}
        address = next((a for a in person.addresses.all() if a.to_date is None), None)
        values: dict[str, Any] = {
            "forenames": person.first_name,
            "surname": person.last_name,
            "date_of_birth": person.date_of_birth,
            "sex": SEX_CODES.get(person.sex, ""),
            "ethnicity": person.ethnicity,
            "postcode": (address.postcode if address else "")[:8],
            "address": (address.line_1 if address else "")[:300],
            "nhs_number": identifiers.get(IdentifierKind.NHS, ""),
            "nhs_number_valid": True if IdentifierKind.NHS in identifiers else None,
            "upn": identifiers.get(IdentifierKind.UPN, ""),
            "upn_valid": True if IdentifierKind.UPN in identifiers else None,
            "pnc_id": identifiers.get(IdentifierKind.PNC, ""),
            "pnc_id_valid": True if IdentifierKind.PNC in identifiers else None,
            "reason": "Child's record in svduty",
            "closed_at": None,
        }
        copy = existing.get(person.pk)
        if copy is None:
            linked, _ = LinkedPerson.objects.get_or_create(
                case_person=person, defaults={"partnership": partnership}
            )
            PersonRecord.objects.create(
                partnership=partnership,
                agency_code=SVDUTY_AGENCY,
                local_id=str(person.pk),
                case_person=person,
                linked_person=linked,
                **values,
            )
        else:
            changed = [k for k, v in values.items() if getattr(copy, k) != v]
            if changed:
                for key in changed:
                    setattr(copy, key, values[key])
                copy.updated_at = timezone.now()
                copy.save(update_fields=[*changed, "updated_at"])
        count += 1
    return count


def _frame(records: list[PersonRecord]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "unique_id": [str(r.pk) for r in records],
            "agency_code": [r.agency_code for r in records],
            "forenames": [r.forenames for r in records],
            "surname": [r.surname for r in records],
            "date_of_birth": [r.date_of_birth for r in records],
            "sex": [r.sex for r in records],
            "postcode": [r.postcode for r in records],
            "nhs_number": [r.nhs_number for r in records],
            "nhs_number_valid": [r.nhs_number_valid for r in records],
            "upn": [r.upn for r in records],
            "upn_valid": [r.upn_valid for r in records],
            "pnc_id": [r.pnc_id for r in records],
            "pnc_id_valid": [r.pnc_id_valid for r in records],
        }
    )


def run_linkage(
    *,
    by: User,
    partnership: Partnership,
    db_api: Any = None,
    run: LinkageRun | None = None,
) -> LinkageRun:
    """Steps 1-4 of the module notes. Returns the finished run (``run``: one
    queued from the web page, see :func:`svduty.linkage.actions.start_run`).

    A run that fails is kept, marked failed with the reason, and nothing it
    would have decided is written (the decisions are one transaction)."""
    with writes_allowed(RUN):
        return _run_linkage(by=by, partnership=partnership, db_api=db_api, run=run)


def _run_linkage(
    *, by: User, partnership: Partnership, db_api: Any, run: LinkageRun | None
) -> LinkageRun:
    with transaction.atomic():
        sync_case_records(partnership)
    settings = settings_for(partnership)
    records = list(
        PersonRecord.objects.filter(partnership=partnership, closed_at__isnull=True)
    )
    values: dict[str, Any] = {
        "accept_above": settings.accept_above,
        "review_above": settings.review_above,
        "records": len(records),
        "engine": "spark"
        if db_api is not None and "Spark" in type(db_api).__name__
        else "duckdb",
        "status": RunStatus.RUNNING,
    }
    if run is None:
        run = LinkageRun.objects.create(
            partnership=partnership, started_by=by, **values
        )
    else:
        for key, value in values.items():
            setattr(run, key, value)
        run.started_at = timezone.now()
        run.save()
    try:
        if len(records) < 2:
            result = None
        else:
            result = engine.run(
                _frame(records), threshold=settings.review_above, db_api=db_api
            )
        _apply(run, records, result, by)
    except Exception as error:
        LinkageRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED,
            finished_at=timezone.now(),
            message=f"The run stopped with an error: {type(error).__name__}: "
            f"{str(error)[:500]}",
        )
        run.refresh_from_db()
        raise
    return run


def _decided_pairs(partnership: Partnership) -> dict[tuple[int, int], CandidatePair]:
    decided = CandidatePair.objects.filter(partnership=partnership).exclude(
        status__in=[PairStatus.AUTO_MATCH, PairStatus.QUEUED]
    )
    return {(p.left_id, p.right_id): p for p in decided}


@transaction.atomic
def _apply(
    run: LinkageRun,
    records: list[PersonRecord],
    result: engine.Result | None,
    by: User,
) -> None:
    partnership = run.partnership
    CandidatePair.objects.filter(
        partnership=partnership, status__in=[PairStatus.AUTO_MATCH, PairStatus.QUEUED]
    ).delete()
    decided = _decided_pairs(partnership)
    by_id = {r.pk: r for r in records}
    # People as they stand: every open record in one, new records each alone.
    people: dict[int, LinkedPerson] = {
        p.pk: p
        for p in LinkedPerson.objects.filter(
            pk__in={r.linked_person_id for r in records if r.linked_person_id}
        )
    }
    new_people = [
        LinkedPerson(partnership=partnership)
        for r in records
        if r.linked_person_id is None
    ]
    LinkedPerson.objects.bulk_create(new_people)
    fresh = iter(new_people)
    for r in records:
        if r.linked_person_id is None:
            person = next(fresh)
            r.linked_person = person
            people[person.pk] = person
    parent: dict[int, int] = {pk: pk for pk in people}
    holds_child = {pk: p.case_person_id is not None for pk, p in people.items()}

    def find(pk: int) -> int:
        while parent[pk] != pk:
            parent[pk] = parent[parent[pk]]
            pk = parent[pk]
        return pk

    pairs: list[CandidatePair] = []
    queued: set[int] = set()
    if result is not None:
        frame = result.pairs.assign(explanation=result.explanations)
        frame = frame.sort_values("match_probability", ascending=False)
        for row in frame.itertuples(index=False):
            left, right = sorted((int(row.unique_id_l), int(row.unique_id_r)))
            if (left, right) in decided:
                continue
            probability = float(row.match_probability)
            a = find(by_id[left].linked_person_id)  # type: ignore[arg-type]
            b = find(by_id[right].linked_person_id)  # type: ignore[arg-type]
            status = PairStatus.QUEUED
            if probability >= run.accept_above and not row.possible_twin:
                if a == b:
                    status = PairStatus.AUTO_MATCH
                elif not (holds_child[a] and holds_child[b]):
                    status = PairStatus.AUTO_MATCH
                    keep, gone = (a, b) if holds_child[a] or a < b else (b, a)
                    parent[gone] = keep
                    holds_child[keep] = holds_child[keep] or holds_child[gone]
            elif a == b:
                status = PairStatus.AUTO_MATCH
            if status == PairStatus.QUEUED:
                queued.update((left, right))
            pairs.append(
                CandidatePair(
                    partnership=partnership,
                    run=run,
                    left_id=left,
                    right_id=right,
                    match_weight=float(row.match_weight),
                    probability=probability,
                    explanation=row.explanation,
                    status=status,
                )
            )
    CandidatePair.objects.bulk_create(pairs, batch_size=2000)
    # Join the people the automatic decisions put together.
    merges = []
    members: dict[int, list[PersonRecord]] = defaultdict(list)
    for r in records:
        current = r.linked_person_id
        root = find(current)  # type: ignore[arg-type]
        if root != current:
            r.linked_person_id = root
        members[root].append(r)
    for pk in people:
        root = find(pk)
        if root != pk and pk not in {p.pk for p in new_people}:
            moved = list(
                PersonRecord.objects.filter(linked_person_id=pk).values_list(
                    "pk", flat=True
                )
            )
            merges.append(
                MergeEvent(
                    partnership=partnership,
                    kept_id=root,
                    merged_id=pk,
                    records=moved,
                    by=by,
                )
            )
    now = timezone.now()
    for r in records:
        if len(members[r.linked_person_id]) > 1:  # type: ignore[index]
            r.decision = Decision.LINKED
        elif r.pk in queued:
            r.decision = Decision.REVIEW
        else:
            r.decision = Decision.NEW
        r.updated_at = now
    PersonRecord.objects.bulk_update(
        records, ["linked_person", "decision", "updated_at"], batch_size=2000
    )
    merged_away = [m.merged_id for m in merges]
    MergeEvent.objects.bulk_create(merges)
    for merge in merges:
        LinkedPerson.objects.filter(pk=merge.merged_id).update(
            merged_into_id=merge.kept_id
        )
    # Closed records of a person merged away follow them.
    PersonRecord.objects.filter(linked_person_id__in=merged_away).update(
        linked_person_id=None
    )
    for merge in merges:
        PersonRecord.objects.filter(pk__in=merge.records).update(
            linked_person_id=merge.kept_id
        )
    counts = {d: sum(1 for r in records if r.decision == d) for d in Decision.values}
    run.status = RunStatus.SUCCEEDED
    run.finished_at = timezone.now()
    run.pairs_scored = len(pairs)
    run.linked = counts[Decision.LINKED]
    run.new = counts[Decision.NEW]
    run.review = counts[Decision.REVIEW]
    run.model = result.model if result is not None else {}
    run.save()
    record(
        AuditAction.COMBINE,
        actor=by,
        target=run,
        detail={
            "s62": "combination",
            "partnership": partnership.slug,
            "records": run.records,
            "linked": run.linked,
            "new": run.new,
            "review": run.review,
            "automatic_merges": len(merges),
            "accept_above": run.accept_above,
            "review_above": run.review_above,
        },
    )


def age_band(born: dt.date | None, on: dt.date) -> str:
    if born is None:
        return "Not known"
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    if age < 10:
        return "Under 10"
    if age < 14:
        return "10 to 13"
    if age < 18:
        return "14 to 17"
    return "18 and over"
