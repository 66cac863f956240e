"""REST API for the SVRO module (architecture D10, issue 10 point 7): the same
policies as the pages. Orders and searches only for SVRO officers of the managing
force (404 otherwise), every read of order data audited, writes through the actions;
the scrutiny figures (aggregates, suppressed) for VIEW_SVRO_SCRUTINY."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from svduty.accounts.requests import signed_in_user
from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.core.authorisation import Permission
from svduty.core.policies import get_visible_or_404, has_permission

from . import actions
from .models import (
    EthnicGroup,
    Ethnicity,
    ForceArea,
    IdentityMethod,
    Order,
    Search,
    SearchOutcome,
    Sex,
)
from .scrutiny import BREAKDOWNS, dashboard
from .views.scrutiny import _forces, filters_from

PAGE = 100


class _Needs(permissions.BasePermission):
    needed = Permission.MANAGE_SVRO

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(
            user
            and user.is_authenticated
            and has_permission(user, Permission.USE_API)
            and has_permission(user, self.needed)
        )


class OfficerPermission(_Needs):
    needed = Permission.MANAGE_SVRO


class ScrutinyPermission(_Needs):
    needed = Permission.VIEW_SVRO_SCRUTINY


def _call(action, **kwargs) -> Any:
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


class OrderSerializer(serializers.ModelSerializer):
    holder_name = serializers.CharField(source="holder.current_name", read_only=True)
    order_type = serializers.CharField(source="order_type.code", read_only=True)
    in_force = serializers.SerializerMethodField()

    class Meta:
        model = Order
        fields = [
            "id",
            "holder",
            "holder_name",
            "order_type",
            "issuing_court",
            "made_on",
            "on_release",
            "takes_effect_on",
            "period_months",
            "expires_on",
            "discharged_on",
            "version",
            "in_force",
        ]
        read_only_fields = fields

    def get_in_force(self, order: Order) -> bool:
        return order.in_force_on(timezone.localdate())


class SearchSerializer(serializers.ModelSerializer):
    force_area = serializers.ChoiceField(choices=ForceArea.choices)
    identity_method = serializers.ChoiceField(choices=IdentityMethod.choices)
    self_ethnicity = serializers.ChoiceField(choices=Ethnicity.choices)
    officer_ethnicity = serializers.ChoiceField(choices=EthnicGroup.choices)
    sex = serializers.ChoiceField(choices=Sex.choices)
    outcome = serializers.ChoiceField(choices=SearchOutcome.choices)

    class Meta:
        model = Search
        fields = [
            "id",
            "reference",
            "force_area",
            "officer_identifier",
            "searched_at",
            "location",
            "latitude",
            "longitude",
            "public_place",
            "not_public_reason",
            "identity_method",
            "gowisely",
            "self_ethnicity",
            "officer_ethnicity",
            "age",
            "sex",
            "force_used",
            "items_found",
            "seized",
            "outcome",
            "arrest_offence",
            "outcome_linked",
            "body_worn_video",
            "receipt_reference",
        ]
        read_only_fields = ["id"]


class OrderList(APIView):
    """The orders of the user's forces, newest first, 100 a page (?page=2)."""

    permission_classes = [OfficerPermission]

    @extend_schema(
        parameters=[OpenApiParameter("page", int, required=False)],
        responses=OrderSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        try:
            page = max(1, int(request.query_params.get("page", "1")))
        except ValueError:
            page = 1
        orders = list(
            Order.objects.visible_to(request.user)
            .select_related("holder", "order_type")
            .order_by("-made_on", "-id")[(page - 1) * PAGE : page * PAGE]
        )
        record(
            AuditAction.VIEW,
            actor=request.user,
            target_type="svro.order",
            detail={"page": "api-orders", "orders": [o.pk for o in orders]},
        )
        return Response(OrderSerializer(orders, many=True).data)


class OrderDetail(APIView):
    permission_classes = [OfficerPermission]

    @extend_schema(responses=OrderSerializer)
    def get(self, request: Request, pk: int) -> Response:
        order = get_visible_or_404(
            Order.objects.select_related("holder", "order_type"), request.user, pk=pk
        )
        record(
            AuditAction.VIEW,
            actor=request.user,
            target=order,
            detail={"page": "api-order", "holder": order.holder_id},
        )
        return Response(OrderSerializer(order).data)


class SearchList(APIView):
    """Searches under one order; record a search (refused when the order was not in
    force at that moment)."""

    permission_classes = [OfficerPermission]

    @extend_schema(responses=SearchSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        order = get_visible_or_404(Order, request.user, pk=pk)
        searches = list(order.searches.order_by("-searched_at", "-id")[:PAGE])
        record(
            AuditAction.VIEW,
            actor=request.user,
            target=order,
            detail={"page": "api-searches", "holder": order.holder_id},
        )
        return Response(SearchSerializer(searches, many=True).data)

    @extend_schema(request=SearchSerializer, responses=SearchSerializer)
    def post(self, request: Request, pk: int) -> Response:
        order = get_visible_or_404(
            Order.objects.select_related("holder", "order_type"), request.user, pk=pk
        )
        serializer = SearchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        search = _call(
            actions.record_search,
            by=signed_in_user(request),
            order=order,
            **serializer.validated_data,
        )
        return Response(SearchSerializer(search).data, status=status.HTTP_201_CREATED)


class TableSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    head = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField())
    definition = serializers.CharField()


class ScrutinySerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    by = serializers.CharField()
    tables = TableSerializer(many=True)


class Scrutiny(APIView):
    """The scrutiny dashboard's tables (aggregates, small numbers suppressed)."""

    permission_classes = [ScrutinyPermission]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "months", str, enum=["3", "6", "12", "24"], required=False
            ),
            OpenApiParameter("by", str, enum=list(BREAKDOWNS), required=False),
            OpenApiParameter("force", int, required=False),
        ],
        responses=ScrutinySerializer,
    )
    def get(self, request: Request) -> Response:
        filters = filters_from(request.query_params, _forces())
        result = dashboard(filters)
        return Response(
            ScrutinySerializer(
                {
                    "start": filters.start,
                    "end": filters.end,
                    "by": filters.by,
                    "tables": [
                        {
                            "key": t.key,
                            "title": t.title,
                            "head": t.head,
                            "rows": t.rows,
                            "definition": t.definition,
                        }
                        for t in result.tables
                    ],
                }
            ).data
        )
