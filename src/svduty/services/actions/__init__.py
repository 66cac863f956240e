"""Writes for services and interventions (architecture D6)."""

from .catalogue import add_service, change_service
from .exploitation import (
    answer_nrm_reconsideration,
    end_disruption,
    offer_return_interview,
    record_cg_decision,
    record_disruption,
    record_interview_outcome,
    record_moment_follow_up,
    record_moment_response,
    record_nrm_referral,
    record_reachable_moment,
    record_rg_decision,
    record_s45_defence,
    request_nrm_reconsideration,
)
from .referrals import (
    decide_referral,
    end_service,
    record_attendance,
    refer_to_service,
    start_service,
    withdraw_referral,
)

__all__ = [
    "add_service",
    "answer_nrm_reconsideration",
    "change_service",
    "decide_referral",
    "end_disruption",
    "end_service",
    "offer_return_interview",
    "record_attendance",
    "record_cg_decision",
    "record_disruption",
    "record_interview_outcome",
    "record_moment_follow_up",
    "record_moment_response",
    "record_nrm_referral",
    "record_reachable_moment",
    "record_rg_decision",
    "record_s45_defence",
    "refer_to_service",
    "request_nrm_reconsideration",
    "start_service",
    "withdraw_referral",
]
