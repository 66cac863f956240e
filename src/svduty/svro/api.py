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
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from svduty.accounts.models import Agency
from svduty.accounts.requests import signed_in_user
from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.cases.models import Person
from svduty.cases.policies import prime_user
from svduty.core.authorisation import Permission
from svduty.core.policies import get_visible_or_404, has_permission
from svduty.partnership.models import LocalArea

from . import actions
from .models import (
    DECIDED,
    Applicant,
    Application,
    ApplicationStatus,
    Assessment,
    Breach,
    BreachKind,
    CustodyPeriod,
    EthnicGroup,
    Ethnicity,
    ForceArea,
    Holder,
    IdentityMethod,
    Investigation,
    Lifecycle,
    Necessity,
    NotifiableEvent,
    Notification,
    Order,
    OrderEventKind,
    OrderType,
    OrderVersion,
    PersonLink,
    Reoffence,
    ResidentPopulation,
    SampleItem,
    Search,
    SearchOutcome,
    SearchSample,
    Sentence,
    Sex,
    WeaponCondition,
    force_ids_of,
)
from .scrutiny import BREAKDOWNS, summary
from .views.scrutiny import _forces, filters_from

PAGE = 100


def _local_area() -> serializers.SlugRelatedField:
    """A local authority area by its ONS code (E06000002), optional: the scrutiny
    figures by area."""
    return serializers.SlugRelatedField(
        slug_field="ons_code",
        queryset=LocalArea.objects.all(),
        required=False,
        allow_null=True,
    )


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


