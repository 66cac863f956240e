"""The Cleveland force area and its four community safety partnerships.

Codes from ../shared/data/real/cleveland (ONS LAD→CSP→PFA lookup, December 2016).
"""

from __future__ import annotations

from django.db import transaction

from svduty.accounts.models import Agency, AgencyType

from .models import LocalArea, Partnership, PartnershipMember, StatutoryRole

# (slug, partnership name, ONS CSP code, local authority name, LAD code, council, youth justice)
CLEVELAND_CSPS = [
    (
        "hartlepool",
        "Safer Hartlepool Partnership",
        "E22000027",
        "Hartlepool",
        "E06000001",
        "Hartlepool Borough Council",
        "Hartlepool Youth Justice Service",
    ),
    (
        "middlesbrough",
        "Middlesbrough Community Safety Partnership",
        "E22000029",
        "Middlesbrough",
        "E06000002",
        "Middlesbrough Council",
        "Middlesbrough Youth Justice Service",
    ),
    (
        "redcar-and-cleveland",
        "Redcar and Cleveland Community Safety Partnership",
        "E22000028",
        "Redcar and Cleveland",
        "E06000003",
        "Redcar and Cleveland Borough Council",
        "Redcar and Cleveland Youth Justice Service",
    ),
    (
        "stockton-on-tees",
        "Safer Stockton Partnership",
        "E22000030",
        "Stockton-on-Tees",
        "E06000004",
        "Stockton-on-Tees Borough Council",
        "Stockton-on-Tees Youth Justice Service",
    ),
]

FORCE_WIDE_SPECIFIED = [
    "Cleveland Police",
    "Cleveland Fire Brigade",
    "North East and North Cumbria Integrated Care Board",
    "Probation Service – North East",
]


@transaction.atomic
def load(context: dict) -> None:
    agencies = {a.name: a for a in Agency.objects.all()}
    for slug, name, _csp_code, area_name, lad_code, council, yjs in CLEVELAND_CSPS:
        area, _ = LocalArea.objects.get_or_create(
            ons_code=lad_code, defaults={"name": area_name}
        )
        partnership, _ = Partnership.objects.get_or_create(
            slug=slug, defaults={"name": name}
        )
        partnership.areas.add(area)
        members = [
            (agencies[n], StatutoryRole.SPECIFIED)
            for n in [*FORCE_WIDE_SPECIFIED, council, yjs]
        ]
        members.append(
            (
                agencies["Cleveland Police and Crime Commissioner"],
                StatutoryRole.LOCAL_POLICING_BODY,
            )
        )
        members.append(
            (
                agencies["Cleveland Unit for the Reduction of Violence (CURV)"],
                StatutoryRole.INVITED,
            )
        )
        members += [
            (a, StatutoryRole.RELEVANT)
            for a in agencies.values()
            if a.agency_type in {AgencyType.EDUCATION, AgencyType.PRISON}
        ]
        members += [
            (a, StatutoryRole.VOLUNTARY)
            for a in agencies.values()
            if a.agency_type == AgencyType.VOLUNTARY
        ]
        for agency, role in members:
            PartnershipMember.objects.get_or_create(
                partnership=partnership,
                agency=agency,
                defaults={"statutory_role": role},
            )
