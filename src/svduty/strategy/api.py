"""REST API: strategies (read) and the action plan (read and write). Writes go
through the same actions as the pages, so the rules and the audit trail apply."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, mixins, permissions, serializers, viewsets

from svduty.accounts.models import Agency
from svduty.core.authorisation import Permission
from svduty.core.policies import has_permission
from svduty.partnership.api import PartnershipAPIPermission
from svduty.partnership.models import Partnership

from . import actions
from .models import ActionStatus, StrategyAction, StrategySection, StrategyVersion


class SectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = StrategySection
        fields = ["kind", "heading", "body", "publishable"]


class StrategySerializer(serializers.ModelSerializer):
    partnership = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    sections = SectionSerializer(many=True, read_only=True)
    review_due_on = serializers.DateField(read_only=True)
    review_overdue = serializers.SerializerMethodField()

    class Meta:
        model = StrategyVersion
        fields = [
            "id",
            "partnership",
            "number",
            "state",
            "title",
            "period_start",
            "period_end",
            "definition",
            "published_on",
            "last_reviewed_on",
            "review_due_on",
            "review_overdue",
            "sections",
        ]

    def get_review_overdue(self, obj) -> bool:
        return obj.is_review_overdue()


class StrategyViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = StrategySerializer
    permission_classes = [PartnershipAPIPermission]

    def get_queryset(self):
        return (
            StrategyVersion.objects.visible_to(self.request.user)
            .select_related("partnership")
            .prefetch_related("sections")
            .order_by("partnership__name", "-number")
        )


class ActionSerializer(serializers.ModelSerializer):
    partnership = serializers.SlugRelatedField(
        slug_field="slug", queryset=Partnership.objects.none()
    )
    owner_agency = serializers.SlugRelatedField(
        slug_field="name", queryset=Agency.objects.all()
    )
    status = serializers.ChoiceField(
        choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    overdue = serializers.SerializerMethodField()
    version = serializers.IntegerField(
        required=False,
        help_text="On update, the version you read; a stale version is refused (409).",
    )

    class Meta:
        model = StrategyAction
        fields = [
            "id",
            "reference",
            "partnership",
            "title",
            "description",
            "owner_agency",
            "lead_name",
            "due_on",
            "status",
            "completed_on",
            "overdue",
            "version",
        ]
        read_only_fields = ["reference", "completed_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["partnership"].queryset = Partnership.objects.visible_to(
                request.user
            )

    def get_overdue(self, obj) -> bool:
        return obj.is_overdue()


class ActionWritePermission(PartnershipAPIPermission):
    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        return has_permission(request.user, Permission.MANAGE_ACTIONS)


def _as_api_error(exc: DjangoValidationError) -> exceptions.APIException:
    if getattr(exc, "code", None) == "stale":
        conflict = exceptions.APIException(exc.messages[0])
        conflict.status_code = 409
        return conflict
    return exceptions.ValidationError(
        exc.message_dict if hasattr(exc, "error_dict") else exc.messages
    )


class ActionViewSet(
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    serializer_class = ActionSerializer
    permission_classes = [ActionWritePermission]

    def get_queryset(self):
        queryset = (
            StrategyAction.objects.visible_to(self.request.user)
            .select_related("partnership", "owner_agency")
            .order_by("partnership__name", "due_on", "reference")
        )
        if slug := self.request.query_params.get("partnership"):
            queryset = queryset.filter(partnership__slug=slug)
        return queryset

    def perform_create(self, serializer):
        data = serializer.validated_data
        try:
            serializer.instance = actions.create_action(
                by=self.request.user,
                partnership=data["partnership"],
                title=data["title"],
                description=data.get("description", ""),
                owner_agency=data["owner_agency"],
                lead_name=data["lead_name"],
                due_on=data["due_on"],
                status=data.get("status", ActionStatus.NOT_STARTED),
            )
        except DjangoValidationError as exc:
            raise _as_api_error(exc) from None
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from None

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        expected = data.pop("version", None)
        if data.pop("partnership", serializer.instance.partnership) != (
            serializer.instance.partnership
        ):
            raise exceptions.ValidationError(
                {"partnership": "An action cannot move to another partnership"}
            )
        try:
            serializer.instance = actions.update_action(
                by=self.request.user,
                action=serializer.instance,
                expected_version=expected,
                **data,
            )
        except DjangoValidationError as exc:
            raise _as_api_error(exc) from None
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from None
