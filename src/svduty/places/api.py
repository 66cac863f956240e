"""REST API for places of concern and peer groups (architecture D10): the same
policies as the pages (places within the user's partnerships; linked children only
when the user may read their records, counted otherwise; a group only when the user
may read every member), 404 out of scope, writes through the actions, and every read
that names children audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, Q
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from svduty.cases.policies import prime_user
from svduty.core.authorisation import Permission
from svduty.core.policies import get_visible_or_404, has_permission
from svduty.partnership.models import Partnership

from . import actions
from .evaluation import CAVEAT
from .forms import EvaluationForm
from .models import (
    PeerGroup,
    Place,
    PlaceChild,
    PlaceIntervention,
    PlaceKind,
    PlanStatus,
)
from .models.base import partnership_ids_of
from .views.common import audit_children_shown
from .views.evaluation import comparison_for


class PlacesPermission(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        user = request.user
        needed = (
            Permission.MANAGE_PLACES
            if request.method not in permissions.SAFE_METHODS
            else Permission.VIEW_PLACES
        )
        return bool(
            user
            and user.is_authenticated
            and has_permission(user, Permission.USE_API)
            and has_permission(user, needed)
        )


def _errors(error: DjangoValidationError) -> ValidationError:
    if hasattr(error, "error_dict"):
        return ValidationError(
            {k: [m for e in v for m in e.messages] for k, v in error.error_dict.items()}
        )
    return ValidationError({"detail": error.messages})


def _call(action, **kwargs) -> Any:
    try:
        return action(**kwargs)
    except DjangoValidationError as error:
        raise _errors(error) from error
    except DjangoPermissionDenied as error:
        raise PermissionDenied(str(error)) from error


class PlaceSerializer(serializers.ModelSerializer):
    partnership = serializers.SlugRelatedField(
        slug_field="slug", queryset=Partnership.objects.all()
    )
    kind = serializers.ChoiceField(choices=PlaceKind.choices)
    children_linked = serializers.IntegerField(read_only=True, required=False)

    class Meta:
        model = Place
        fields = [
            "id",
            "partnership",
            "name",
            "kind",
            "description",
            "area",
            "latitude",
            "longitude",
            "radius_m",
            "status",
            "closed_on",
            "risk_level",
            "lead_agency",
            "version",
            "children_linked",
        ]
        read_only_fields = ["status", "closed_on", "risk_level", "version"]


class InterventionSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlaceIntervention
        fields = [
            "id",
            "kind",
            "description",
            "started_on",
            "ended_on",
            "lead_agency",
        ]


# The shapes of the hand-built answers below, for the OpenAPI schema only.
class _LinkedChildOut(serializers.Serializer):
    person = serializers.IntegerField()
    name = serializers.CharField()
    role = serializers.CharField()
    linked_on = serializers.DateField()


class _AssessmentOut(serializers.Serializer):
    assessed_on = serializers.DateField()
    risk_level = serializers.CharField()
    summary = serializers.CharField()


class _PlaceDetailOut(PlaceSerializer):
    children = _LinkedChildOut(many=True)
    other_children_linked = serializers.IntegerField()
    interventions = InterventionSerializer(many=True)
    latest_assessment = _AssessmentOut(allow_null=True)

    class Meta(PlaceSerializer.Meta):
        fields = [
            *PlaceSerializer.Meta.fields,
            "children",
            "other_children_linked",
            "interventions",
            "latest_assessment",
        ]


class _PeerGroupOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    status = serializers.CharField()
    risk_level = serializers.CharField()
    risk_level_on = serializers.DateField(allow_null=True)


class _MemberOut(serializers.Serializer):
    person = serializers.IntegerField()
    name = serializers.CharField()
    role = serializers.CharField()
    started_on = serializers.DateField()
    ended_on = serializers.DateField(allow_null=True)


class _GroupPlanOut(serializers.Serializer):
    agreed_on = serializers.DateField()
    review_on = serializers.DateField(allow_null=True)
    objectives = serializers.CharField()
    actions = serializers.CharField()


class _PeerGroupDetailOut(_PeerGroupOut):
    description = serializers.CharField()
    members = _MemberOut(many=True)
    plan = _GroupPlanOut(allow_null=True)


class PlaceList(APIView):
    """Places of concern in the user's partnerships (children are only counted)."""

    permission_classes = [PlacesPermission]

    @extend_schema(responses=PlaceSerializer(many=True))
    def get(self, request: Request) -> Response:
        prime_user(request.user)
        places = Place.objects.visible_to(request.user).annotate(
            children_linked=Count(
                "children", filter=Q(children__ended_on__isnull=True), distinct=True
            )
        )
        return Response(PlaceSerializer(places, many=True).data)

    @extend_schema(request=PlaceSerializer, responses=PlaceSerializer)
    def post(self, request: Request) -> Response:
        serializer = PlaceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if data["partnership"].pk not in partnership_ids_of(request.user):
            raise ValidationError({"partnership": ["Select one of your partnerships"]})
        place = _call(actions.create_place, by=request.user, **data)
        return Response(PlaceSerializer(place).data, status=status.HTTP_201_CREATED)


