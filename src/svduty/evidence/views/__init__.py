from .assessment import evidence_add, report, self_assessment_edit
from .outcomes import (
    indicator_detail,
    indicator_records,
    outcome_detail,
    outcome_list,
    refresh,
)

__all__ = [
    "evidence_add",
    "report",
    "self_assessment_edit",
    "indicator_detail",
    "indicator_records",
    "outcome_detail",
    "outcome_list",
    "refresh",
]
