"""REST API for meetings (architecture D10): the same policies as the pages. A meeting
is read through `reading.meeting_for`, so the API shows an attendee exactly the
children the page shows them (the rest are counted), and each read is audited. The
chair or organiser records attendance and decisions (with actions that go into the
children's plans) through the same actions as the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from svduty.accounts.requests import signed_in_user
from svduty.cases.api import CaseworkPermission, _errors
from svduty.cases.forms import users_in_partnership
from svduty.cases.models import Person, RiskLevel
from svduty.cases.policies import prime_user, user_partnership_ids
from svduty.core.authorisation import Permission
from svduty.core.policies import get_visible_or_404
from svduty.partnership.models import Partnership
from svduty.places.models import PeerGroup, Place

from . import actions
from .forms import colleagues
from .models import AgendaItem, Attendance, Meeting, MeetingType
from .reading import MeetingView, audit_meeting_view, meeting_for


class MeetingSerializer(serializers.ModelSerializer):
    partnership = serializers.CharField(source="partnership.slug")
    chair = serializers.CharField(source="chair.get_full_name")

    class Meta:
        model = Meeting
        fields = [
            "id",
            "partnership",
            "meeting_type",
            "title",
            "held_on",
            "starts_at",
            "location",
            "chair",
            "status",
            "review_on",
        ]


class PlanActionOut(serializers.Serializer):
    plan_action = serializers.IntegerField()
    plan = serializers.IntegerField()
    text = serializers.CharField()
    owner = serializers.CharField()
    agency = serializers.CharField()
    due_on = serializers.DateField()
    status = serializers.CharField()


class DecisionOut(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    agreed_risk_level = serializers.CharField()
    actions = PlanActionOut(many=True)


class AgendaItemOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    person = serializers.IntegerField(allow_null=True)
    person_name = serializers.CharField()
    place = serializers.IntegerField(allow_null=True)
    peer_group = serializers.IntegerField(allow_null=True)
    title = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())
    paper = serializers.CharField()
    decisions = DecisionOut(many=True)


class MinutePartOut(serializers.Serializer):
    person = serializers.IntegerField()
    person_name = serializers.CharField()
    text = serializers.CharField()


class MinuteOut(serializers.Serializer):
    heading = serializers.CharField()
    text = serializers.CharField()
    parts = MinutePartOut(many=True)


class InvitationOut(serializers.Serializer):
    id = serializers.IntegerField()
    agency = serializers.CharField()
    person = serializers.CharField()
    attendance = serializers.CharField()


class MeetingDetailOut(MeetingSerializer):
    invitations = InvitationOut(many=True)
    agenda = AgendaItemOut(many=True)
    minutes = MinuteOut(many=True)
    general_minutes = serializers.CharField()
    hidden_children = serializers.IntegerField()
    hidden_minute_parts = serializers.IntegerField()
    hidden_decisions = serializers.IntegerField()
    hidden_contexts = serializers.IntegerField()

    class Meta(MeetingSerializer.Meta):
        fields = [
            *MeetingSerializer.Meta.fields,
            "general_minutes",
            "invitations",
            "agenda",
            "minutes",
            "hidden_children",
            "hidden_minute_parts",
            "hidden_decisions",
            "hidden_contexts",
        ]


class MeetingList(generics.ListAPIView):
    """Meetings you chair, organise or are invited to (you or your agency)."""

    permission_classes = [CaseworkPermission]
    serializer_class = MeetingSerializer

    def get_queryset(self):
        prime_user(self.request.user)
        return Meeting.objects.visible_to(self.request.user).select_related(
            "partnership", "chair"
        )


def _detail(view: MeetingView) -> dict[str, Any]:
    meeting = view.meeting
    agenda = []
    for item, section in view.rows:
        agenda.append(
            {
                "id": item.pk,
                "kind": item.kind,
                "person": item.person_id,
                "person_name": str(item.person) if item.person_id else "",
                "place": item.place_id,
                "peer_group": item.peer_group_id,
                "title": _title(item),
                "reasons": [t.get("reason", "") for t in item.triggers],
                "paper": item.paper,
                "decisions": [
                    {
                        "id": d.pk,
                        "text": d.text,
                        "agreed_risk_level": d.agreed_risk_level,
                        "actions": [
                            {
                                "plan_action": link.plan_action_id,
                                "plan": link.plan_action.plan_id,
                                "text": link.plan_action.text,
                                "owner": link.plan_action.owner.get_full_name(),
                                "agency": link.plan_action.owner_agency.name,
                                "due_on": link.plan_action.due_on,
                                "status": link.plan_action.status,
                            }
                            for link in d.actions.all()
                        ],
                    }
                    for d in (section.decisions if section else [])
                ],
            }
        )
    return {
        **MeetingSerializer(meeting).data,
        "general_minutes": meeting.general_minutes,
        "invitations": [
            {
                "id": i.pk,
                "agency": i.agency.name,
                "person": i.user.get_full_name() if i.user is not None else "",
                "attendance": i.attendance,
            }
            for i in view.invitations
        ],
        "agenda": agenda,
        "minutes": [
            {
                "heading": m.heading,
                "text": m.text,
                "parts": [
                    {
                        "person": p.person_id,
                        "person_name": str(p.person),
                        "text": p.text,
                    }
                    for p in parts
                ],
            }
            for m, parts in view.minutes
        ],
        "hidden_children": view.hidden_children,
        "hidden_minute_parts": view.hidden_minute_parts,
        "hidden_decisions": view.hidden_decisions,
        "hidden_contexts": view.hidden_contexts,
    }


def _title(item: AgendaItem) -> str:
    if item.place is not None:
        return item.place.name
    if item.peer_group is not None:
        return item.peer_group.name
    return item.title


class MeetingDetail(APIView):
    """One meeting, split by child: agenda, papers, minutes and decisions about the
    children whose records you may read; the others are counted, not named."""

    permission_classes = [CaseworkPermission]

    @extend_schema(responses=MeetingDetailOut)
    def get(self, request: Request, pk: int) -> Response:
        user = signed_in_user(request)
        prime_user(user)
        meeting = get_visible_or_404(
            Meeting.objects.select_related("partnership", "chair"), user, pk=pk
        )
        view = meeting_for(user, meeting)
        audit_meeting_view(user, view, page="api")
        return Response(_detail(view))


def _managed(request: Request, pk: int) -> Meeting:
    """The meeting, found as for reading (404 outside the user's meetings), and
    run by this user (403 for an attendee who does not chair or organise it)."""
    user = signed_in_user(request)
    prime_user(user)
    meeting = get_visible_or_404(
        Meeting.objects.select_related("partnership", "chair"), user, pk=pk
    )
    if not meeting.may_manage(user):
        raise PermissionDenied("Only the chair or the organiser can record this")
    return meeting


def _call(action: Any, **kwargs: Any) -> Any:
    try:
        return action(**kwargs)
    except DjangoValidationError as error:
        raise _errors(error) from error
    except DjangoPermissionDenied as error:
        raise PermissionDenied(str(error)) from error


class AttendanceIn(serializers.Serializer):
    attendance = serializers.DictField(
        child=serializers.ChoiceField(choices=Attendance.choices),
        help_text="Invitation id (from the meeting's `invitations`) to attendance.",
    )

    def validate_attendance(self, value: dict[str, str]) -> dict[int, str]:
        try:
            ids = {int(k): v for k, v in value.items()}
        except ValueError as error:
            raise serializers.ValidationError(
                "Use the invitations' ids as the keys"
            ) from error
        if any(not 1 <= k <= MAX_ID for k in ids):
            raise serializers.ValidationError("Use the invitations' ids as the keys")
        return ids


class AttendanceRecord(APIView):
    """Record who attended (the chair or the organiser): invitation id to
    attended, apologies, sent_report or absent."""

    permission_classes = [CaseworkPermission]
    permission = Permission.EDIT_CASES

    @extend_schema(request=AttendanceIn, responses=MeetingDetailOut)
    def post(self, request: Request, pk: int) -> Response:
        meeting = _managed(request, pk)
        given = AttendanceIn(data=request.data)
        given.is_valid(raise_exception=True)
        _call(
            actions.record_attendance,
            by=signed_in_user(request),
            meeting=meeting,
            attendance=given.validated_data["attendance"],
        )
        user = signed_in_user(request)
        view = meeting_for(user, meeting)
        audit_meeting_view(user, view, page="api")
        return Response(_detail(view))


MAX_ID = 2**63 - 1  # a bigint: larger ids are a 400, never a database error


class ActionIn(serializers.Serializer):
    text = serializers.CharField(max_length=1000)
    owner = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        help_text="The named lead: the chair or a person invited by name.",
    )
    due_on = serializers.DateField()


class DecisionIn(serializers.Serializer):
    person = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_ID
    )
    place = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_ID
    )
    peer_group = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_ID
    )
    text = serializers.CharField(max_length=5000)
    agreed_risk_level = serializers.ChoiceField(
        choices=[("", "Not agreed"), *RiskLevel.choices], required=False, default=""
    )
    actions = ActionIn(many=True, required=False)

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        chosen = [k for k in ("person", "place", "peer_group") if data.get(k)]
        if len(chosen) != 1:
            raise serializers.ValidationError(
                {"person": "Give one child, place or peer group on the agenda"}
            )
        if data.get("actions") and not data.get("person"):
            raise serializers.ValidationError(
                {"actions": "Actions go into a child's plan: give a child"}
            )
        return data


class DecisionOutIds(serializers.Serializer):
    id = serializers.IntegerField()
    plan_actions = serializers.ListField(child=serializers.IntegerField())


class DecisionCreate(APIView):
    """Record a decision about one child, place or peer group on the agenda (the
    chair or the organiser). A child's actions are created in the child's plan
    (one row, shown in the meeting and the plan); the answer gives their ids."""

    permission_classes = [CaseworkPermission]
    permission = Permission.EDIT_CASES

    @extend_schema(request=DecisionIn, responses={201: DecisionOutIds})
    def post(self, request: Request, pk: int) -> Response:
        meeting = _managed(request, pk)
        user = signed_in_user(request)
        given = DecisionIn(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        subject: dict[str, Any] = {}
        try:
            if data.get("person"):
                subject["person"] = get_visible_or_404(Person, user, pk=data["person"])
            elif data.get("place"):
                subject["place"] = get_visible_or_404(Place, user, pk=data["place"])
            else:
                subject["peer_group"] = get_visible_or_404(
                    PeerGroup, user, pk=data["peer_group"]
                )
        except Http404 as error:
            raise serializers.ValidationError(
                {"person": "Give a child, place or peer group you can see"}
            ) from error
        owners = _owners(meeting)
        specs = []
        for n, spec in enumerate(data.get("actions") or []):
            owner = owners.get(spec["owner"])
            if owner is None:
                raise serializers.ValidationError(
                    {
                        "actions": {
                            str(n): {"owner": "The chair or a person invited by name"}
                        }
                    }
                )
            specs.append(
                actions.ActionSpec(
                    text=spec["text"], owner=owner, due_on=spec["due_on"]
                )
            )
        with transaction.atomic():
            decision = _call(
                actions.record_decision,
                by=user,
                meeting=meeting,
                text=data["text"],
                agreed_risk_level=data.get("agreed_risk_level", ""),
                actions=specs,
                **subject,
            )
        return Response(
            {
                "id": decision.pk,
                "plan_actions": list(
                    decision.actions.values_list("plan_action_id", flat=True)
                ),
            },
            status=status.HTTP_201_CREATED,
        )


def _owners(meeting: Meeting) -> dict[int, Any]:
    """Who may lead an action, as on the page: the chair and the people invited by
    name who may work with children's records."""
    ids = {i.user_id for i in meeting.invitations.all() if i.user_id is not None} | {
        meeting.chair_id
    }
    return {
        u.pk: u
        for u in users_in_partnership(
            meeting.partnership, Permission.VIEW_CASES
        ).filter(pk__in=ids)
    }


class MeetingIn(serializers.Serializer):
    partnership = serializers.SlugField(
        max_length=200, help_text="The slug of one of your partnerships."
    )
    meeting_type = serializers.ChoiceField(choices=MeetingType.choices)
    title = serializers.CharField(max_length=200)
    held_on = serializers.DateField()
    chair = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        help_text="A person who may see children's records in the partnership.",
    )
    starts_at = serializers.TimeField(required=False, allow_null=True, default=None)
    location = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    review_on = serializers.DateField(required=False, allow_null=True, default=None)


