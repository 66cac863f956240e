"""REST API for the children-at-risk record (architecture D10). The same policies as
the pages: full records through `visible_to`, signposts through `searchable_by`, 404
out of scope, writes through the actions, and every read of personal data audited."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.core.authorisation import Permission
from svduty.core.params import parse_id
from svduty.core.policies import OutOfScope, get_visible_or_404, has_permission

from . import actions
from .language import find_phrases
from .models import (
    Assessment,
    CaseTeamMember,
    Event,
    Person,
    Plan,
    Referral,
    Screening,
)
from .policies import access_basis
from .search import find_people
from .views.chronology import PAGE_SIZE, _cursor
from .views.common import active_rules


class CaseworkPermission(permissions.BasePermission):
    """Signed in, allowed to use the API and to work with children."""

    def has_permission(self, request, view):
        user = request.user
        return bool(
            user
            and user.is_authenticated
            and has_permission(user, Permission.USE_API)
            and has_permission(user, getattr(view, "permission", Permission.VIEW_CASES))
        )


def _errors(error: DjangoValidationError):
    if hasattr(error, "error_dict"):
        return ValidationError(
            {k: [m for e in v for m in e.messages] for k, v in error.error_dict.items()}
        )
    return ValidationError({"detail": error.messages})


class TeamMemberSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.get_full_name")
    agency = serializers.CharField(source="agency.name")
    email = serializers.CharField(source="user.email")

    class Meta:
        model = CaseTeamMember
        fields = ["name", "agency", "role", "email"]


class PersonListSerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = [
            "id",
            "first_name",
            "last_name",
            "date_of_birth",
            "risk_level",
            "has_current_plan",
            "next_due_on",
            "last_event_at",
        ]


class PersonSerializer(serializers.ModelSerializer):
    partnership = serializers.CharField(source="partnership.slug")
    team = serializers.SerializerMethodField()
    identifiers = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [
            "id",
            "partnership",
            "kind",
            "first_name",
            "last_name",
            "preferred_name",
            "date_of_birth",
            "date_of_birth_estimated",
            "sex",
            "gender",
            "ethnicity",
            "languages",
            "disability",
            "learning_disability",
            "sen_status",
            "legal_status",
            "education_setting",
            "is_restricted",
            "risk_level",
            "risk_level_on",
            "has_current_plan",
            "next_due_on",
            "version",
            "team",
            "identifiers",
        ]

    def get_team(self, obj) -> list[dict]:
        members = obj.team.filter(ended_at__isnull=True).select_related(
            "user", "agency"
        )
        return TeamMemberSerializer(members, many=True).data

    def get_identifiers(self, obj) -> list[dict]:
        return [{"kind": i.kind, "value": i.value} for i in obj.identifiers.all()]


class SignpostSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    date_of_birth = serializers.DateField(allow_null=True)
    agencies = serializers.ListField(child=serializers.CharField())
    lead_professional = serializers.DictField(allow_null=True)
    full_record = serializers.BooleanField()


def signpost(person, user) -> dict:
    agencies = sorted(
        set(
            person.team.filter(ended_at__isnull=True).values_list(
                "agency__name", flat=True
            )
        )
    )
    lead = person.lead_professional
    return {
        "id": person.pk,
        "name": str(person),
        "date_of_birth": person.date_of_birth,
        "agencies": agencies,
        "lead_professional": {
            "name": lead.get_full_name(),
            "email": lead.email,
            "phone": lead.phone,
        }
        if lead
        else None,
        "full_record": access_basis(user, person) is not None,
    }


class EventSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.name", read_only=True)

    class Meta:
        model = Event
        fields = [
            "id",
            "occurred_at",
            "category",
            "significance",
            "agency",
            "summary",
            "detail",
            "source_reference",
            "decision",
            "decision_on",
        ]


class EventCreateSerializer(serializers.Serializer):
    category = serializers.CharField()
    occurred_at = serializers.DateTimeField()
    summary = serializers.CharField(max_length=300)
    detail = serializers.CharField(required=False, allow_blank=True, default="")
    significance = serializers.CharField(required=False, default="medium")
    source_reference = serializers.CharField(
        required=False, allow_blank=True, default=""
    )
    returned_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None
    )


class ReferralSerializer(serializers.ModelSerializer):
    referrer_agency = serializers.CharField(
        source="referrer_agency.name", read_only=True
    )
    timescale_breached = serializers.BooleanField(read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "person",
            "received_at",
            "referrer_agency",
            "reasons",
            "urgency",
            "what_is_known",
            "action_taken",
            "decision_due_on",
            "outcome",
            "outcome_reason",
            "decided_at",
            "timescale_breached",
        ]
        read_only_fields = [
            "received_at",
            "decision_due_on",
            "outcome",
            "outcome_reason",
            "decided_at",
        ]


class ScreeningSerializer(serializers.ModelSerializer):
    class Meta:
        model = Screening
        fields = [
            "id",
            "person",
            "screened_on",
            "score",
            "suggested_level",
            "agreed_level",
            "override_reason",
            "review_on",
        ]


class AssessmentSerializer(serializers.ModelSerializer):
    type = serializers.CharField(source="assessment_type.name")
    contributions = serializers.SerializerMethodField()

    class Meta:
        model = Assessment
        fields = [
            "id",
            "person",
            "type",
            "status",
            "started_on",
            "due_on",
            "child_views",
            "analysis",
            "signed_off_at",
            "contributions",
        ]

    def get_contributions(self, obj) -> list[dict]:
        return [
            {"agency": c.agency.name, "status": c.status}
            for c in obj.contributions.select_related("agency")
        ]


class PlanSerializer(serializers.ModelSerializer):
    goals = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta:
        model = Plan
        fields = [
            "id",
            "person",
            "title",
            "status",
            "review_on",
            "version",
            "goals",
            "actions",
        ]

    def get_goals(self, obj) -> list[str]:
        return [g.text for g in obj.goals.all()]

    def get_actions(self, obj) -> list[dict]:
        return [
            {
                "text": a.text,
                "owner": a.owner.get_full_name(),
                "due_on": a.due_on,
                "status": a.status,
            }
            for a in obj.actions.select_related("owner")
        ]


def _audit(request, person, page, action=AuditAction.VIEW, **detail):
    record(
        action,
        actor=request.user,
        target=person,
        detail={"page": page, "via": "api", **detail},
    )


class PersonList(generics.ListAPIView):
    """The children on your case list."""

    permission_classes = [CaseworkPermission]
    serializer_class = PersonListSerializer

    def get_queryset(self):
        return Person.objects.filter(
            pk__in=CaseTeamMember.objects.filter(
                user=self.request.user, ended_at__isnull=True
            ).values("person_id")
        ).order_by("last_name", "first_name", "id")

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        record(
            AuditAction.VIEW,
            actor=request.user,
            target_type="cases.caselist",
            target_label="API case list",
            detail={"via": "api"},
        )
        return response


class PersonDetail(generics.RetrieveAPIView):
    permission_classes = [CaseworkPermission]
    serializer_class = PersonSerializer

    def get_object(self):
        person = get_visible_or_404(
            Person.objects.select_related("partnership"),
            self.request.user,
            pk=self.kwargs["pk"],
        )
        _audit(self.request, person, "record")
        return person


class PersonSearch(APIView):
    """Signposts for the children you may find (name, date of birth, agencies and the
    lead professional's contact)."""

    permission_classes = [CaseworkPermission]
    permission = Permission.SEARCH_PEOPLE

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str),
            OpenApiParameter("date_of_birth", str, description="YYYY-MM-DD"),
        ],
        responses=SignpostSerializer(many=True),
    )
    def get(self, request):
        import datetime as dt

        name = request.query_params.get("q", "")
        dob_text = request.query_params.get("date_of_birth", "")
        try:
            dob = dt.date.fromisoformat(dob_text) if dob_text else None
        except ValueError as exc:
            raise ValidationError(
                {"date_of_birth": "Use the format YYYY-MM-DD"}
            ) from exc
        if not name.strip() and dob is None:
            raise ValidationError({"q": "Enter a name or a date of birth to search"})
        matches = find_people(
            Person.objects.searchable_by(request.user), name=name, date_of_birth=dob
        )
        record(
            AuditAction.SEARCH,
            actor=request.user,
            target_type="cases.person",
            detail={
                "name": name,
                "date_of_birth": dob_text,
                "results": len(matches),
                "via": "api",
            },
        )
        return Response(
            SignpostSerializer(
                [signpost(m.person, request.user) for m in matches], many=True
            ).data
        )


