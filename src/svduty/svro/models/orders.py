"""The register: order types (configuration rows, not code), order holders with their
name history, applications (the funnel: considered, applied, granted, refused,
withdrawn) and orders with their versioned terms."""

from __future__ import annotations

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from svduty.accounts.models import Agency
from svduty.core.guard import GuardedModel

from .base import ForceScopedQuerySet
from .choices import (
    Applicant,
    ApplicationStatus,
    Ethnicity,
    ForceArea,
    Lifecycle,
    Necessity,
    OrderEventKind,
    Sex,
    WeaponCondition,
)


class OrderType(models.Model):
    """A kind of civil or ancillary order (SVRO, knife crime prevention order,
    criminal behaviour order, ...). Rows, so that a force adds a type or records the
    end of a pilot without a release. The SVRO row's values are the documented
    defaults of ../shared/reference/svro-jtai-practice.md A.1-A.5."""

    code = models.SlugField(max_length=30, unique=True)
    name = models.CharField(max_length=120)
    legal_basis = models.CharField(max_length=200, blank=True)
    lifecycle = models.CharField(
        max_length=20, choices=Lifecycle.choices, default=Lifecycle.NATIONAL
    )
    # Pilot: orders may be made only by these forces' courts between these dates.
    # National: only from issuing_from (if set). Pilot ended: none after issuing_until.
    issuing_from = models.DateField(null=True, blank=True)
    issuing_until = models.DateField(null=True, blank=True)
    issuing_areas = ArrayField(
        models.CharField(max_length=30, choices=ForceArea.choices),
        default=list,
        blank=True,
    )
    min_months = models.PositiveSmallIntegerField(null=True, blank=True)
    max_months = models.PositiveSmallIntegerField(null=True, blank=True)
    minimum_age = models.PositiveSmallIntegerField(default=0)
    # Made only on conviction, in addition to the sentence (never with an absolute
    # discharge): the SVRO is ancillary (s.342A(6)).
    requires_conviction = models.BooleanField(default=False)
    # The offence must be on or after this day ("the first appointed day").
    first_appointed_day = models.DateField(null=True, blank=True)
    # The holder may be searched without suspicion while it is in force (s.342E).
    gives_search_power = models.BooleanField(default=False)
    # Days to notify (including the trigger day); none: no notification duties.
    notification_days = models.PositiveSmallIntegerField(null=True, blank=True)
    # Additional requirements (s.342C) may be imposed only once regulations exist.
    additional_requirements_allowed = models.BooleanField(default=False)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_months__isnull=True)
                | Q(max_months__isnull=True)
                | Q(min_months__lte=F("max_months")),
                name="svro_type_bounds_in_order",
            ),
            models.CheckConstraint(
                condition=Q(issuing_from__isnull=True)
                | Q(issuing_until__isnull=True)
                | Q(issuing_from__lte=F("issuing_until")),
                name="svro_type_issuing_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class HolderQuerySet(ForceScopedQuerySet):
    force_path = "managing_force_id"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class Holder(GuardedModel):
    """A person who is, or was considered for being, subject to an order. Their
    names live in `HolderName` and are never overwritten."""

    #: A page that fetches an order holder is audited as a view
    #: (svduty.core.viewing).
    shows_personal_data = True

    managing_force = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+"
    )
    reference = models.CharField(
        "Force reference", max_length=40, blank=True, help_text="For example a PNC ID"
    )
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=12, choices=Sex.choices)
    ethnicity = models.CharField(
        "Self-defined ethnicity", max_length=2, choices=Ethnicity.choices
    )
    description = models.TextField("Physical description", blank=True)
    # Where the person lives (the local authority area), for the scrutiny figures by
    # area; changed by a notified new home address. Optional: not always known.
    local_area = models.ForeignKey(
        "partnership.LocalArea",
        verbose_name="Local authority area where they live",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Denormalised from the latest HolderName (kept by actions) for lists.
    current_name = models.CharField(max_length=200)

    objects = HolderQuerySet.as_manager()

    class Meta:
        ordering = ["current_name", "id"]
        indexes = [models.Index(fields=["managing_force", "current_name"])]
        constraints = [
            # What an order's (holder, managing force) foreign key refers to.
            models.UniqueConstraint(
                fields=["id", "managing_force"], name="svro_holder_id_force"
            ),
        ]

    def __str__(self) -> str:
        return f"Order holder {self.pk}"


class HolderRecordQuerySet(ForceScopedQuerySet):
    force_path = "holder__managing_force_id"


class HolderName(GuardedModel):
    holder = models.ForeignKey(Holder, on_delete=models.PROTECT, related_name="names")
    name = models.CharField(max_length=200)
    used_from = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = HolderRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-used_from", "-id"]
        triggers = [
            pgtrigger.Protect(
                name="svro_name_never_changed", operation=pgtrigger.Update
            )
        ]

    def __str__(self) -> str:
        return f"Name {self.pk} of order holder {self.holder_id}"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class Application(GuardedModel):
    """A person considered for an order, and the application if one was made."""

    holder = models.ForeignKey(
        Holder, on_delete=models.PROTECT, related_name="applications"
    )
    order_type = models.ForeignKey(OrderType, on_delete=models.PROTECT)
    force = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    considered_on = models.DateField()
    status = models.CharField(max_length=12, choices=ApplicationStatus.choices)
    offence = models.CharField(max_length=300, blank=True)
    offence_date = models.DateField(null=True, blank=True)
    conviction_date = models.DateField(null=True, blank=True)
    sentence = models.CharField(max_length=300, blank=True)
    absolute_discharge = models.BooleanField(default=False)
    applicant = models.CharField(
        max_length=20, choices=Applicant.choices, default=Applicant.CPS
    )
    court = models.CharField(max_length=200, blank=True)
    hearing_date = models.DateField(null=True, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = HolderRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-considered_on", "-id"]
        indexes = [models.Index(fields=["force", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ApplicationStatus.CONSIDERED)
                | Q(hearing_date__isnull=False, court__gt=""),
                name="svro_application_has_court_and_hearing",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=[ApplicationStatus.CONSIDERED, ApplicationStatus.PENDING]
                )
                | Q(decided_on__isnull=False),
                name="svro_decided_application_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(
                    status__in=[ApplicationStatus.REFUSED, ApplicationStatus.WITHDRAWN]
                )
                | Q(reason__gt=""),
                name="svro_refusal_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(offence_date__isnull=True)
                | Q(conviction_date__isnull=True)
                | Q(offence_date__lte=F("conviction_date")),
                name="svro_offence_before_conviction",
            ),
        ]

    def __str__(self) -> str:
        return f"Application {self.pk}"


