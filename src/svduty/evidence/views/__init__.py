from .assessment import evidence_add, evidence_document, report, self_assessment_edit
from .audits import audit_forms, audit_sample, audits, case_audit, moderate
from .inspection import inspection_log, inspection_request
from .outcomes import (
    indicator_detail,
    indicator_records,
    outcome_detail,
    outcome_list,
    refresh,
)

__all__ = [
    "audit_forms",
    "audit_sample",
    "audits",
    "case_audit",
    "moderate",
    "inspection_log",
    "inspection_request",
    "evidence_add",
    "evidence_document",
    "report",
    "self_assessment_edit",
    "indicator_detail",
    "indicator_records",
    "outcome_detail",
    "outcome_list",
    "refresh",
]
