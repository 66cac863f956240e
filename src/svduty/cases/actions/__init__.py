"""Writes to the children-at-risk record (architecture D6): each action checks its
rule, writes, and audits in one transaction. Views, the API and the demo call these."""

from .access import (
    ACCESS_DAYS_CHOICES,
    break_glass,
    decide_access_request,
    record_disclosure,
    request_access,
    withdraw_disclosure,
)
from .chronology import record_event, record_return, record_return_interview
from .common import STALE_MESSAGE, StaleRecordError, refresh_summary
from .people import (
    add_address,
    add_alias,
    add_identifier,
    add_relationship,
    add_team_member,
    create_person,
    end_team_membership,
    set_lead_professional,
    set_restricted,
    update_person,
)
from .plans import (
    add_goal,
    add_plan_action,
    create_plan,
    end_plan,
    revise_plan,
    update_plan_action,
)
from .referrals import decide_referral, make_referral
from .work import (
    record_screening,
    request_contribution,
    respond_to_contribution,
    sign_off_assessment,
    sign_off_gaps,
    start_assessment,
    submit_assessment,
    update_assessment,
)

__all__ = [
    "ACCESS_DAYS_CHOICES",
    "STALE_MESSAGE",
    "StaleRecordError",
    "add_address",
    "add_alias",
    "add_goal",
    "add_identifier",
    "add_plan_action",
    "add_relationship",
    "add_team_member",
    "break_glass",
    "create_person",
    "create_plan",
    "decide_access_request",
    "decide_referral",
    "end_plan",
    "end_team_membership",
    "make_referral",
    "record_disclosure",
    "withdraw_disclosure",
    "record_event",
    "record_return",
    "record_return_interview",
    "record_screening",
    "refresh_summary",
    "request_access",
    "request_contribution",
    "respond_to_contribution",
    "revise_plan",
    "set_lead_professional",
    "set_restricted",
    "sign_off_assessment",
    "sign_off_gaps",
    "start_assessment",
    "submit_assessment",
    "update_assessment",
    "update_person",
    "update_plan_action",
]