# The Act's conditions and the order type's configuration, held by the database as
# well as the action (issue 10 points 1-2): for an order type that requires a
# conviction, the order rests on a granted application with a conviction and
# sentence and no absolute discharge, the holder was of the type's minimum age (18
# for an SVRO) on the conviction date, and the offence is on or after the first
# appointed day; it was made where and when the type's lifecycle allowed (pilot
# areas and dates); the period is within the type's bounds (6-24 months for an
# SVRO). Checked when the order is made and when the terms they judge change (a
# variation or renewal changes the period or the last day; the facts it was made
# on change only by correction), never on other updates: an order lawfully made
# keeps running, and can be discharged or take effect on release, after the type's
# configuration changes (a pilot ends, the bounds narrow).
ORDER_MEETS_ITS_TYPE = pgtrigger.Trigger(
    name="svro_order_meets_its_type",
    when=pgtrigger.Before,
    operation=pgtrigger.Insert | pgtrigger.Update,
    declare=[
        ("t", "svro_ordertype%ROWTYPE"),
        ("a", "svro_application%ROWTYPE"),
        ("making", "boolean"),
        ("period", "boolean"),
    ],
    func="""
        making := TG_OP = 'INSERT';
        period := making;
        IF NOT making THEN
            making := NEW.order_type_id <> OLD.order_type_id
                OR NEW.holder_id <> OLD.holder_id
                OR NEW.application_id IS DISTINCT FROM OLD.application_id
                OR NEW.made_on <> OLD.made_on
                OR NEW.issuing_area <> OLD.issuing_area;
            period := making
                OR NEW.period_months <> OLD.period_months
                OR (OLD.expires_on IS NOT NULL
                    AND NEW.expires_on IS DISTINCT FROM OLD.expires_on);
        END IF;
        IF NOT period THEN
            RETURN NEW;
        END IF;
        SELECT * INTO t FROM svro_ordertype WHERE id = NEW.order_type_id;
        IF (t.min_months IS NOT NULL AND NEW.period_months < t.min_months)
           OR (t.max_months IS NOT NULL AND NEW.period_months > t.max_months) THEN
            RAISE EXCEPTION 'order period % months is outside % to % months',
                NEW.period_months, t.min_months, t.max_months
                USING ERRCODE = 'check_violation';
        END IF;
        IF NOT making THEN
            RETURN NEW;
        END IF;
        IF t.issuing_from IS NOT NULL AND NEW.made_on < t.issuing_from THEN
            RAISE EXCEPTION 'orders of this type could not be made before %',
                t.issuing_from USING ERRCODE = 'check_violation';
        END IF;
        IF t.lifecycle IN ('pilot', 'pilot_ended') THEN
            IF t.issuing_until IS NOT NULL AND NEW.made_on > t.issuing_until THEN
                RAISE EXCEPTION 'orders of this type could not be made after %',
                    t.issuing_until USING ERRCODE = 'check_violation';
            END IF;
            IF cardinality(t.issuing_areas) > 0
               AND NOT NEW.issuing_area = ANY(t.issuing_areas) THEN
                RAISE EXCEPTION 'orders of this type are made only in the pilot '
                    'force areas' USING ERRCODE = 'check_violation';
            END IF;
        END IF;
        IF t.requires_conviction THEN
            SELECT * INTO a FROM svro_application WHERE id = NEW.application_id;
            IF NOT FOUND OR a.status <> 'granted' OR a.conviction_date IS NULL
               OR a.sentence = '' OR a.absolute_discharge
               OR a.holder_id <> NEW.holder_id THEN
                RAISE EXCEPTION 'order needs a granted application with a conviction '
                    'and a sentence other than an absolute discharge'
                    USING ERRCODE = 'check_violation';
            END IF;
            IF (SELECT date_of_birth + make_interval(years => t.minimum_age)
                FROM svro_holder WHERE id = NEW.holder_id) > a.conviction_date THEN
                RAISE EXCEPTION 'holder was under % on the conviction date',
                    t.minimum_age USING ERRCODE = 'check_violation';
            END IF;
            IF t.first_appointed_day IS NOT NULL AND (
                a.offence_date IS NULL OR a.offence_date < t.first_appointed_day
            ) THEN
                RAISE EXCEPTION 'offence predates the first appointed day %',
                    t.first_appointed_day USING ERRCODE = 'check_violation';
            END IF;
        END IF;
        RETURN NEW;
    """,
)


