from .outcomes import (
    indicator_detail,
    indicator_records,
    outcome_detail,
    outcome_list,
    refresh,
)

__all__ = [
    "indicator_detail",
    "indicator_records",
    "outcome_detail",
    "outcome_list",
    "refresh",
]
