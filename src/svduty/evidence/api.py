"""REST API for the inspection evidence (architecture D10), read-only, with the same
policies as the pages: `USE_API` and `VIEW_EVIDENCE`, the partnership within the
user's scope (404 otherwise). Figures are counts for the partnership's own leaders
(unsuppressed, as on the pages); disproportionality is suppressed as on its page;
the workforce, engagement and learning records name no child. Nothing here names a
child, so reading is not audited, except the inspection data request (issue 12 point
4), which produces its lists through the same action as its page (recorded and
audited as EXPORT before any row, pseudonymised unless a reason is given)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from svduty.accounts.requests import signed_in_user
from svduty.cases.policies import prime_user
from svduty.core.authorisation import Permission
from svduty.core.policies import get_visible_or_404, has_permission
from svduty.partnership.models import Partnership

from . import actions, audit_results, figures, outcomes, record_types, records
from . import disproportionality as dp
from . import inspection as inspection_lists
from .indicators import Indicator, for_outcome, get
from .inspection import pseudonym
from .models import (
    AuditSample,
    Dimension,
    FigureRun,
    InspectionExport,
    InspectionList,
    Recommendation,
    SelfAssessment,
)


class EvidencePermission(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(
            user
            and user.is_authenticated
            and request.method in permissions.SAFE_METHODS
            and has_permission(user, Permission.USE_API)
            and has_permission(user, Permission.VIEW_EVIDENCE)
        )


def _partnership(request: Request, pk: int) -> Partnership:
    prime_user(request.user)
    return get_visible_or_404(Partnership, request.user, pk=pk)


def _computed(partnership: Partnership) -> str | None:
    run = FigureRun.objects.filter(partnership=partnership).first()
    return run.computed_at.isoformat() if run else None


def _point(indicator: Indicator, point: figures.Point) -> dict[str, Any]:
    return {
        "period": point.label,
        "start": point.start.isoformat(),
        "numerator": point.numerator,
        "denominator": point.denominator,
        "value": point.value(indicator),
    }


def _indicator(indicator: Indicator) -> dict[str, Any]:
    return {
        "key": indicator.key,
        "outcome": indicator.outcome,
        "title": indicator.title,
        "definition": indicator.definition,
        "numerator_definition": indicator.numerator,
        "denominator_definition": indicator.denominator,
        "kind": str(indicator.kind),
        "unit": indicator.unit,
        "source_app": indicator.source,
    }


class _PointOut(serializers.Serializer):
    period = serializers.CharField()
    start = serializers.DateField()
    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField()
    value = serializers.FloatField(allow_null=True)


class _IndicatorOut(serializers.Serializer):
    key = serializers.CharField()
    outcome = serializers.IntegerField()
    title = serializers.CharField()
    definition = serializers.CharField()
    numerator_definition = serializers.CharField()
    denominator_definition = serializers.CharField()
    kind = serializers.ChoiceField(choices=["rate", "mean", "count"])
    unit = serializers.CharField()
    source_app = serializers.CharField()
    last_12_months = _PointOut()


class _OutcomeOut(serializers.Serializer):
    number = serializers.IntegerField()
    title = serializers.CharField()
    question = serializers.CharField()
    confirmed_wording = serializers.BooleanField()
    self_assessment_grade = serializers.CharField(allow_null=True)
    indicators = _IndicatorOut(many=True)
    record_types = serializers.ListField(child=serializers.CharField())


class _OutcomesOut(serializers.Serializer):
    partnership = serializers.IntegerField()
    computed_at = serializers.DateTimeField(allow_null=True)
    outcomes = _OutcomeOut(many=True)


class OutcomeList(APIView):
    """The 21 outcomes with each indicator's last 12 months (precomputed figures,
    with when they were computed)."""

    permission_classes = [EvidencePermission]

    @extend_schema(responses=_OutcomesOut)
    def get(self, request: Request, pk: int) -> Response:
        from .models import SelfAssessment

        partnership = _partnership(request, pk)
        data = figures.figures([partnership.pk])
        grades = dict(
            SelfAssessment.objects.filter(partnership=partnership).values_list(
                "outcome", "grade"
            )
        )
        out = []
        for outcome in outcomes.OUTCOMES:
            items = []
            for indicator in for_outcome(outcome.number):
                months = figures.by_month(data.get(indicator.key, {}))
                year = figures.last_twelve(months)
                items.append(
                    _indicator(indicator) | {"last_12_months": _point(indicator, year)}
                )
            out.append(
                {
                    "number": outcome.number,
                    "title": outcome.title,
                    "question": outcome.question,
                    "confirmed_wording": outcome.confirmed,
                    "self_assessment_grade": grades.get(outcome.number),
                    "indicators": items,
                    "record_types": [
                        r.title for r in record_types.for_outcome(outcome.number)
                    ],
                }
            )
        return Response(
            {
                "partnership": partnership.pk,
                "computed_at": _computed(partnership),
                "outcomes": out,
            }
        )


class _BreakdownOut(serializers.Serializer):
    name = serializers.CharField()
    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField()
    value = serializers.FloatField(allow_null=True)


class _IndicatorDetailOut(_IndicatorOut):
    computed_at = serializers.DateTimeField(allow_null=True)
    months = _PointOut(many=True)
    quarters = _PointOut(many=True)
    by_agency = _BreakdownOut(many=True)


class IndicatorDetail(APIView):
    """One indicator: definition, trend by month and quarter, breakdown by agency."""

    permission_classes = [EvidencePermission]

    @extend_schema(responses=_IndicatorDetailOut)
    def get(self, request: Request, pk: int, key: str) -> Response:
        from django.http import Http404

        partnership = _partnership(request, pk)
        indicator = get(key)
        if indicator is None:
            raise Http404("No such indicator")
        series = figures.figures([partnership.pk], [key]).get(key, {})
        months = figures.by_month(series)
        return Response(
            _indicator(indicator)
            | {
                "computed_at": _computed(partnership),
                "last_12_months": _point(indicator, figures.last_twelve(months)),
                "months": [_point(indicator, p) for p in months],
                "quarters": [_point(indicator, p) for p in figures.by_quarter(months)],
                "by_agency": [
                    {
                        "name": name,
                        "numerator": num,
                        "denominator": den,
                        "value": indicator.value(num, den, tot),
                    }
                    for name, num, den, tot in figures.by_agency([partnership.pk], key)
                ],
            }
        )


class _GroupOut(serializers.Serializer):
    dimension = serializers.CharField()
    group = serializers.CharField()
    children = serializers.CharField(help_text="A number, or 'fewer than N'")
    population = serializers.IntegerField(allow_null=True)
    rate_per_1000 = serializers.FloatField(allow_null=True)
    relative_rate = serializers.FloatField(allow_null=True)
    ci_lower = serializers.FloatField(allow_null=True)
    ci_upper = serializers.FloatField(allow_null=True)


class Disproportionality(APIView):
    """Children referred in the last 12 months by group against the area's child
    population: rate, relative rate and 95% interval; small numbers suppressed."""

    permission_classes = [EvidencePermission]

    @extend_schema(responses=_GroupOut(many=True))
    def get(self, request: Request, pk: int) -> Response:
        partnership = _partnership(request, pk)
        children = dp.cohort(partnership.pk)
        pops = dp.populations(partnership.pk)
        limit = dp.threshold()
        out = []
        for dimension in Dimension:
            for r in dp.table(children, pops.get(dimension, {}), dimension):
                hide = r.suppressed
                out.append(
                    {
                        "dimension": dimension.value,
                        "group": r.group,
                        "children": f"fewer than {limit + 1}"
                        if hide
                        else str(r.children),
                        "population": r.population,
                        "rate_per_1000": None if hide else r.rate,
                        "relative_rate": None if hide else r.ratio,
                        "ci_lower": None if hide else r.lower,
                        "ci_upper": None if hide else r.upper,
                    }
                )
        return Response(out)


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    return {
        key: (value.isoformat() if hasattr(value, "isoformat") else value)
        for key, value in row.items()
    }


#: One list per record type (records.KINDS), by its API name.
_LearningOut = type(
    "_LearningOut",
    (serializers.Serializer,),
    {
        kind.api_key: serializers.ListField(child=serializers.DictField())
        for kind in records.KINDS
    },
)


class LearningRecords(APIView):
    """The partnership's workforce, engagement and learning records (no child is
    named in them)."""

    permission_classes = [EvidencePermission]

    @extend_schema(responses=_LearningOut)
    def get(self, request: Request, pk: int) -> Response:
        partnership = _partnership(request, pk)
        user = request.user

        def rows(qs, *fields):
            return [
                _plain(r)
                for r in qs.visible_to(user)
                .filter(partnership=partnership)
                .values(*fields)
            ]

        out = {
            kind.api_key: rows(kind.model._default_manager, *kind.api_fields)
            for kind in records.KINDS
        }
        recs: dict[int, list[dict[str, Any]]] = {}
        for r in Recommendation.objects.filter(review__partnership=partnership).values(
            "id", "review_id", "text", "agency__name", "due_on", "completed_on"
        ):
            row: dict[str, Any] = dict(r)
            recs.setdefault(row.pop("review_id"), []).append(_plain(row))
        for review in out[records.REVIEWS.api_key]:
            review["recommendations"] = recs.get(review["id"], [])
        return Response(out)


class _SelfAssessmentOut(serializers.Serializer):
    outcome = serializers.IntegerField()
    title = serializers.CharField()
    grade = serializers.CharField()
    grade_label = serializers.CharField()
    narrative = serializers.CharField()
    strengths = serializers.CharField()
    improvements = serializers.CharField()
    owner = serializers.CharField()
    review_on = serializers.DateField()
    version = serializers.IntegerField()
    evidence = serializers.ListField(child=serializers.DictField())


class SelfAssessments(APIView):
    """The partnership's self-assessment of each outcome it has assessed, with its
    evidence links (no child is named in them)."""

    permission_classes = [EvidencePermission]

    @extend_schema(responses=_SelfAssessmentOut(many=True))
    def get(self, request: Request, pk: int) -> Response:
        partnership = _partnership(request, pk)
        out = []
        for sa in (
            SelfAssessment.objects.filter(partnership=partnership)
            .select_related("owner")
            .prefetch_related("evidence")
            .order_by("outcome")
        ):
            outcome = outcomes.get(sa.outcome)
            out.append(
                {
                    "outcome": sa.outcome,
                    "title": outcome.title if outcome else "",
                    "grade": sa.grade,
                    "grade_label": sa.get_grade_display(),
                    "narrative": sa.narrative,
                    "strengths": sa.strengths,
                    "improvements": sa.improvements,
                    "owner": sa.owner.get_full_name(),
                    "review_on": sa.review_on.isoformat(),
                    "version": sa.version,
                    "evidence": [
                        {
                            "title": e.title,
                            "url": e.url,
                            "note": e.note,
                            "document": e.document_name,
                            "document_type": e.document_type,
                            "document_size": e.document_size,
                        }
                        for e in sa.evidence.all()
                    ],
                }
            )
        return Response(out)


class AuditPermission(EvidencePermission):
    """Case audits: as on their pages, only those who audit cases (AUDIT_CASES)."""

    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and has_permission(
            request.user, Permission.AUDIT_CASES
        )


class _SampleOut(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    seed = serializers.IntegerField()
    size = serializers.IntegerField()
    eligible = serializers.IntegerField()
    risk_level = serializers.CharField()
    stratify_by = serializers.CharField()
    strata = serializers.ListField(child=serializers.DictField())
    form = serializers.CharField(allow_null=True)
    drawn_at = serializers.DateTimeField()
    audited = serializers.IntegerField()
    moderated = serializers.IntegerField()
    by_question = serializers.ListField(child=serializers.DictField())
    by_part = serializers.ListField(child=serializers.DictField())
    by_grade = serializers.DictField(child=serializers.IntegerField())
    cases = serializers.ListField(child=serializers.DictField())


class AuditSamples(APIView):
    """The partnership's case-audit samples: how each was drawn (seed, groups), the
    findings by question, agency's part and grade, and each case under its
    pseudonym with its grades (not the free-text learning, which may name people),
    so reading is not audited."""

    permission_classes = [AuditPermission]

    @extend_schema(responses=_SampleOut(many=True))
    def get(self, request: Request, pk: int) -> Response:
        partnership = _partnership(request, pk)
        samples = (
            AuditSample.objects.visible_to(request.user)
            .filter(partnership=partnership)
            .select_related("form")
            .prefetch_related("cases")
            .order_by("-drawn_at", "-pk")
        )
        out = []
        for sample in samples:
            cases = list(sample.cases.all())
            found = audit_results.findings(sample, cases)
            out.append(
                {
                    "id": sample.pk,
                    "title": sample.title,
                    "seed": sample.seed,
                    "size": sample.size,
                    "eligible": sample.eligible,
                    "risk_level": sample.risk_level,
                    "stratify_by": sample.stratify_by,
                    "strata": sample.strata,
                    "form": (
                        f"{sample.form.name} (version {sample.form.version})"
                        if sample.form
                        else None
                    ),
                    "drawn_at": sample.drawn_at.isoformat(),
                    "audited": found.audited,
                    "moderated": found.moderated,
                    "by_question": [
                        {"key": key, "question": text, "part": part, **counts}
                        for key, text, part, counts in found.questions
                    ],
                    "by_part": [
                        {"part": part, **counts} for part, counts in found.parts
                    ],
                    "by_grade": {value: n for value, _, n in found.grades},
                    "cases": [
                        {
                            "order": c.order,
                            "pseudonym": pseudonym(c.person_id),
                            "grade": c.grade,
                            "moderated_grade": c.moderated_grade,
                            "audited_at": c.audited_at.isoformat()
                            if c.audited_at
                            else None,
                            "moderated_at": c.moderated_at.isoformat()
                            if c.moderated_at
                            else None,
                        }
                        for c in sorted(cases, key=lambda c: c.order)
                    ],
                }
            )
        return Response(out)


class InspectionPermission(permissions.BasePermission):
    """The inspection data request: as its page, only those who may export it
    (EXPORT_INSPECTION_DATA), through the API (USE_API). POST produces a list."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(
            user
            and user.is_authenticated
            and request.method in ("GET", "HEAD", "OPTIONS", "POST")
            and has_permission(user, Permission.USE_API)
            and has_permission(user, Permission.EXPORT_INSPECTION_DATA)
        )


