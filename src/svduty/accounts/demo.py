"""Demo agencies and one user for each role (README lists them)."""

from __future__ import annotations

from django.db import transaction

from svduty.core.authorisation import Role

from .models import Agency, AgencyType, Membership, User

# Published in README on purpose: the demo holds synthetic data only.
DEMO_PASSWORD = "demo-password-2026"  # noqa: S105

# (name, type, code)
DEMO_AGENCIES = [
    ("Cleveland Police", AgencyType.POLICE, "E23000013"),
    ("Hartlepool Borough Council", AgencyType.LOCAL_AUTHORITY, "E06000001"),
    ("Middlesbrough Council", AgencyType.LOCAL_AUTHORITY, "E06000002"),
    ("Redcar and Cleveland Borough Council", AgencyType.LOCAL_AUTHORITY, "E06000003"),
    ("Stockton-on-Tees Borough Council", AgencyType.LOCAL_AUTHORITY, "E06000004"),
    ("Cleveland Fire Brigade", AgencyType.FIRE, ""),
    ("North East and North Cumbria Integrated Care Board", AgencyType.ICB, "QHM"),
    ("Probation Service – North East", AgencyType.PROBATION, ""),
    ("Hartlepool Youth Justice Service", AgencyType.YOUTH_JUSTICE, ""),
    ("Middlesbrough Youth Justice Service", AgencyType.YOUTH_JUSTICE, ""),
    ("Redcar and Cleveland Youth Justice Service", AgencyType.YOUTH_JUSTICE, ""),
    ("Stockton-on-Tees Youth Justice Service", AgencyType.YOUTH_JUSTICE, ""),
    ("Cleveland Police and Crime Commissioner", AgencyType.LOCAL_POLICING_BODY, ""),
    ("Cleveland Unit for the Reduction of Violence (CURV)", AgencyType.VRU, ""),
    ("South Tees Hospitals NHS Foundation Trust", AgencyType.HEALTH_PROVIDER, "RTR"),
    (
        "North Tees and Hartlepool NHS Foundation Trust",
        AgencyType.HEALTH_PROVIDER,
        "RVW",
    ),
    ("Teesside Academy (demo school)", AgencyType.EDUCATION, ""),
    ("Middlesbrough College (demo)", AgencyType.EDUCATION, ""),
    ("HMP Holme House", AgencyType.PRISON, ""),
    ("Tees Valley Youth Support Trust (demo charity)", AgencyType.VOLUNTARY, ""),
]

# (sign-in name, full name, role, agency)
DEMO_USERS = [
    (
        "admin",
        "Alex Admin (demo)",
        Role.SYSTEM_ADMIN,
        "Cleveland Unit for the Reduction of Violence (CURV)",
    ),
    ("lead", "Priya Lead (demo)", Role.PARTNERSHIP_LEAD, "Middlesbrough Council"),
    (
        "analyst",
        "Sam Analyst (demo)",
        Role.ANALYST,
        "Cleveland Unit for the Reduction of Violence (CURV)",
    ),
    (
        "practitioner",
        "Jordan Social-Worker (demo)",
        Role.PRACTITIONER,
        "Middlesbrough Council",
    ),
    ("manager", "Morgan Manager (demo)", Role.TEAM_MANAGER, "Middlesbrough Council"),
    ("svro", "PC Casey Officer (demo)", Role.SVRO_OFFICER, "Cleveland Police"),
    (
        "auditor",
        "Dana Auditor (demo)",
        Role.AUDITOR,
        "Cleveland Police and Crime Commissioner",
    ),
]


@transaction.atomic
def load(context: dict) -> None:
    # The demo command (in core, below accounts) prints these at the end.
    context["sign_in"] = [(username, role.label) for username, _, role, _ in DEMO_USERS]
    context["sign_in_password"] = DEMO_PASSWORD
    agencies = {}
    for name, agency_type, code in DEMO_AGENCIES:
        agency, _ = Agency.objects.get_or_create(
            name=name, defaults={"agency_type": agency_type, "ods_code": code}
        )
        agencies[name] = agency
    for username, full_name, role, agency_name in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                full_name=full_name,
                email=f"{username}@demo.svduty.invalid",
                roles=[role.value],
                is_active=True,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
            Membership.objects.create(
                user=user, agency=agencies[agency_name], is_primary=True
            )
