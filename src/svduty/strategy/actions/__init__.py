"""Changes to strategies, consultation, sign-off, reviews and the action plan
(architecture D6). Each checks its rule, locks what it changes, writes, and records
exactly one audit event in the same transaction.

Transitions go through `transition()`, which takes the allowed moves from `states.py`
and the Duty's rules from `rules.py`, holding a row lock on the version
(`select_for_update`) so that two people cannot publish or review it at once.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from svduty.accounts.models import Agency, User
from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.core.authorisation import Permission
from svduty.partnership.actions import require
from svduty.partnership.definitions import definition_in_force
from svduty.partnership.locking import bump, lock
from svduty.partnership.models import (
    BoardMeeting,
    Partnership,
    PartnershipMember,
    RelevantAuthority,
)
from svduty.partnership.registers import register_gaps

from .. import rules
from ..models import (
    ActionStatus,
    ActionUpdate,
    Consultation,
    ConsultationMethod,
    ReviewOutcome,
    SectionKind,
    StrategyAction,
    StrategyReview,
    StrategySection,
    StrategyVersion,
)
from ..states import (
    EDITABLE_STATES,
    StrategyState,
    Transition,
    TransitionNotAllowed,
    target_state,
)
from .sign_off import (
    MAX_EVIDENCE_BYTES,
    Signatory,
    current_binding,
    record_sign_off,
    record_sign_offs_with_evidence,
    required_signatories,
    sign_off_status,
    void_for_definition_change,
    void_sign_offs,
    withdraw_sign_off,
)

# Sign-off lives in its own module; these names are part of this package's API.
__all__ = [
    "MAX_EVIDENCE_BYTES",
    "Signatory",
    "current_binding",
    "record_sign_off",
    "record_sign_offs_with_evidence",
    "required_signatories",
    "sign_off_status",
    "void_for_definition_change",
    "withdraw_sign_off",
]

if TYPE_CHECKING:
    from collections.abc import Iterable


NOT_EDITABLE = (
    "This version of the strategy has been published and cannot be changed. "
    "Review it to make a new version."
)


def _today() -> dt.date:
    return timezone.localdate()


def _require_editable(version: StrategyVersion) -> None:
    if version.state not in EDITABLE_STATES:
        raise ValidationError(NOT_EDITABLE)


def _check_period(period_start: dt.date | None, period_end: dt.date | None) -> None:
    errors = {}
    if period_start is None:
        errors["period_start"] = "Enter the start of the strategy period"
    if period_end is None:
        errors["period_end"] = "Enter the end of the strategy period"
    elif period_start and period_end <= period_start:
        errors["period_end"] = "End of the strategy period must be after the start"
    if errors:
        raise ValidationError(errors)


# --- Versions and their content


@transaction.atomic
def start_strategy(
    *,
    by: User,
    partnership: Partnership,
    title: str,
    period_start: dt.date | None,
    period_end: dt.date | None,
) -> StrategyVersion:
    """The partnership's first strategy, as a draft. Later versions come from a
    review that decides to revise (see `transition`)."""
    require(by, Permission.MANAGE_STRATEGY, partnership)
    Partnership.objects.select_for_update().get(pk=partnership.pk)
    if partnership.strategy_versions.exists():
        raise ValidationError(
            "This partnership already has a strategy. A new version comes from "
            "reviewing the published one."
        )
    if not (title or "").strip():
        raise ValidationError({"title": "Enter a title for the strategy"})
    _check_period(period_start, period_end)
    version = StrategyVersion.objects.create(
        partnership=partnership,
        number=1,
        title=title.strip(),
        period_start=period_start,
        period_end=period_end,
        created_by=by,
    )
    record(AuditAction.CREATE, actor=by, target=version, detail={"number": 1})
    return version


@transaction.atomic
def update_strategy(
    *,
    by: User,
    strategy_version: StrategyVersion,
    expected_version: int | None,
    title: str,
    period_start: dt.date | None,
    period_end: dt.date | None,
) -> StrategyVersion:
    require(by, Permission.MANAGE_STRATEGY, strategy_version.partnership)
    version = lock(strategy_version, expected_version)
    _require_editable(version)
    if not (title or "").strip():
        raise ValidationError({"title": "Enter a title for the strategy"})
    _check_period(period_start, period_end)
    assert period_start is not None and period_end is not None  # checked just above
    before = (version.title, version.period_start, version.period_end)
    version.title = title.strip()
    version.period_start, version.period_end = period_start, period_end
    if before == (version.title, period_start, period_end):
        return version
    bump(version)
    version.save(update_fields=["title", "period_start", "period_end", "version"])
    voided = void_sign_offs(version, "The strategy's title or period changed")
    record(
        AuditAction.CHANGE,
        actor=by,
        target=version,
        detail={
            "title": version.title,
            "period": [period_start.isoformat(), period_end.isoformat()],
            **({"voided_sign_offs": voided} if voided else {}),
        },
    )
    return version


@transaction.atomic
def save_section(
    *,
    by: User,
    strategy_version: StrategyVersion,
    kind: str,
    heading: str,
    body: str,
    publishable: bool,
    section: StrategySection | None = None,
    expected_version: int | None = None,
) -> StrategySection:
    """Add a section (section=None) or change one, while the version is editable."""
    require(by, Permission.MANAGE_STRATEGY, strategy_version.partnership)
    version = lock(strategy_version)
    _require_editable(version)
    errors = {}
    if kind not in SectionKind.values:
        errors["kind"] = "Select what the section is about"
    if not (heading or "").strip():
        errors["heading"] = "Enter a heading"
    if not (body or "").strip():
        errors["body"] = "Enter the text of the section"
    if errors:
        raise ValidationError(errors)
    values = {
        "kind": kind,
        "heading": heading.strip(),
        "body": body.strip(),
        "publishable": bool(publishable),
    }
    if section is None:
        order = (version.sections.aggregate(n=Max("order"))["n"] or 0) + 1
        section = StrategySection.objects.create(
            strategy_version=version, order=order, **values
        )
        event = AuditAction.CREATE
    else:
        if section.strategy_version_id != version.pk:
            raise PermissionDenied
        section = lock(section, expected_version)
        for field, value in values.items():
            setattr(section, field, value)
        bump(section)
        section.save(update_fields=[*values, "version"])
        event = AuditAction.CHANGE
    voided = void_sign_offs(version, f"The section ‘{section.heading}’ changed")
    record(
        event,
        actor=by,
        target=section,
        detail={
            "strategy_version": version.number,
            "publishable": values["publishable"],
            **({"voided_sign_offs": voided} if voided else {}),
        },
    )
    return section


@transaction.atomic
def remove_section(*, by: User, section: StrategySection) -> None:
    version = section.strategy_version
    require(by, Permission.MANAGE_STRATEGY, version.partnership)
    version = lock(version)
    _require_editable(version)
    label, pk = str(section), section.pk
    section.delete()
    voided = void_sign_offs(version, f"The section ‘{label}’ was removed")
    record(
        AuditAction.DELETE,
        actor=by,
        target_type="strategy.strategysection",
        target_id=pk,
        target_label=label,
        detail={
            "strategy_version": version.number,
            **({"voided_sign_offs": voided} if voided else {}),
        },
    )


# --- Consultation and sign-off


def required_consultees(version: StrategyVersion) -> list[RelevantAuthority]:
    """Every educational, prison and youth custody authority on the register for
    the partnership's areas, member or not (s.8(4)): those still operating, and any
    already consulted for this version."""
    areas = version.partnership.areas.all()
    return list(
        RelevantAuthority.objects.filter(area__in=areas)
        .filter(Q(closed_on__isnull=True) | Q(consultations__strategy_version=version))
        .distinct()
        .select_related("area")
        .order_by("area__name", "authority_type", "name")
    )


def _consultee(version: StrategyVersion, authority: RelevantAuthority) -> None:
    if not version.partnership.areas.filter(pk=authority.area_id).exists():
        raise ValidationError(
            "Only educational, prison and youth custody authorities registered for "
            "the partnership's areas are consulted this way"
        )


CONSULTATION_STATES = frozenset({StrategyState.DRAFT, StrategyState.CONSULTATION})


def _open_for_consultation(version: StrategyVersion) -> None:
    if version.state not in CONSULTATION_STATES:
        raise ValidationError(
            "Consultation records can be added only before consultation closes"
        )


@transaction.atomic
def record_consultation(
    *,
    by: User,
    strategy_version: StrategyVersion,
    authority: RelevantAuthority,
    consulted_on: dt.date | None,
    method: str,
    consulted_person: str,
    response: str,
    how_considered: str,
    expected_version: int | None = None,
) -> Consultation:
    """Record (or correct) that an educational, prison or youth custody authority was
    consulted: when, how, who, their response and how it was considered."""
    require(by, Permission.MANAGE_STRATEGY, strategy_version.partnership)
    version = lock(strategy_version)
    _open_for_consultation(version)
    _consultee(version, authority)
    errors = {}
    if consulted_on is None:
        errors["consulted_on"] = "Enter the date they were consulted"
    elif consulted_on > _today():
        errors["consulted_on"] = "Date consulted must be today or in the past"
    if method not in ConsultationMethod.values:
        errors["method"] = "Select how they were consulted"
    texts = {
        "consulted_person": (consulted_person, "Enter who was consulted"),
        "response": (response, "Enter their response"),
        "how_considered": (how_considered, "Enter how the response was considered"),
    }
    for field, (text, message) in texts.items():
        if not (text or "").strip():
            errors[field] = message
    if errors:
        raise ValidationError(errors)
    assert consulted_on is not None  # refused above when missing
    values = {
        "is_exception": False,
        "consulted_on": consulted_on,
        "method": method,
        "consulted_person": consulted_person.strip(),
        "response": response.strip(),
        "how_considered": how_considered.strip(),
        "exception_reason": "",
    }
    consultation = _save_consultation(by, version, authority, values, expected_version)
    record(
        AuditAction.CREATE if consultation.version == 1 else AuditAction.CHANGE,
        actor=by,
        target=consultation,
        detail={
            "strategy_version": version.number,
            "authority": authority.name,
            "consulted_on": consulted_on.isoformat(),
            "method": method,
        },
    )
    return consultation


@transaction.atomic
def record_consultation_exception(
    *,
    by: User,
    strategy_version: StrategyVersion,
    authority: RelevantAuthority,
    reason: str,
    expected_version: int | None = None,
) -> Consultation:
    """Record why an authority was not consulted (for example, a school that closed).
    The reason is evidence a monitor will read, so it must say why; it stands only
    once someone else approves it (`approve_consultation_exception`)."""
    require(by, Permission.MANAGE_STRATEGY, strategy_version.partnership)
    version = lock(strategy_version)
    _open_for_consultation(version)
    _consultee(version, authority)
    reason = (reason or "").strip()
    if len(reason) < 20:
        raise ValidationError(
            {
                "exception_reason": "Explain why they were not consulted, in at least "
                "20 characters"
            }
        )
    values = {
        "is_exception": True,
        "consulted_on": None,
        "method": "",
        "consulted_person": "",
        "response": "",
        "how_considered": "",
        "exception_reason": reason,
    }
    consultation = _save_consultation(by, version, authority, values, expected_version)
    record(
        AuditAction.CREATE if consultation.version == 1 else AuditAction.CHANGE,
        actor=by,
        target=consultation,
        detail={
            "strategy_version": version.number,
            "authority": authority.name,
            "exception": reason,
        },
    )
    return consultation


@transaction.atomic
def approve_consultation_exception(
    *, by: User, consultation: Consultation, expected_version: int | None = None
) -> Consultation:
    """A second person approves the reason an authority was not consulted."""
    version = consultation.strategy_version
    require(by, Permission.MANAGE_STRATEGY, version.partnership)
    version = lock(version)
    _open_for_consultation(version)
    consultation = lock(consultation, expected_version)
    if not consultation.is_exception:
        raise ValidationError("Only a reason for not consulting needs approval")
    if consultation.exception_approved_by_id is not None:
        raise ValidationError("This reason has already been approved")
    if consultation.recorded_by_id == by.pk:
        raise PermissionDenied(
            "Someone other than the person who recorded the reason must approve it"
        )
    consultation.exception_approved_by = by
    consultation.exception_approved_at = timezone.now()
    bump(consultation)
    consultation.save()
    record(
        AuditAction.CHANGE,
        actor=by,
        target=consultation,
        detail={
            "strategy_version": version.number,
            "authority": consultation.authority_name,
            "exception_approved": True,
        },
    )
    return consultation


def _save_consultation(
    by: User,
    version: StrategyVersion,
    authority: RelevantAuthority,
    values: dict[str, Any],
    expected_version: int | None,
) -> Consultation:
    # Any new record or correction needs approving again if it is an exception.
    values = {**values, "exception_approved_by": None, "exception_approved_at": None}
    existing = Consultation.objects.filter(
        strategy_version=version, authority=authority
    ).first()
    if existing is None:
        return Consultation.objects.create(
            strategy_version=version, authority=authority, recorded_by=by, **values
        )
    existing = lock(existing, expected_version)
    for field, value in values.items():
        setattr(existing, field, value)
    existing.recorded_by = by
    existing.recorded_at = timezone.now()
    bump(existing)
    existing.save()
    return existing


def consultation_gaps(version: StrategyVersion) -> list[str]:
    """What stops consultation closing, in plain words (empty when it may close)."""
    gaps = register_gaps(version.partnership.areas.all())
    standing = {
        c.authority_id
        for c in version.consultations.filter(authority__isnull=False)
        if c.stands
    }
    missing = [
        a
        for a in required_consultees(version)
        if a.closed_on is None and a.pk not in standing
    ]
    if missing:
        gaps.append(
            "Record a consultation, or a reason approved by a second person, for "
            "every educational, prison and youth custody authority. Missing: "
            + ", ".join(a.name for a in missing)
        )
    return gaps


# --- Transitions


def _names(members: Iterable[PartnershipMember]) -> str:
    return ", ".join(m.agency.name for m in members)


def check_transition(version: StrategyVersion, transition: Transition) -> None:
    """Raise ValidationError if the Duty's rules do not allow the move yet."""
    if transition == Transition.START_CONSULTATION:
        if not version.sections.exists():
            raise ValidationError("Add at least one section before consultation starts")
    elif transition == Transition.CLOSE_CONSULTATION:
        gaps = consultation_gaps(version)
        if gaps:
            raise ValidationError(gaps)
    elif transition == Transition.PUBLISH:
        if definition_in_force(version.partnership) is None:
            raise ValidationError(
                "Agree a local definition of serious violence before publishing"
            )
        status = sign_off_status(version)
        if not status:
            raise ValidationError(
                "The partnership has no specified authorities to sign off the strategy"
            )
        signed = [m.pk for m, sign_off in status if sign_off is not None]
        missing = rules.missing_members([m for m, _ in status], signed)
        if missing:
            raise ValidationError(
                "Every specified authority must sign off this content first. "
                f"Missing: {_names(missing)}"
            )


