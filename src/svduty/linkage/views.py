"""Review queue, a pair with its explanation, unmerge, monitoring (thresholds and
bias), and the child's linked records panel (loaded by the child's page)."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import altair as alt
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.cases.models import Person
from svduty.cases.models.choices import Ethnicity
from svduty.core.authorisation import Permission
from svduty.core.formviews import form_action
from svduty.core.policies import get_visible_or_404, requires
from svduty.linkage import actions, policies
from svduty.linkage.forms import (
    DecisionForm,
    StartRunForm,
    ThresholdsForm,
    UnmergeForm,
)
from svduty.linkage.models import (
    CandidatePair,
    Decision,
    LinkageRun,
    MergeEvent,
    PairStatus,
    PersonRecord,
    RunStatus,
    Verdict,
)
from svduty.linkage.runs import age_band, settings_for
from svduty.partnership.models import Partnership

OPEN = [PairStatus.QUEUED, PairStatus.NOT_SURE]


@requires(Permission.REVIEW_LINKAGE)
def queue(request: HttpRequest) -> HttpResponse:
    pairs = list(
        CandidatePair.objects.visible_to(request.user)
        .filter(status__in=OPEN)
        .select_related("left", "right", "partnership")
        .order_by("status", "-probability", "pk")[:200]
    )
    runs = list(
        LinkageRun.objects.visible_to(request.user).select_related("partnership")[:5]
    )
    merges = list(
        MergeEvent.objects.visible_to(request.user)
        .filter(undone_at__isnull=True, pair__isnull=False)
        .select_related("by")[:20]
    )
    with transaction.atomic():
        record(
            AuditAction.VIEW,
            actor=request.user,
            target_type="linkage.candidatepair",
            detail={"page": "linkage review queue", "pairs": [p.pk for p in pairs]},
        )
    return render(
        request,
        "linkage/queue.html",
        {
            "pairs": pairs,
            "runs": runs,
            "merges": merges,
            "partnerships": list(Partnership.objects.visible_to(request.user)),
            "busy": [
                r for r in runs if r.status in (RunStatus.QUEUED, RunStatus.RUNNING)
            ],
        },
    )


@requires(Permission.REVIEW_LINKAGE)
def start_run(request: HttpRequest, slug: str) -> HttpResponse:
    """The run button (POST): queue a run for the background worker."""
    partnership = get_visible_or_404(Partnership, request.user, slug=slug)
    form = StartRunForm(request.POST if request.method == "POST" else None)
    if done := form_action(
        request,
        form,
        lambda _data: actions.start_run(
            by=request.user,  # type: ignore[arg-type]
            partnership=partnership,
        ),
    ):
        run = done.result
        run.refresh_from_db()
        if run.status == RunStatus.SUCCEEDED:
            messages.success(
                request,
                f"Linkage has run: {run.linked:,} records linked, {run.new:,} new, "
                f"{run.review:,} waiting for review.",
            )
        elif run.status == RunStatus.FAILED:
            messages.error(request, run.message or "The linkage run failed.")
        else:
            messages.success(
                request,
                "Linkage has started. It runs in the background: this page shows "
                "when it has finished.",
            )
    else:
        for error in form.non_field_errors():
            messages.error(request, str(error))
    return redirect("linkage:queue")


def _side(user: Any, person_record: PersonRecord) -> dict[str, Any]:
    """What the reviewer may see of one record."""
    hidden = person_record.case_person_id is not None and not policies.may_see_child(
        user, person_record.case_person_id
    )
    return {"record": person_record, "hidden": hidden}


def waterfall(explanation: list[dict[str, Any]]) -> tuple[dict[str, Any], list[Any]]:
    """A waterfall chart spec of the weights and the rows of its table."""
    data = []
    total = 0.0
    rows = []
    for order, item in enumerate(explanation):
        if item["comparison"] == "warning":
            continue
        start, total = total, total + item["weight"]
        data.append(
            {
                "order": order,
                "step": item["comparison"].capitalize(),
                "start": start,
                "end": total,
                "direction": "for" if item["weight"] >= 0 else "against",
            }
        )
        rows.append(
            [
                item["comparison"].capitalize(),
                item["level"],
                item["weight"],
                round(total, 2),
            ]
        )
    data.append(
        {
            "order": len(data) + 1,
            "step": "Match weight",
            "start": 0.0,
            "end": total,
            "direction": "total",
        }
    )
    chart = (
        alt.Chart(alt.Data(values=data))
        .mark_bar()
        .encode(
            x=alt.X("step:N", sort=alt.SortField("order"), title=None),
            y=alt.Y("start:Q", title="Match weight (bits)"),
            y2="end:Q",
            color=alt.Color(
                "direction:N",
                scale=alt.Scale(
                    domain=["for", "against", "total"],
                    range=["#00703c", "#d4351c", "#1d70b8"],
                ),
                title="Evidence",
            ),
        )
        .properties(width="container", height=260)
    )
    return chart.to_dict(), rows


@requires(Permission.REVIEW_LINKAGE)
def pair_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pair = get_visible_or_404(
        CandidatePair.objects.select_related("left", "right", "decided_by"),
        request.user,
        pk=pk,
    )
    form = DecisionForm(request.POST or None)
    if form_action(
        request,
        form,
        lambda data: actions.decide_pair(
            by=request.user,  # type: ignore[arg-type]
            pair=pair,
            verdict=Verdict(data["verdict"]),
            reason=data["reason"],
        ),
    ):
        messages.success(request, "Your decision has been saved.")
        return redirect("linkage:pair", pk=pair.pk)
    left, right = _side(request.user, pair.left), _side(request.user, pair.right)
    spec, rows = waterfall(pair.explanation)
    merge = MergeEvent.objects.filter(pair=pair, undone_at__isnull=True).first()
    if request.method == "GET":
        with transaction.atomic():
            record(
                AuditAction.VIEW,
                actor=request.user,
                target=pair,
                detail={
                    "page": "linkage pair",
                    "records": [
                        s["record"].pk for s in (left, right) if not s["hidden"]
                    ],
                },
            )
    return render(
        request,
        "linkage/pair.html",
        {
            "pair": pair,
            "left": left,
            "right": right,
            "form": form,
            "spec": spec,
            "head": ["Comparison", "What was found", "Weight (bits)", "Running total"],
            "rows": rows,
            "merge": merge,
            "open": pair.status in OPEN,
        },
    )


@requires(Permission.REVIEW_LINKAGE)
def unmerge(request: HttpRequest, pk: int) -> HttpResponse:
    merge = get_visible_or_404(MergeEvent, request.user, pk=pk)
    form = UnmergeForm(request.POST or None)
    if merge.undone_at is None and form_action(
        request,
        form,
        lambda data: actions.unmerge(
            by=request.user,  # type: ignore[arg-type]
            merge=merge,
            reason=data["reason"],
        ),
    ):
        messages.success(request, "The merge has been undone.")
        if merge.pair_id:
            return redirect("linkage:pair", pk=merge.pair_id)
        return redirect("linkage:queue")
    return render(request, "linkage/unmerge.html", {"merge": merge, "form": form})


def _bias_rows(partnership: Partnership) -> dict[str, list[list[Any]]]:
    today = timezone.localdate()
    labels = dict(Ethnicity.choices)
    groups: dict[str, dict[str, Counter[str]]] = {
        "sex": defaultdict(Counter),
        "age band": defaultdict(Counter),
        "ethnicity": defaultdict(Counter),
    }
    rows = PersonRecord.objects.filter(
        partnership=partnership, closed_at__isnull=True, case_person__isnull=True
    ).values_list("sex", "date_of_birth", "ethnicity", "decision")

    def group_keys(sex: str, born: Any, ethnicity: str) -> dict[str, str]:
        return {
            "sex": {"F": "Female", "M": "Male"}.get(sex, "Not known"),
            "age band": age_band(born, today),
            "ethnicity": str(labels.get(ethnicity, "Not known")),
        }

    for sex, born, ethnicity, decision in rows.iterator(chunk_size=5000):
        for group, key in group_keys(sex, born, ethnicity).items():
            groups[group][key][decision or "none"] += 1
    # Estimated error rates from the model's own probabilities, for the pairs a
    # partner record of the group is in: the expected share of its automatic
    # links that are wrong, and of its expected true pairs left unlinked.
    wrong: dict[str, dict[str, list[float]]] = {g: defaultdict(list) for g in groups}
    expected: dict[str, dict[str, list[float]]] = {
        g: defaultdict(lambda: [0.0, 0.0]) for g in groups
    }
    sides = ("sex", "date_of_birth", "ethnicity", "case_person_id")
    pairs = CandidatePair.objects.filter(partnership=partnership).values_list(
        "probability",
        "status",
        *(f"left__{f}" for f in sides),
        *(f"right__{f}" for f in sides),
    )
    for probability, status, *both in pairs.iterator(chunk_size=5000):
        for sex, born, ethnicity, case_person in (both[:4], both[4:]):
            if case_person is not None:
                continue  # a child's own svduty record, not a partner record
            for group, key in group_keys(sex, born, ethnicity).items():
                if status == PairStatus.AUTO_MATCH:
                    wrong[group][key].append(1 - probability)
                else:
                    expected[group][key][1] += probability
                expected[group][key][0] += probability
    tables = {}
    for group, counts in groups.items():
        table = []
        for key in sorted(counts):
            c = counts[key]
            total = sum(c.values())
            links = wrong[group].get(key)
            true_pairs, unlinked = expected[group].get(key, (0.0, 0.0))
            table.append(
                [
                    key,
                    total,
                    f"{c[Decision.LINKED] / total:.1%}",
                    f"{c[Decision.REVIEW] / total:.1%}",
                    f"{c[Decision.NEW] / total:.1%}",
                    f"{sum(links) / len(links):.2%}" if links else "No links",
                    f"{unlinked / true_pairs:.2%}" if true_pairs else "No pairs",
                ]
            )
        tables[group] = table
    return tables


def _estimates(
    partnership: Partnership, accept: float, review: float
) -> dict[str, Any]:
    """Expected precision and recall of automatic links from the model's own
    probabilities, and what reviewers' decisions say about the review band."""
    pairs = CandidatePair.objects.filter(partnership=partnership)
    probabilities = list(pairs.values_list("probability", flat=True))
    above = [p for p in probabilities if p >= accept]
    expected_true = sum(probabilities)
    reviewed = Counter(
        pairs.filter(status__in=[PairStatus.MATCH, PairStatus.NOT_MATCH]).values_list(
            "status", flat=True
        )
    )
    decided = reviewed[PairStatus.MATCH] + reviewed[PairStatus.NOT_MATCH]
    return {
        "precision": sum(above) / len(above) if above else None,
        "recall": sum(above) / expected_true if expected_true else None,
        "reviewed": decided,
        "reviewed_match": reviewed[PairStatus.MATCH] / decided if decided else None,
    }


