"""REST API: partnerships and local definitions, read only, with the same policies
as the pages (architecture D10)."""

from __future__ import annotations

from rest_framework import permissions, serializers, viewsets

from svduty.core.authorisation import Permission
from svduty.core.policies import has_permission

from .definitions import definition_in_force
from .models import (
    DefinitionKind,
    ExcludedOffence,
    LocalArea,
    LocalDefinition,
    MappingRule,
    Partnership,
    PartnershipMember,
)


class PartnershipAPIPermission(permissions.BasePermission):
    """API users need USE_API and VIEW_PARTNERSHIP; scope comes from the queryset."""

    def has_permission(self, request, view):
        return has_permission(request.user, Permission.USE_API) and has_permission(
            request.user, Permission.VIEW_PARTNERSHIP
        )


class AreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = LocalArea
        fields = ["ons_code", "name"]


class MemberSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.name")
    areas = serializers.SlugRelatedField(
        slug_field="ons_code", many=True, read_only=True
    )

    class Meta:
        model = PartnershipMember
        fields = ["id", "agency", "statutory_role", "authority_type", "areas"]


class PartnershipSerializer(serializers.ModelSerializer):
    areas = AreaSerializer(many=True, read_only=True)
    members = MemberSerializer(many=True, read_only=True)
    chair_agency = serializers.StringRelatedField()
    definition_in_force = serializers.SerializerMethodField()

    class Meta:
        model = Partnership
        fields = [
            "id",
            "slug",
            "name",
            "areas",
            "lead_arrangement",
            "lead_arrangement_name",
            "chair_name",
            "chair_agency",
            "governance_route",
            "formed_on",
            "members",
            "definition_in_force",
        ]

    def get_definition_in_force(self, obj) -> int | None:
        definition = definition_in_force(obj)
        return definition.pk if definition else None


class RuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = MappingRule
        fields = ["source", "value"]


class KindSerializer(serializers.ModelSerializer):
    rules = RuleSerializer(many=True, read_only=True)

    class Meta:
        model = DefinitionKind
        fields = [
            "kind",
            "label",
            "description",
            "maximum_penalty",
            "impact_on_victims",
            "prevalence",
            "impact_on_community",
            "publishable",
            "rules",
        ]


class ExclusionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExcludedOffence
        fields = ["code", "reason"]


class DefinitionSerializer(serializers.ModelSerializer):
    partnership = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    kinds = KindSerializer(many=True, read_only=True)
    exclusions = ExclusionSerializer(many=True, read_only=True)

    class Meta:
        model = LocalDefinition
        fields = [
            "id",
            "partnership",
            "number",
            "status",
            "agreed_on",
            "agreed_by",
            "kinds",
            "exclusions",
            "exclusions_source",
        ]


class PartnershipViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PartnershipSerializer
    permission_classes = [PartnershipAPIPermission]

    def get_queryset(self):
        return (
            Partnership.objects.visible_to(self.request.user)
            .prefetch_related("areas", "members__agency", "members__areas")
            .select_related("chair_agency")
            .order_by("name")
        )


class DefinitionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DefinitionSerializer
    permission_classes = [PartnershipAPIPermission]

    def get_queryset(self):
        return (
            LocalDefinition.objects.visible_to(self.request.user)
            .select_related("partnership")
            .prefetch_related("kinds__rules", "exclusions")
            .order_by("partnership__name", "-number")
        )
