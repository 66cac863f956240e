"""REST API for services (architecture D10): the same policies as the pages. The
catalogue for everyone in the partnership; a service's waiting list names only the
children the user may read and counts the rest; a child's referrals need the child's
record, and a referral is made through the same action as the page. Reads that name
children are audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import (
    OpenApiParameter,
    PolymorphicProxySerializer,
    extend_schema,
    inline_serializer,
)
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from svduty.accounts.requests import signed_in_user
from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.cases.models import Person
from svduty.cases.policies import prime_user, related_full_record_q
from svduty.core.authorisation import Permission
from svduty.core.policies import get_visible_or_404, has_permission

from . import actions
from .models import (
    Consent,
    EndReason,
    GroundsDecision,
    GroundsStage,
    NrmReconsideration,
    NrmReferral,
    Outcome,
    ReachableMoment,
    ReconsiderationOutcome,
    ReturnInterview,
    S45Defence,
    Service,
    ServiceReferral,
    ServiceType,
)
from .states import WAITING, ReferralStatus
from .views.catalogue import counts_for
from .views.service_page import WAITING_PAGE_SIZE


class ApiPermission(permissions.BasePermission):
    needed = Permission.VIEW_PARTNERSHIP

    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        needed = getattr(view, "needed", self.needed)
        if request.method not in permissions.SAFE_METHODS:
            needed = getattr(view, "needed_to_write", needed)
        return bool(
            user
            and user.is_authenticated
            and has_permission(user, Permission.USE_API)
            and has_permission(user, needed)
        )


def _call(action: Any, **kwargs: Any) -> Any:
    try:
        return action(**kwargs)
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


class ServiceSerializer(serializers.ModelSerializer):
    service_type = serializers.ChoiceField(choices=ServiceType.choices)
    is_therapeutic = serializers.BooleanField(read_only=True)
    receiving = serializers.IntegerField(read_only=True)
    waiting = serializers.IntegerField(read_only=True)

    class Meta:
        model = Service
        fields = [
            "id",
            "name",
            "provider",
            "service_type",
            "is_therapeutic",
            "description",
            "min_age",
            "max_age",
            "needs",
            "capacity",
            "receiving",
            "waiting",
            "contact_name",
            "contact_email",
            "contact_phone",
            "yef_strategy",
            "yef_impact",
            "yef_evidence_security",
            "evidence_source",
            "is_active",
        ]


class ServiceReferralSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=ReferralStatus.choices, read_only=True)
    consent = serializers.ChoiceField(choices=Consent.choices)
    service = serializers.PrimaryKeyRelatedField(queryset=Service.objects.all())
    days_to_start = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = ServiceReferral
        fields = [
            "id",
            "service",
            "person",
            "status",
            "referred_on",
            "reason",
            "consent",
            "consent_recorded_on",
            "lawful_basis",
            "risk_before",
            "decided_on",
            "decline_reason",
            "started_on",
            "days_to_start",
            "sessions_offered",
            "sessions_attended",
            "ended_on",
            "end_reason",
            "outcome",
            "outcome_notes",
            "risk_after",
        ]
        read_only_fields = [
            "person",
            "decided_on",
            "decline_reason",
            "started_on",
            "sessions_offered",
            "sessions_attended",
            "ended_on",
            "end_reason",
            "outcome",
            "outcome_notes",
            "risk_after",
        ]


class ServiceList(APIView):
    """The catalogue of the user's partnerships, with children receiving and waiting
    (counts only)."""

    permission_classes = [ApiPermission]

    @extend_schema(responses=ServiceSerializer(many=True))
    def get(self, request: Request) -> Response:
        prime_user(request.user)
        services = list(Service.objects.visible_to(request.user).order_by("name", "id"))
        counts = counts_for([s.pk for s in services])
        for s in services:
            s.receiving = counts[s.pk]["active"]  # type: ignore[attr-defined]
            s.waiting = counts[s.pk]["waiting"]  # type: ignore[attr-defined]
        return Response(ServiceSerializer(services, many=True).data)


class WaitingListPages(PageNumberPagination):
    """The page's size: 50 referrals, as on the service's page."""

    page_size = WAITING_PAGE_SIZE


class WaitingList(APIView):
    """A service's waiting list, longest waiting first, 50 referrals a page (as on
    the service's page; ``?page=2`` for the next): the children the user may read,
    and how many more are waiting. ``next`` and ``previous`` link the pages; a page
    that does not exist is a 404."""

    permission_classes = [ApiPermission]

    @extend_schema(
        parameters=[OpenApiParameter("page", int, description="Page number (1 first)")],
        responses=inline_serializer(
            "WaitingList",
            {
                "service": serializers.IntegerField(),
                "waiting": serializers.IntegerField(),
                "not_shown": serializers.IntegerField(),
                "count": serializers.IntegerField(),
                "page": serializers.IntegerField(),
                "pages": serializers.IntegerField(),
                "next": serializers.URLField(allow_null=True),
                "previous": serializers.URLField(allow_null=True),
                "referrals": ServiceReferralSerializer(many=True),
            },
        ),
    )
    def get(self, request: Request, pk: int) -> Response:
        prime_user(request.user)
        service = get_visible_or_404(Service, request.user, pk=pk)
        waiting = ServiceReferral.objects.filter(service=service, status__in=WAITING)
        readable = (
            related_full_record_q(request.user, "person")
            if has_permission(request.user, Permission.VIEW_CASES)
            else None
        )
        mine = waiting.filter(readable) if readable is not None else waiting.none()
        pages = WaitingListPages()
        shown = list(
            pages.paginate_queryset(
                mine.order_by("referred_on", "id"),
                request,
                view=self,
            )
            or []
        )
        total = waiting.count()
        if shown:
            record(
                AuditAction.VIEW,
                actor=request.user,
                target=service,
                detail={
                    "page": "api waiting list",
                    "children": sorted({r.person_id for r in shown}),
                },
            )
        page = pages.page
        if page is None:  # only when paging is switched off, which it never is here
            raise NotFound()
        return Response(
            {
                "service": service.pk,
                "waiting": total,
                "not_shown": total - page.paginator.count,
                "count": page.paginator.count,
                "page": page.number,
                "pages": page.paginator.num_pages,
                "next": pages.get_next_link(),
                "previous": pages.get_previous_link(),
                "referrals": ServiceReferralSerializer(shown, many=True).data,
            }
        )


class ChildReferrals(APIView):
    """A child's referrals to services; POST refers the child (case team only)."""

    permission_classes = [ApiPermission]
    needed = Permission.VIEW_CASES
    needed_to_write = Permission.EDIT_CASES

    @extend_schema(responses=ServiceReferralSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        prime_user(request.user)
        person = get_visible_or_404(Person, request.user, pk=pk)
        referrals = list(ServiceReferral.objects.filter(person=person))
        record(
            AuditAction.VIEW,
            actor=request.user,
            target=person,
            detail={"page": "api service referrals"},
        )
        return Response(ServiceReferralSerializer(referrals, many=True).data)

    @extend_schema(
        request=ServiceReferralSerializer, responses=ServiceReferralSerializer
    )
    def post(self, request: Request, pk: int) -> Response:
        prime_user(request.user)
        person = get_visible_or_404(Person, request.user, pk=pk)
        serializer = ServiceReferralSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        service = data.pop("service")
        if not Service.objects.visible_to(request.user).filter(pk=service.pk).exists():
            raise ValidationError({"service": ["Select a service in your partnership"]})
        referral = _call(
            actions.refer_to_service,
            by=signed_in_user(request),
            person=person,
            service=service,
            **data,
        )
        return Response(
            ServiceReferralSerializer(referral).data, status=status.HTTP_201_CREATED
        )


# The steps of a referral and the records of exploitation and missing -------------
# Each write goes through the same action as its page; the object is found through
# its policy (out of scope is 404) and the action checks the right to change the
# child's record (403 otherwise).


class DecideStep(serializers.Serializer):
    accepted = serializers.BooleanField()
    decided_on = serializers.DateField()
    decline_reason = serializers.CharField(required=False, allow_blank=True)


class StartStep(serializers.Serializer):
    started_on = serializers.DateField()


class AttendanceStep(serializers.Serializer):
    offered = serializers.IntegerField(min_value=0, max_value=10_000)
    attended = serializers.IntegerField(min_value=0, max_value=10_000)


class EndStep(serializers.Serializer):
    ended_on = serializers.DateField()
    end_reason = serializers.ChoiceField(choices=EndReason.choices)
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    outcome_notes = serializers.CharField(required=False, allow_blank=True)
    risk_after = serializers.IntegerField(required=False, allow_null=True)


class WithdrawStep(serializers.Serializer):
    withdrawn_on = serializers.DateField()
    end_reason = serializers.ChoiceField(choices=EndReason.choices)


REFERRAL_STEPS: dict[str, tuple[type[serializers.Serializer], Any]] = {
    "decide": (DecideStep, actions.decide_referral),
    "start": (StartStep, actions.start_service),
    "attendance": (AttendanceStep, actions.record_attendance),
    "end": (EndStep, actions.end_service),
    "withdraw": (WithdrawStep, actions.withdraw_referral),
}


def _validated(serializer_class: type[serializers.Serializer], data: Any) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class ReferralStep(APIView):
    """One step of a referral: ``decide``, ``start``, ``attendance``, ``end`` or
    ``withdraw`` (the state machine in services/states.py refuses any other move,
    as a 400)."""

    permission_classes = [ApiPermission]
    needed = Permission.EDIT_CASES

    @extend_schema(
        request=PolymorphicProxySerializer(
            component_name="ServiceReferralStep",
            serializers=[s for s, _action in REFERRAL_STEPS.values()],
            resource_type_field_name=None,
        ),
        responses=ServiceReferralSerializer,
    )
    def post(self, request: Request, pk: int, step: str) -> Response:
        if step not in REFERRAL_STEPS:
            raise NotFound
        prime_user(request.user)
        referral = get_visible_or_404(ServiceReferral, request.user, pk=pk)
        serializer_class, action = REFERRAL_STEPS[step]
        data = _validated(serializer_class, request.data)
        referral = _call(action, by=signed_in_user(request), referral=referral, **data)
        return Response(ServiceReferralSerializer(referral).data)


class NrmReconsiderationSerializer(serializers.ModelSerializer):
    stage = serializers.ChoiceField(choices=GroundsStage.choices, read_only=True)
    outcome = serializers.ChoiceField(
        choices=ReconsiderationOutcome.choices, read_only=True
    )

    class Meta:
        model = NrmReconsideration
        fields = [
            "id",
            "stage",
            "original_decided_on",
            "requested_on",
            "requested_by",
            "reason",
            "outcome",
            "decided_on",
        ]
        read_only_fields = fields


class NrmReferralSerializer(serializers.ModelSerializer):
    rg_decision = serializers.ChoiceField(
        choices=GroundsDecision.choices, read_only=True
    )
    cg_decision = serializers.ChoiceField(
        choices=GroundsDecision.choices, read_only=True
    )
    s45_defence = serializers.ChoiceField(choices=S45Defence.choices, read_only=True)
    rg_in_time = serializers.BooleanField(read_only=True, allow_null=True)
    reconsiderations = NrmReconsiderationSerializer(many=True, read_only=True)

    class Meta:
        model = NrmReferral
        fields = [
            "id",
            "person",
            "referred_on",
            "first_responder",
            "referring_officer",
            "exploitation_types",
            "decision_route",
            "rg_due_on",
            "rg_decision",
            "rg_decided_on",
            "rg_in_time",
            "recovery_ends_on",
            "cg_decision",
            "cg_decided_on",
            "ictg_referred_on",
            "prosecution_reference",
            "s45_defence",
            "s45_recorded_on",
            "reconsiderations",
        ]
        read_only_fields = fields


class ReachableMomentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReachableMoment
        exclude = ["recorded_by"]
        read_only_fields = [
            f.name for f in ReachableMoment._meta.fields if f.name != "recorded_by"
        ]


class ReturnInterviewSerializer(serializers.ModelSerializer):
    returned_at = serializers.DateTimeField(
        source="missing_episode.returned_at", read_only=True
    )
    interview_due_at = serializers.DateTimeField(
        source="missing_episode.interview_due_at", read_only=True
    )

    class Meta:
        model = ReturnInterview
        exclude = ["offered_by"]
        read_only_fields = [
            f.name for f in ReturnInterview._meta.fields if f.name != "offered_by"
        ]


class ChildRecords(APIView):
    """A child's NRM referrals, reachable moments or return home interviews (the
    child's case team and their managers)."""

    permission_classes = [ApiPermission]
    needed = Permission.VIEW_CASES
    kind = ""

    def records(self, person: Person) -> tuple[Any, type[serializers.Serializer]]:
        if self.kind == "nrm":
            return (
                NrmReferral.objects.filter(person=person).prefetch_related(
                    "reconsiderations"
                ),
                NrmReferralSerializer,
            )
        if self.kind == "moments":
            return (
                ReachableMoment.objects.filter(person=person),
                ReachableMomentSerializer,
            )
        return (
            ReturnInterview.objects.filter(
                missing_episode__person=person
            ).select_related("missing_episode"),
            ReturnInterviewSerializer,
        )

    def get(self, request: Request, pk: int) -> Response:
        prime_user(request.user)
        person = get_visible_or_404(Person, request.user, pk=pk)
        rows, serializer_class = self.records(person)
        record(
            AuditAction.VIEW,
            actor=request.user,
            target=person,
            detail={"page": f"api {self.kind}"},
        )
        return Response(serializer_class(list(rows), many=True).data)


@extend_schema(responses=NrmReferralSerializer(many=True))
class ChildNrmReferrals(ChildRecords):
    kind = "nrm"


@extend_schema(responses=ReachableMomentSerializer(many=True))
class ChildReachableMoments(ChildRecords):
    kind = "moments"


@extend_schema(responses=ReturnInterviewSerializer(many=True))
class ChildReturnInterviews(ChildRecords):
    kind = "interviews"


class GroundsStep(serializers.Serializer):
    decision = serializers.ChoiceField(choices=GroundsDecision.choices)
    decided_on = serializers.DateField()


class ReconsiderationRequest(serializers.Serializer):
    requested_on = serializers.DateField()
    requested_by = serializers.CharField(max_length=200)
    reason = serializers.CharField()


class ReconsiderationAnswer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=ReconsiderationOutcome.choices)
    decided_on = serializers.DateField()