class OrderQuerySet(ForceScopedQuerySet):
    # The holder's managing force, kept on the order (see Order.managing_force).
    force_path = "managing_force_id"

    def in_force_on(self, day) -> OrderQuerySet:
        return self.filter(
            Q(discharged_on__isnull=True) | Q(discharged_on__gt=day),
            takes_effect_on__lte=day,
            expires_on__gte=day,
        )


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class Order(GuardedModel):
    """An order's current terms. Each change (variation, renewal, discharge, appeal)
    is an `OrderVersion` holding the terms as they were made by that event."""

    holder = models.ForeignKey(Holder, on_delete=models.PROTECT, related_name="orders")
    # The holder's managing force, copied onto the order so that a force's orders
    # are an indexed filter (the orders page counts them on every view) rather than
    # a join through every holder. The database keeps it equal to the holder's: a
    # foreign key on (holder, managing force) to the holder's (id, managing force),
    # ON UPDATE CASCADE (migration 0012).
    managing_force = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+"
    )
    order_type = models.ForeignKey(OrderType, on_delete=models.PROTECT)
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, null=True, blank=True
    )
    issuing_area = models.CharField(
        "Issuing force area", max_length=30, choices=ForceArea.choices
    )
    issuing_court = models.CharField(max_length=200)
    made_on = models.DateField()
    # Deferred to release from custody: the date may be unknown (null) until then.
    on_release = models.BooleanField(default=False)
    takes_effect_on = models.DateField(null=True, blank=True)
    period_months = models.PositiveSmallIntegerField()
    # The last day in force: takes_effect_on + period - 1 day (null while unknown).
    expires_on = models.DateField(null=True, blank=True)
    weapon_condition = models.CharField(
        max_length=20, choices=WeaponCondition.choices, blank=True
    )
    necessity = ArrayField(
        models.CharField(max_length=1, choices=Necessity.choices),
        default=list,
        blank=True,
    )
    explanation_given = models.BooleanField(default=False)
    explanation_notes = models.TextField(blank=True)
    # s.342C: empty unless regulations allow them (OrderType.additional_...).
    additional_requirements = ArrayField(
        models.CharField(max_length=300), default=list, blank=True
    )
    discharged_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = OrderQuerySet.as_manager()

    class Meta:
        ordering = ["-made_on", "-id"]
        indexes = [
            models.Index(fields=["expires_on"]),
            # The orders page: the force's orders by last day, a page at a time.
            models.Index(fields=["expires_on", "id"], name="svro_order_expiry_page"),
            models.Index(fields=["holder", "takes_effect_on"]),
            # The orders page for a force: its count and its pages of current
            # orders, from the index alone.
            models.Index(
                fields=["managing_force", "expires_on", "id"],
                include=["discharged_on"],
                name="svro_order_force_expiry",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_months__gte=1, period_months__lte=120),
                name="svro_order_period_sane",
            ),
            models.CheckConstraint(
                condition=Q(takes_effect_on__isnull=True)
                | Q(takes_effect_on__gte=F("made_on")),
                name="svro_order_effect_not_before_made",
            ),
            models.CheckConstraint(
                condition=Q(on_release=True) | Q(takes_effect_on__isnull=False),
                name="svro_order_start_known_unless_on_release",
            ),
            models.CheckConstraint(
                condition=Q(takes_effect_on__isnull=True, expires_on__isnull=True)
                | Q(
                    takes_effect_on__isnull=False,
                    expires_on__gte=F("takes_effect_on"),
                ),
                name="svro_order_expiry_with_start",
            ),
        ]
        triggers = [ORDER_MEETS_ITS_TYPE]

    def __str__(self) -> str:
        return f"Order {self.pk}"

    def in_force_on(self, day) -> bool:
        return (
            self.takes_effect_on is not None
            and self.expires_on is not None
            and self.takes_effect_on <= day <= self.expires_on
            and (self.discharged_on is None or day < self.discharged_on)
        )


class OrderRecordQuerySet(ForceScopedQuerySet):
    force_path = "order__managing_force_id"


class OrderVersion(GuardedModel):
    """What an event made of the order: never changed once written."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    event = models.CharField(max_length=12, choices=OrderEventKind.choices)
    event_on = models.DateField()
    applicant = models.CharField(max_length=20, choices=Applicant.choices)
    court = models.CharField(max_length=200, blank=True)
    outcome = models.TextField(blank=True)
    takes_effect_on = models.DateField(null=True, blank=True)
    period_months = models.PositiveSmallIntegerField()
    expires_on = models.DateField(null=True, blank=True)
    discharged_on = models.DateField(null=True, blank=True)
    additional_requirements = ArrayField(
        models.CharField(max_length=300), default=list, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = OrderRecordQuerySet.as_manager()

    class Meta:
        ordering = ["order", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "number"], name="svro_one_version_number"
            )
        ]
        triggers = [
            pgtrigger.Protect(
                name="svro_version_never_changed",
                operation=pgtrigger.Update | pgtrigger.Delete,
            )
        ]

    def __str__(self) -> str:
        return f"Version {self.number} of order {self.order_id}"
