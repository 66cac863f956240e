"""Writes to the SVRO register (architecture D6): each action checks its rule, writes
and records its audit event in the same transaction."""

from .events import (
    record_breach,
    record_order_event,
    record_reoffence,
    update_breach,
)
from .notifications import end_custody, record_custody, record_notification
from .orders import (
    add_name,
    create_holder,
    decide_application,
    make_order,
    record_application,
)
from .searches import record_search

__all__ = [
    "record_breach",
    "record_order_event",
    "record_reoffence",
    "update_breach",
    "record_search",
    "end_custody",
    "record_custody",
    "record_notification",
    "add_name",
    "create_holder",
    "decide_application",
    "make_order",
    "record_application",
]