class PlaceDetail(APIView):
    """A place with the children the user may read (the rest counted), its
    interventions and latest assessment. Audited when it names children."""

    permission_classes = [PlacesPermission]

    @extend_schema(responses=_PlaceDetailOut)
    def get(self, request: Request, pk: int) -> Response:
        prime_user(request.user)
        place = get_visible_or_404(Place, request.user, pk=pk)
        current = PlaceChild.objects.filter(place=place, ended_on__isnull=True)
        # readable_to, as the page: the policy asked of this place's children only.
        links = list(current.readable_to(request.user).select_related("person"))
        hidden = current.count() - len(links)
        audit_children_shown(
            request,
            place,
            "place (API)",
            [link.person_id for link in links],
            hidden_children=hidden,
        )
        latest = place.assessments.first()
        return Response(
            PlaceSerializer(place).data
            | {
                "children": [
                    {
                        "person": link.person_id,
                        "name": str(link.person),
                        "role": link.role,
                        "linked_on": link.linked_on,
                    }
                    for link in links
                ],
                "other_children_linked": hidden,
                "interventions": InterventionSerializer(
                    place.interventions.all(), many=True
                ).data,
                "latest_assessment": None
                if latest is None
                else {
                    "assessed_on": latest.assessed_on,
                    "risk_level": latest.risk_level,
                    "summary": latest.summary,
                },
            }
        )


class InterventionCreate(APIView):
    permission_classes = [PlacesPermission]

    @extend_schema(request=InterventionSerializer, responses=InterventionSerializer)
    def post(self, request: Request, pk: int) -> Response:
        place = get_visible_or_404(Place, request.user, pk=pk)
        serializer = InterventionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        intervention = _call(
            actions.record_intervention,
            by=request.user,
            place=place,
            **serializer.validated_data,
        )
        return Response(
            InterventionSerializer(intervention).data, status=status.HTTP_201_CREATED
        )


class Evaluation(APIView):
    """The before/after comparison of police.uk incidents around the place."""

    permission_classes = [PlacesPermission]

    @extend_schema(
        parameters=[
            OpenApiParameter("radius", int),
            OpenApiParameter("months", int),
            OpenApiParameter("crimes", str),
        ],
        responses={200: dict},
    )
    def get(self, request: Request, pk: int, intervention_pk: int) -> Response:
        place = get_visible_or_404(Place, request.user, pk=pk)
        intervention = get_visible_or_404(
            PlaceIntervention.objects.filter(place=place),
            request.user,
            pk=intervention_pk,
        )
        form = EvaluationForm(request.query_params, place_radius=place.radius_m)
        context = comparison_for(place, intervention, form)
        result = context.get("result")
        body: dict[str, Any] = {
            "radius_m": context["radius"],
            "months": context["months"],
            "crimes": str(context["crimes"]),
            "snapshot": getattr(context["snapshot"], "label", None),
            "unavailable": context["unavailable"] or None,
        }
        if result is not None and result.possible:
            body |= {
                "before": vars(result.before),
                "after": vars(result.after),
                "change": result.change,
                "percent_change": result.percent_change,
                "p_value": result.p_value,
                "monthly": [
                    {"month": m, "count": n, "period": period}
                    for m, n, period in result.series
                ],
                "notes": list(result.notes),
                "caveat": CAVEAT,
            }
        return Response(body)


class PeerGroupList(APIView):
    """Peer groups the user may see (every member's record readable)."""

    permission_classes = [PlacesPermission]

    @extend_schema(operation_id="peer_groups_list", responses=_PeerGroupOut(many=True))
    def get(self, request: Request) -> Response:
        prime_user(request.user)
        groups = PeerGroup.objects.visible_to(request.user).values(
            "id", "name", "status", "risk_level", "risk_level_on"
        )
        return Response(list(groups))


class PeerGroupDetail(APIView):
    permission_classes = [PlacesPermission]

    @extend_schema(responses=_PeerGroupDetailOut)
    def get(self, request: Request, pk: int) -> Response:
        prime_user(request.user)
        group = get_visible_or_404(PeerGroup, request.user, pk=pk)
        memberships = list(group.memberships.select_related("person"))
        plan = group.plans.filter(status=PlanStatus.CURRENT).first()
        audit_children_shown(
            request, group, "peer group (API)", [m.person_id for m in memberships]
        )
        return Response(
            {
                "id": group.pk,
                "name": group.name,
                "description": group.description,
                "status": group.status,
                "risk_level": group.risk_level,
                "risk_level_on": group.risk_level_on,
                "members": [
                    {
                        "person": m.person_id,
                        "name": str(m.person),
                        "role": m.role,
                        "started_on": m.started_on,
                        "ended_on": m.ended_on,
                    }
                    for m in memberships
                ],
                "plan": None
                if plan is None
                else {
                    "agreed_on": plan.agreed_on,
                    "review_on": plan.review_on,
                    "objectives": plan.objectives,
                    "actions": plan.actions,
                },
            }
        )