@requires(Permission.REVIEW_LINKAGE)
def monitoring(request: HttpRequest) -> HttpResponse:
    partnerships = list(Partnership.objects.visible_to(request.user))
    chosen = next(
        (p for p in partnerships if p.slug == request.GET.get("partnership")),
        partnerships[0] if partnerships else None,
    )
    if chosen is None:
        return render(request, "linkage/monitoring.html", {"partnership": None})
    settings = settings_for(chosen)
    form = ThresholdsForm(
        request.POST or None,
        initial={
            "accept_above": settings.accept_above,
            "review_above": settings.review_above,
        },
    )
    if form_action(
        request,
        form,
        lambda data: actions.set_thresholds(
            by=request.user,  # type: ignore[arg-type]
            partnership=chosen,
            accept_above=data["accept_above"],
            review_above=data["review_above"],
        ),
    ):
        messages.success(
            request, "Thresholds saved. They apply from the next linkage run."
        )
        return redirect(f"{request.path}?partnership={chosen.slug}")
    with transaction.atomic():
        record(
            AuditAction.VIEW,
            actor=request.user,
            target=chosen,
            detail={"page": "linkage monitoring"},
        )
    return render(
        request,
        "linkage/monitoring.html",
        {
            "partnership": chosen,
            "partnerships": partnerships,
            "form": form,
            "settings": settings,
            "estimates": _estimates(
                chosen, settings.accept_above, settings.review_above
            ),
            "bias": _bias_rows(chosen),
            "bias_head": [
                "Group",
                "Records",
                "Linked",
                "Waiting for review",
                "New",
                "Estimated wrong links",
                "Estimated missed links",
            ],
            "run": LinkageRun.objects.filter(partnership=chosen).first(),
        },
    )


@requires(Permission.VIEW_CASES)
def record_panel(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible_or_404(Person, request.user, pk=pk)
    records = list(policies.linked_to_child(request.user, person))
    with transaction.atomic():
        record(
            AuditAction.VIEW,
            actor=request.user,
            target=person,
            detail={
                "page": "records held by partner agencies",
                "records": [r.pk for r in records],
            },
        )
    template = (
        "linkage/_record_panel.html"
        if getattr(request, "htmx", False)
        else "linkage/record_panel.html"
    )
    return render(request, template, {"person": person, "records": records})
