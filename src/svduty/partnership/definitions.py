"""The local definition of serious violence in force, for the rest of svduty.

The analysis app counts serious violence with these functions, so that every figure
follows the definition the partnership agreed, and figures for a past period follow the
definition that was in force then.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from .codes import DefinitionSpec, KindSpec
from .models import DefinitionStatus, LocalDefinition, Partnership, RuleSource

#: Said wherever the terrorism exclusion is shown: svduty has no source for the codes.
NO_TERRORISM_CODE_SOURCE = (
    "svduty holds no list of terrorism offence codes: its reference material has no "
    "published source for one. The partnership records the Home Office offence codes "
    "its force records terrorism offences under, and where that list comes from. "
    "None of the 14 data.police.uk crime types is a terrorism category."
)

#: The 14 data.police.uk street-level crime types (since May 2013), as published.
POLICE_UK_CRIME_TYPES: tuple[str, ...] = (
    "Anti-social behaviour",
    "Bicycle theft",
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Other crime",
    "Other theft",
    "Possession of weapons",
    "Public order",
    "Robbery",
    "Shoplifting",
    "Theft from the person",
    "Vehicle crime",
    "Violence and sexual offences",
)


def definition_in_force(
    partnership: Partnership, on: dt.date | None = None
) -> LocalDefinition | None:
    """The agreed definition with the latest agreed date on or before `on` (today by
    default), or None when the partnership had agreed none by then."""
    on = on or timezone.localdate()
    return (
        LocalDefinition.objects.filter(
            partnership=partnership,
            status=DefinitionStatus.AGREED,
            agreed_on__lte=on,
        )
        .order_by("-agreed_on", "-number")
        .first()
    )


def rule_values(definition: LocalDefinition, source: RuleSource | str) -> list[str]:
    """The distinct values of one source's mapping rules, sorted."""
    values = (
        definition.kinds.filter(rules__source=source)
        .values_list("rules__value", flat=True)
        .distinct()
    )
    return sorted(set(values))


def serious_violence_police_uk_types(
    partnership: Partnership, on: dt.date | None = None
) -> list[str] | None:
    """The data.police.uk crime types counted as serious violence under the definition
    in force, or None when no definition is in force (the caller must then say so
    rather than guess)."""
    definition = definition_in_force(partnership, on)
    if definition is None:
        return None
    return rule_values(definition, RuleSource.POLICE_UK)


def spec_for(definition: LocalDefinition) -> DefinitionSpec:
    """The definition version as the data the SNA needs (one query per table)."""
    rules: dict[int, dict[str, list[str]]] = {}
    kinds = list(definition.kinds.order_by("order", "pk"))
    for kind_id, source, value in (
        definition.kinds.filter(rules__isnull=False)
        .values_list("pk", "rules__source", "rules__value")
        .order_by("rules__value")
    ):
        rules.setdefault(kind_id, {}).setdefault(source, []).append(value)

    def of(kind_id: int, source: str) -> tuple[str, ...]:
        return tuple(rules.get(kind_id, {}).get(source, ()))

    return DefinitionSpec(
        id=definition.pk,
        number=definition.number,
        agreed_on=definition.agreed_on,
        label=definition.label,
        kinds=tuple(
            KindSpec(
                key=kind.label,
                label=kind.label,
                police_uk=of(kind.pk, RuleSource.POLICE_UK),
                ho_codes=of(kind.pk, RuleSource.HO_OFFENCE),
                weapon_flags=of(kind.pk, RuleSource.WEAPON),
                ed_methods=of(kind.pk, RuleSource.ED_ASSAULT),
            )
            for kind in kinds
        ),
        excluded_codes=tuple(definition.exclusions.values_list("code", flat=True)),
        exclusions_source=definition.exclusions_source,
    )


__all__ = [
    "DefinitionSpec",
    "KindSpec",
    "NO_TERRORISM_CODE_SOURCE",
    "POLICE_UK_CRIME_TYPES",
    "definition_in_force",
    "is_terrorism",
    "rule_values",
    "spec_for",
]


def is_terrorism(text: str) -> bool:
    """A kind's name or a rule's value that says terrorism: refused as input, since
    terrorism is outside the Act's meaning of violence (s.13(3)). The figures keep
    terrorism out by offence code (`ExcludedOffence`), not by this word test."""
    return "terror" in (text or "").casefold()
