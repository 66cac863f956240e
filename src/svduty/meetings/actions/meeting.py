"""Arranging a meeting, invitations, attendance, and recording it as held."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from svduty.accounts.models import Agency, User
from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.cases.actions.common import lock_version
from svduty.cases.policies import user_partnership_ids
from svduty.core.authorisation import Permission
from svduty.core.policies import has_permission
from svduty.meetings.models import (
    Attendance,
    Invitation,
    Meeting,
    MeetingStatus,
    MeetingType,
)
from svduty.partnership.models import Partnership

from .common import in_partnership, require_manager


@transaction.atomic
def schedule_meeting(
    *,
    by: User,
    partnership: Partnership,
    meeting_type: str,
    title: str,
    held_on: dt.date,
    chair: User,
    starts_at: dt.time | None = None,
    location: str = "",
    review_on: dt.date | None = None,
) -> Meeting:
    if not has_permission(by, Permission.EDIT_CASES):
        raise PermissionDenied("Your roles do not include organising meetings.")
    errors: dict[str, str] = {}
    if partnership.pk not in user_partnership_ids(by):
        errors["partnership"] = "Select one of your partnerships"
    if meeting_type not in MeetingType.values:
        errors["meeting_type"] = "Select the type of meeting"
    if not title.strip():
        errors["title"] = "Enter a name for the meeting"
    if held_on is None:
        errors["held_on"] = "Enter the date of the meeting"
    if chair is None or not in_partnership(chair, partnership.pk):
        errors["chair"] = "Select a chair who works in the partnership"
    if review_on is not None and held_on is not None and review_on <= held_on:
        errors["review_on"] = "The review date must be after the meeting"
    if errors:
        raise ValidationError(errors)
    meeting = Meeting.objects.create(
        partnership=partnership,
        meeting_type=meeting_type,
        title=title.strip(),
        held_on=held_on,
        starts_at=starts_at,
        location=location.strip(),
        chair=chair,
        review_on=review_on,
        created_by=by,
    )
    record(
        AuditAction.CREATE,
        actor=by,
        target=meeting,
        detail={"partnership": partnership.pk, "type": meeting_type},
    )
    return meeting


@transaction.atomic
def invite(
    *, by: User, meeting: Meeting, agency: Agency, user: User | None = None
) -> Invitation:
    """Invite an agency, or a named person from it (who then sees the meeting)."""
    require_manager(by, meeting)
    from svduty.partnership.models import PartnershipMember

    if not PartnershipMember.objects.filter(
        partnership_id=meeting.partnership_id, agency=agency
    ).exists():
        raise ValidationError({"agency": "Select an agency in the partnership"})
    if user is not None and agency.pk not in user.agency_ids():
        raise ValidationError({"user": "Select someone who works for that agency"})
    if user is not None and not has_permission(user, Permission.VIEW_CASES):
        # A named invitee sees the meeting and its agenda (Meeting.visible_to):
        # only someone who may see children's records in the partnership, as the
        # page and the API offer (an inactive account has no permission).
        raise ValidationError({"user": "Select someone who may see children's records"})
    existing = Invitation.objects.filter(meeting=meeting, agency=agency, user=user)
    if existing.exists():
        raise ValidationError({"user": "They are already invited"})
    invitation = Invitation.objects.create(meeting=meeting, agency=agency, user=user)
    record(
        AuditAction.CHANGE,
        actor=by,
        target=meeting,
        detail={"invited_agency": agency.pk, "invited_user": user.pk if user else None},
    )
    return invitation


@transaction.atomic
def record_attendance(
    *, by: User, meeting: Meeting, attendance: Mapping[int, str]
) -> None:
    """`attendance` maps invitation ids to an `Attendance` value."""
    require_manager(by, meeting)
    if any(value not in Attendance.values for value in attendance.values()):
        raise ValidationError({"attendance": "Select whether each invitee attended"})
    invitations = {
        i.pk: i for i in Invitation.objects.filter(meeting=meeting, pk__in=attendance)
    }
    if len(invitations) != len(attendance):
        raise ValidationError({"attendance": "Select one of this meeting's invitees"})
    changed = []
    for pk, value in attendance.items():
        invitation = invitations[pk]
        if invitation.attendance != value:
            invitation.attendance = value
            changed.append(invitation)
    Invitation.objects.bulk_update(changed, ["attendance"])
    record(
        AuditAction.CHANGE,
        actor=by,
        target=meeting,
        detail={"attendance": {str(i.pk): i.attendance for i in changed}},
    )


@transaction.atomic
def close_meeting(
    *, by: User, meeting: Meeting, expected_version: int, general_minutes: str = ""
) -> Meeting:
    """Mark the meeting as held, with the minutes that are about no child."""
    require_manager(by, meeting)
    locked = lock_version(Meeting, meeting.pk, expected_version)
    if locked.status == MeetingStatus.CANCELLED:
        raise ValidationError("This meeting was cancelled")
    if locked.held_on > timezone.localdate():
        raise ValidationError({"general_minutes": "The meeting has not happened yet"})
    locked.status = MeetingStatus.HELD
    locked.general_minutes = general_minutes.strip()
    locked.save(update_fields=["status", "general_minutes", "version"])
    record(AuditAction.CHANGE, actor=by, target=locked, detail={"status": "held"})
    return locked