class Chronology(APIView):
    """The merged chronology, newest first, 30 events a page: pass `before` from the
    previous page's `next` to read further back."""

    permission_classes = [CaseworkPermission]

    @extend_schema(
        parameters=[OpenApiParameter("before", str)],
        responses=EventSerializer(many=True),
    )
    def get(self, request, pk):
        from django.db.models import Q

        person = get_visible_or_404(Person.objects.all(), request.user, pk=pk)
        queryset = Event.objects.filter(person=person).select_related("agency")
        cursor = _cursor(request.query_params.get("before", ""))
        if cursor:
            stamp, last = cursor
            queryset = queryset.filter(
                Q(occurred_at__lt=stamp) | Q(occurred_at=stamp, id__lt=last)
            )
        rows = list(queryset.order_by("-occurred_at", "-id")[: PAGE_SIZE + 1])
        more = len(rows) > PAGE_SIZE
        rows = rows[:PAGE_SIZE]
        _audit(request, person, "chronology")
        return Response(
            {
                "results": EventSerializer(rows, many=True).data,
                "next": f"{rows[-1].occurred_at.isoformat()}_{rows[-1].pk}"
                if more
                else None,
            }
        )

    @extend_schema(request=EventCreateSerializer, responses=EventSerializer)
    def post(self, request, pk):
        person = get_visible_or_404(Person.objects.all(), request.user, pk=pk)
        data = EventCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            event = actions.record_event(
                by=request.user, person=person, **data.validated_data
            )
        except DjangoValidationError as error:
            raise _errors(error) from error
        except DjangoPermissionDenied as error:
            raise PermissionDenied from error
        return Response(EventSerializer(event).data, status=status.HTTP_201_CREATED)


