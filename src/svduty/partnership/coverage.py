"""Which kinds of specified authority cover each area of a partnership.

Section 8 applies per local government area: for each area the police, fire and rescue,
integrated care board, local authority, youth offending team and probation service must
all take part. A member with no areas chosen covers every area of the partnership.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import (
    SPECIFIED_AUTHORITY_TYPES,
    AuthorityType,
    LocalArea,
    Partnership,
    StatutoryRole,
)


@dataclass
class AreaCoverage:
    area: LocalArea
    present: list[AuthorityType]
    missing: list[AuthorityType]

    @property
    def complete(self) -> bool:
        return not self.missing


def coverage(partnership: Partnership) -> list[AreaCoverage]:
    members = list(
        partnership.members.filter(
            statutory_role=StatutoryRole.SPECIFIED
        ).prefetch_related("areas")
    )
    result = []
    for area in partnership.areas.all():
        types = {
            m.authority_type
            for m in members
            if not m.areas.all() or any(a.pk == area.pk for a in m.areas.all())
        }
        present = [t for t in SPECIFIED_AUTHORITY_TYPES if t in types]
        missing = [t for t in SPECIFIED_AUTHORITY_TYPES if t not in types]
        result.append(AreaCoverage(area=area, present=present, missing=missing))
    return result


def is_formed(partnership: Partnership) -> bool:
    """Formed: it covers at least one area, every area has all six kinds of specified
    authority, and a lead arrangement is recorded."""
    areas = coverage(partnership)
    return (
        bool(areas)
        and all(a.complete for a in areas)
        and bool(partnership.lead_arrangement)
    )
