"""Section 16 of the Police, Crime, Sentencing and Courts Act 2022, from facts.

Who may disclose and receive under s.16, and who is a health or social care
authority, follow from each party's agency type, not from what the form says:

- s.16 parties (s.16(1)-(2)): the specified authorities (police, fire and rescue,
  integrated care boards, local authorities, youth offending teams, probation), local
  policing bodies, and educational, prison and youth custody authorities. A hospital
  trust, a voluntary organisation or a violence reduction unit as such is not one
  (a VRU acts through its host body).
- s.16(4)(b): personal information disclosed by a health or social care authority is
  not authorised. Treated as health or social care authorities here: integrated care
  boards, local authorities (their social care functions) and health providers.
  The statutory definition is not confirmed in ../shared/reference (duty.md, "Facts
  not confirmed" 5); this table is the one place to correct it.

The action (`actions.check_rules`), imports (`imports.check_agreement`) and the
database (trigger `sharing_s16_facts`, migration 0005) apply the same table.
"""

from __future__ import annotations

from collections.abc import Iterable

from svduty.accounts.models import Agency, AgencyType

S16_PARTY_TYPES: frozenset[str] = frozenset(
    {
        AgencyType.POLICE,
        AgencyType.FIRE,
        AgencyType.ICB,
        AgencyType.LOCAL_AUTHORITY,
        AgencyType.YOUTH_JUSTICE,
        AgencyType.PROBATION,
        AgencyType.LOCAL_POLICING_BODY,
        AgencyType.EDUCATION,
        AgencyType.PRISON,
        AgencyType.YOUTH_CUSTODY,
    }
)
HEALTH_OR_SOCIAL_CARE_TYPES: frozenset[str] = frozenset(
    {AgencyType.ICB, AgencyType.LOCAL_AUTHORITY, AgencyType.HEALTH_PROVIDER}
)


def is_s16_party(agency: Agency) -> bool:
    return agency.agency_type in S16_PARTY_TYPES


def is_health_or_social_care(agency: Agency) -> bool:
    return agency.agency_type in HEALTH_OR_SOCIAL_CARE_TYPES


def s16_problems(
    *,
    parties: Iterable[Agency],
    providers: Iterable[Agency],
    personal_information: bool,
    patient_information: bool,
) -> list[str]:
    """Why s.16 cannot be the gateway for this sharing (empty when it can)."""
    problems = []
    outside = sorted(a.name for a in parties if not is_s16_party(a))
    if outside:
        problems.append(
            "Section 16 lets only specified authorities, local policing bodies and "
            "educational, prison and youth custody authorities share with one "
            f"another. Not one of them: {', '.join(outside)}"
        )
    if patient_information:
        problems.append(
            "Section 16 does not cover patient information (section 16(4)(a))"
        )
    health = sorted(a.name for a in providers if is_health_or_social_care(a))
    if personal_information and health:
        problems.append(
            "Section 16 does not cover personal information disclosed by a health "
            f"or social care authority (section 16(4)(b)): {', '.join(health)}"
        )
    return problems
