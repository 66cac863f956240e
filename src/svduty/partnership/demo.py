"""The Cleveland force area and its four community safety partnerships.

Codes from ../shared/data/real/cleveland (ONS LAD→CSP→PFA lookup, December 2016).
"""

from __future__ import annotations

from django.db import transaction

from svduty.accounts.models import Agency, AgencyType, User

from .models import (
    Establishment,
    LocalArea,
    Partnership,
    PartnershipMember,
    RelevantAuthority,
    RuleSource,
    StatutoryRole,
    ViolenceKind,
)

# (slug, partnership name, ONS CSP code, local authority name, LAD code, council,
#  youth justice)
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
    _load_definitions(context)
    _load_register()


# --- The relevant authorities register (issue 9): synthetic schools, the demo's
# school, college and prison agencies. Identifiers are left blank (no real URNs).
DEMO_REGISTER: dict[str, list[tuple[str, str, str | None]]] = {
    "E06000001": [
        ("Headland Primary School (demo)", Establishment.SCHOOL, None),
        ("Hartlepool Sixth Form (demo)", Establishment.COLLEGE, None),
    ],
    "E06000002": [
        ("Teesside Academy (demo school)", Establishment.ACADEMY, "agency"),
        ("Middlesbrough College (demo)", Establishment.COLLEGE, "agency"),
    ],
    "E06000003": [
        ("Coatham Academy (demo)", Establishment.ACADEMY, None),
        ("Eston Park School (demo)", Establishment.SCHOOL, None),
    ],
    "E06000004": [
        ("Tees Valley Free School (demo)", Establishment.ACADEMY, None),
        ("HMP Holme House", Establishment.PRISON, "agency"),
    ],
}


def _load_register() -> None:
    for code, entries in DEMO_REGISTER.items():
        area = LocalArea.objects.filter(ons_code=code).first()
        if area is None:
            continue
        for name, establishment, linked in entries:
            RelevantAuthority.objects.get_or_create(
                area=area,
                name=name,
                defaults={
                    "establishment": establishment,
                    "agency": Agency.objects.filter(name=name).first()
                    if linked
                    else None,
                },
            )


# --- Lead arrangements and the local definition (issue 3) ---

GOVERNANCE = (
    "Reports to the Cleveland Community Safety Partnerships' joint strategic board, "
    "which reports to the Cleveland Police and Crime Panel."
)

# (kind, label, maximum penalty, impact on victims, prevalence, impact on community,
#  [(rule source, value), ...])
DEMO_KINDS = [
    (
        ViolenceKind.KNIFE_CRIME,
        "Knife and sharp-instrument crime",
        "Up to life imprisonment (murder, wounding with intent); 4 years for "
        "possession of a bladed article.",
        "Life-changing injuries, long-term trauma and fear of repeat victimisation.",
        "Hospital admissions for assault with a sharp object are above the England "
        "average (demonstration figure).",
        "Fear in town centres and around schools; young people carry knives for "
        "protection.",
        [
            (RuleSource.POLICE_UK, "Violence and sexual offences"),
            (RuleSource.POLICE_UK, "Possession of weapons"),
            (RuleSource.WEAPON, "knife_or_sharp"),
            (RuleSource.ED_ASSAULT, "knife_or_sharp_object"),
        ],
    ),
    (
        ViolenceKind.ROBBERY,
        "Robbery",
        "Up to life imprisonment.",
        "Physical injury and lasting fear, often of young victims.",
        "Concentrated in the town centres and transport hubs.",
        "Reduces use of public spaces after dark.",
        [(RuleSource.POLICE_UK, "Robbery"), (RuleSource.HO_OFFENCE, "34")],
    ),
    (
        ViolenceKind.DOMESTIC_ABUSE,
        "Domestic abuse with injury",
        "Up to life imprisonment for the most serious offences.",
        "Repeat victimisation, harm to children in the household.",
        "The largest single group of violence-with-injury offences.",
        "Hidden harm that drives demand across every partner.",
        [(RuleSource.HO_OFFENCE, "8/1")],
    ),
]


def _load_definitions(context: dict) -> None:
    import datetime as dt

    from django.utils import timezone

    from .models import (
        DefinitionKind,
        DefinitionStatus,
        LeadArrangement,
        LocalDefinition,
        MappingRule,
    )

    today = timezone.localdate()
    lead = User.objects.filter(username="lead").first()
    council_of = {slug: council for slug, _n, _c, _a, _l, council, _y in CLEVELAND_CSPS}
    for partnership in Partnership.objects.filter(slug__in=council_of):
        if not partnership.lead_arrangement:
            partnership.lead_arrangement = LeadArrangement.CSP
            partnership.lead_arrangement_name = f"{partnership.name} board"
            partnership.chair_name = "Director of Community Safety (demo)"
            partnership.chair_agency = Agency.objects.get(
                name=council_of[partnership.slug]
            )
            partnership.governance_route = GOVERNANCE
            partnership.formed_on = dt.date(2023, 1, 31)
            if partnership.slug == "middlesbrough" and lead is not None:
                partnership.lead_user = lead
            partnership.save()
        if partnership.definitions.exists():
            continue
        # Built as a draft and agreed at the end: the database refuses additions to
        # an agreed definition (partnership migration 0006).
        definition = LocalDefinition.objects.create(
            partnership=partnership,
            number=1,
            status=DefinitionStatus.DRAFT,
            agreed_by="Partnership board",
            notes="Follows the national focus on public space youth violence.",
            created_by=lead,
        )
        for order, (
            kind,
            label,
            penalty,
            victims,
            prevalence,
            community,
            rules,
        ) in enumerate(DEMO_KINDS):
            row = DefinitionKind.objects.create(
                definition=definition,
                kind=kind,
                label=label,
                maximum_penalty=penalty,
                impact_on_victims=victims,
                prevalence=prevalence,
                impact_on_community=community,
                order=order,
            )
            MappingRule.objects.bulk_create(
                MappingRule(kind=row, source=source, value=value)
                for source, value in rules
            )
        definition.status = DefinitionStatus.AGREED
        definition.agreed_on = today - dt.timedelta(days=760)
        definition.save(update_fields=["status", "agreed_on"])
