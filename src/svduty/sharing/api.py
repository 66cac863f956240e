"""REST API for information sharing (issue 16): the register of data sharing
agreements (read), and imports: upload a file, follow its progress, read its
problems. The same policies as the pages (agreements and imports of the user's
partnerships only, 404 otherwise; MANAGE_AGREEMENTS for agreements, IMPORT_DATA for
imports, and USE_API), the same checks on an upload (UploadForm: kind, agreement in
force, size and type) and the same queue: the import runs in the background exactly
as one uploaded through the page."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from svduty.accounts.requests import signed_in_user
from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.core.authorisation import Permission
from svduty.core.policies import has_permission
from svduty.partnership.models import Partnership

from . import imports
from .forms import UploadForm
from .models import BatchStatus, DataSharingAgreement, ImportBatch
from .tasks import import_file
from .uploads import upload_refusal
from .views import how_to_fix, progress_text


def _permission(needed: Permission) -> type[permissions.BasePermission]:
    class Needs(permissions.BasePermission):
        def has_permission(self, request, view) -> bool:
            user = request.user
            return bool(
                user
                and user.is_authenticated
                and has_permission(user, Permission.USE_API)
                and has_permission(user, needed)
            )

    Needs.__name__ = f"Needs{needed.name.title().replace('_', '')}"
    return Needs


class AgreementSerializer(serializers.ModelSerializer):
    partnership: serializers.SlugRelatedField[Partnership] = (
        serializers.SlugRelatedField(slug_field="slug", read_only=True)
    )
    parties: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="name", many=True, read_only=True
    )
    providers: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="name", many=True, read_only=True
    )
    status = serializers.SerializerMethodField()
    datasets = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="Kinds of file"
    )

    class Meta:
        model = DataSharingAgreement
        fields = [
            "id",
            "partnership",
            "title",
            "status",
            "parties",
            "providers",
            "purpose",
            "legal_gateway",
            "legal_gateway_other",
            "lawful_basis",
            "special_category_condition",
            "criminal_offence_condition",
            "data_items",
            "datasets",
            "personal_information",
            "discloses_patient_information",
            "discloser_is_health_or_social_care",
            "dpia_reference",
            "dpia_review_on",
            "retention_and_deletion",
            "security_measures",
            "rights_route",
            "frequency",
            "signed_off_by",
            "signed_off_at",
            "starts_on",
            "review_on",
            "ends_on",
            "version",
        ]

    def get_status(self, obj) -> str:
        return str(obj.status(timezone.localdate()))


class AgreementViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AgreementSerializer
    permission_classes = [_permission(Permission.MANAGE_AGREEMENTS)]

    def get_queryset(self):
        return (
            DataSharingAgreement.objects.visible_to(self.request.user)
            .select_related("partnership")
            .prefetch_related("parties", "providers")
            .order_by("partnership__name", "title", "pk")
        )


class BatchSerializer(serializers.ModelSerializer):
    partnership: serializers.SlugRelatedField[Partnership] = (
        serializers.SlugRelatedField(slug_field="slug", read_only=True)
    )
    kind = serializers.CharField(read_only=True, help_text="The kind of file")
    progress = serializers.SerializerMethodField(
        help_text="The progress in words, as the page shows it"
    )
    finished = serializers.BooleanField(read_only=True)
    stuck = serializers.BooleanField(read_only=True)
    problems_count = serializers.SerializerMethodField()

    class Meta:
        model = ImportBatch
        fields = [
            "id",
            "partnership",
            "kind",
            "file_name",
            "file_size",
            "sha256",
            "agreement",
            "status",
            "synthetic",
            "progress",
            "progress_rows",
            "rows_total",
            "rows_imported",
            "rows_outside_area",
            "finished",
            "stuck",
            "message",
            "problems_count",
            "problems_not_shown",
            "periods",
            "created_at",
            "started_at",
            "finished_at",
            "superseded_by",
            "duplicate_of",
        ]
        read_only_fields = fields

    def get_progress(self, obj) -> str:
        return progress_text(obj)

    def get_problems_count(self, obj) -> int:
        return len(obj.problems)


_UPLOAD = inline_serializer(
    "ImportUpload",
    {
        "partnership": serializers.SlugField(help_text="The partnership's slug"),
        "kind": serializers.CharField(help_text="The kind of file (as on the page)"),
        "agreement": serializers.IntegerField(
            required=False, help_text="The agreement's id (not for open data)"
        ),
        "file": serializers.FileField(),
    },
)
_PROBLEM = inline_serializer(
    "ImportProblem",
    {
        "row": serializers.IntegerField(allow_null=True),
        "column": serializers.CharField(allow_null=True),
        "message": serializers.CharField(),
        "how_to_fix": serializers.CharField(),
    },
    many=True,
)


class ImportViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = BatchSerializer
    permission_classes = [_permission(Permission.IMPORT_DATA)]
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        return (
            ImportBatch.objects.visible_to(self.request.user)
            .select_related("partnership")
            .order_by("-created_at", "-pk")
        )

    @extend_schema(
        summary="Upload a file to import (runs in the background)",
        request={"multipart/form-data": _UPLOAD},
        responses={201: BatchSerializer},
    )
    def create(self, request: Request, *args, **kwargs) -> Response:
        user = signed_in_user(request._request)
        sent: Any = request.data
        data = {
            "kind": sent.get("kind", ""),
            "agreement": sent.get("agreement", ""),
        }
        slug = sent.get("partnership", "")
        partnership = (
            Partnership.objects.visible_to(user).filter(slug=slug).first()
            if isinstance(slug, str) and slug
            else None
        )
        data["partnership"] = partnership.pk if partnership else ""
        form = UploadForm(
            data,
            request.FILES,
            user=user,
            upload_refusal=upload_refusal(request._request),
        )
        if not form.is_valid():
            raise ValidationError(
                {name: [str(e) for e in errors] for name, errors in form.errors.items()}
            )
        cleaned = form.cleaned_data
        try:
            imports.check_agreement(
                partnership=cleaned["partnership"],
                kind=cleaned["kind"],
                agreement=cleaned["agreement"],
            )
            batch, saved = imports.save_and_queue(
                cleaned["file"],
                lambda saved: imports.queue_import(
                    by=user,
                    partnership=cleaned["partnership"],
                    kind=cleaned["kind"],
                    path=saved,
                    file_name=cleaned["file"].name,
                    agreement=cleaned["agreement"],
                    upload_path=str(saved),
                ),
            )
        except DjangoValidationError as error:
            if hasattr(error, "error_dict"):
                raise ValidationError(
                    {
                        k: [m for e in v for m in e.messages]
                        for k, v in error.error_dict.items()
                    }  # noqa: E501
                ) from error
            raise ValidationError({"detail": error.messages}) from error
        if batch.status == BatchStatus.QUEUED:
            import_file.enqueue(batch.pk, str(saved))
        else:
            saved.unlink(missing_ok=True)
        return Response(self.get_serializer(batch).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="The problems found in the file, by row and column",
        responses={200: _PROBLEM},
    )
    @action(detail=True, methods=["get"])
    def problems(self, request: Request, pk=None) -> Response:
        batch = self.get_object()
        record(
            AuditAction.EXPORT,
            actor=request.user,
            target=batch,
            detail={
                "what": "import problems",
                "rows": len(batch.problems),
                "api": True,
            },
        )
        return Response(
            [
                {
                    "row": p.get("row"),
                    "column": p.get("column"),
                    "message": p["message"],
                    "how_to_fix": how_to_fix(p),
                }
                for p in batch.problems
            ]
        )
