"""Notifications and custody (issue 10 point 3)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from svduty.accounts.models import User
from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.partnership.models import LocalArea

from .. import rules
from ..models import (
    ADDRESS_OF_EVENT,
    CustodyPeriod,
    Holder,
    HolderAddress,
    HolderName,
    NotifiableEvent,
    Notification,
    Order,
)
from .common import not_in_future, require_holder, required

#: A notified event that says where the person now lives.
AREA_OF_EVENT = {
    NotifiableEvent.INITIAL,
    NotifiableEvent.NEW_HOME,
    NotifiableEvent.NO_FIXED_ABODE,
}


def due_date(order: Order, event_on: dt.date) -> dt.date | None:
    days = order.order_type.notification_days or 0
    custody = CustodyPeriod.objects.filter(holder_id=order.holder_id).values_list(
        "started_on", "ended_on"
    )
    return rules.notification_due(event_on, days, custody)


def expect_initial(by: User, order: Order) -> Notification | None:
    """The initial notification an order's type requires, due from the day it takes
    effect (called when the order is made or its start date becomes known)."""
    if not order.order_type.notification_days or order.takes_effect_on is None:
        return None
    if order.notifications.filter(event=NotifiableEvent.INITIAL).exists():
        return None
    return Notification.objects.create(
        order=order,
        event=NotifiableEvent.INITIAL,
        event_on=order.takes_effect_on,
        due_on=due_date(order, order.takes_effect_on),
        recorded_by=by,
    )


def _recompute_due(holder: Holder) -> None:
    for notification in Notification.objects.filter(
        order__holder=holder, notified_on__isnull=True
    ).select_related("order__order_type"):
        due = due_date(notification.order, notification.event_on)
        if due != notification.due_on:
            notification.due_on = due
            notification.save(update_fields=["due_on"])


@transaction.atomic
def record_notification(
    *,
    by: User,
    order: Order,
    event: str,
    event_on: dt.date,
    notified_on: dt.date | None,
    station: str = "",
    received_by: str = "",
    information: str = "",
    advice_given: bool = False,
    description_update: str = "",
    new_name: str = "",
    address: str = "",
    local_area: LocalArea | None = None,
    notification: Notification | None = None,
) -> Notification:
    """A notification made at a police station (or, with no date notified, an event
    the police learnt of that is still to be notified). `notification` fills in an
    expected one (the initial notification)."""
    require_holder(by, order.holder)
    if not order.order_type.notification_days:
        raise ValidationError(
            {"event": f"A {order.order_type.name} has no notification requirements"}
        )
    if event not in NotifiableEvent.values:
        raise ValidationError({"event": "Select what is being notified"})
    not_in_future(event_on, "event_on", "The date of the event")
    not_in_future(notified_on, "notified_on", "The date notified")
    if notified_on is not None:
        if notified_on < event_on:
            raise ValidationError(
                {"notified_on": "The date notified must be on or after the event"}
            )
        required(station, "station", "Enter the police station")
        required(received_by, "received_by", "Enter who received the notification")
    if event == NotifiableEvent.NEW_NAME:
        required(new_name, "new_name", "Enter the name being used")
    elif event != NotifiableEvent.INITIAL or notified_on is not None:
        required(address, "address", "Enter the address or location")
    fields = {
        "event": event,
        "event_on": event_on,
        "due_on": due_date(order, event_on),
        "notified_on": notified_on,
        "station": station.strip(),
        "received_by": received_by.strip(),
        "information": information,
        "advice_given": advice_given,
        "description_update": description_update,
    }
    if notification is not None:
        notification = Notification.objects.select_for_update().get(pk=notification.pk)
        if notification.order_id != order.pk or notification.notified_on is not None:
            raise ValidationError({"event": "This notification is already recorded"})
        for name, value in fields.items():
            setattr(notification, name, value)
        notification.save()
    else:
        notification = Notification.objects.create(
            order=order, recorded_by=by, **fields
        )
    holder = order.holder
    if new_name.strip():
        HolderName.objects.create(
            holder=holder, name=new_name.strip(), used_from=event_on, recorded_by=by
        )
        holder.current_name = new_name.strip()  # the latest notified
    if address.strip() and event in ADDRESS_OF_EVENT:
        HolderAddress.objects.create(
            holder=holder,
            kind=ADDRESS_OF_EVENT[NotifiableEvent(event)],
            address=address.strip(),
            from_date=event_on,
            notification=notification,
        )
    if description_update.strip():
        holder.description = description_update.strip()
    if local_area is not None and event in AREA_OF_EVENT:
        holder.local_area = local_area  # where they live now (the address is kept)
    holder.save(update_fields=["current_name", "description", "local_area"])
    record(
        AuditAction.CHANGE if notified_on else AuditAction.CREATE,
        actor=by,
        target=notification,
        detail={"order": order.pk, "event": event, "notified": bool(notified_on)},
    )
    return notification


@transaction.atomic
def record_custody(
    *,
    by: User,
    holder: Holder,
    started_on: dt.date,
    ended_on: dt.date | None = None,
) -> CustodyPeriod:
    require_holder(by, holder)
    not_in_future(started_on, "started_on", "The date taken into custody")
    if ended_on is not None and ended_on < started_on:
        raise ValidationError(
            {"ended_on": "The release date must be on or after the date taken in"}
        )
    period = CustodyPeriod.objects.create(
        holder=holder, started_on=started_on, ended_on=ended_on, recorded_by=by
    )
    _recompute_due(holder)
    record(AuditAction.CREATE, actor=by, target=period, detail={"holder": holder.pk})
    return period


@transaction.atomic
def end_custody(*, by: User, period: CustodyPeriod, ended_on: dt.date) -> CustodyPeriod:
    period = CustodyPeriod.objects.select_for_update().get(pk=period.pk)
    holder = period.holder
    require_holder(by, holder)
    not_in_future(ended_on, "ended_on", "The release date")
    if ended_on < period.started_on:
        raise ValidationError(
            {"ended_on": "The release date must be on or after the date taken in"}
        )
    period.ended_on = ended_on
    period.save(update_fields=["ended_on"])
    # An order deferred to release takes effect now, with its initial notification.
    for order in holder.orders.filter(
        on_release=True, takes_effect_on__isnull=True
    ).select_related("order_type"):
        order.takes_effect_on = max(ended_on, order.made_on)
        order.expires_on = rules.expires_on(order.takes_effect_on, order.period_months)
        order.save(update_fields=["takes_effect_on", "expires_on"])
        expect_initial(by, order)
    _recompute_due(holder)
    record(AuditAction.CHANGE, actor=by, target=period, detail={"holder": holder.pk})
    return period
