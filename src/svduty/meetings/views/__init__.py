"""Meeting pages. Reads go through `reading.meeting_for` (split by child, filtered by
the cases policy); writes through `actions`; every view of a child's part audited."""

from .agenda import (
    agenda_add,
    agenda_triggers,
    decision_action_add,
    decision_add,
    minute_add,
    paper,
)
from .meeting import (
    attendance,
    close,
    invite,
    meeting_detail,
    meeting_list,
    meeting_new,
)
from .reports import child_meetings, performance, performance_export

__all__ = [
    "agenda_add",
    "agenda_triggers",
    "attendance",
    "child_meetings",
    "close",
    "decision_action_add",
    "decision_add",
    "invite",
    "meeting_detail",
    "meeting_list",
    "meeting_new",
    "minute_add",
    "paper",
    "performance",
    "performance_export",
]