class _InspectionRequestIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=InspectionList.choices)
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    with_identifiers = serializers.BooleanField(
        default=False,
        help_text="Include names and dates of birth (needs a reason; audited)",
    )
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, default=""
    )


class _InspectionExportOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=InspectionList.choices)
    kind_label = serializers.CharField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    with_identifiers = serializers.BooleanField()
    reason = serializers.CharField()
    children = serializers.IntegerField()
    exported_by = serializers.CharField()
    exported_at = serializers.DateTimeField()


class _InspectionDataOut(serializers.Serializer):
    request = _InspectionExportOut()
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField(allow_blank=True)),
        help_text="One row per child, in the order of `columns`",
    )


def _export(export: InspectionExport) -> dict[str, Any]:
    return {
        "id": export.pk,
        "kind": export.kind,
        "kind_label": export.get_kind_display(),
        "period_start": export.period_start.isoformat(),
        "period_end": export.period_end.isoformat(),
        "with_identifiers": export.with_identifiers,
        "reason": export.reason,
        "children": export.children,
        "exported_by": export.exported_by.get_full_name(),
        "exported_at": export.exported_at.isoformat(),
    }


def _record_export(**kwargs: Any) -> InspectionExport:
    try:
        return actions.record_inspection_export(**kwargs)
    except DjangoValidationError as error:
        if hasattr(error, "error_dict"):
            raise ValidationError(
                {
                    k: [m for e in v for m in e.messages]
                    for k, v in error.error_dict.items()
                }
            ) from error
        raise ValidationError({"detail": error.messages}) from error
    except DjangoPermissionDenied as error:
        raise PermissionDenied(str(error)) from error