@transaction.atomic
def transition(
    *,
    by: User,
    strategy_version: StrategyVersion,
    transition: Transition | str,
    expected_version: int | None = None,
    on: dt.date | None = None,
    decisions: str = "",
    changes: str = "",
) -> StrategyVersion:
    """Move a version along its lifecycle. Returns the version; after `revise`, the
    new draft version is returned instead."""
    transition = Transition(transition)
    require(by, Permission.MANAGE_STRATEGY, strategy_version.partnership)
    if transition == Transition.PUBLISH:
        require(by, Permission.SIGN_OFF_STRATEGY, strategy_version.partnership)
    version = lock(strategy_version, expected_version)
    try:
        target = target_state(version.state, transition)
    except TransitionNotAllowed as exc:
        raise ValidationError(str(exc), code="transition") from None
    check_transition(version, transition)
    today = _today()
    on = on or today
    source = version.state
    fields = ["state", "version"]
    detail: dict[str, Any] = {
        "transition": transition.value,
        "from": source,
        "to": target.value,
    }
    new_draft = None

    if transition == Transition.PUBLISH:
        version.published_on = today
        version.published_by = by
        version.published_digest, version.definition = current_binding(version, today)
        fields += ["published_on", "published_by", "definition", "published_digest"]
        detail["definition"] = version.definition.number  # type: ignore[union-attr]
        detail["published_digest"] = version.published_digest
    elif transition == Transition.START_REVIEW:
        StrategyReview.objects.create(
            strategy_version=version, started_on=today, started_by=by
        )
    elif transition in (Transition.RECONFIRM, Transition.REVISE):
        review = version.reviews.select_for_update().get(completed_on__isnull=True)
        errors = {}
        if not (decisions or "").strip():
            errors["decisions"] = "Enter the decisions the review made"
        if transition == Transition.REVISE and not (changes or "").strip():
            errors["changes"] = "Enter what will change in the new version"
        if on > today:
            errors["on"] = "Date of the review must be today or in the past"
        elif on < review.started_on:
            errors["on"] = (
                "Date of the review must be the same as or after "
                f"{review.started_on:%-d %B %Y}, when it started"
            )
        if errors:
            raise ValidationError(errors)
        review.completed_on = on
        review.completed_by = by
        review.decisions = decisions.strip()
        review.changes = (changes or "").strip()
        review.outcome = (
            ReviewOutcome.RECONFIRMED
            if transition == Transition.RECONFIRM
            else ReviewOutcome.REVISED
        )
        review.save()
        version.last_reviewed_on = on
        fields.append("last_reviewed_on")
        detail.update(reviewed_on=on.isoformat(), decisions=review.decisions)
        if transition == Transition.REVISE:
            detail["changes"] = review.changes

    version.state = target
    bump(version)
    version.save(update_fields=fields)

    if transition == Transition.REVISE:
        new_draft = _new_draft_from(version, by)
        detail["new_version"] = new_draft.number

    record(
        AuditAction.PUBLISH if transition == Transition.PUBLISH else AuditAction.CHANGE,
        actor=by,
        target=version,
        detail=detail,
    )
    return new_draft or version


