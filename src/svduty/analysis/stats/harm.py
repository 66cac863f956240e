"""Harm-weighted totals.

Counting crimes treats a robbery and a shoplifting as equal. A harm-weighted view
multiplies each offence by a weight before adding up, so that analysts can see
where the *harm* is concentrated, not just the volume (SNA requirement, see
``/work/shared/reference/duty.md`` section 5 and ``docs/data-formats.md``).

Weights are held in a :class:`HarmWeights` table that records its name, source
and version, because every chart must say which weighting it used and the
Cambridge Crime Harm Index and the ONS Crime Severity Score rank areas
differently (Ashby 2017).

``ILLUSTRATIVE_POLICE_UK_HARM_WEIGHTS`` is an **illustrative default, not a
published index**. It follows the idea of the Cambridge Crime Harm Index
(Sherman, Neyroud & Neyroud 2016): weight = days of imprisonment at the
sentencing-guideline starting point for a single first-time offender, with fines
converted to days' work at the minimum wage. Because police.uk publishes only 14
broad categories, each weight is a rounded figure for a typical mid-range
offence in the category. Partnerships must review it (or load an official table
keyed by Home Office offence code) before relying on it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


@dataclass(frozen=True)
class HarmWeights:
    """A versioned weights table: offence category -> weight.

    ``illustrative`` marks tables that are placeholders for a partnership to
    review; the user interface must show that label next to any figure that
    used them.
    """

    name: str
    version: str
    source: str
    weights: Mapping[str, float]
    illustrative: bool = False
    notes: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for category, weight in self.weights.items():
            if weight < 0:
                raise ValueError(f"weight for {category!r} must be zero or more")
        object.__setattr__(self, "weights", MappingProxyType(dict(self.weights)))
        object.__setattr__(self, "notes", MappingProxyType(dict(self.notes)))

    def weight(self, category: str) -> float:
        """The weight for a category; KeyError names the unknown category."""
        try:
            return self.weights[category]
        except KeyError:
            raise KeyError(
                f"no harm weight for {category!r} in {self.name} {self.version}"
            ) from None


@dataclass(frozen=True)
class HarmTotal:
    """The harm-weighted total and its parts, for display with its definition."""

    total: float
    by_category: Mapping[str, float]
    unweighted_categories: tuple[str, ...]
    weights_name: str
    weights_version: str
    illustrative: bool


def harm_total(
    counts: Mapping[str, float],
    weights: HarmWeights,
    *,
    unknown: str = "error",
) -> HarmTotal:
    """Sum of count x weight over categories.

    ``unknown`` decides what happens to a category the table has no weight for:
    "error" raises KeyError (the default, so a renamed category is never silently
    dropped), "skip" leaves it out and lists it in ``unweighted_categories``.
    """
    if unknown not in ("error", "skip"):
        raise ValueError('unknown must be "error" or "skip"')
    by_category: dict[str, float] = {}
    skipped: list[str] = []
    for category, count in counts.items():
        if count < 0:
            raise ValueError(f"count for {category!r} must be zero or more")
        if category not in weights.weights:
            if unknown == "error":
                weights.weight(category)
            skipped.append(category)
            continue
        by_category[category] = count * weights.weights[category]
    return HarmTotal(
        total=float(sum(by_category.values())),
        by_category=MappingProxyType(by_category),
        unweighted_categories=tuple(sorted(skipped)),
        weights_name=weights.name,
        weights_version=weights.version,
        illustrative=weights.illustrative,
    )


_DEFAULT_NOTES = {
    "Anti-social behaviour": "Not a notifiable crime: no sentence, so no harm.",
    "Bicycle theft": "Low-value theft: fine band, about 2 days' work.",
    "Burglary": "Domestic burglary category 2 starting point: 1 year custody.",
    "Criminal damage and arson": "Criminal damage under 5,000 pounds: community "
    "order, about 14 days.",
    "Drugs": "Mostly possession (fine); some supply (custody): about 7 days.",
    "Other crime": "Mixed offences: about 7 days.",
    "Other theft": "Low-value theft: fine band, about 2 days' work.",
    "Possession of weapons": "Bladed article or offensive weapon, category B2: "
    "about 6 months custody.",
    "Public order": "Section 4/5 Public Order Act offences: fine band, 7 days.",
    "Robbery": "Street robbery category B2 starting point: 4 years custody.",
    "Shoplifting": "Low-value shop theft: fine band, about 2 days' work.",
    "Theft from the person": "Theft from the person, medium harm: about 28 days.",
    "Vehicle crime": "Theft from or of a vehicle, medium harm: about 7 days.",
    "Violence and sexual offences": "Assault occasioning ABH category 2 starting "
    "point: 26 weeks custody (182 days). The category also holds common assault "
    "(lower) and rape and GBH (far higher), so it is the crudest weight here.",
}

#: Illustrative default keyed by the 14 data.police.uk crime types. Review before
#: use: see the module docstring and docs/data-formats.md.
ILLUSTRATIVE_POLICE_UK_HARM_WEIGHTS = HarmWeights(
    name="Illustrative harm weights for police.uk categories (CHI-style)",
    version="2024-illustrative-1",
    source=(
        "Illustrative only. Method after Sherman, Neyroud & Neyroud (2016), "
        "'The Cambridge Crime Harm Index: Measuring Total Harm from Crime Based on "
        "Sentencing Guidelines', Policing 10(3):171-183: days of imprisonment at "
        "the Sentencing Council starting point for a single first-time offender. "
        "Not the published CHI values."
    ),
    weights={
        "Anti-social behaviour": 0,
        "Bicycle theft": 2,
        "Burglary": 365,
        "Criminal damage and arson": 14,
        "Drugs": 7,
        "Other crime": 7,
        "Other theft": 2,
        "Possession of weapons": 182,
        "Public order": 7,
        "Robbery": 1460,
        "Shoplifting": 2,
        "Theft from the person": 28,
        "Vehicle crime": 7,
        "Violence and sexual offences": 182,
    },
    illustrative=True,
    notes=_DEFAULT_NOTES,
)