class InspectionRequestPages(LimitOffsetPagination):
    """50 requests a page, newest first; `?offset=50` (or the `next` link) for the
    next. The envelope of the other API lists (`count`, `next`, `previous`,
    `results`)."""

    default_limit = 50
    max_limit = 50


class InspectionRequests(generics.ListAPIView):
    """The partnership's inspection data requests, newest first, 50 a page: who,
    which list, period, how many children, and whether (and why) with names and
    dates of birth. No child is named, so reading is not audited."""

    permission_classes = [InspectionPermission]
    pagination_class = InspectionRequestPages
    serializer_class = _InspectionExportOut

    def get_queryset(self) -> Any:
        partnership = _partnership(self.request, self.kwargs["pk"])
        return (
            InspectionExport.objects.visible_to(self.request.user)
            .filter(partnership=partnership)
            .select_related("exported_by")
            .order_by("-exported_at", "-id")
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response([_export(e) for e in page or []])


class InspectionRequest(APIView):
    """Produce one inspection list for a period, as the page does: recorded and
    audited (EXPORT) before any row, each child under a pseudonym; names and dates of
    birth only with `with_identifiers` and a reason (refused, 400, otherwise)."""

    permission_classes = [InspectionPermission]
    http_method_names = ["post", "options"]

    @extend_schema(
        request=_InspectionRequestIn,
        responses={201: _InspectionDataOut},
    )
    def post(self, request: Request, pk: int) -> Response:
        partnership = _partnership(request, pk)
        given = _InspectionRequestIn(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        export = _record_export(
            by=signed_in_user(request),
            partnership=partnership,
            kind=data["kind"],
            period_start=data["period_start"],
            period_end=data["period_end"],
            with_identifiers=data["with_identifiers"],
            reason=data["reason"],
        )
        extra_head, extra = inspection_lists.extra_columns(
            export.kind, partnership.pk, export.period_start, export.period_end
        )
        people = inspection_lists.children(
            export.kind, partnership.pk, export.period_start, export.period_end
        )
        rows = inspection_lists.rows(
            people,
            identifiers=export.with_identifiers,
            today=timezone.localdate(),
            extra=extra,
        )
        return Response(
            {
                "request": _export(export),
                "columns": inspection_lists.head(export.with_identifiers, extra_head),
                "rows": [["" if v is None else str(v) for v in row] for row in rows],
            },
            status=status.HTTP_201_CREATED,
        )