def _new_draft_from(version: StrategyVersion, by: User) -> StrategyVersion:
    number = (
        version.partnership.strategy_versions.aggregate(n=Max("number"))["n"] or 0
    ) + 1
    draft = StrategyVersion.objects.create(
        partnership=version.partnership,
        number=number,
        title=version.title,
        period_start=version.period_start,
        period_end=version.period_end,
        created_by=by,
    )
    StrategySection.objects.bulk_create(
        StrategySection(
            strategy_version=draft,
            kind=s.kind,
            heading=s.heading,
            body=s.body,
            publishable=s.publishable,
            order=s.order,
        )
        for s in version.sections.all()
    )
    return draft


# --- Action plan

ACTION_FIELDS = (
    "title",
    "description",
    "owner_agency",
    "lead_name",
    "due_on",
    "status",
)


def _check_action(partnership: Partnership, values: dict[str, Any]) -> None:
    errors = {}
    if not (values.get("title") or "").strip():
        errors["title"] = "Enter a title for the action"
    owner = values.get("owner_agency")
    if owner is None:
        errors["owner_agency"] = "Select the agency that owns the action"
    elif not partnership.members.filter(agency=owner).exists():
        errors["owner_agency"] = "Select an agency that is a member of the partnership"
    if not (values.get("lead_name") or "").strip():
        errors["lead_name"] = "Enter the name of the lead"
    if values.get("due_on") is None:
        errors["due_on"] = "Enter the due date"
    if values.get("status") not in ActionStatus.values:
        errors["status"] = "Select the status"
    if errors:
        raise ValidationError(errors)


