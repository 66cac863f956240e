"""The shape of an SNA result: one TypedDict per section.

`sna.compute_sna` builds an `SnaResult`; `tables`, `charts`, `report`, `dashboard`,
the API, the `svduty sna` command and the templates read it. They are TypedDicts
rather than dataclasses because the result is JSON: at run time it is the same plain
dict it always was, so the command's and the API's JSON, the templates' lookups and
the results already pickled in the snapshots' caches (`service.snapshot_cached`)
are unchanged, while mypy checks every key that is written or read.

Key order is part of the JSON output: `sna.py` writes each section's keys in the
order they are listed here. A key marked `NotRequired` is present only in some
states of its section (for example only when a source is loaded), as described.
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict

#: The prefix of a cached result's key (`service.sna_for`). Change it (say to
#: "sna-v2") with any change to the shape below: results stored in the snapshots'
#: caches under the old shape are then computed afresh when next read.
RESULT_KEY = "sna"

# --- What the result was computed from --------------------------------------------


class PartnershipInfo(TypedDict, total=False):
    slug: str
    name: str
    #: When the partnership's local definition was agreed after the period's end.
    definition_agreed_on: str


class SnapshotInfo(TypedDict, total=False):
    """`service.snapshot_meta`; empty when `compute_sna` is called directly."""

    id: int
    content_hash: str
    created_at: str
    label: str
    row_counts: dict[str, Any]
    source_batches: list[Any]


#: {"from": "YYYY-MM", "to": "YYYY-MM"} ("from" is a Python keyword).
Period = TypedDict("Period", {"from": str, "to": str})


class Filters(TypedDict):
    kind: str | None
    area: str | None
    area_name: str | None


class AreaChoice(TypedDict):
    code: str
    name: str


class Choices(TypedDict):
    kinds: list[str]
    areas: list[AreaChoice]


class Method(TypedDict):
    """The definition of every figure, in words (docs/sna.md)."""

    serious_violence: str
    period: str
    records: str
    geography: str
    by_source_category: str
    monthly: str
    areas: str
    gi_star: str
    concentration: str
    deprivation: str
    trend: str
    time_of_day: str
    crime_extract_serious_violence: str
    who: str
    disproportionality: str
    success_measures: str
    harm: str
    ed_vs_police: str
    suppression: str
    sources: dict[str, str]


# --- Street-level counts ------------------------------------------------------------


class Records(TypedDict):
    in_area: int
    outside_area: int
    no_location: int


class MonthlyCount(TypedDict):
    month: str
    source_category: str
    count: int


class KindCount(TypedDict):
    kind: str
    count: int
    share: float | None


class SeriousViolence(TypedDict):
    types: list[str]
    definition_source: str
    count: int
    population: int
    rate_per_1000: float | None
    by_kind: list[KindCount]


class Area(TypedDict):
    lsoa: str
    name: str
    local_authority: str | None
    count: int
    population: int | None
    rate_per_1000: float | None
    imd_decile: int | None
    gi_z: float | None
    gi_p_fdr: float | None
    hotspot: str | None


class Concentration(TypedDict):
    top_5pct_areas_share: float | None
    top_10pct_areas_share: float | None
    gini: float | None
    areas: int
    top_5pct_areas: int
    top_10pct_areas: int


class DecileRow(TypedDict):
    imd_decile: int | None
    areas: int
    count: int
    population: int
    rate_per_1000: float | None


class TrendPoint(TypedDict):
    month: str
    count: int
    per_day: float | None
    rolling_3_month_per_day: float | None


class SeasonalIndex(TypedDict):
    calendar_month: str
    index: float | None


class Seasonality(TypedDict):
    available: bool
    #: With 24 months or more.
    index: NotRequired[list[SeasonalIndex]]
    #: With fewer: why there is no index.
    reason: NotRequired[str]


class Trend(TypedDict):
    series: list[TrendPoint]
    slope_per_day_per_month: float | None
    relative_change_per_month: float | None
    seasonality: Seasonality


class HarmWeightsInfo(TypedDict):
    name: str
    version: str
    source: str
    illustrative: bool
    weights: dict[str, float]


class HarmRow(TypedDict):
    category: str
    count: int
    weight: float | None
    harm: float | None


class HarmArea(TypedDict):
    lsoa: str
    name: str
    harm: float


class Harm(TypedDict):
    weights: HarmWeightsInfo
    total: float
    serious_violence_total: float
    by_category: list[HarmRow]
    unweighted_categories: list[str]
    top_areas: list[HarmArea]


# --- Times (police crime extract, ED) -----------------------------------------------


class DayCount(TypedDict):
    day: str
    count: int


class HourCount(TypedDict):
    hour: int
    count: int


class Cell(TypedDict):
    day: str
    hour: int
    count: int


class Grid(TypedDict):
    total: int
    by_day: list[DayCount]
    by_hour: list[HourCount]
    cells: list[Cell]


class TimeOfDay(TypedDict):
    crime_extract: Grid
    #: Whether a police crime extract is loaded.
    available: bool
    istv: Grid


# --- Who (police crime extract) and disproportionality ------------------------------


class Share(TypedDict):
    value: str
    count: int
    share: float | None


class People(TypedDict):
    age_band: list[Share]
    sex: list[Share]
    ethnicity: list[Share]


class Who(TypedDict):
    available: bool
    #: Only when a police crime extract is loaded.
    victim: NotRequired[People]
    suspect: NotRequired[People]


class RateRow(TypedDict):
    group: str
    count: int
    population: int
    rate_per_1000: float | None
    relative_rate: float | None
    ci_lower: float | None
    ci_upper: float | None
    reference: bool


class RelativeRates(TypedDict):
    """Relative rates by ethnic group against White residents (2011 Census)."""

    available: bool
    #: Only when there are Census residents to compare with.
    not_stated: NotRequired[int]
    rows: list[RateRow]
    #: Stop and search only (for victims and suspects it is in `Disproportionality`).
    missing_local_authorities: NotRequired[list[str]]


class Disproportionality(TypedDict):
    #: victim, suspect and missing_local_authorities: only with a crime extract.
    victim: NotRequired[RelativeRates]
    suspect: NotRequired[RelativeRates]
    missing_local_authorities: NotRequired[list[str]]
    available: bool
    stop_search: RelativeRates


# --- Success measures, ED and stop and search ---------------------------------------


class RelatedIndicator(TypedDict):
    title: str
    count: int
    source: str


class SuccessMeasure(TypedDict):
    """One Home Office success measure: counts when available, else the reason."""

    key: str
    title: str
    available: bool
    reason: NotRequired[str]
    count: NotRequired[int]
    under_25: NotRequired[int]
    previous_count: NotRequired[int | None]
    previous_under_25: NotRequired[int | None]
    source: NotRequired[str]
    related_indicator: NotRequired[RelatedIndicator]


class EdMonth(TypedDict):
    month: str
    ed_assaults: int
    police_recorded: int


class EdVsPolice(TypedDict):
    """ED (ISTV) assaults beside police-recorded serious violence; every key but
    `available` only when ISTV data is loaded."""

    available: bool
    total: NotRequired[int]
    police_recorded_serious_violence: NotRequired[int]
    knife_or_sharp_object: NotRequired[int]
    #: None: not recorded (JSON writes the key as "null").
    by_method: NotRequired[dict[str | None, int]]
    by_location_type: NotRequired[dict[str | None, int]]
    monthly: NotRequired[list[EdMonth]]
    geocoded: NotRequired[int]
    not_geocoded: NotRequired[int]
    unknown_to_police_estimate: NotRequired[float | None]


class StopSearch(TypedDict):
    """Stop and search counts by place; the counts only when the data is loaded."""

    available: bool
    in_area: NotRequired[int]
    no_location: NotRequired[int]
    outside_area: NotRequired[int]


class DefinitionKindInfo(TypedDict):
    key: str
    label: str
    police_uk: list[str]
    ho_codes: list[str]
    weapon_flags: list[str]
    ed_methods: list[str]


class DefinitionInfo(TypedDict):
    """The local definition version the figures follow (absent: the default)."""

    number: int
    agreed_on: str | None
    label: str
    kinds: list[DefinitionKindInfo]
    excluded_offence_codes: list[str]
    exclusions_source: str


class SnaResult(TypedDict):
    """One SNA: raw counts, for use inside the partnership (docs/sna.md)."""

    partnership: PartnershipInfo
    period: Period
    snapshot: SnapshotInfo
    filters: Filters
    choices: Choices
    method: Method
    records: Records
    by_source_category: dict[str, int]
    monthly: list[MonthlyCount]
    serious_violence: SeriousViolence
    areas: list[Area]
    concentration: Concentration
    deprivation: list[DecileRow]
    trend: Trend
    harm: Harm
    time_of_day: TimeOfDay
    who: Who
    disproportionality: Disproportionality
    success_measures: list[SuccessMeasure]
    ed_vs_police: EdVsPolice
    stop_search: StopSearch
    population_years: list[int]
    definition: NotRequired[DefinitionInfo]
