"""Order holders, applications and orders (issue 10, points 1 and 2)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from svduty.accounts.models import Agency, User
from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.partnership.models import LocalArea

from .. import rules
from ..models import (
    DECIDED,
    Applicant,
    Application,
    ApplicationStatus,
    Holder,
    HolderName,
    Necessity,
    Order,
    OrderEventKind,
    OrderType,
    OrderVersion,
    WeaponCondition,
)
from .common import not_in_future, require_holder, require_manage, required
from .notifications import expect_initial


@transaction.atomic
def create_holder(
    *,
    by: User,
    managing_force: Agency,
    name: str,
    date_of_birth: dt.date,
    sex: str,
    ethnicity: str,
    reference: str = "",
    description: str = "",
    local_area: LocalArea | None = None,
) -> Holder:
    require_manage(by, managing_force.pk)
    required(name, "name", "Enter the person's name")
    not_in_future(date_of_birth, "date_of_birth", "Date of birth")
    holder = Holder.objects.create(
        managing_force=managing_force,
        reference=reference.strip(),
        date_of_birth=date_of_birth,
        sex=sex,
        ethnicity=ethnicity,
        description=description,
        local_area=local_area,
        created_by=by,
        current_name=name.strip(),
    )
    HolderName.objects.create(
        holder=holder, name=name.strip(), used_from=timezone.localdate(), recorded_by=by
    )
    record(AuditAction.CREATE, actor=by, target=holder, detail={"what": "holder"})
    return holder


@transaction.atomic
def add_name(*, by: User, holder: Holder, name: str, used_from: dt.date) -> HolderName:
    """A new name is added to the history; earlier names are kept."""
    require_holder(by, holder)
    required(name, "name", "Enter the name")
    entry = HolderName.objects.create(
        holder=holder, name=name.strip(), used_from=used_from, recorded_by=by
    )
    holder.current_name = entry.name  # the latest recorded
    holder.save(update_fields=["current_name"])
    record(AuditAction.CHANGE, actor=by, target=holder, detail={"what": "name"})
    return entry


def _check_conviction(
    holder: Holder,
    order_type: OrderType,
    *,
    offence_date: dt.date | None,
    conviction_date: dt.date | None,
    sentence: str,
    absolute_discharge: bool,
) -> None:
    """s.342A: an adult on the conviction date, an offence on or after the first
    appointed day, a conviction and a sentence, never an absolute discharge."""
    if not order_type.requires_conviction:
        return
    name = order_type.name
    required(conviction_date, "conviction_date", "Enter the date of conviction")
    required(offence_date, "offence_date", "Enter the date of the offence")
    required(sentence, "sentence", "Enter the sentence passed for the offence")
    assert conviction_date is not None and offence_date is not None
    if offence_date > conviction_date:
        raise ValidationError(
            {"offence_date": "The offence must be on or before the conviction date"}
        )
    if absolute_discharge:
        raise ValidationError(
            {
                "absolute_discharge": f"A {name} cannot be made with an absolute "
                "discharge"
            }
        )
    age = rules.age_on(holder.date_of_birth, conviction_date)
    if age < order_type.minimum_age:
        raise ValidationError(
            {
                "conviction_date": f"The person was {age} on the conviction date: a "
                f"{name} needs them to be {order_type.minimum_age} or over"
            }
        )
    first = order_type.first_appointed_day
    if first is not None and offence_date < first:
        raise ValidationError(
            {
                "offence_date": f"The offence must be on or after {first:%-d %B %Y}, "
                "the first appointed day"
            }
        )


@transaction.atomic
def record_application(
    *,
    by: User,
    holder: Holder,
    order_type: OrderType,
    considered_on: dt.date,
    status: str = ApplicationStatus.CONSIDERED,
    offence: str = "",
    offence_date: dt.date | None = None,
    conviction_date: dt.date | None = None,
    sentence: str = "",
    absolute_discharge: bool = False,
    applicant: str = Applicant.CPS,
    court: str = "",
    hearing_date: dt.date | None = None,
    reason: str = "",
) -> Application:
    """A person considered for an order, with the application if one was made
    (decided later with `decide_application`)."""
    require_holder(by, holder)
    not_in_future(considered_on, "considered_on", "The date considered")
    if status not in (ApplicationStatus.CONSIDERED, ApplicationStatus.PENDING):
        raise ValidationError({"status": "Select whether an application was made"})
    if status == ApplicationStatus.PENDING:
        required(court, "court", "Enter the court")
        required(hearing_date, "hearing_date", "Enter the hearing date")
        _check_conviction(
            holder,
            order_type,
            offence_date=offence_date,
            conviction_date=conviction_date,
            sentence=sentence,
            absolute_discharge=absolute_discharge,
        )
    application = Application.objects.create(
        holder=holder,
        order_type=order_type,
        force=holder.managing_force,
        considered_on=considered_on,
        status=status,
        offence=offence,
        offence_date=offence_date,
        conviction_date=conviction_date,
        sentence=sentence,
        absolute_discharge=absolute_discharge,
        applicant=applicant,
        court=court,
        hearing_date=hearing_date,
        reason=reason,
        recorded_by=by,
    )
    record(
        AuditAction.CREATE,
        actor=by,
        target=application,
        detail={"holder": holder.pk, "status": status},
    )
    return application


@transaction.atomic
def decide_application(
    *,
    by: User,
    application: Application,
    status: str,
    decided_on: dt.date,
    reason: str = "",
) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    require_holder(by, application.holder)
    if application.status != ApplicationStatus.PENDING:
        raise ValidationError({"status": "Only an application awaiting its hearing"})
    if status not in DECIDED:
        raise ValidationError({"status": "Select the outcome"})
    not_in_future(decided_on, "decided_on", "The date of the decision")
    if application.hearing_date and decided_on < application.hearing_date:
        raise ValidationError(
            {"decided_on": "The decision must be on or after the hearing date"}
        )
    if status != ApplicationStatus.GRANTED:
        required(reason, "reason", "Enter the reason given")
    application.status = status
    application.decided_on = decided_on
    application.reason = reason
    application.save(update_fields=["status", "decided_on", "reason"])
    record(
        AuditAction.CHANGE,
        actor=by,
        target=application,
        detail={"status": status},
    )
    return application


def check_terms(
    order_type: OrderType,
    *,
    area: str,
    made_on: dt.date,
    period_months: int | None,
    on_release: bool,
    takes_effect_on: dt.date | None,
) -> None:
    problem = rules.period_problem(
        period_months, order_type.min_months, order_type.max_months
    )
    if problem:
        raise ValidationError({"period_months": problem})
    problem = rules.issuing_problem(
        lifecycle=order_type.lifecycle,
        issuing_from=order_type.issuing_from,
        issuing_until=order_type.issuing_until,
        issuing_areas=order_type.issuing_areas,
        area=area,
        made_on=made_on,
        type_name=order_type.name,
    )
    if problem:
        raise ValidationError({"made_on": problem})
    if not on_release and takes_effect_on is None:
        raise ValidationError(
            {"takes_effect_on": "Enter the date the order takes effect"}
        )
    if takes_effect_on is not None and takes_effect_on < made_on:
        raise ValidationError(
            {"takes_effect_on": "The order cannot take effect before it was made"}
        )


@transaction.atomic
def make_order(
    *,
    by: User,
    holder: Holder,
    order_type: OrderType,
    issuing_area: str,
    issuing_court: str,
    made_on: dt.date,
    period_months: int | None,
    takes_effect_on: dt.date | None = None,
    on_release: bool = False,
    application: Application | None = None,
    weapon_condition: str = "",
    necessity: Sequence[str] = (),
    explanation_given: bool = False,
    explanation_notes: str = "",
    additional_requirements: Sequence[str] = (),
) -> Order:
    """Record an order the court made. An order that needs a conviction (the SVRO)
    rests on the granted application that records it."""
    require_holder(by, holder)
    required(issuing_court, "issuing_court", "Enter the court that made the order")
    not_in_future(made_on, "made_on", "The date the order was made")
    # s.342D: it takes effect on the day it is made, unless deferred to release
    # from custody (whose date may not be known yet).
    effect = takes_effect_on if on_release else (takes_effect_on or made_on)
    check_terms(
        order_type,
        area=issuing_area,
        made_on=made_on,
        period_months=period_months,
        on_release=on_release,
        takes_effect_on=effect,
    )
    assert period_months is not None
    if order_type.requires_conviction:
        if application is None:
            raise ValidationError(
                {
                    "application": f"A {order_type.name} is made only on a granted "
                    "application after a conviction"
                }
            )
        if (
            application.holder_id != holder.pk
            or application.order_type_id != order_type.pk
            or application.status != ApplicationStatus.GRANTED
            or Order.objects.filter(application=application).exists()
        ):
            raise ValidationError(
                {"application": "Select a granted application with no order yet"}
            )
        _check_conviction(
            holder,
            order_type,
            offence_date=application.offence_date,
            conviction_date=application.conviction_date,
            sentence=application.sentence,
            absolute_discharge=application.absolute_discharge,
        )
        if application.decided_on and made_on < application.decided_on:
            raise ValidationError(
                {
                    "made_on": "The order cannot be made before the application was "
                    "granted"
                }
            )
        if not weapon_condition:
            raise ValidationError(
                {"weapon_condition": "Select which weapon condition the court found"}
            )
        if not necessity:
            raise ValidationError(
                {"necessity": "Select why the court found the order necessary"}
            )
    if weapon_condition and weapon_condition not in WeaponCondition.values:
        raise ValidationError({"weapon_condition": "Select a weapon condition"})
    if any(purpose not in Necessity.values for purpose in necessity):
        raise ValidationError({"necessity": "Select the purposes from the list"})
    requirements = [text.strip() for text in additional_requirements if text.strip()]
    if requirements and not order_type.additional_requirements_allowed:
        raise ValidationError(
            {
                "additional_requirements": "No regulations allow additional "
                f"requirements on a {order_type.name} yet"
            }
        )
    order = Order.objects.create(
        holder=holder,
        managing_force_id=holder.managing_force_id,
        order_type=order_type,
        application=application,
        issuing_area=issuing_area,
        issuing_court=issuing_court.strip(),
        made_on=made_on,
        on_release=on_release,
        takes_effect_on=effect,
        period_months=period_months,
        expires_on=rules.expires_on(effect, period_months),
        weapon_condition=weapon_condition,
        necessity=list(necessity),
        explanation_given=explanation_given,
        explanation_notes=explanation_notes,
        additional_requirements=requirements,
        created_by=by,
    )
    OrderVersion.objects.create(
        order=order,
        number=1,
        event=OrderEventKind.MADE,
        event_on=made_on,
        applicant=application.applicant if application else Applicant.CPS,
        court=order.issuing_court,
        outcome="Order made",
        takes_effect_on=order.takes_effect_on,
        period_months=order.period_months,
        expires_on=order.expires_on,
        additional_requirements=requirements,
        recorded_by=by,
    )
    expect_initial(by, order)
    record(
        AuditAction.CREATE,
        actor=by,
        target=order,
        detail={"holder": holder.pk, "type": order_type.code},
    )
    return order
