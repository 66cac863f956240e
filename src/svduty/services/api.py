"""REST API for services (architecture D10): the same policies as the pages. The
catalogue for everyone in the partnership; a service's waiting list names only the
children the user may read and counts the rest; a child's referrals need the child's
record, and a referral is made through the same action as the page. Reads that name
children are audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from svduty.accounts.requests import signed_in_user
from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.cases.models import Person
from svduty.cases.policies import prime_user
from svduty.core.authorisation import Permission
from svduty.core.policies import get_visible_or_404, has_permission

from . import actions
from .models import Consent, Service, ServiceReferral, ServiceType
from .states import WAITING, ReferralStatus
from .views.catalogue import counts_for


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


class WaitingList(APIView):
    """A service's waiting list, longest waiting first: the children the user may
    read, and how many more are waiting."""

    permission_classes = [ApiPermission]

    @extend_schema(
        responses=inline_serializer(
            "WaitingList",
            {
                "service": serializers.IntegerField(),
                "waiting": serializers.IntegerField(),
                "not_shown": serializers.IntegerField(),
                "referrals": ServiceReferralSerializer(many=True),
            },
        )
    )
    def get(self, request: Request, pk: int) -> Response:
        prime_user(request.user)
        service = get_visible_or_404(Service, request.user, pk=pk)
        waiting = ServiceReferral.objects.filter(service=service, status__in=WAITING)
        shown: list[ServiceReferral] = []
        if has_permission(request.user, Permission.VIEW_CASES):
            shown = list(
                waiting.filter(
                    person__in=Person.objects.visible_to(request.user)
                ).order_by("referred_on", "id")[:500]
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
        return Response(
            {
                "service": service.pk,
                "waiting": total,
                "not_shown": total - len(shown),
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