class MeetingCreate(APIView):
    """Arrange a meeting in one of your partnerships, as on the page (anyone who may
    change children's records); you organise it and the chair runs it with you."""

    permission_classes = [CaseworkPermission]
    permission = Permission.EDIT_CASES

    @extend_schema(request=MeetingIn, responses={201: MeetingSerializer})
    def post(self, request: Request) -> Response:
        user = signed_in_user(request)
        prime_user(user)
        given = MeetingIn(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        partnership = Partnership.objects.filter(
            pk__in=user_partnership_ids(user), slug=data["partnership"]
        ).first()
        if partnership is None:
            raise serializers.ValidationError(
                {"partnership": "Give the slug of one of your partnerships"}
            )
        chair = colleagues(user).filter(pk=data["chair"]).first()
        if chair is None:
            raise serializers.ValidationError(
                {"chair": "Give a chair who works in the partnership"}
            )
        meeting = _call(
            actions.schedule_meeting,
            by=user,
            partnership=partnership,
            meeting_type=data["meeting_type"],
            title=data["title"],
            held_on=data["held_on"],
            chair=chair,
            starts_at=data["starts_at"],
            location=data["location"],
            review_on=data["review_on"],
        )
        return Response(MeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)


class AgendaItemIn(serializers.Serializer):
    person = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_ID
    )
    place = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_ID
    )
    peer_group = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_ID
    )
    title = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text="Another item: every attendee sees it, so do not name a child.",
    )
    paper = serializers.CharField(
        max_length=50000, required=False, allow_blank=True, default=""
    )

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        chosen = [k for k in ("person", "place", "peer_group", "title") if data.get(k)]
        if not chosen:
            raise serializers.ValidationError(
                {"person": "Give a child, a place or a peer group, or a title"}
            )
        if len(chosen) > 1:
            raise serializers.ValidationError(
                {chosen[1]: "Give only one thing for each agenda item"}
            )
        return data


