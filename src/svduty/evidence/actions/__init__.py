"""Writes of the evidence app (architecture D6): each checks its rule and records its
audit event in the same transaction."""

from .assessment import add_evidence_link, save_self_assessment
from .audits import draw_sample, moderate_case_audit, record_case_audit
from .figures import refresh_figures
from .inspection import record_inspection_export

__all__ = [
    "draw_sample",
    "moderate_case_audit",
    "record_case_audit",
    "add_evidence_link",
    "record_inspection_export",
    "refresh_figures",
    "save_self_assessment",
]
