"""Writes to meetings (architecture D6): keyword-only, atomic, audited in the same
transaction. Views, the API and the demo call these.

Who may do what:
- anyone who may change children's records (EDIT_CASES) may organise a meeting in
  one of their partnerships; the chair and the organiser then run it;
- anything about a child (an agenda item, a paper, a minute part, a decision, an
  action) needs the right to change that child's record (`cases.policies.can_edit`),
  so a meeting never becomes a way round the child's access rules;
- actions are created by `cases.actions.add_plan_action` (and the plan by
  `create_plan` if the child has none): one row, the child's own plan action.
"""

from .agenda import add_agenda_item, add_suggested_items, write_paper
from .common import DEFAULT_REVIEW
from .meeting import close_meeting, invite, record_attendance, schedule_meeting
from .record import ActionSpec, add_decision_action, record_decision, record_minute

__all__ = [
    "DEFAULT_REVIEW",
    "ActionSpec",
    "add_agenda_item",
    "add_decision_action",
    "add_suggested_items",
    "close_meeting",
    "invite",
    "record_attendance",
    "record_decision",
    "record_minute",
    "schedule_meeting",
    "write_paper",
]
