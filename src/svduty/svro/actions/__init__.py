"""Writes to the SVRO register (architecture D6): each action checks its rule, writes
and records its audit event in the same transaction."""

from .configuration import change_order_type, set_population
from .events import (
    record_breach,
    record_order_event,
    record_reoffence,
    update_breach,
)
from .links import link_person, unlink_person
from .notifications import end_custody, record_custody, record_notification
from .orders import (
    add_name,
    create_holder,
    decide_application,
    make_order,
    record_application,
)
from .reports import publish_report, withdraw_report
from .samples import draw_sample, review_item
from .searches import record_search

__all__ = [
    "publish_report",
    "withdraw_report",
    "change_order_type",
    "set_population",
    "draw_sample",
    "review_item",
    "record_breach",
    "record_order_event",
    "record_reoffence",
    "update_breach",
    "record_search",
    "link_person",
    "unlink_person",
    "end_custody",
    "record_custody",
    "record_notification",
    "add_name",
    "create_holder",
    "decide_application",
    "make_order",
    "record_application",
]
