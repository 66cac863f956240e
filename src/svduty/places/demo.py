"""Demo data: synthetic places of concern and peer groups across the four Cleveland
community safety partnerships.

Every place is synthetic ("(demo)" in its name, and its description says so), but it
sits on a real data.police.uk map point from the demo's Cleveland street-level files,
so the before/after comparison counts real, published incidents around it. Faygate
Court is where recorded incidents fell after detached youth work and new lighting
began on 1 June 2022 (350 records within 250 metres in January to May 2022, 135 in
June to October); Bridge Road and Goathland Road rose in September to November 2022,
so the meeting agenda's "rising places" trigger finds them.

Everything goes through the actions (audit trail and all); running the loader again
changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction

from svduty.accounts.models import Agency, User
from svduty.analysis.snapshot import current_snapshot, rebuild_snapshot
from svduty.cases.models import Person, PersonKind
from svduty.partnership.models import Partnership

from . import actions
from .evaluation import has_points
from .models import PeerGroup, Place, PlaceKind

SYNTHETIC = "Synthetic demo place at a real data.police.uk map point. "
AREAS = {
    "hartlepool": "Hartlepool",
    "middlesbrough": "Middlesbrough",
    "redcar-and-cleveland": "Redcar and Cleveland",
    "stockton-on-tees": "Stockton-on-Tees",
}
# Who records the demo places in each partnership (the demo's lead practitioners).
RECORDERS = {
    "hartlepool": "sw-hartlepool",
    "middlesbrough": "practitioner",
    "redcar-and-cleveland": "sw-redcar",
    "stockton-on-tees": "sw-stockton",
}


@dataclass(frozen=True)
class DemoPlace:
    slug: str
    name: str
    kind: PlaceKind
    point: tuple[float, float] | None  # (latitude, longitude)
    radius_m: int
    description: str
    risk: str
    # (kind, start, end, description)
    interventions: tuple[tuple[str, dt.date, dt.date | None, str], ...] = ()
    reports: tuple[tuple[str, dt.date, str], ...] = ()
    children: int = 3
    extra: dict = field(default_factory=dict)


PLACES = (
    DemoPlace(
        "middlesbrough",
        "Faygate Court precinct (demo)",
        PlaceKind.ESTATE,
        (54.519757, -1.245251),
        250,
        "Shops and walkways in Hemlington where children gather after school; "
        "older males sell drugs from the underpass.",
        "medium",
        (
            (
                "detached_youth_work",
                dt.date(2022, 6, 1),
                None,
                "Two youth workers, Tuesday to Saturday evenings",
            ),
            ("lighting", dt.date(2022, 6, 1), None, "Underpass and walkway lighting"),
        ),
        (
            ("incident", dt.date(2022, 4, 12), "Fight between two groups of teenagers"),
            (
                "intelligence",
                dt.date(2022, 5, 3),
                "Younger children asked to hold packages for older males",
            ),
        ),
        children=5,
    ),
    DemoPlace(
        "middlesbrough",
        "Captain Cook Square (demo)",
        PlaceKind.SHOP,
        (54.5753, -1.238548),
        300,
        "Shopping centre in the town centre: thefts to order and robberies of "
        "children's phones.",
        "high",
        (
            (
                "patrols",
                dt.date(2022, 9, 1),
                None,
                "Police and warden patrols, 3pm to 8pm",
            ),
        ),
        (("incident", dt.date(2022, 8, 20), "Robbery of a 14-year-old's phone"),),
    ),
    DemoPlace(
        "middlesbrough",
        "Middlesbrough bus station (demo)",
        PlaceKind.TRANSPORT_HUB,
        (54.576056, -1.240081),
        200,
        "Children travel from here to other towns; seen with adults not known "
        "to their families.",
        "high",
        (),
        (
            (
                "intelligence",
                dt.date(2022, 10, 2),
                "Children given train tickets to Darlington by unknown adults",
            ),
        ),
    ),
    DemoPlace(
        "middlesbrough",
        "'Boro Link' group chat (demo)",
        PlaceKind.ONLINE,
        None,
        300,
        "A group chat used to arrange fights and share videos of them.",
        "medium",
        (("online_reporting", dt.date(2022, 11, 1), None, "Reported to the platform"),),
        (("incident", dt.date(2022, 10, 28), "Video of an assault shared"),),
        children=2,
    ),
    DemoPlace(
        "hartlepool",
        "Middleton Grange Shopping Centre (demo)",
        PlaceKind.SHOP,
        (54.684241, -1.21329),
        300,
        "Shopping centre where children are approached to carry drugs.",
        "medium",
        (
            (
                "guardianship",
                dt.date(2022, 7, 1),
                None,
                "Store staff trained to spot and report exploitation",
            ),
        ),
    ),
    DemoPlace(
        "stockton-on-tees",
        "Stockton High Street (demo)",
        PlaceKind.SHOP,
        (54.565733, -1.312793),
        300,
        "Late-night takeaways where children gather.",
        "low",
        (("licensing", dt.date(2022, 8, 1), None, "Licence review of two takeaways"),),
    ),
    DemoPlace(
        "stockton-on-tees",
        "Bridge Road (demo)",
        PlaceKind.ESTATE,
        (54.55856, -1.309357),
        300,
        "Street near the riverside where knife incidents involving teenagers "
        "have been reported.",
        "",
    ),
    DemoPlace(
        "redcar-and-cleveland",
        "Goathland Road (demo)",
        PlaceKind.ESTATE,
        (54.56572, -1.136835),
        300,
        "Residential streets in Grangetown with rising anti-social behaviour.",
        "",
    ),
    DemoPlace(
        "redcar-and-cleveland",
        "Sports ground, Eston (demo)",
        PlaceKind.LEISURE,
        (54.572481, -1.158828),
        250,
        "Sports ground used after dark; fires and fights.",
        "low",
        (("cctv", dt.date(2022, 5, 1), None, "Two mobile CCTV cameras"),),
    ),
)


def _first_agency(user: User) -> Agency:
    """The demo lead works for one agency (accounts' demo gives every user one)."""
    membership = user.memberships.first()
    assert membership is not None
    return membership.agency


def _children(user: User, partnership: Partnership) -> list[Person]:
    return list(
        Person.objects.visible_to(user)
        .filter(partnership=partnership, kind=PersonKind.CHILD)
        .order_by("id")[:40]
    )


def _place(spec: DemoPlace, partnership: Partnership, user: User, children) -> None:
    area = partnership.areas.filter(name__icontains=AREAS[spec.slug]).first()
    lat, lon = spec.point if spec.point else (None, None)
    place = actions.create_place(
        by=user,
        partnership=partnership,
        name=spec.name,
        kind=spec.kind,
        description=(SYNTHETIC if spec.point else "Synthetic demo place. ")
        + spec.description,
        area=area,
        latitude=lat,
        longitude=lon,
        radius_m=spec.radius_m,
        lead_agency=_first_agency(user),
    )
    if spec.risk:
        actions.record_place_assessment(
            by=user,
            place=place,
            assessed_on=dt.date(2022, 5, 20),
            risk_level=spec.risk,
            summary=spec.description,
            harm="Children aged 12 to 16 are drawn in by older peers and adults.",
            protective_factors="A youth club nearby; shop staff who know the children.",
            voices="Young people said they avoid the area after dark.",
            recommendations="Multi-agency plan for the place; review in 3 months.",
        )
    for kind, started, ended, description in spec.interventions:
        actions.record_intervention(
            by=user,
            place=place,
            kind=kind,
            started_on=started,
            ended_on=ended,
            description=description,
            lead_agency=place.lead_agency,
        )
    for kind, day, summary in spec.reports:
        actions.record_report(
            by=user, place=place, kind=kind, occurred_on=day, summary=summary
        )
    offset = sum(map(ord, spec.name)) % max(1, len(children))
    for index in range(min(spec.children, len(children))):
        child = children[(offset + index) % len(children)]
        actions.link_child(
            by=user,
            place=place,
            person=child,
            role=("harmed_here", "at_risk_here", "harms_others")[index % 3],
            linked_on=dt.date(2022, 5, 1) + dt.timedelta(days=index),
        )


def _group(partnership: Partnership, user: User, children, name: str) -> None:
    if len(children) < 5:
        return
    group = actions.create_peer_group(
        by=user,
        partnership=partnership,
        name=name,
        description="Synthetic demo group. Children who spend time together at the "
        "places above; some are being exploited by the same older males.",
        lead_agency=_first_agency(user),
    )
    start = dt.date(2022, 3, 1)
    for index, child in enumerate(children[:5]):
        actions.add_member(
            by=user,
            group=group,
            person=child,
            started_on=start + dt.timedelta(days=7 * index),
            role=("member", "harmed", "of_concern")[index % 3],
        )
    leaver = group.memberships.order_by("id").last()
    assert leaver is not None  # five members were added just above
    actions.end_membership(by=user, membership=leaver, ended_on=dt.date(2022, 9, 30))
    actions.record_group_assessment(
        by=user,
        group=group,
        assessed_on=dt.date(2022, 6, 15),
        risk_level="high",
        summary="The group meets at the precinct most evenings; two members carry "
        "knives for protection and the younger ones are asked to hold drugs.",
        harm="Criminal exploitation and violence between this group and another.",
        protective_factors="Three members attend the boxing club; one has a mentor.",
        recommendations="Peer group conference; detached youth work at the precinct.",
    )
    actions.agree_group_plan(
        by=user,
        group=group,
        agreed_on=dt.date(2022, 6, 20),
        review_on=dt.date(2022, 9, 20),
        objectives="Members feel safe at the precinct and stop carrying knives.",
        actions="Youth service: detached work at the precinct, Tue to Sat (from "
        "1 June).\nPolice: disrupt the older males (by 31 July).\nSchool: safe "
        "adult for each member (by 1 July).",
    )


def load(context: dict) -> None:
    partnerships = {p.slug: p for p in Partnership.objects.filter(slug__in=AREAS)}
    users = {
        u.username: u for u in User.objects.filter(username__in=RECORDERS.values())
    }
    if len(partnerships) < len(AREAS) or len(users) < len(RECORDERS):
        return
    made = 0
    for slug, partnership in partnerships.items():
        snapshot = current_snapshot(partnership)
        if snapshot is not None and not has_points(snapshot.path):
            # Built before street records kept their map points: rebuild once.
            rebuild_snapshot(partnership)
        user = users[RECORDERS[slug]]
        children = _children(user, partnership)
        for spec in PLACES:
            if (
                spec.slug != slug
                or Place.objects.filter(
                    partnership=partnership, name=spec.name
                ).exists()
            ):
                continue
            with transaction.atomic():
                _place(spec, partnership, user, children)
            made += 1
        name = f"Group 1, {AREAS[slug]} (demo)"
        if not PeerGroup.objects.filter(partnership=partnership, name=name).exists():
            with transaction.atomic():
                _group(partnership, user, children[len(children) // 2 :], name)
    stdout = context.get("stdout")
    if stdout and made:
        stdout.write(f"  {made} synthetic places of concern loaded")
