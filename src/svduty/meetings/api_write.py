"""Writes to one meeting through the REST API (architecture D10): each endpoint calls
the same action as the page, so the rules and the audit event are the action's.

Every endpoint has the same shape, written once in `MeetingAction`: find the meeting
as for reading (404 outside the user's meetings), require the chair or the organiser
(403 for an attendee) unless the action decides who may write, read the body with a
serializer, run the action in one transaction, and answer an action's refusal as the
pages do (a `ValidationError` is a 400 naming the field, a stale version a 409, a
`PermissionDenied` a 403). An endpoint says only what is particular to it: its body,
its answer, how it finds what it writes to and which action it calls."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from svduty.accounts.models import Agency, User
from svduty.accounts.requests import signed_in_user
from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.cases.api import CaseworkPermission
from svduty.cases.forms import users_in_partnership
from svduty.cases.models import Person, RiskLevel
from svduty.cases.policies import prime_user, user_partnership_ids
from svduty.core.authorisation import Permission
from svduty.core.policies import get_visible_or_404
from svduty.partnership.models import Partnership
from svduty.places.models import PeerGroup, Place

from . import actions, triggers
from .api import InvitationOut, MeetingDetailOut, MeetingSerializer, detail
from .forms import colleagues
from .models import AgendaItem, Attendance, Decision, Meeting, MeetingType
from .reading import audit_meeting_view, meeting_for

MAX_ID = 2**63 - 1  # a bigint: larger ids are a 400, never a database error


def _id(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def meeting_in_scope(user: User, pk: int, *, manage: bool) -> Meeting:
    """The meeting, found as for reading (404 outside the user's meetings); with
    `manage`, run by this user (403 for an attendee who neither chairs nor
    organises it)."""
    prime_user(user)
    meeting = get_visible_or_404(
        Meeting.objects.select_related("partnership", "chair"), user, pk=pk
    )
    if manage and not meeting.may_manage(user):
        raise PermissionDenied("Only the chair or the organiser can record this")
    return meeting


def refusal(
    error: DjangoValidationError, renames: dict[str, str] | None = None
) -> exceptions.APIException:
    """An action's `ValidationError` as the API's answer: a stale version (someone
    changed the record since it was read) is a 409, anything else a 400 naming the
    field (`renames` maps a page form's field names to the API's)."""
    if getattr(error, "code", None) == "stale":
        conflict = exceptions.APIException(error.messages[0])
        conflict.status_code = status.HTTP_409_CONFLICT
        return conflict
    if hasattr(error, "error_dict"):
        names = renames or {}
        return exceptions.ValidationError(
            {
                names.get(field, field): [m for e in errors for m in e.messages]
                for field, errors in error.error_dict.items()
            }
        )
    return exceptions.ValidationError({"detail": error.messages})


class MeetingAction(APIView):
    """A POST that runs one action on one meeting (see the module's docstring).

    A subclass sets `body` (the request serializer), `answer` and `answer_status`
    (for the schema), `managers_only` (False when the action itself decides, as for
    a briefing paper) and `renames`, and implements `perform`; `target` finds the
    object named in the path (an agenda item, a decision) before the body is read,
    so an unknown or unseen one is a 404 whatever is posted."""

    permission_classes = [CaseworkPermission]
    permission = Permission.EDIT_CASES
    body: ClassVar[type[serializers.Serializer]]
    answer: ClassVar[type[serializers.Serializer]]
    answer_status: ClassVar[int] = status.HTTP_201_CREATED
    managers_only: ClassVar[bool] = True
    renames: ClassVar[dict[str, str]] = {}

    # Each endpoint's write: perform(user, meeting, target, data) -> the answer.
    perform: Callable[[User, Meeting, Any, dict[str, Any]], Any]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # An endpoint without its write is a programming error, refused when the
        # module is imported rather than answered at run time.
        if "perform" not in cls.__dict__:
            raise TypeError(f"{cls.__name__} must define perform()")
        extend_schema_view(
            post=extend_schema(
                request=cls.body, responses={cls.answer_status: cls.answer}
            )
        )(cls)

    def target(self, user: User, meeting: Meeting, **path: int) -> Any:
        return None

    def post(self, request: Request, pk: int, **path: int) -> Response:
        user = signed_in_user(request)
        meeting = meeting_in_scope(user, pk, manage=self.managers_only)
        target = self.target(user, meeting, **path)
        given = self.body(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            with transaction.atomic():
                result = self.perform(user, meeting, target, given.validated_data)
        except DjangoValidationError as error:
            raise refusal(error, self.renames) from error
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error)) from error
        return Response(result, status=self.answer_status)


def owners(meeting: Meeting) -> dict[int, User]:
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


class CreatedOut(serializers.Serializer):
    id = serializers.IntegerField()


# --- Arranging a meeting (not yet a meeting to act on) --------------------------


class MeetingIn(serializers.Serializer):
    partnership = serializers.SlugField(
        max_length=200, help_text="The slug of one of your partnerships."
    )
    meeting_type = serializers.ChoiceField(choices=MeetingType.choices)
    title = serializers.CharField(max_length=200)
    held_on = serializers.DateField()
    chair = _id(help_text="A person who may see children's records in the partnership.")
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
        try:
            meeting = actions.schedule_meeting(
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
        except DjangoValidationError as error:
            raise refusal(error) from error
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error)) from error
        return Response(MeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)


# --- Invitations and attendance ------------------------------------------------


class InvitationIn(serializers.Serializer):
    agency = _id(help_text="An agency in the meeting's partnership.")
    user = _id(
        required=False,
        allow_null=True,
        default=None,
        help_text="A named person from that agency who may see children's records "
        "(they then see the meeting); leave out to invite the agency.",
    )


class InvitationCreate(MeetingAction):
    """Invite an agency, or a named person from it (the chair or the organiser)."""

    body = InvitationIn
    answer = InvitationOut

    def perform(
        self, user: User, meeting: Meeting, target: Any, data: dict[str, Any]
    ) -> dict[str, Any]:
        # The page's choices: agencies in the partnership, people who may see
        # children's records there; the action checks the person's agency.
        agency = Agency.objects.filter(
            partnership_memberships__partnership_id=meeting.partnership_id,
            pk=data["agency"],
        ).first()
        if agency is None:
            raise serializers.ValidationError(
                {"agency": "Give an agency in the meeting's partnership"}
            )
        person = None
        if data["user"] is not None:
            person = (
                users_in_partnership(meeting.partnership, Permission.VIEW_CASES)
                .filter(pk=data["user"])
                .first()
            )
            if person is None:
                raise serializers.ValidationError(
                    {"user": "Give someone in the partnership who may see records"}
                )
        invitation = actions.invite(
            by=user, meeting=meeting, agency=agency, user=person
        )
        return {
            "id": invitation.pk,
            "agency": agency.name,
            "person": person.get_full_name() if person is not None else "",
            "attendance": invitation.attendance,
        }


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


class AttendanceRecord(MeetingAction):
    """Record who attended (the chair or the organiser): invitation id to
    attended, apologies, sent_report or absent. The answer is the meeting as
    you read it."""

    body = AttendanceIn
    answer = MeetingDetailOut
    answer_status = status.HTTP_200_OK

    def perform(
        self, user: User, meeting: Meeting, target: Any, data: dict[str, Any]
    ) -> dict[str, Any]:
        actions.record_attendance(
            by=user, meeting=meeting, attendance=data["attendance"]
        )
        view = meeting_for(user, meeting)
        audit_meeting_view(user, view, page="api")
        return detail(view)


class CloseIn(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=0,
        max_value=2**31 - 1,
        help_text="The meeting's `version` as you read it; if someone changed the "
        "meeting since, the answer is 409 and nothing changes.",
    )
    general_minutes = serializers.CharField(
        max_length=50000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Minutes about no child, for every attendee: name no child here.",
    )


class MeetingClose(MeetingAction):
    """Record the meeting as held (the chair or the organiser), with the minutes
    about no child. Not before the day of the meeting, nor for a cancelled one."""

    body = CloseIn
    answer = MeetingSerializer
    answer_status = status.HTTP_200_OK

    def perform(
        self, user: User, meeting: Meeting, target: Any, data: dict[str, Any]
    ) -> Any:
        closed = actions.close_meeting(
            by=user,
            meeting=meeting,
            expected_version=data["version"],
            general_minutes=data["general_minutes"],
        )
        return MeetingSerializer(closed).data


# --- The agenda: by hand, from triggers, papers -----------------------------------


class AgendaItemIn(serializers.Serializer):
    person = _id(required=False, allow_null=True)
    place = _id(required=False, allow_null=True)
    peer_group = _id(required=False, allow_null=True)
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


class AgendaItemCreate(MeetingAction):
    """Add a child, place or peer group you may see, or another item, to the agenda
    (the chair or the organiser), with an optional briefing paper."""

    body = AgendaItemIn
    answer = CreatedOut

    def perform(
        self, user: User, meeting: Meeting, target: Any, data: dict[str, Any]
    ) -> dict[str, Any]:
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
        item = actions.add_agenda_item(
            by=user,
            meeting=meeting,
            title=data["title"],
            paper=data["paper"],
            **subject,
        )
        return {"id": item.pk}


class PaperIn(serializers.Serializer):
    paper = serializers.CharField(max_length=50000, allow_blank=True)


class PaperOut(serializers.Serializer):
    id = serializers.IntegerField()
    paper = serializers.CharField()


class PaperWrite(MeetingAction):
    """Write or replace the briefing paper of an agenda item, later than when it was
    added. As on the page: a child's paper by anyone at the meeting who may change
    the child's record (usually the lead professional), any other item's by the
    chair or the organiser; an item about a child you may not see is not found."""

    body = PaperIn
    answer = PaperOut
    answer_status = status.HTTP_200_OK
    managers_only = False

    def target(self, user: User, meeting: Meeting, **path: int) -> AgendaItem:
        return get_visible_or_404(
            AgendaItem.objects.filter(meeting=meeting).select_related(
                "person", "meeting"
            ),
            user,
            pk=path["item_pk"],
        )

    def perform(
        self, user: User, meeting: Meeting, target: Any, data: dict[str, Any]
    ) -> dict[str, Any]:
        item = actions.write_paper(by=user, item=target, paper=data["paper"])
        return {"id": item.pk, "paper": item.paper}


class SuggestionOut(serializers.Serializer):
    choice = serializers.CharField(help_text="Give this to put it on the agenda.")
    trigger = serializers.CharField()
    trigger_label = serializers.CharField()
    reason = serializers.CharField()
    person = serializers.IntegerField(allow_null=True)
    person_name = serializers.CharField()
    title = serializers.CharField()
    subject_type = serializers.CharField()
    subject_id = serializers.IntegerField(allow_null=True)


class SuggestionsOut(serializers.Serializer):
    since = serializers.DateField(
        help_text="Events since the previous meeting of this type (or 28 days)."
    )
    suggestions = SuggestionOut(many=True)


class SuggestionsIn(serializers.Serializer):
    chosen = serializers.ListField(
        child=serializers.CharField(max_length=300),
        allow_empty=False,
        max_length=1000,
        help_text="The `choice` of each suggestion to put on the agenda.",
    )


class ItemsOut(serializers.Serializer):
    items = serializers.ListField(child=serializers.IntegerField())


class AgendaSuggestions(MeetingAction):
    """What the agenda triggers suggest (GET) and putting the chosen ones on the
    agenda (POST), for the chair or the organiser, as on the page: only children
    whose records you may see are suggested; a child already on the agenda gains
    the new reasons."""

    body = SuggestionsIn
    answer = ItemsOut

    @extend_schema(responses=SuggestionsOut)
    def get(self, request: Request, pk: int) -> Response:
        user = signed_in_user(request)
        meeting = meeting_in_scope(user, pk, manage=True)
        suggestions = triggers.suggestions_for(meeting, user)
        names = {
            p.pk: str(p)
            for p in Person.objects.filter(
                pk__in={s.person_id for s in suggestions if s.person_id}
            )
        }
        labels = {p.key: p.label for p in triggers.providers()}
        record(
            AuditAction.VIEW,
            actor=user,
            target=meeting,
            detail={"page": "api agenda triggers", "people": sorted(names)},
        )
        return Response(
            {
                "since": triggers.since_for(meeting),
                "suggestions": [
                    {
                        "choice": s.choice_value,
                        "trigger": s.trigger,
                        "trigger_label": labels.get(s.trigger, s.trigger),
                        "reason": s.reason,
                        "person": s.person_id,
                        "person_name": names.get(s.person_id, "")
                        if s.person_id
                        else "",
                        "title": s.title,
                        "subject_type": s.subject_type,
                        "subject_id": s.subject_id,
                    }
                    for s in suggestions
                ],
            }
        )

    def perform(
        self, user: User, meeting: Meeting, target: Any, data: dict[str, Any]
    ) -> dict[str, Any]:
        offered = {s.choice_value: s for s in triggers.suggestions_for(meeting, user)}
        unknown = [c for c in data["chosen"] if c not in offered]
        if unknown:
            raise serializers.ValidationError(
                {"chosen": "Give suggestions offered for this meeting now"}
            )
        items = actions.add_suggested_items(
            by=user,
            meeting=meeting,
            suggestions=[offered[c] for c in dict.fromkeys(data["chosen"])],
        )
        return {"items": [i.pk for i in items]}


# --- Minutes, decisions and their actions ----------------------------------------


class MinutePartIn(serializers.Serializer):
    person = _id()
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


class MinuteCreate(MeetingAction):
    """Record a minute (the chair or the organiser): a heading, text for every
    attendee, and parts about children on the agenda."""

    body = MinuteIn
    answer = CreatedOut

    def perform(
        self, user: User, meeting: Meeting, target: Any, data: dict[str, Any]
    ) -> dict[str, Any]:
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
        minute = actions.record_minute(
            by=user,
            meeting=meeting,
            heading=data["heading"],
            text=data["text"],
            parts={children[pk]: text for pk, text in wanted.items()},
        )
        return {"id": minute.pk}


class ActionIn(serializers.Serializer):
    text = serializers.CharField(max_length=1000)
    owner = _id(help_text="The named lead: the chair or a person invited by name.")
    due_on = serializers.DateField()


def _action_specs(meeting: Meeting, given: list[dict[str, Any]]) -> list[Any]:
    leads = owners(meeting)
    specs = []
    for n, spec in enumerate(given):
        owner = leads.get(spec["owner"])
        if owner is None:
            raise serializers.ValidationError(
                {
                    "actions": {
                        str(n): {"owner": "The chair or a person invited by name"}
                    }
                }
            )
        specs.append(
            actions.ActionSpec(text=spec["text"], owner=owner, due_on=spec["due_on"])
        )
    return specs


class DecisionIn(serializers.Serializer):
    person = _id(required=False, allow_null=True)
    place = _id(required=False, allow_null=True)
    peer_group = _id(required=False, allow_null=True)
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


class DecisionCreate(MeetingAction):
    """Record a decision about one child, place or peer group on the agenda (the
    chair or the organiser). A child's actions are created in the child's plan
    (one row, shown in the meeting and the plan); the answer gives their ids."""

    body = DecisionIn
    answer = DecisionOutIds

    def perform(
        self, user: User, meeting: Meeting, target: Any, data: dict[str, Any]
    ) -> dict[str, Any]:
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
        decision = actions.record_decision(
            by=user,
            meeting=meeting,
            text=data["text"],
            agreed_risk_level=data.get("agreed_risk_level", ""),
            actions=_action_specs(meeting, data.get("actions") or []),
            **subject,
        )
        return {
            "id": decision.pk,
            "plan_actions": list(
                decision.actions.values_list("plan_action_id", flat=True)
            ),
        }


class PlanActionIds(serializers.Serializer):
    plan_action = serializers.IntegerField()
    plan = serializers.IntegerField()


class DecisionActionCreate(MeetingAction):
    """Add an action to a decision about a child, after the decision was recorded
    (the chair or the organiser): it is created in the child's plan, one row that
    the meeting and the plan both show. A decision about a child you may not see
    is not found."""

    body = ActionIn
    answer = PlanActionIds
    renames = {"action_text": "text"}  # the page's field name in the action

    def target(self, user: User, meeting: Meeting, **path: int) -> Decision:
        return get_visible_or_404(
            Decision.objects.filter(meeting=meeting).select_related(
                "person", "meeting"
            ),
            user,
            pk=path["decision_pk"],
        )

    def perform(
        self, user: User, meeting: Meeting, target: Any, data: dict[str, Any]
    ) -> dict[str, Any]:
        owner = owners(meeting).get(data["owner"])
        if owner is None:
            raise serializers.ValidationError(
                {"owner": "The chair or a person invited by name"}
            )
        link = actions.add_decision_action(
            by=user,
            decision=target,
            text=data["text"],
            owner=owner,
            due_on=data["due_on"],
        )
        return {
            "plan_action": link.plan_action_id,
            "plan": link.plan_action.plan_id,
        }