class S45Step(serializers.Serializer):
    prosecution_reference = serializers.CharField(max_length=200)
    s45_defence = serializers.ChoiceField(choices=S45Defence.choices)
    recorded_on = serializers.DateField()


class NrmStep(APIView):
    """An NRM referral's next step: ``reasonable`` or ``conclusive`` (the grounds
    decision), ``reasonable/reconsider`` or ``conclusive/reconsider`` (ask for a
    negative decision to be reconsidered), ``section-45`` (a linked prosecution and
    the s.45 defence)."""

    permission_classes = [ApiPermission]
    needed = Permission.EDIT_CASES
    step = ""

    def post(self, request: Request, pk: int, stage: str = "") -> Response:
        prime_user(request.user)
        nrm = get_visible_or_404(NrmReferral, request.user, pk=pk)
        user = signed_in_user(request)
        if self.step == "decision":
            if stage not in GroundsStage.values:
                raise NotFound
            action = (
                actions.record_rg_decision
                if stage == GroundsStage.REASONABLE
                else actions.record_cg_decision
            )
            _call(action, by=user, nrm=nrm, **_validated(GroundsStep, request.data))
        elif self.step == "reconsider":
            if stage not in GroundsStage.values:
                raise NotFound
            _call(
                actions.request_nrm_reconsideration,
                by=user,
                nrm=nrm,
                stage=stage,
                **_validated(ReconsiderationRequest, request.data),
            )
        else:
            _call(
                actions.record_s45_defence,
                by=user,
                nrm=nrm,
                **_validated(S45Step, request.data),
            )
        nrm = NrmReferral.objects.prefetch_related("reconsiderations").get(pk=nrm.pk)
        return Response(NrmReferralSerializer(nrm).data)


@extend_schema(request=GroundsStep, responses=NrmReferralSerializer)
class NrmDecision(NrmStep):
    step = "decision"


@extend_schema(request=ReconsiderationRequest, responses=NrmReferralSerializer)
class NrmReconsider(NrmStep):
    step = "reconsider"


@extend_schema(request=S45Step, responses=NrmReferralSerializer)
class NrmSection45(NrmStep):
    step = "section-45"


class NrmReconsiderationAnswer(APIView):
    """The answer to a request for reconsideration."""

    permission_classes = [ApiPermission]
    needed = Permission.EDIT_CASES

    @extend_schema(request=ReconsiderationAnswer, responses=NrmReferralSerializer)
    def post(self, request: Request, pk: int) -> Response:
        prime_user(request.user)
        reconsideration = get_visible_or_404(NrmReconsideration, request.user, pk=pk)
        _call(
            actions.answer_nrm_reconsideration,
            by=signed_in_user(request),
            reconsideration=reconsideration,
            **_validated(ReconsiderationAnswer, request.data),
        )
        nrm = NrmReferral.objects.prefetch_related("reconsiderations").get(
            pk=reconsideration.nrm_id
        )
        return Response(NrmReferralSerializer(nrm).data)