def _next_reference(partnership: Partnership) -> str:
    count = StrategyAction.objects.filter(partnership=partnership).count()
    return f"A{count + 1:03d}"


@transaction.atomic
def create_action(
    *,
    by: User,
    partnership: Partnership,
    title: str,
    owner_agency: Agency | None,
    lead_name: str,
    due_on: dt.date | None,
    description: str = "",
    status: str = ActionStatus.NOT_STARTED,
    strategy_version: StrategyVersion | None = None,
    meeting: BoardMeeting | None = None,
) -> StrategyAction:
    require(by, Permission.MANAGE_ACTIONS, partnership)
    Partnership.objects.select_for_update().get(pk=partnership.pk)
    values = {
        "title": title,
        "description": description,
        "owner_agency": owner_agency,
        "lead_name": lead_name,
        "due_on": due_on,
        "status": status,
    }
    _check_action(partnership, values)
    assert owner_agency is not None and due_on is not None  # _check_action refused None
    for linked in (strategy_version, meeting):
        if linked is not None and linked.partnership_id != partnership.pk:
            raise PermissionDenied
    action = StrategyAction.objects.create(
        partnership=partnership,
        reference=_next_reference(partnership),
        strategy_version=strategy_version,
        meeting=meeting,
        title=title.strip(),
        description=(description or "").strip(),
        owner_agency=owner_agency,
        lead_name=lead_name.strip(),
        due_on=due_on,
        status=status,
        completed_on=_today() if status == ActionStatus.COMPLETE else None,
        created_by=by,
    )
    record(
        AuditAction.CREATE,
        actor=by,
        target=action,
        detail={
            "owner": owner_agency.name,
            "due_on": due_on.isoformat(),
            "status": status,
        },
    )
    return action


