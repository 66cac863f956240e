from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from svduty.core.authorisation import Role


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField()
    agencies = serializers.ListField(child=serializers.CharField())
    roles = serializers.ListField(child=serializers.CharField())


@extend_schema(
    responses=MeSerializer,
    summary="Who am I",
    description="The signed-in user, their agencies and roles.",
)
@api_view(["GET"])
def me(request):
    user = request.user
    return Response(
        MeSerializer(
            {
                "username": user.username,
                "full_name": user.full_name,
                "agencies": [a.name for a in user.agencies.all()],
                "roles": [
                    Role(r).label for r in user.roles if r in Role._value2member_map_
                ],
            }
        ).data
    )
