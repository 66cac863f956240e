"""Forms for meetings (GOV.UK patterns; the rules themselves are in actions.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, cast

from django import forms

from svduty.accounts.models import Agency, User
from svduty.cases.forms import UserChoiceField, textarea, users_in_partnership
from svduty.cases.models import Person, RiskLevel
from svduty.cases.policies import user_partnership_ids
from svduty.core.authorisation import Permission
from svduty.core.forms import GovukDateField, GovukForm
from svduty.core.widgets import (
    GovukCheckboxSelectMultiple,
    GovukRadioSelect,
    GovukSelect,
    GovukTextInput,
)
from svduty.partnership.models import Partnership
from svduty.places.models import PeerGroup, Place

from .models import Attendance, Invitation, Meeting, MeetingType
from .triggers import Suggestion


def colleagues(user: User):
    """People who may see children's records in the user's partnerships."""
    return (
        User.objects.filter(
            is_active=True,
            roles__overlap=_roles_with(Permission.VIEW_CASES),
            memberships__agency__partnership_memberships__partnership_id__in=(
                user_partnership_ids(user)
            ),
        )
        .distinct()
        .order_by("full_name")
    )


def _roles_with(permission: Permission) -> list[str]:
    from svduty.core.authorisation import ROLE_PERMISSIONS

    return [r.value for r, perms in ROLE_PERMISSIONS.items() if permission in perms]


def _model_choice(form: forms.Form, name: str) -> forms.ModelChoiceField:
    return cast(forms.ModelChoiceField, form.fields[name])


def _choice(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


class MeetingForm(GovukForm, forms.Form):
    meeting_type = forms.ChoiceField(
        label="Type of meeting", choices=MeetingType.choices, widget=GovukRadioSelect
    )
    title = forms.CharField(
        label="Name of the meeting",
        max_length=200,
        help_text="For example: Hartlepool MACE panel, December.",
    )
    partnership = forms.ModelChoiceField(
        label="Partnership", queryset=Partnership.objects.none(), widget=GovukSelect
    )
    held_on = GovukDateField(label="Date of the meeting")
    starts_at = forms.TimeField(
        label="Start time (optional)",
        required=False,
        help_text="For example, 10:00 or 14:30.",
        widget=GovukTextInput(width=5),
    )
    location = forms.CharField(
        label="Where (optional)",
        max_length=200,
        required=False,
        help_text="A room, or 'Online'.",
    )
    chair = UserChoiceField(
        label="Chair", queryset=User.objects.none(), widget=GovukSelect
    )
    review_on = GovukDateField(
        label="Review date (optional)",
        required=False,
        help_text="When the panel looks at these children again. If you leave it "
        "empty, plans made at the meeting are reviewed after 12 weeks.",
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choice(self, "partnership").queryset = Partnership.objects.filter(
            pk__in=user_partnership_ids(user)
        ).order_by("name")
        _model_choice(self, "chair").queryset = colleagues(user)
        self.fields["chair"].initial = user.pk


class InviteForm(GovukForm, forms.Form):
    agency = forms.ModelChoiceField(
        label="Agency", queryset=Agency.objects.none(), widget=GovukSelect
    )
    user = UserChoiceField(
        label="Named person (optional)",
        required=False,
        queryset=User.objects.none(),
        widget=GovukSelect,
        help_text="A named person sees the meeting and the children whose records "
        "they may see. Leave empty to invite the agency.",
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choice(self, "agency").queryset = Agency.objects.filter(
            partnership_memberships__partnership_id=meeting.partnership_id
        ).order_by("name")
        _model_choice(self, "user").queryset = users_in_partnership(
            meeting.partnership, Permission.VIEW_CASES
        )


class AttendanceForm(GovukForm, forms.Form):
    label_size = "s"

    def __init__(
        self, *args: Any, invitations: Iterable[Invitation], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for invitation in invitations:
            self.fields[f"invitation_{invitation.pk}"] = forms.ChoiceField(
                label=str(invitation),
                choices=Attendance.choices,
                initial=invitation.attendance,
                widget=GovukRadioSelect(inline=False),
            )

    def attendance(self) -> dict[int, str]:
        return {
            int(name.removeprefix("invitation_")): value
            for name, value in self.cleaned_data.items()
        }


class TriggerForm(GovukForm, forms.Form):
    chosen = forms.MultipleChoiceField(
        label="Which of these go on the agenda?",
        widget=GovukCheckboxSelectMultiple,
        help_text="Only children whose records you can see are listed.",
        error_messages={"required": "Select at least one item for the agenda"},
    )

    def __init__(
        self,
        *args: Any,
        suggestions: list[Suggestion],
        labels: dict[int, str],
        trigger_labels: dict[str, str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.suggestions = {s.choice_value: s for s in suggestions}
        _choice(self, "chosen").choices = [
            (
                s.choice_value,
                f"{labels.get(s.person_id, '') if s.person_id else s.title} – "
                f"{trigger_labels.get(s.trigger, s.trigger)}: {s.reason}",
            )
            for s in suggestions
        ]

    def chosen_suggestions(self) -> list[Suggestion]:
        return [self.suggestions[v] for v in self.cleaned_data["chosen"]]


class AgendaItemForm(GovukForm, forms.Form):
    person = forms.ModelChoiceField(
        label="Child (optional)",
        required=False,
        queryset=Person.objects.none(),
        widget=GovukSelect,
        help_text="Children whose records you can see.",
    )
    place = forms.ModelChoiceField(
        label="Or a place (optional)",
        required=False,
        queryset=Place.objects.none(),
        widget=GovukSelect,
    )
    peer_group = forms.ModelChoiceField(
        label="Or a peer group (optional)",
        required=False,
        queryset=PeerGroup.objects.none(),
        widget=GovukSelect,
        help_text="Groups whose every member's record you can see.",
    )
    title = forms.CharField(
        label="Or another item",
        required=False,
        max_length=200,
        help_text="Every attendee sees this title: do not name a child here.",
    )
    paper = forms.CharField(
        label="Briefing paper (optional)", required=False, widget=textarea(4)
    )

    def __init__(self, *args: Any, meeting: Meeting, user: User, **kwargs: Any):
        super().__init__(*args, **kwargs)
        scope = {"partnership_id": meeting.partnership_id}
        _model_choice(self, "person").queryset = Person.objects.visible_to(user).filter(
            **scope
        )
        _model_choice(self, "place").queryset = Place.objects.visible_to(user).filter(
            **scope
        )
        _model_choice(self, "peer_group").queryset = PeerGroup.objects.visible_to(
            user
        ).filter(**scope)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        chosen = [
            name
            for name in ("person", "place", "peer_group", "title")
            if data.get(name)
        ]
        if not chosen:
            self.add_error(
                "person", "Select a child, a place or a group, or enter another item"
            )
        elif len(chosen) > 1:
            self.add_error(chosen[1], "Choose only one thing for each agenda item")
        return data


class PaperForm(GovukForm, forms.Form):
    paper = forms.CharField(
        label="Briefing paper",
        widget=textarea(8),
        help_text="Shared only with attendees who may see this child's record.",
    )


class MinuteForm(GovukForm, forms.Form):
    heading = forms.CharField(label="Heading", max_length=200)
    text = forms.CharField(
        label="Minute for every attendee (optional)",
        required=False,
        widget=textarea(4),
        help_text="Every attendee reads this part: do not name children in it.",
    )

    def __init__(self, *args: Any, children: Iterable[Person], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.children = {p.pk: p for p in children}
        for person in self.children.values():
            self.fields[f"part_{person.pk}"] = forms.CharField(
                label=f"About {person} (optional)",
                required=False,
                widget=textarea(3),
                help_text="Only people who may see this child's record read this; "
                "it is added to the child's chronology.",
            )

    def parts(self) -> dict[Person, str]:
        return {
            self.children[int(name.removeprefix("part_"))]: value
            for name, value in self.cleaned_data.items()
            if name.startswith("part_") and value
        }


class ActionFields(forms.Form):
    """An action agreed at the meeting (it becomes the child's plan action)."""

    action_text = forms.CharField(
        label="Action (optional)", required=False, widget=textarea(2)
    )
    owner = UserChoiceField(
        label="Named lead",
        required=False,
        queryset=User.objects.none(),
        widget=GovukSelect,
        help_text="Invitees and the chair who may see children's records.",
    )
    due_on = GovukDateField(label="Due date", required=False)

    def set_owners(self, meeting: Meeting) -> None:
        ids = {
            i.user_id for i in meeting.invitations.all() if i.user_id is not None
        } | {meeting.chair_id}
        _model_choice(self, "owner").queryset = users_in_partnership(
            meeting.partnership, Permission.VIEW_CASES
        ).filter(pk__in=ids)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        given = [bool(data.get(n)) for n in ("action_text", "owner", "due_on")]
        if any(given) and not all(given):
            for name, present in zip(
                ("action_text", "owner", "due_on"), given, strict=True
            ):
                if not present:
                    self.add_error(
                        name,
                        {
                            "action_text": "Enter the action",
                            "owner": "Select the named lead for the action",
                            "due_on": "Enter the date the action is due",
                        }[name],
                    )
        return data

    def action(self) -> tuple[str, User, dt.date] | None:
        data = self.cleaned_data
        if not data.get("action_text"):
            return None
        return data["action_text"], data["owner"], data["due_on"]


class DecisionForm(GovukForm, ActionFields):
    person = forms.ChoiceField(
        label="Child, place or peer group",
        widget=GovukSelect,
        help_text="Actions go into a child's plan; a place's or group's actions "
        "belong in its own plan.",
    )
    text = forms.CharField(label="What was decided?", widget=textarea(3))
    agreed_risk_level = forms.ChoiceField(
        label="Risk level agreed (optional)",
        required=False,
        choices=[("", "Not agreed at this meeting"), *RiskLevel.choices],
        widget=GovukRadioSelect,
    )

    field_order = [
        "person",
        "text",
        "agreed_risk_level",
        "action_text",
        "owner",
        "due_on",
    ]

    def __init__(
        self,
        *args: Any,
        meeting: Meeting,
        children: Iterable[Person],
        contexts: Iterable[Any] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.subjects: dict[str, tuple[str, Any]] = {
            f"person-{p.pk}": ("person", p) for p in children
        }
        for subject in contexts:
            field = "place" if subject._meta.model_name == "place" else "peer_group"
            prefix = "place" if field == "place" else "group"
            self.subjects[f"{prefix}-{subject.pk}"] = (field, subject)
        labels = {"person": "", "place": "Place: ", "peer_group": "Peer group: "}
        _choice(self, "person").choices = [
            (key, f"{labels[field]}{subject.name if field != 'person' else subject}")
            for key, (field, subject) in self.subjects.items()
        ]
        self.set_owners(meeting)

    def chosen_subject(self) -> dict[str, Any]:
        field, subject = self.subjects[self.cleaned_data["person"]]
        return {field: subject}


class DecisionActionForm(GovukForm, ActionFields):
    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action_text"].required = True
        self.fields["action_text"].label = "Action"
        self.fields["owner"].required = True
        self.fields["due_on"].required = True
        self.set_owners(meeting)


class CloseForm(GovukForm, forms.Form):
    general_minutes = forms.CharField(
        label="Minutes about no child (optional)",
        required=False,
        widget=textarea(5),
        help_text="Themes, information shared, apologies. Every attendee reads "
        "this: do not name children here.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