def _act(
    request: Request, serializer_class: type[serializers.Serializer], action, **kwargs
) -> Any:
    """The shape of every write endpoint: the request body checked by
    `serializer_class` (400 with the fields it lacks), then `action` called with the
    signed-in user as `by`, the records named by the URL (`kwargs`) and the checked
    fields; the action's refusals become 400 or 403 (`_call`)."""
    serializer = serializer_class(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return _call(
        action, by=signed_in_user(request), **kwargs, **serializer.validated_data
    )


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


class OrderVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrderVersion
        fields = [
            "number",
            "event",
            "event_on",
            "applicant",
            "court",
            "outcome",
            "takes_effect_on",
            "period_months",
            "expires_on",
            "discharged_on",
        ]
        read_only_fields = fields


class OrderDetailSerializer(OrderSerializer):
    """An order's current terms with every version (the history of its terms)."""

    versions = OrderVersionSerializer(many=True, read_only=True)

    class Meta(OrderSerializer.Meta):
        fields = [
            *OrderSerializer.Meta.fields,
            "application",
            "issuing_area",
            "weapon_condition",
            "necessity",
            "explanation_given",
            "additional_requirements",
            "versions",
        ]
        read_only_fields = fields


class _Visible(serializers.PrimaryKeyRelatedField):
    """A record named by its id, among those the requesting user may see (another
    force's record is "does not exist", as if it did not)."""

    def get_queryset(self) -> Any:
        queryset: Any = super().get_queryset()
        return queryset.visible_to(self.context["request"].user)


class OrderCreateSerializer(serializers.Serializer):
    """What the order form asks (svro.forms.OrderForm); the Act's rules are checked
    by the same action (`make_order`)."""

    holder = _Visible(queryset=Holder.objects.all())
    order_type = serializers.SlugRelatedField(
        slug_field="code", queryset=OrderType.objects.filter(active=True)
    )
    application = _Visible(
        queryset=Application.objects.all(), required=False, allow_null=True
    )
    issuing_area = serializers.ChoiceField(choices=ForceArea.choices)
    issuing_court = serializers.CharField(max_length=200)
    made_on = serializers.DateField()
    on_release = serializers.BooleanField(required=False, default=False)
    takes_effect_on = serializers.DateField(required=False, allow_null=True)
    period_months = serializers.IntegerField(min_value=1, max_value=120)
    weapon_condition = serializers.ChoiceField(
        choices=WeaponCondition.choices, required=False, allow_blank=True
    )
    necessity = serializers.ListField(
        child=serializers.ChoiceField(choices=Necessity.choices),
        required=False,
        max_length=len(Necessity.choices),
    )
    explanation_given = serializers.BooleanField(required=False, default=False)
    explanation_notes = serializers.CharField(
        required=False, allow_blank=True, max_length=5000
    )
    additional_requirements = serializers.ListField(
        child=serializers.CharField(max_length=300), required=False, max_length=20
    )


#: The court's decisions on an order (making it is `OrderCreateSerializer`).
DECISIONS = [
    (kind.value, kind.label)
    for kind in (
        OrderEventKind.VARIED,
        OrderEventKind.RENEWED,
        OrderEventKind.DISCHARGED,
        OrderEventKind.APPEALED,
    )
]


class OrderDecisionSerializer(serializers.Serializer):
    """What the decision form asks (svro.forms.OrderEventForm): varied, renewed,
    discharged or an appeal decided; checked by `record_order_event`."""

    event = serializers.ChoiceField(choices=DECISIONS)
    event_on = serializers.DateField()
    applicant = serializers.ChoiceField(choices=Applicant.choices)
    court = serializers.CharField(max_length=200)
    period_months = serializers.IntegerField(
        min_value=1, max_value=120, required=False, allow_null=True
    )
    quashed = serializers.BooleanField(required=False, default=False)
    outcome = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class SearchSerializer(serializers.ModelSerializer):
    force_area = serializers.ChoiceField(choices=ForceArea.choices)
    identity_method = serializers.ChoiceField(choices=IdentityMethod.choices)
    self_ethnicity = serializers.ChoiceField(choices=Ethnicity.choices)
    officer_ethnicity = serializers.ChoiceField(choices=EthnicGroup.choices)
    sex = serializers.ChoiceField(choices=Sex.choices)
    outcome = serializers.ChoiceField(choices=SearchOutcome.choices)
    local_area = _local_area()

    class Meta:
        model = Search
        fields = [
            "id",
            "reference",
            "force_area",
            "local_area",
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
            "detained_at",
            "force_type",
            "copy_requested_on",
        ]
        read_only_fields = ["id"]


class OrderList(APIView):
    """The orders of the user's forces, newest first, 100 a page (?page=2); record
    an order the court made (the same rules as the order form)."""

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

    @extend_schema(
        request=OrderCreateSerializer, responses={201: OrderDetailSerializer}
    )
    def post(self, request: Request) -> Response:
        order = _act(request, OrderCreateSerializer, actions.make_order)
        return Response(_detail(order), status=status.HTTP_201_CREATED)


def _detail(order: Order) -> Any:
    order = (
        Order.objects.select_related("holder", "order_type")
        .prefetch_related("versions")
        .get(pk=order.pk)
    )
    return OrderDetailSerializer(order).data


class OrderDetail(APIView):
    permission_classes = [OfficerPermission]

    @extend_schema(responses=OrderDetailSerializer)
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
        return Response(_detail(order))


class OrderDecision(APIView):
    """Record a court's decision on an order (varied, renewed, discharged, appeal
    decided): a new version of its terms, under the same rules as the form."""

    permission_classes = [OfficerPermission]

    @extend_schema(
        request=OrderDecisionSerializer, responses={201: OrderDetailSerializer}
    )
    def post(self, request: Request, pk: int) -> Response:
        order = get_visible_or_404(
            Order.objects.select_related("holder", "order_type"), request.user, pk=pk
        )
        order = _act(
            request, OrderDecisionSerializer, actions.record_order_event, order=order
        )
        return Response(_detail(order), status=status.HTTP_201_CREATED)


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
        search = _act(request, SearchSerializer, actions.record_search, order=order)
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
        result = summary(filters)
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


# People and applications: what the register's forms ask, checked by the same actions
# (`create_holder`, `record_application`, `decide_application`), so an order can be
# recorded through the API from the start.


class _MyForce(serializers.PrimaryKeyRelatedField):
    def get_queryset(self) -> Any:
        return Agency.objects.filter(pk__in=force_ids_of(self.context["request"].user))


class HolderSerializer(serializers.ModelSerializer):
    managing_force = _MyForce()
    name = serializers.CharField(max_length=200, write_only=True)
    sex = serializers.ChoiceField(choices=Sex.choices)
    ethnicity = serializers.ChoiceField(choices=Ethnicity.choices)
    local_area = _local_area()

    class Meta:
        model = Holder
        fields = [
            "id",
            "managing_force",
            "name",
            "current_name",
            "date_of_birth",
            "sex",
            "ethnicity",
            "reference",
            "description",
            "local_area",
        ]
        read_only_fields = ["id", "current_name"]


class HolderList(APIView):
    """Add a person to the register of one of the user's forces."""

    permission_classes = [OfficerPermission]

    @extend_schema(request=HolderSerializer, responses={201: HolderSerializer})
    def post(self, request: Request) -> Response:
        holder = _act(request, HolderSerializer, actions.create_holder)
        return Response(
            HolderSerializer(holder, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


MADE_OR_NOT = [
    (ApplicationStatus.PENDING.value, "An application was made"),
    (ApplicationStatus.CONSIDERED.value, "Considered only"),
]


class ApplicationSerializer(serializers.ModelSerializer):
    order_type = serializers.SlugRelatedField(
        slug_field="code", queryset=OrderType.objects.filter(active=True)
    )
    status = serializers.ChoiceField(choices=MADE_OR_NOT)
    applicant = serializers.ChoiceField(choices=Applicant.choices, required=False)

    class Meta:
        model = Application
        fields = [
            "id",
            "holder",
            "order_type",
            "considered_on",
            "status",
            "offence",
            "offence_date",
            "conviction_date",
            "sentence",
            "absolute_discharge",
            "applicant",
            "court",
            "hearing_date",
            "decided_on",
            "reason",
        ]
        read_only_fields = ["id", "holder", "decided_on"]


class ApplicationOutSerializer(ApplicationSerializer):
    status = serializers.CharField(read_only=True)  # type: ignore[assignment]


class ApplicationList(APIView):
    """Record a person considered for an order, with the application if one was
    made (the hearing's outcome follows with `.../decision/`)."""

    permission_classes = [OfficerPermission]

    @extend_schema(
        request=ApplicationSerializer, responses={201: ApplicationOutSerializer}
    )
    def post(self, request: Request, pk: int) -> Response:
        holder = get_visible_or_404(Holder, request.user, pk=pk)
        application = _act(
            request, ApplicationSerializer, actions.record_application, holder=holder
        )
        return Response(
            ApplicationOutSerializer(application).data, status=status.HTTP_201_CREATED
        )


class ApplicationDecisionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[(s.value, s.label) for s in DECIDED])
    decided_on = serializers.DateField()
    reason = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class ApplicationDecision(APIView):
    """The court's decision on an application: granted, refused or withdrawn (a
    reason is needed for the last two)."""

    permission_classes = [OfficerPermission]

    @extend_schema(
        request=ApplicationDecisionSerializer,
        responses={200: ApplicationOutSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        application = get_visible_or_404(
            Application.objects.select_related("holder"), request.user, pk=pk
        )
        application = _act(
            request,
            ApplicationDecisionSerializer,
            actions.decide_application,
            application=application,
        )
        return Response(ApplicationOutSerializer(application).data)


# Notifications, custody, breaches and later convictions: what the pages' forms ask
# (svro.forms.NotificationForm, CustodyForm, ReleaseForm, BreachForm, ReoffenceForm),
# checked and audited by the same actions, on records of the user's forces only.


class NotificationSerializer(serializers.ModelSerializer):
    status = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = [
            "id",
            "order",
            "event",
            "event_on",
            "due_on",
            "notified_on",
            "station",
            "received_by",
            "information",
            "advice_given",
            "description_update",
            "status",
        ]
        read_only_fields = fields

    def get_status(self, notification: Notification) -> str:
        """on_time, late, overdue or due (not yet notified, not past its due date,
        or paused by custody)."""
        return str(notification.status_on(timezone.localdate()))


class NotificationInSerializer(serializers.Serializer):
    """A notifiable event, with the attendance at the police station if it has
    happened (`notified_on`, `station`, `received_by`)."""

    event = serializers.ChoiceField(choices=NotifiableEvent.choices)
    event_on = serializers.DateField()
    notified_on = serializers.DateField(required=False, allow_null=True, default=None)
    station = serializers.CharField(required=False, allow_blank=True, max_length=200)
    received_by = serializers.CharField(
        required=False, allow_blank=True, max_length=200
    )
    new_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    address = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    local_area = _local_area()
    information = serializers.CharField(
        required=False, allow_blank=True, max_length=5000
    )
    advice_given = serializers.BooleanField(required=False, default=False)
    description_update = serializers.CharField(
        required=False, allow_blank=True, max_length=5000
    )


class AttendanceSerializer(serializers.Serializer):
    """The attendance for an expected notification (the initial one)."""

    notified_on = serializers.DateField()
    station = serializers.CharField(max_length=200)
    received_by = serializers.CharField(max_length=200)
    address = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    local_area = _local_area()
    information = serializers.CharField(
        required=False, allow_blank=True, max_length=5000
    )
    advice_given = serializers.BooleanField(required=False, default=False)
    description_update = serializers.CharField(
        required=False, allow_blank=True, max_length=5000
    )


def _visible_order(request: Request, pk: int) -> Order:
    return get_visible_or_404(
        Order.objects.select_related("holder", "order_type"), request.user, pk=pk
    )


class NotificationList(APIView):
    """An order's notifications (with their due dates and whether they were on
    time); record a notifiable event or a notification made at a police station."""

    permission_classes = [OfficerPermission]

    @extend_schema(responses=NotificationSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        order = _visible_order(request, pk)
        notifications = list(order.notifications.order_by("-event_on", "-id"))
        record(
            AuditAction.VIEW,
            actor=request.user,
            target=order,
            detail={"page": "api-notifications", "holder": order.holder_id},
        )
        return Response(NotificationSerializer(notifications, many=True).data)

    @extend_schema(
        request=NotificationInSerializer, responses={201: NotificationSerializer}
    )
    def post(self, request: Request, pk: int) -> Response:
        order = _visible_order(request, pk)
        notification = _act(
            request, NotificationInSerializer, actions.record_notification, order=order
        )
        return Response(
            NotificationSerializer(notification).data, status=status.HTTP_201_CREATED
        )


class NotificationAttendance(APIView):
    """Record the attendance for an expected notification (404 for another force's;
    400 if it was already recorded)."""

    permission_classes = [OfficerPermission]

    @extend_schema(
        request=AttendanceSerializer, responses={200: NotificationSerializer}
    )
    def post(self, request: Request, pk: int) -> Response:
        expected = get_visible_or_404(
            Notification.objects.select_related("order__holder", "order__order_type"),
            request.user,
            pk=pk,
        )
        notification = _act(
            request,
            AttendanceSerializer,
            actions.record_notification,
            order=expected.order,
            notification=expected,
            event=expected.event,
            event_on=expected.event_on,
        )
        return Response(NotificationSerializer(notification).data)


class CustodySerializer(serializers.ModelSerializer):
    class Meta:
        model = CustodyPeriod
        fields = ["id", "holder", "started_on", "ended_on"]
        read_only_fields = ["id", "holder"]
        extra_kwargs = {"ended_on": {"required": False, "allow_null": True}}


class ReleaseSerializer(serializers.Serializer):
    ended_on = serializers.DateField()


class CustodyList(APIView):
    """Record time in custody (it pauses the notification deadlines)."""

    permission_classes = [OfficerPermission]

    @extend_schema(request=CustodySerializer, responses={201: CustodySerializer})
    def post(self, request: Request, pk: int) -> Response:
        holder = get_visible_or_404(Holder, request.user, pk=pk)
        period = _act(request, CustodySerializer, actions.record_custody, holder=holder)
        return Response(CustodySerializer(period).data, status=status.HTTP_201_CREATED)


class CustodyRelease(APIView):
    """Record the release: an order made to take effect on release starts that day,
    with its initial notification."""

    permission_classes = [OfficerPermission]

    @extend_schema(request=ReleaseSerializer, responses={200: CustodySerializer})
    def post(self, request: Request, pk: int) -> Response:
        period = get_visible_or_404(
            CustodyPeriod.objects.select_related("holder"), request.user, pk=pk
        )
        period = _act(request, ReleaseSerializer, actions.end_custody, period=period)
        return Response(CustodySerializer(period).data)


class BreachSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=BreachKind.choices)
    investigation = serializers.ChoiceField(
        choices=Investigation.choices, required=False
    )
    sentence = serializers.ChoiceField(
        choices=Sentence.choices, required=False, allow_blank=True
    )

    class Meta:
        model = Breach
        fields = [
            "id",
            "order",
            "kind",
            "occurred_on",
            "reported_by",
            "investigation",
            "charge",
            "sentence",
            "notes",
        ]
        read_only_fields = ["id", "order"]


class BreachUpdateSerializer(serializers.Serializer):
    investigation = serializers.ChoiceField(choices=Investigation.choices)
    charge = serializers.CharField(required=False, allow_blank=True, max_length=300)
    sentence = serializers.ChoiceField(
        choices=Sentence.choices, required=False, allow_blank=True
    )
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class BreachList(APIView):
    """An order's breaches and suspected breaches (s.342G); record one (a
    conditional discharge is refused for obstruction, as on the page)."""

    permission_classes = [OfficerPermission]

    @extend_schema(responses=BreachSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        order = _visible_order(request, pk)
        found = list(order.breaches.order_by("-occurred_on", "-id"))
        record(
            AuditAction.VIEW,
            actor=request.user,
            target=order,
            detail={"page": "api-breaches", "holder": order.holder_id},
        )
        return Response(BreachSerializer(found, many=True).data)

    @extend_schema(request=BreachSerializer, responses={201: BreachSerializer})
    def post(self, request: Request, pk: int) -> Response:
        order = _visible_order(request, pk)
        breach = _act(request, BreachSerializer, actions.record_breach, order=order)
        return Response(BreachSerializer(breach).data, status=status.HTTP_201_CREATED)


class BreachUpdate(APIView):
    """Where the investigation of a breach stands now, with the charge and
    sentence."""

    permission_classes = [OfficerPermission]

    @extend_schema(request=BreachUpdateSerializer, responses={200: BreachSerializer})
    def post(self, request: Request, pk: int) -> Response:
        breach = get_visible_or_404(
            Breach.objects.select_related("order__holder"), request.user, pk=pk
        )
        breach = _act(
            request, BreachUpdateSerializer, actions.update_breach, breach=breach
        )
        return Response(BreachSerializer(breach).data)


class ReoffenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Reoffence
        fields = [
            "id",
            "holder",
            "offence",
            "offence_date",
            "conviction_date",
            "weapon_related",
            "source",
        ]
        read_only_fields = ["id", "holder", "source"]


class ReoffenceList(APIView):
    """Record a later conviction (an offence committed after the person's first
    order was made): the initial reoffending assessment, s.166(3)(e)."""

    permission_classes = [OfficerPermission]

    @extend_schema(request=ReoffenceSerializer, responses={201: ReoffenceSerializer})
    def post(self, request: Request, pk: int) -> Response:
        holder = get_visible_or_404(Holder, request.user, pk=pk)
        reoffence = _act(
            request, ReoffenceSerializer, actions.record_reoffence, holder=holder
        )
        return Response(
            ReoffenceSerializer(reoffence).data, status=status.HTTP_201_CREATED
        )


# Scrutiny panels' samples of searches and their reviews: what the sample pages ask,
# drawn and recorded by the same actions (`draw_sample`, `review_item`), force-scoped.


class SampleItemSerializer(serializers.ModelSerializer):
    """A sampled search as the panel sees it: never the person's name."""

    reference = serializers.CharField(source="search.reference", read_only=True)
    searched_at = serializers.DateTimeField(source="search.searched_at", read_only=True)
    location = serializers.CharField(source="search.location", read_only=True)
    outcome = serializers.CharField(source="search.outcome", read_only=True)
    body_worn_video = serializers.BooleanField(
        source="search.body_worn_video", read_only=True
    )

    class Meta:
        model = SampleItem
        fields = [
            "id",
            "position",
            "reference",
            "searched_at",
            "location",
            "outcome",
            "body_worn_video",
            "video_watched",
            "grounds",
            "conduct",
            "feedback",
            "reviewed_at",
        ]
        read_only_fields = fields


class SampleSerializer(serializers.ModelSerializer):
    force = _MyForce()
    seed = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=2**53
    )
    size = serializers.IntegerField(min_value=1, max_value=200)
    items = SampleItemSerializer(many=True, read_only=True)

    class Meta:
        model = SearchSample
        fields = [
            "id",
            "panel",
            "force",
            "period_start",
            "period_end",
            "size",
            "seed",
            "drawn_at",
            "items",
        ]
        read_only_fields = ["id", "drawn_at", "items"]


class ReviewSerializer(serializers.Serializer):
    video_watched = serializers.BooleanField()
    grounds = serializers.ChoiceField(choices=Assessment.choices)
    conduct = serializers.ChoiceField(choices=Assessment.choices)
    feedback = serializers.CharField(required=False, allow_blank=True, max_length=5000)


def _sample_data(sample: SearchSample, request: Request) -> Any:
    sample = SearchSample.objects.prefetch_related("items__search").get(pk=sample.pk)
    return SampleSerializer(sample, context={"request": request}).data


class SampleList(APIView):
    """The samples of the user's forces' searches (newest first, at most 100); draw
    one for a scrutiny panel (reproducible from its seed)."""

    permission_classes = [OfficerPermission]

    @extend_schema(responses=SampleSerializer(many=True))
    def get(self, request: Request) -> Response:
        samples = list(
            SearchSample.objects.visible_to(request.user)
            .prefetch_related("items__search")
            .order_by("-drawn_at", "-id")[:PAGE]
        )
        record(
            AuditAction.VIEW,
            actor=request.user,
            target_type="svro.searchsample",
            detail={"page": "api-samples", "samples": [s.pk for s in samples]},
        )
        return Response(
            SampleSerializer(samples, many=True, context={"request": request}).data
        )

    @extend_schema(request=SampleSerializer, responses={201: SampleSerializer})
    def post(self, request: Request) -> Response:
        sample = _act(request, SampleSerializer, actions.draw_sample)
        return Response(_sample_data(sample, request), status=status.HTTP_201_CREATED)


class SampleItemReview(APIView):
    """Record (or correct) a panel's review of one sampled search."""

    permission_classes = [OfficerPermission]

    @extend_schema(request=ReviewSerializer, responses={200: SampleItemSerializer})
    def post(self, request: Request, pk: int) -> Response:
        item = get_visible_or_404(
            SampleItem.objects.select_related("sample", "search"), request.user, pk=pk
        )
        item = _act(request, ReviewSerializer, actions.review_item, item=item)
        return Response(SampleItemSerializer(item).data)


# Configuration (order types, resident population) and links to the shared person
# records in `cases`: what the pages `order_types`, `order_type_edit`,
# `population_edit`, `person_links`, `person_link_remove` and `person_panel` show and
# do, under the same permissions, through the same actions.


class ReadScrutinyChangeOfficer(permissions.BasePermission):
    """Reading: anyone who sees SVRO figures (VIEW_SVRO_SCRUTINY), as on the order
    types page; changing: SVRO officers (MANAGE_SVRO), as its forms."""

    def has_permission(self, request, view) -> bool:
        needed = (
            ScrutinyPermission
            if request.method in permissions.SAFE_METHODS
            else OfficerPermission
        )
        return needed().has_permission(request, view)


class OrderTypeSerializer(serializers.ModelSerializer):
    lifecycle = serializers.ChoiceField(choices=Lifecycle.choices)
    issuing_areas = serializers.ListField(
        child=serializers.ChoiceField(choices=ForceArea.choices),
        max_length=len(ForceArea.choices),
    )
    min_months = serializers.IntegerField(
        min_value=1, max_value=120, allow_null=True, required=True
    )
    max_months = serializers.IntegerField(
        min_value=1, max_value=120, allow_null=True, required=True
    )
    minimum_age = serializers.IntegerField(min_value=0, max_value=99)
    notification_days = serializers.IntegerField(
        min_value=1, max_value=60, allow_null=True, required=True
    )

    class Meta:
        model = OrderType
        fields = [
            "id",
            "code",
            "name",
            "legal_basis",
            "lifecycle",
            "issuing_from",
            "issuing_until",
            "issuing_areas",
            "min_months",
            "max_months",
            "minimum_age",
            "requires_conviction",
            "first_appointed_day",
            "gives_search_power",
            "notification_days",
            "additional_requirements_allowed",
            "active",
        ]
        read_only_fields = [
            "id",
            "code",
            "name",
            "legal_basis",
            "requires_conviction",
            "gives_search_power",
            "additional_requirements_allowed",
        ]
        # A change gives every field, as the form does (the action takes them all):
        # a field left out is a 400 naming it, never a half-read body.
        extra_kwargs = {
            "issuing_from": {"required": True, "allow_null": True},
            "issuing_until": {"required": True, "allow_null": True},
            "first_appointed_day": {"required": True, "allow_null": True},
            "active": {"required": True},
        }


class OrderTypeList(APIView):
    """Every order type with its configuration (lifecycle, issuing areas and dates,
    period bounds, minimum age, first appointed day, notification period)."""

    permission_classes = [ScrutinyPermission]

    @extend_schema(responses=OrderTypeSerializer(many=True))
    def get(self, request: Request) -> Response:
        types = OrderType.objects.order_by("name")
        return Response(OrderTypeSerializer(types, many=True).data)


class OrderTypeDetail(APIView):
    """One order type; change its configuration (SVRO officers; orders already made
    keep their terms), every field given, as on the form."""

    permission_classes = [ReadScrutinyChangeOfficer]

    @extend_schema(responses=OrderTypeSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(OrderTypeSerializer(_order_type(pk)).data)

    @extend_schema(request=OrderTypeSerializer, responses=OrderTypeSerializer)
    def put(self, request: Request, pk: int) -> Response:
        order_type = _act(
            request,
            OrderTypeSerializer,
            actions.change_order_type,
            order_type=_order_type(pk),
        )
        return Response(OrderTypeSerializer(order_type).data)


def _order_type(pk: int) -> OrderType:
    found = OrderType.objects.filter(pk=pk).first()
    if found is None:
        raise NotFound
    return found


class PopulationSerializer(serializers.ModelSerializer):
    force_area = serializers.ChoiceField(choices=ForceArea.choices)
    ethnic_group = serializers.ChoiceField(choices=EthnicGroup.choices)
    population = serializers.IntegerField(min_value=0)

    class Meta:
        model = ResidentPopulation
        fields = ["id", "force_area", "ethnic_group", "population", "source"]
        read_only_fields = ["id"]
        # A figure for the same area and group replaces the earlier one (the
        # action), so the table's unique constraint is no reason to refuse.
        validators: list[Any] = []


class PopulationList(APIView):
    """The resident population by force area and ethnic group (the denominator of
    search rates against the population); set one figure (SVRO officers), which
    replaces the earlier one for that area and group."""

    permission_classes = [ReadScrutinyChangeOfficer]

    @extend_schema(responses=PopulationSerializer(many=True))
    def get(self, request: Request) -> Response:
        rows = ResidentPopulation.objects.order_by("force_area", "ethnic_group")
        return Response(PopulationSerializer(rows, many=True).data)

    @extend_schema(request=PopulationSerializer, responses={201: PopulationSerializer})
    def post(self, request: Request) -> Response:
        row = _act(request, PopulationSerializer, actions.set_population)
        return Response(PopulationSerializer(row).data, status=status.HTTP_201_CREATED)


class PersonLinkSerializer(serializers.ModelSerializer):
    """A link from an order holder to a shared person record that the user may read
    (the `cases` policy): the person's name and partnership as the page shows
    them."""

    person = _Visible(queryset=Person.objects.all())
    person_name = serializers.CharField(source="person.display_name", read_only=True)
    partnership = serializers.CharField(
        source="person.partnership.name", read_only=True
    )

    class Meta:
        model = PersonLink
        fields = ["id", "holder", "person", "person_name", "partnership", "linked_at"]
        read_only_fields = ["id", "holder", "linked_at"]


class PersonLinkList(APIView):
    """The holder's links to shared person records (only those whose person the user
    may read); link the holder to a record the user may read. 404 for a holder of
    another force."""

    permission_classes = [OfficerPermission]

    @extend_schema(responses=PersonLinkSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        prime_user(request.user)
        holder = get_visible_or_404(Holder, request.user, pk=pk)
        links = list(
            PersonLink.objects.visible_to(request.user)
            .filter(holder=holder)
            .select_related("person", "person__partnership")
        )
        record(
            AuditAction.VIEW,
            actor=request.user,
            target=holder,
            detail={
                "page": "api-person-links",
                "people": [link.person_id for link in links],
            },
        )
        return Response(PersonLinkSerializer(links, many=True).data)

    @extend_schema(request=PersonLinkSerializer, responses={201: PersonLinkSerializer})
    def post(self, request: Request, pk: int) -> Response:
        prime_user(request.user)
        holder = get_visible_or_404(Holder, request.user, pk=pk)
        link = _act(request, PersonLinkSerializer, actions.link_person, holder=holder)
        return Response(PersonLinkSerializer(link).data, status=status.HTTP_201_CREATED)


class PersonLinkDetail(APIView):
    """Remove a link (404 unless the user may see both the holder and the
    person)."""

    permission_classes = [OfficerPermission]

    @extend_schema(responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        prime_user(request.user)
        link = get_visible_or_404(
            PersonLink.objects.select_related("holder", "person"), request.user, pk=pk
        )
        _call(actions.unlink_person, by=signed_in_user(request), link=link)
        return Response(status=status.HTTP_204_NO_CONTENT)


class HeldOrdersSerializer(serializers.Serializer):
    holder = serializers.IntegerField()
    holder_name = serializers.CharField()
    orders = OrderSerializer(many=True)


class PersonOrders(APIView):
    """For a shared person record the user may read: the register's people of the
    user's forces linked to it, each with the orders they hold (the panel on the
    person's page). 404 for a record the user may not read."""

    permission_classes = [OfficerPermission]

    @extend_schema(responses=HeldOrdersSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        prime_user(request.user)
        person = get_visible_or_404(Person, request.user, pk=pk)
        holders = list(
            Holder.objects.visible_to(request.user)
            .filter(person_links__person=person)
            .distinct()
            .order_by("current_name", "id")
        )
        orders = list(
            Order.objects.filter(holder__in=holders)
            .select_related("holder", "order_type")
            .order_by("holder_id", "-made_on", "-id")
        )
        record(
            AuditAction.VIEW,
            actor=request.user,
            target=person,
            detail={
                "page": "api-person-orders",
                "holders": [h.pk for h in holders],
                "orders": [o.pk for o in orders],
            },
        )
        return Response(
            HeldOrdersSerializer(
                [
                    {
                        "holder": h.pk,
                        "holder_name": h.current_name,
                        "orders": [o for o in orders if o.holder_id == h.pk],
                    }
                    for h in holders
                ],
                many=True,
            ).data
        )
