"""The local definition of serious violence in force, for the rest of svduty.

The analysis app counts serious violence with these functions, so that every figure
follows the definition the partnership agreed, and figures for a past period follow the
definition that was in force then.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from .models import DefinitionStatus, LocalDefinition, Partnership, RuleSource

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


def is_terrorism(text: str) -> bool:
    """Terrorism is outside the Act's meaning of violence (s.13(3)): it can never be
    a kind in scope nor be mapped to one."""
    return "terror" in (text or "").casefold()