@transaction.atomic
def update_action(
    *, by: User, action: StrategyAction, expected_version: int | None, **values: Any
) -> StrategyAction:
    require(by, Permission.MANAGE_ACTIONS, action.partnership)
    unknown = set(values) - set(ACTION_FIELDS)
    if unknown:
        raise TypeError(f"Cannot change {sorted(unknown)}")
    action = lock(action, expected_version)
    current = {f: getattr(action, f) for f in ACTION_FIELDS}
    merged = {**current, **values}
    _check_action(action.partnership, merged)
    changed = {
        f: {"from": _plain(current[f]), "to": _plain(merged[f])}
        for f in ACTION_FIELDS
        if current[f] != merged[f]
    }
    if not changed:
        return action
    for field, value in merged.items():
        setattr(action, field, value.strip() if isinstance(value, str) else value)
    _set_completion(action)
    action.updated_at = timezone.now()
    bump(action)
    action.save()
    record(AuditAction.CHANGE, actor=by, target=action, detail={"changed": changed})
    return action


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return str(value)
    return value


def _set_completion(action: StrategyAction) -> None:
    if action.status == ActionStatus.COMPLETE:
        action.completed_on = action.completed_on or _today()
    else:
        action.completed_on = None


@transaction.atomic
def add_progress_update(
    *,
    by: User,
    action: StrategyAction,
    note: str,
    status: str,
    expected_version: int | None = None,
) -> ActionUpdate:
    """A dated progress note, which also sets the action's status."""
    require(by, Permission.MANAGE_ACTIONS, action.partnership)
    action = lock(action, expected_version)
    errors = {}
    if not (note or "").strip():
        errors["note"] = "Enter the progress update"
    if status not in ActionStatus.values:
        errors["status"] = "Select the status"
    if errors:
        raise ValidationError(errors)
    update = ActionUpdate.objects.create(
        action=action, written_by=by, note=note.strip(), status=status
    )
    previous = action.status
    action.status = status
    _set_completion(action)
    action.updated_at = timezone.now()
    bump(action)
    action.save()
    record(
        AuditAction.CHANGE,
        actor=by,
        target=action,
        detail={
            "progress_update": update.pk,
            "status": {"from": previous, "to": status},
        },
    )
    return update