class AccessRequestInSerializer(serializers.Serializer):
    reason = serializers.CharField()


class AccessRequestOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()


class LanguageCheckInSerializer(serializers.Serializer):
    text = serializers.CharField()


class FindingSerializer(serializers.Serializer):
    phrase = serializers.CharField()
    alternative = serializers.CharField()
    why = serializers.CharField()


class LanguageCheckOutSerializer(serializers.Serializer):
    findings = FindingSerializer(many=True)


class AccessRequestCreate(APIView):
    permission_classes = [CaseworkPermission]

    @extend_schema(
        request=AccessRequestInSerializer, responses={201: AccessRequestOutSerializer}
    )
    def post(self, request, pk):
        person = Person.objects.searchable_by(request.user).filter(pk=pk).first()
        if person is None:
            exists = Person.objects.filter(pk=pk).exists()
            raise OutOfScope("cases.person", {"pk": pk}, exists=exists)
        try:
            access = actions.request_access(
                by=request.user,
                person=person,
                reason=str(request.data.get("reason", "")),
            )
        except DjangoValidationError as error:
            raise _errors(error) from error
        return Response({"id": access.pk, "status": access.status}, status=201)


def _string_list(value: object) -> list[str]:
    """A list of strings from a JSON field, or a 400 (a bare string is not a list)."""
    if value in (None, ""):
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError({"reasons": "Send the reasons as a list of codes"})
    return value


class ChildRecordList(generics.ListAPIView):
    """Records about children whose full record you may read; filter with ?person=."""

    permission_classes = [CaseworkPermission]
    model = None

    def get_queryset(self):
        queryset = self.model.objects.visible_to(self.request.user).order_by("-id")
        person = self.request.query_params.get("person")
        if person:
            person_id = parse_id(person)
            if person_id is None:
                raise ValidationError({"person": "Enter the child's id as a number"})
            queryset = queryset.filter(person_id=person_id)
        return queryset

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        record(
            AuditAction.VIEW,
            actor=request.user,
            target_type=f"cases.{self.model._meta.model_name}",
            target_label=f"API {self.model._meta.verbose_name_plural}",
            detail={"via": "api", "person": request.query_params.get("person", "")},
        )
        return response


class ReferralList(ChildRecordList):
    model = Referral
    serializer_class = ReferralSerializer

    def get_queryset(self):
        return super().get_queryset().select_related("referrer_agency")

    @extend_schema(request=ReferralSerializer, responses=ReferralSerializer)
    def post(self, request):
        if not has_permission(request.user, Permission.MAKE_REFERRAL):
            raise PermissionDenied
        if not isinstance(request.data, dict):
            raise ValidationError("Send the referral as a JSON object")
        person_id = parse_id(request.data.get("person"))
        person = (
            Person.objects.searchable_by(request.user).filter(pk=person_id).first()
            if person_id is not None
            else None
        )
        if person is None:
            raise ValidationError({"person": "Select a child you can find in a search"})
        try:
            referral = actions.make_referral(
                by=request.user,
                person=person,
                reasons=_string_list(request.data.get("reasons")),
                urgency=str(request.data.get("urgency", "")),
                what_is_known=str(request.data.get("what_is_known", "")),
                action_taken=str(request.data.get("action_taken", "")),
            )
        except DjangoValidationError as error:
            raise _errors(error) from error
        return Response(ReferralSerializer(referral).data, status=201)


class ScreeningList(ChildRecordList):
    model = Screening
    serializer_class = ScreeningSerializer


class AssessmentList(ChildRecordList):
    model = Assessment
    serializer_class = AssessmentSerializer

    def get_queryset(self):
        return super().get_queryset().select_related("assessment_type")


class PlanList(ChildRecordList):
    model = Plan
    serializer_class = PlanSerializer


class LanguageCheck(APIView):
    permission_classes = [CaseworkPermission]

    @extend_schema(
        request=LanguageCheckInSerializer, responses=LanguageCheckOutSerializer
    )
    def post(self, request):
        text = str(request.data.get("text", ""))[:20000]
        return Response(
            {
                "findings": [
                    {
                        "phrase": f.phrase,
                        "alternative": f.alternative,
                        "why": f.explanation,
                    }
                    for f in find_phrases(text, active_rules())
                ]
            }
        )
