"""REST API for meetings (architecture D10): the same policies as the pages. A meeting
is read through `reading.meeting_for`, so the API shows an attendee exactly the
children the page shows them (the rest are counted), and each read is audited.
Writes (arranging, invitations, attendance, the agenda, papers, minutes, decisions and
their actions, closing) are in `api_write`, each through the page's action."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from svduty.accounts.requests import signed_in_user
from svduty.cases.api import CaseworkPermission
from svduty.cases.policies import prime_user
from svduty.core.policies import get_visible_or_404

from .models import Meeting
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
            "version",
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


def detail(view: MeetingView) -> dict[str, Any]:
    meeting = view.meeting
    agenda = []
    for item, section in view.rows:
        agenda.append(
            {
                "id": item.pk,
                "kind": item.kind,
                "person": item.person_id,
                "person_name": item.person_name,
                "place": item.place_id,
                "peer_group": item.peer_group_id,
                "title": item.title,
                "reasons": [t.get("reason", "") for t in item.triggers],
                "paper": item.paper,
                "decisions": [
                    {
                        "id": d.pk,
                        "text": d.text,
                        "agreed_risk_level": d.agreed_risk_level,
                        "actions": [
                            {
                                "plan_action": a.plan_action_id,
                                "plan": a.plan_id,
                                "text": a.text,
                                "owner": a.owner_name,
                                "agency": a.agency_name,
                                "due_on": a.due_on,
                                "status": a.status,
                            }
                            for a in d.actions
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
                "agency": i.agency_name,
                "person": i.person_name,
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
                        "person_name": p.person_name,
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
        return Response(detail(view))