class CreatedOut(serializers.Serializer):
    id = serializers.IntegerField()


class AgendaItemCreate(APIView):
    """Add a child, place or peer group you may see, or another item, to the agenda
    (the chair or the organiser), with an optional briefing paper."""

    permission_classes = [CaseworkPermission]
    permission = Permission.EDIT_CASES

    @extend_schema(request=AgendaItemIn, responses={201: CreatedOut})
    def post(self, request: Request, pk: int) -> Response:
        meeting = _managed(request, pk)
        user = signed_in_user(request)
        given = AgendaItemIn(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        scope = {"partnership_id": meeting.partnership_id}
        subject: dict[str, Any] = {}
        for field, model, message in (
            ("person", Person, "Give a child whose record you can see"),
            ("place", Place, "Give a place you can see in this partnership"),
            ("peer_group", PeerGroup, "Give a peer group you can see"),
        ):
            if data.get(field):
                found = (
                    model.objects.visible_to(user)  # type: ignore[attr-defined]
                    .filter(pk=data[field], **scope)
                    .first()
                )
                if found is None:
                    raise serializers.ValidationError({field: message})
                subject[field] = found
        item = _call(
            actions.add_agenda_item,
            by=user,
            meeting=meeting,
            title=data["title"],
            paper=data["paper"],
            **subject,
        )
        return Response({"id": item.pk}, status=status.HTTP_201_CREATED)


class MinutePartIn(serializers.Serializer):
    person = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    text = serializers.CharField(max_length=50000)


class MinuteIn(serializers.Serializer):
    heading = serializers.CharField(max_length=200)
    text = serializers.CharField(
        max_length=50000,
        required=False,
        allow_blank=True,
        default="",
        help_text="For every attendee: do not name children here.",
    )
    parts = MinutePartIn(
        many=True,
        required=False,
        default=list,
        help_text="One part for each child on the agenda it is about; each is "
        "added to that child's chronology and shown only to people who may see "
        "the child's record.",
    )

    def validate_parts(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        people = [p["person"] for p in value]
        if len(set(people)) != len(people):
            raise serializers.ValidationError("Give one part for each child")
        return value


class MinuteCreate(APIView):
    """Record a minute (the chair or the organiser): a heading, text for every
    attendee, and parts about children on the agenda."""

    permission_classes = [CaseworkPermission]
    permission = Permission.EDIT_CASES

    @extend_schema(request=MinuteIn, responses={201: CreatedOut})
    def post(self, request: Request, pk: int) -> Response:
        meeting = _managed(request, pk)
        user = signed_in_user(request)
        given = MinuteIn(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        wanted = {p["person"]: p["text"] for p in data["parts"]}
        # As on the page: only children on the agenda whose records you may see.
        children = {
            p.pk: p
            for p in Person.objects.visible_to(user)
            .filter(pk__in=wanted)
            .filter(
                pk__in=AgendaItem.objects.filter(meeting=meeting).values("person_id")
            )
        }
        if set(children) != set(wanted):
            raise serializers.ValidationError(
                {"parts": "Give children on the agenda whose records you can see"}
            )
        minute = _call(
            actions.record_minute,
            by=user,
            meeting=meeting,
            heading=data["heading"],
            text=data["text"],
            parts={children[pk]: text for pk, text in wanted.items()},
        )
        return Response({"id": minute.pk}, status=status.HTTP_201_CREATED)
