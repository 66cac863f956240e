"""Statistics for the Strategic Needs Assessment (SNA), free of Django.

Everything here works on plain Python sequences and numpy arrays so the formulas
can be unit tested without a database and reused by the analytic snapshot, the
dashboards and the PDF reports alike. Each module implements one published or
agreed definition exactly; see ``docs/data-formats.md`` for the sources.
"""

from svduty.analysis.stats.concentration import gini, top_share
from svduty.analysis.stats.getis_ord import (
    GiStarResult,
    GiWeights,
    benjamini_hochberg,
    gi_star,
    gi_weights,
)
from svduty.analysis.stats.harm import (
    ILLUSTRATIVE_POLICE_UK_HARM_WEIGHTS,
    HarmTotal,
    HarmWeights,
    harm_total,
)
from svduty.analysis.stats.neighbours import (
    neighbour_lists,
    neighbours_to_sparse,
    to_british_national_grid,
)
from svduty.analysis.stats.rates import (
    RelativeRate,
    Suppressed,
    rate_per_1000,
    relative_rate,
    suppress,
)

__all__ = [
    "ILLUSTRATIVE_POLICE_UK_HARM_WEIGHTS",
    "GiStarResult",
    "GiWeights",
    "HarmTotal",
    "HarmWeights",
    "RelativeRate",
    "Suppressed",
    "benjamini_hochberg",
    "gi_star",
    "gi_weights",
    "gini",
    "harm_total",
    "neighbour_lists",
    "neighbours_to_sparse",
    "rate_per_1000",
    "relative_rate",
    "suppress",
    "to_british_national_grid",
    "top_share",
]
