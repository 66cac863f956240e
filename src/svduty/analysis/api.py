"""REST API: the SNA of a partnership, the same JSON as `svduty sna --format json`
(raw counts, for use inside the partnership; `suppress=true` gives the suppressed
tables that `svduty sna --suppress` gives), with the dashboard's filters and its
policy: the user needs the API and analysis permissions and must be a member of the
partnership (404 otherwise). Every call is audited as an export, as the command is."""

from __future__ import annotations

import json

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.core.authorisation import Permission
from svduty.core.policies import get_visible_or_404, has_permission
from svduty.partnership.models import Partnership

from .service import sna_for
from .sna import SnaError, month_label
from .snapshot import current_snapshot
from .tables import suppressed_json
from .views import _filters


class AnalysisAPIPermission(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(
            user
            and user.is_authenticated
            and has_permission(user, Permission.USE_API)
            and has_permission(user, Permission.VIEW_ANALYSIS)
        )


_FILTERS = [
    OpenApiParameter(
        "period_from",
        str,
        description="First month, YYYY-MM (default: the last 12 months of data)",
    ),
    OpenApiParameter("period_to", str, description="Last month, YYYY-MM"),
    OpenApiParameter("kind", str, description="One kind of serious violence"),
    OpenApiParameter("area", str, description="One local authority (ONS code)"),
    OpenApiParameter(
        "suppress",
        bool,
        description="true: the tables with small numbers suppressed, safe to share",
    ),
]


class SnaView(APIView):
    permission_classes = [AnalysisAPIPermission]

    @extend_schema(
        summary="The strategic needs assessment (as `svduty sna --format json`)",
        parameters=_FILTERS,
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request, slug: str) -> Response:
        partnership = get_visible_or_404(
            Partnership.objects.all(), request.user, slug=slug
        )
        snapshot = current_snapshot(partnership)
        if snapshot is None:
            raise NotFound("No data has been imported for this partnership yet")
        form, options = _filters(request._request, partnership, snapshot)
        if options is None:
            raise ValidationError(
                {name: list(errors) for name, errors in form.errors.items()}
            )
        suppress = request.query_params.get("suppress", "").lower() in ("1", "true")
        try:
            result = sna_for(partnership, snapshot=snapshot, **options)
        except SnaError as error:
            raise ValidationError({"detail": [str(error)]}) from error
        record(
            AuditAction.EXPORT,
            actor=request.user,
            target=partnership,
            target_label=f"Needs assessment (json) through the API: {partnership}",
            detail={
                "format": "json",
                "suppressed": suppress,
                "snapshot": snapshot.pk,
                "period_from": month_label(options["period_from"]),
                "period_to": month_label(options["period_to"]),
                "kind": options["kind"],
                "area": options["area"],
            },
        )
        payload = suppressed_json(result) if suppress else result
        # Exactly the command's JSON (dates as ISO text).
        return Response(json.loads(json.dumps(payload, default=str)))
