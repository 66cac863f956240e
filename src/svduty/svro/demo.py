"""Demo data: synthetic order holders, applications, orders, notifications and
searches for Cleveland Police, labelled synthetic ("(demo)" in every name and
reference starting DEMO-).

Real published data behind it, never changed: the mix of self-defined ethnicity, sex,
age, time of day and outcome of the synthetic searches is drawn from the genuine
data.police.uk stop-and-search file for Greater Manchester, June 2019
(../shared/data/real/greater-manchester-stop-search-sample; "Contains public sector
information licensed under the Open Government Licence v3.0. Source:
data.police.uk."); search map points are real police.uk map points from Cleveland's
street-level crime files; the resident population by ethnic group is the 2011 Census
(QS201EW, ONS, Open Government Licence v3.0) for Cleveland's four local authorities.

SVROs could be made only in four pilot forces until 18 April 2025. So that a Cleveland
officer has orders to manage, the demo configures the SVRO type as rolled out
nationally from 19 April 2025: a stated assumption, shown on the order types' row,
not a claim about the law. Running the loader again changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import random
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from svduty.accounts.models import Agency, User
from svduty.partnership.models import LocalArea

from . import actions, rules
from .models import (
    ApplicationStatus,
    EthnicGroup,
    Holder,
    Lifecycle,
    OrderType,
    ResidentPopulation,
)
from .order_types import ensure_default_types
from .police_uk import ATTRIBUTION, read_stop_search

UK = ZoneInfo("Europe/London")
FIRST = ["Alex", "Jordan", "Sam", "Casey", "Riley", "Taylor", "Morgan", "Jamie"]
LAST = ["Ashby", "Brook", "Carter", "Dale", "Ellis", "Foster", "Grant", "Hale"]
STATIONS = ["Middlesbrough", "Hartlepool", "Stockton", "Redcar"]
CENSUS_GROUPS = {
    "Ethnic Group: White; measures: Value": EthnicGroup.WHITE,
    "Ethnic Group: Mixed; measures: Value": EthnicGroup.MIXED,
    "Ethnic Group: Asian; measures: Value": EthnicGroup.ASIAN,
    "Ethnic Group: Black; measures: Value": EthnicGroup.BLACK,
    "Ethnic Group: Other; measures: Value": EthnicGroup.OTHER,
}
CLEVELAND_LADS = {"E06000001", "E06000002", "E06000003", "E06000004"}


def real_data() -> Path:
    default = Path(settings.BASE_DIR).parents[2] / "shared" / "data" / "real"
    return Path(os.environ.get("SVDUTY_REAL_DATA", default))


def _points(
    root: Path, rng: random.Random, count: int
) -> list[tuple[float, float, LocalArea | None]]:
    """Map points of violent crime in Cleveland, each with the local authority area
    of its LSOA ("Middlesbrough 001A" is in Middlesbrough) when the partnership demo
    has that area."""
    areas = {a.name: a for a in LocalArea.objects.filter(ons_code__in=CLEVELAND_LADS)}
    path = root / "cleveland" / "police-street" / "2022-06-cleveland-street.csv"
    points = []
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["Latitude"] and row["Crime type"] == "Violence and sexual offences":
                area = areas.get(row["LSOA name"].rsplit(" ", 1)[0])
                points.append((float(row["Latitude"]), float(row["Longitude"]), area))
    return rng.sample(points, min(count, len(points)))


def _population(root: Path) -> None:
    path = root / "cleveland" / "reference" / "la-ethnic-groups.csv"
    totals = dict.fromkeys(CENSUS_GROUPS.values(), 0)
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["geography code"] in CLEVELAND_LADS:
                for column, group in CENSUS_GROUPS.items():
                    totals[group] += int(row[column])
    for group, people in totals.items():
        ResidentPopulation.objects.update_or_create(
            force_area="cleveland",
            ethnic_group=group,
            defaults={
                "population": people,
                "source": "ONS 2011 Census QS201EW, Cleveland's four local "
                "authorities (Open Government Licence v3.0)",
            },
        )


def _age(age_range: str, rng: random.Random) -> int | None:
    return {
        "18-24": rng.randint(18, 24),
        "25-34": rng.randint(25, 34),
        "over 34": rng.randint(35, 55),
    }.get(age_range)


@transaction.atomic
def _build(officer: User, police: Agency, root: Path) -> int:
    rng = random.Random(342)
    ensure_default_types()
    svro = OrderType.objects.get(code="svro")
    if svro.lifecycle != Lifecycle.NATIONAL:
        svro.lifecycle = Lifecycle.NATIONAL
        svro.issuing_from = dt.date(2025, 4, 19)
        svro.issuing_until = None
        svro.save()
    sample = [
        r
        for r in read_stop_search(
            root
            / "greater-manchester-stop-search-sample"
            / "2019-06-greater-manchester-stop-and-search.csv"
        )
        if r.age_range in ("18-24", "25-34", "over 34")
    ]
    points = _points(root, rng, 400)
    today = timezone.localdate()
    made = 0
    for index in range(40):
        person = rng.choice(sample)
        age = _age(person.age_range, rng) or 30
        holder = actions.create_holder(
            by=officer,
            managing_force=police,
            name=f"{FIRST[index % 8]} {LAST[(index * 3) % 8]} {index + 1} (demo)",
            # Old enough at the conviction date, which is up to 18 months ago.
            date_of_birth=dt.date(today.year - age - 3, 1 + index % 12, 1 + index % 28),
            sex=person.sex if person.sex != "not_stated" else "male",
            ethnicity=person.self_ethnicity,
            reference=f"DEMO-{index + 1:03d}",
            description="Synthetic demo person.",
            # Where they live: the area of one of the violent crimes' map points
            # (not drawn from `rng`, so the rest of the demo stays as it was).
            local_area=points[(index * 7) % len(points)][2],
        )
        considered = today - dt.timedelta(days=rng.randint(40, 540))
        offence = considered - dt.timedelta(days=rng.randint(40, 120))
        if index % 10 == 9:  # considered only
            actions.record_application(
                by=officer,
                holder=holder,
                order_type=svro,
                considered_on=considered,
                reason="The prosecution decided the evidence of weapon use was too "
                "weak (demo).",
            )
            continue
        application = actions.record_application(
            by=officer,
            holder=holder,
            order_type=svro,
            considered_on=considered,
            status=ApplicationStatus.PENDING,
            offence=rng.choice(
                [
                    "Possession of a bladed article in a public place",
                    "Wounding with intent (knife)",
                    "Affray with a weapon",
                ]
            ),
            offence_date=offence,
            conviction_date=considered - dt.timedelta(days=7),
            sentence=rng.choice(
                ["Suspended sentence order", "Community order", "Imprisonment"]
            ),
            court="Teesside Crown Court",
            hearing_date=considered + dt.timedelta(days=21),
        )
        decided = considered + dt.timedelta(days=21)
        if decided > today:
            continue  # awaiting its hearing
        if index % 10 in (4, 7) and index < 20:
            actions.decide_application(
                by=officer,
                application=application,
                status=ApplicationStatus.REFUSED
                if index % 10 == 4
                else ApplicationStatus.WITHDRAWN,
                decided_on=decided,
                reason="Not necessary given the sentence's requirements (demo).",
            )
            continue
        application = actions.decide_application(
            by=officer,
            application=application,
            status=ApplicationStatus.GRANTED,
            decided_on=decided,
        )
        on_release = index % 13 == 5
        order = actions.make_order(
            by=officer,
            holder=holder,
            order_type=svro,
            application=application,
            issuing_area="cleveland",
            issuing_court="Teesside Crown Court",
            made_on=decided,
            period_months=rng.choice([6, 12, 12, 18, 24]),
            on_release=on_release,
            weapon_condition=rng.choice(["own_use", "own_possession", "other_use"]),
            necessity=["a", "c"],
            explanation_given=True,
        )
        made += 1
        if on_release:
            actions.record_custody(by=officer, holder=holder, started_on=decided)
            continue
        initial = order.notifications.get()
        assert order.takes_effect_on is not None and order.expires_on is not None
        if index % 7 != 3:  # the others' initial notification is overdue
            late = index % 6 == 1
            notified = order.takes_effect_on + dt.timedelta(days=4 if late else 1)
            if notified <= today:
                actions.record_notification(
                    by=officer,
                    order=order,
                    notification=initial,
                    event=initial.event,
                    event_on=initial.event_on,
                    notified_on=notified,
                    station=f"{rng.choice(STATIONS)} police station",
                    received_by="PC 2231 (demo)",
                    address=f"{index + 10} Synthetic Street, Middlesbrough (demo)",
                    advice_given=True,
                )
        last = min(order.expires_on, today - dt.timedelta(days=1))
        days = (last - order.takes_effect_on).days
        if days <= 0:
            continue
        for number in range(rng.choice([0, 1, 2, 3, 5, 8, 12])):
            source = rng.choice(sample)
            day = order.takes_effect_on + dt.timedelta(days=rng.randint(0, days))
            local = source.at.astimezone(UK)
            at = dt.datetime.combine(day, local.time().replace(second=0), tzinfo=UK)
            lat, lon, area = rng.choice(points)
            arrest = source.outcome == "arrest"
            knife = arrest and rng.random() < 0.2
            actions.record_search(
                by=officer,
                order=order,
                reference=f"DEMO-S-{index + 1:03d}-{number + 1:02d}",
                force_area="cleveland",
                officer_identifier=f"PC {2200 + rng.randint(1, 60)}",
                searched_at=at,
                location="Near a police.uk map point in Cleveland (demo)",
                latitude=lat,
                longitude=lon,
                local_area=area,
                identity_method="pnc",
                gowisely=[
                    "grounds",
                    "object",
                    "identity",
                    "station",
                    "entitlement",
                    "legal_power",
                    "detained",
                ],
                self_ethnicity=holder.ethnicity,
                officer_ethnicity=source.officer_ethnicity,
                age=max(18, rules.age_on(holder.date_of_birth, day)),
                sex=holder.sex,
                items_found=["knife"] if knife else [],
                seized=knife,
                outcome=source.outcome,
                arrest_offence="Possession of a bladed article"
                if knife
                else ("Possession of a controlled drug" if arrest else ""),
                outcome_linked=knife,
                body_worn_video=rng.random() < 0.8,
                receipt_reference=f"DEMO-R-{index + 1:03d}-{number + 1:02d}",
            )
    _population(root)
    return made


def load(context: dict) -> None:
    officer = User.objects.filter(username="svro").first()
    police = Agency.objects.filter(name="Cleveland Police").first()
    root = real_data()
    if officer is None or police is None or not root.exists():
        return
    if Holder.objects.filter(reference__startswith="DEMO-").exists():
        return
    made = _build(officer, police, root)
    _publish(context)
    stdout = context.get("stdout")
    if stdout is not None:
        stdout.write(f"SVRO demo: {made} synthetic orders ({ATTRIBUTION})\n")


def _publish(context: dict) -> None:
    """The partnership lead publishes the last 12 months' transparency report for
    all forces, so that the public page (/transparency/svro/) shows one."""
    from .models import PublishedReport
    from .scrutiny import Filters

    lead = User.objects.filter(username="lead").first()
    if lead is None or PublishedReport.objects.exists():
        return
    end = timezone.localdate()
    filters = Filters(start=end - dt.timedelta(days=365), end=end)
    actions.publish_report(by=lead, filters=filters)
