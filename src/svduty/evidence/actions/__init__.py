"""Writes of the evidence app (architecture D6): each checks its rule and records its
audit event in the same transaction."""

from .assessment import add_evidence_link, save_self_assessment
from .audits import (
    draw_sample,
    moderate_case_audit,
    record_case_audit,
    save_audit_form,
)
from .figures import refresh_figures
from .inspection import record_inspection_export
from .learning import (
    add_recommendation,
    complete_recommendation,
    record_attendance,
    record_engagement,
    record_engagement_change,
    record_follow_up,
    record_learning_event,
    record_new,
    record_oversight_decision,
    record_review,
    record_supervision,
    record_training_session,
)
from .population import set_population

__all__ = [
    "save_audit_form",
    "set_population",
    "add_recommendation",
    "complete_recommendation",
    "record_attendance",
    "record_engagement",
    "record_engagement_change",
    "record_follow_up",
    "record_learning_event",
    "record_new",
    "record_oversight_decision",
    "record_review",
    "record_supervision",
    "record_training_session",
    "draw_sample",
    "moderate_case_audit",
    "record_case_audit",
    "add_evidence_link",
    "record_inspection_export",
    "refresh_figures",
    "save_self_assessment",
]
