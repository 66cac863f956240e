from .assessment import evidence_add, report, self_assessment_edit
from .inspection import inspection_log, inspection_request
from .outcomes import (
    indicator_detail,
    indicator_records,
    outcome_detail,
    outcome_list,
    refresh,
)

__all__ = [
    "inspection_log",
    "inspection_request",
    "evidence_add",
    "report",
    "self_assessment_edit",
    "indicator_detail",
    "indicator_records",
    "outcome_detail",
    "outcome_list",
    "refresh",
]
