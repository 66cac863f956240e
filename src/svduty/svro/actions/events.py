"""Variation, renewal, discharge and appeals (s.342H-I), breaches (s.342G) and later
convictions (issue 10 points 2 and 5)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from svduty.accounts.models import User
from svduty.audit.log import record
from svduty.audit.models import AuditAction

from .. import rules
from ..models import (
    Applicant,
    Breach,
    BreachKind,
    Holder,
    Investigation,
    Order,
    OrderEventKind,
    OrderVersion,
    Reoffence,
    Sentence,
)
from .common import not_in_future, require_holder, required


@transaction.atomic
def record_order_event(
    *,
    by: User,
    order: Order,
    event: str,
    event_on: dt.date,
    applicant: str,
    court: str,
    outcome: str = "",
    period_months: int | None = None,
    quashed: bool = False,
) -> Order:
    """A new version of the order's terms. Varied: a new period from the day it took
    effect. Renewed: a further period from the day after its last day. Discharged,
    or quashed on appeal: it ends on the event day. An appeal may also vary the
    period."""
    order = (
        Order.objects.select_for_update().select_related("order_type").get(pk=order.pk)
    )
    require_holder(by, order.holder)
    not_in_future(event_on, "event_on", "The date of the decision")
    required(court, "court", "Enter the court")
    if applicant not in Applicant.values:
        raise ValidationError({"applicant": "Select who applied"})
    if event_on < order.made_on:
        raise ValidationError(
            {"event_on": "The decision must be on or after the day the order was made"}
        )
    if order.discharged_on is not None:
        raise ValidationError({"event": "The order has been discharged"})
    if event in (OrderEventKind.VARIED, OrderEventKind.RENEWED) or (
        event == OrderEventKind.APPEALED and period_months and not quashed
    ):
        problem = rules.period_problem(
            period_months, order.order_type.min_months, order.order_type.max_months
        )
        if problem:
            raise ValidationError({"period_months": problem})
        assert period_months is not None
        if event == OrderEventKind.RENEWED:
            if order.expires_on is None:
                raise ValidationError(
                    {"event": "An order can be renewed once it has taken effect"}
                )
            start = order.expires_on + dt.timedelta(days=1)
            order.expires_on = rules.expires_on(start, period_months)
        else:
            order.expires_on = rules.expires_on(order.takes_effect_on, period_months)
        order.period_months = period_months
    elif event == OrderEventKind.DISCHARGED or (
        event == OrderEventKind.APPEALED and quashed
    ):
        order.discharged_on = event_on
    elif event != OrderEventKind.APPEALED:
        raise ValidationError({"event": "Select what the court decided"})
    order.version += 1
    order.save()
    OrderVersion.objects.create(
        order=order,
        number=order.version,
        event=event,
        event_on=event_on,
        applicant=applicant,
        court=court.strip(),
        outcome=outcome or ("Quashed on appeal" if quashed else ""),
        takes_effect_on=order.takes_effect_on,
        period_months=order.period_months,
        expires_on=order.expires_on,
        discharged_on=order.discharged_on,
        additional_requirements=order.additional_requirements,
        recorded_by=by,
    )
    record(
        AuditAction.CHANGE,
        actor=by,
        target=order,
        detail={"event": event, "version": order.version},
    )
    return order


def _check_breach(kind: str, investigation: str, charge: str, sentence: str) -> None:
    if kind not in BreachKind.values:
        raise ValidationError({"kind": "Select the kind of breach"})
    if investigation not in Investigation.values:
        raise ValidationError({"investigation": "Select where the investigation is"})
    if investigation in (
        Investigation.CHARGED,
        Investigation.CONVICTED,
        Investigation.ACQUITTED,
    ):
        required(charge, "charge", "Enter the charge")
    if sentence and investigation != Investigation.CONVICTED:
        raise ValidationError({"sentence": "A sentence follows a conviction only"})
    if investigation == Investigation.CONVICTED and not sentence:
        raise ValidationError({"sentence": "Enter the sentence"})
    if (
        kind == BreachKind.OBSTRUCTION
        and sentence == Sentence.CONDITIONAL_DISCHARGE
        and settings.SVRO_OBSTRUCTION_NO_CONDITIONAL_DISCHARGE
    ):
        raise ValidationError(
            {
                "sentence": "A conditional discharge is not available for obstructing "
                "a search (Sentencing Act 2020 s.80(3)(da))"
            }
        )


@transaction.atomic
def record_breach(
    *,
    by: User,
    order: Order,
    kind: str,
    occurred_on: dt.date,
    reported_by: str,
    investigation: str = Investigation.SUSPECTED,
    charge: str = "",
    sentence: str = "",
    notes: str = "",
) -> Breach:
    require_holder(by, order.holder)
    not_in_future(occurred_on, "occurred_on", "The date of the breach")
    required(reported_by, "reported_by", "Enter who reported it")
    _check_breach(kind, investigation, charge, sentence)
    breach = Breach.objects.create(
        order=order,
        kind=kind,
        occurred_on=occurred_on,
        reported_by=reported_by.strip(),
        investigation=investigation,
        charge=charge.strip(),
        sentence=sentence,
        notes=notes,
        recorded_by=by,
    )
    record(AuditAction.CREATE, actor=by, target=breach, detail={"order": order.pk})
    return breach


@transaction.atomic
def update_breach(
    *,
    by: User,
    breach: Breach,
    investigation: str,
    charge: str = "",
    sentence: str = "",
    notes: str = "",
) -> Breach:
    breach = (
        Breach.objects.select_for_update()
        .select_related("order__holder")
        .get(pk=breach.pk)
    )
    require_holder(by, breach.order.holder)
    _check_breach(breach.kind, investigation, charge, sentence)
    breach.investigation = investigation
    breach.charge = charge.strip()
    breach.sentence = sentence
    breach.notes = notes
    breach.save(update_fields=["investigation", "charge", "sentence", "notes"])
    record(AuditAction.CHANGE, actor=by, target=breach, detail={"to": investigation})
    return breach


@transaction.atomic
def record_reoffence(
    *,
    by: User,
    holder: Holder,
    offence: str,
    offence_date: dt.date,
    conviction_date: dt.date,
    weapon_related: bool = False,
    source: str = "Entered by an officer",
) -> Reoffence:
    require_holder(by, holder)
    required(offence, "offence", "Enter the offence")
    not_in_future(conviction_date, "conviction_date", "The date of conviction")
    if offence_date > conviction_date:
        raise ValidationError(
            {"offence_date": "The offence must be on or before the conviction"}
        )
    first = holder.orders.order_by("made_on").values_list("made_on", flat=True).first()
    if first is None or offence_date < first:
        raise ValidationError(
            {
                "offence_date": "Record offences committed after an order was made: "
                "earlier ones are not reoffending"
            }
        )
    reoffence = Reoffence.objects.create(
        holder=holder,
        offence=offence.strip(),
        offence_date=offence_date,
        conviction_date=conviction_date,
        weapon_related=weapon_related,
        source=source,
        recorded_by=by,
    )
    record(AuditAction.CREATE, actor=by, target=reoffence, detail={"holder": holder.pk})
    return reoffence
